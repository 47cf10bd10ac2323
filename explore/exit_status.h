// exit_status.h — the exit statuses racecheck's verbs share: 66 when there
// are findings (as ThreadSanitizer's), 2 when racecheck itself failed.
#pragma once

namespace racecheck {

constexpr int kExitFindings = 66;
constexpr int kExitError = 2;

}  // namespace racecheck
