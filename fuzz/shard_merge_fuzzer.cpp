// shard_merge_fuzzer.cpp — libFuzzer target for the JSON that `racecheck
// merge` reads (explore/shard_merge.cpp): the reports of explorations of
// adjacent seed ranges. The input is split at the first form feed into two
// shard files, so both one shard and the fitting-together of two are
// exercised; the merged result is then written as `racecheck merge --json`
// writes it. Files may come from other versions or be edited by hand: they
// must be merged or refused with a message, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "exploration_json.h"
#include "shard_merge.h"

namespace {

// A private directory for the shard files, made once; a plain array, so the
// exit handler that removes it never sees a destroyed string.
char dir[] = "/tmp/racecheck-fuzz-merge-XXXXXX";

void remove_files();

std::string temp_path(const char *name) {
  static bool made = mkdtemp(dir) && std::atexit(remove_files) == 0;
  if (!made) std::abort();
  return std::string(dir) + "/" + name;
}

void write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) std::abort();
}

void remove_files() {
  std::remove(temp_path("a.json").c_str());
  std::remove(temp_path("b.json").c_str());
  rmdir(dir);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Refusals explain themselves on std::cerr; thousands a second would drown
  // the fuzzer's own output (sanitizer reports write to fd 2 directly).
  static bool once = (std::cerr.rdbuf(nullptr), true);
  (void)once;
  std::string input(reinterpret_cast<const char *>(data), size);
  std::vector<std::string> paths = {temp_path("a.json")};
  size_t split = input.find('\f');
  write_file(paths[0], input.substr(0, split));
  if (split != std::string::npos) {
    paths.push_back(temp_path("b.json"));
    write_file(paths[1], input.substr(split + 1));
  }
  std::optional<racecheck::ExplorationResult> merged = racecheck::merge_shards(paths);
  if (merged) (void)racecheck::exploration_json(*merged).dump(2);
  return 0;
}
