// finding_files.cpp — see finding_files.h.
#include "finding_files.h"

#include <filesystem>
#include <iostream>
#include <regex>

namespace racecheck {

namespace fs = std::filesystem;

std::string FindingFiles::save(const std::string &schedule) {
  if (!prepare()) return "";
  std::error_code ec;
  std::string path =
      (fs::path(dir_) / ("finding-" + std::to_string(next_++) + ".schedule")).string();
  fs::copy_file(schedule, path, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::cerr << "racecheck: error: cannot write " << path << ": " << ec.message() << "\n";
    return "";
  }
  return path;
}

std::string FindingFiles::keep_output(const std::string &stem, const std::string &out,
                                      const std::string &err) {
  if (!prepare()) return "";
  std::error_code ec;
  std::string prefix = (fs::path(dir_) / stem).string();
  fs::copy_file(out, prefix + ".stdout", fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::copy_file(err, prefix + ".stderr", fs::copy_options::overwrite_existing, ec);
  return ec ? "" : prefix;
}

bool FindingFiles::prepare() {
  if (!prepared_) {
    prepared_ = true;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
      std::cerr << "racecheck: error: cannot create " << dir_ << ": " << ec.message() << "\n";
      failed_ = true;
    } else {
      static const std::regex kOld(
          "(finding|output)-[0-9]+\\.(schedule|stdout|stderr)|reference\\.(stdout|stderr)");
      for (const auto &entry : fs::directory_iterator(dir_, ec))
        if (std::regex_match(entry.path().filename().string(), kOld)) fs::remove(entry.path(), ec);
    }
  }
  return !failed_;
}

}  // namespace racecheck
