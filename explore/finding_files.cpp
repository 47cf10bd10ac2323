// finding_files.cpp — see finding_files.h.
#include "finding_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <vector>

#include "stdin_tee.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;

void print_error(const std::string &what, const std::string &path, int err) {
  std::cerr << "racecheck: error: " << what << " " << terminal_safe(path) << ": "
            << std::strerror(err) << "\n";
}

// A descriptor of the output directory dir, creating what is missing. The
// components that already exist before the last are the user's own path and
// are followed like any path; the last one, and every one created here, is
// opened without following a link. -1 after a message.
int open_output_dir(const std::string &dir) {
  fs::path path(dir);
  std::vector<std::string> parts;
  for (const fs::path &part : path.relative_path()) parts.push_back(part.string());
  while (!parts.empty() && (parts.back().empty() || parts.back() == ".")) parts.pop_back();
  int fd = ::open(path.is_absolute() ? "/" : ".", kDirFlags);
  if (fd < 0) {
    print_error("cannot open", dir, errno);
    return -1;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    bool created = false;
    int next = ::openat(fd, parts[i].c_str(), kDirFlags | O_NOFOLLOW);
    if (next < 0 && errno == ENOENT) {
      if (::mkdirat(fd, parts[i].c_str(), 0777) != 0 && errno != EEXIST) {
        print_error("cannot create", dir, errno);
        ::close(fd);
        return -1;
      }
      created = true;
      next = ::openat(fd, parts[i].c_str(), kDirFlags | O_NOFOLLOW);
    }
    struct stat st;
    if (next < 0 && (errno == ELOOP || errno == ENOTDIR) && !last && !created &&
        ::fstatat(fd, parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
      next = ::openat(fd, parts[i].c_str(), kDirFlags);
    if (next < 0) {
      int err = errno;
      ::close(fd);
      if (err == ELOOP ||
          (err == ENOTDIR && ::fstatat(AT_FDCWD, dir.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISLNK(st.st_mode)))
        std::cerr << "racecheck: error: the output directory " << terminal_safe(dir)
                  << " is a symbolic link (or one appeared while racecheck created it); "
                     "racecheck writes and removes finding files only in a real directory: "
                     "remove the link or give --out the directory it points to\n";
      else
        print_error("cannot open the output directory", dir, err);
      return -1;
    }
    ::close(fd);
    fd = next;
  }
  return fd;
}

// Removes the previous run's finding files from the directory: the entries
// themselves (a link is removed, never what it points to).
void remove_old_files(int dir_fd) {
  static const std::regex kOld(
      "(finding|output)-[0-9]+\\.(schedule|stdin|stdout|stderr)|"
      "finding-[0-9]+-deadlock\\.(schedule|stdin)|reference\\.(stdout|stderr)");
  int list_fd = ::dup(dir_fd);
  DIR *listing = list_fd < 0 ? nullptr : ::fdopendir(list_fd);
  if (!listing) {
    if (list_fd >= 0) ::close(list_fd);
    return;
  }
  std::vector<std::string> old;
  while (const dirent *entry = ::readdir(listing))
    if (std::regex_match(entry->d_name, kOld)) old.push_back(entry->d_name);
  ::closedir(listing);
  for (const std::string &name : old) ::unlinkat(dir_fd, name.c_str(), 0);
}

}  // namespace

bool prepare_output_file(const std::string &dir, const std::string &name) {
  int fd = open_output_dir(dir);
  if (fd < 0) return false;
  ::unlinkat(fd, name.c_str(), 0);
  ::close(fd);
  return true;
}

FindingFiles::~FindingFiles() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

bool FindingFiles::copy_in(const std::string &from, const std::string &name) {
  const std::string path = (fs::path(dir_) / name).string();
  std::ifstream in(from, std::ios::binary);
  if (!in) {
    print_error("cannot read", from, errno);
    return false;
  }
  // A new file: whatever has this name now (a link planted since the old
  // files were removed) goes, and O_EXCL|O_NOFOLLOW create the file itself.
  ::unlinkat(dir_fd_, name.c_str(), 0);
  int fd =
      ::openat(dir_fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    print_error("cannot write", path, errno);
    return false;
  }
  char chunk[1 << 16];
  bool ok = true;
  while (ok && (in.read(chunk, sizeof chunk) || in.gcount() > 0)) {
    const char *p = chunk;
    for (size_t left = static_cast<size_t>(in.gcount()); ok && left > 0;) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) {
        p += n;
        left -= static_cast<size_t>(n);
      }
    }
  }
  int err = errno;
  if (::close(fd) != 0) ok = false;
  if (!ok) print_error("cannot write", path, err);
  return ok;
}

std::string replay_stdin_path(const std::string &schedule) {
  const std::string suffix = ".schedule";
  if (schedule.size() > suffix.size() &&
      schedule.compare(schedule.size() - suffix.size(), suffix.size(), suffix) == 0)
    return schedule.substr(0, schedule.size() - suffix.size()) + ".stdin";
  return schedule + ".stdin";
}

std::string FindingFiles::save(const std::string &schedule) {
  if (!prepare()) return "";
  const std::string name = "finding-" + std::to_string(next_++) + ".schedule";
  if (!copy_schedule_in(schedule, name)) return "";
  return (fs::path(dir_) / name).string();
}

std::string FindingFiles::keep(const std::string &from, const std::string &name) {
  if (!prepare() || !copy_schedule_in(from, name)) return "";
  return (fs::path(dir_) / name).string();
}

std::string FindingFiles::keep_output(const std::string &stem, const std::string &out,
                                      const std::string &err) {
  if (!prepare()) return "";
  if (!copy_in(out, stem + ".stdout") || !copy_in(err, stem + ".stderr")) return "";
  return (fs::path(dir_) / stem).string();
}

bool FindingFiles::copy_schedule_in(const std::string &from, const std::string &name) {
  if (!copy_in(from, name)) return false;
  if (stdin_copy_.empty()) return true;
  return copy_in(complete_stdin_copy(stdin_copy_), replay_stdin_path(name));
}

bool FindingFiles::prepare() {
  if (!prepared_) {
    prepared_ = true;
    dir_fd_ = open_output_dir(dir_);
    failed_ = dir_fd_ < 0;
    if (!failed_) remove_old_files(dir_fd_);
  }
  return !failed_;
}

}  // namespace racecheck
