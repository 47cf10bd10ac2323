// record.cpp — lookups on the run-record model.
#include "record.h"

#include <algorithm>

namespace racecheck {

const Stack *Record::stack(int id) const {
  auto it = stacks.find(id);
  return it == stacks.end() ? nullptr : &it->second;
}

const Lockset *Record::lockset(int id) const {
  auto it = locksets.find(id);
  return it == locksets.end() ? nullptr : &it->second;
}

const Thread *Record::thread(int tid) const {
  auto it = threads.find(tid);
  return it == threads.end() ? nullptr : &it->second;
}

size_t Record::count(FindingKind kind) const {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const Finding &f) { return f.kind == kind; }));
}

}  // namespace racecheck
