// CPU time and peak memory of a process, from /proc and getrusage (Linux).
#pragma once

#include <sys/types.h>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::load {

// utime + stime in clock ticks, from the text of /proc/<pid>/stat.
absl::StatusOr<long long> ParseStatCpuTicks(absl::string_view stat);
// VmHWM (peak resident set) in KiB, from the text of /proc/<pid>/status.
absl::StatusOr<long long> ParseVmHwmKib(absl::string_view status);

// CPU seconds (user + system) that process `pid` has used so far.
absl::StatusOr<double> ProcessCpuSeconds(pid_t pid);
// Peak RSS of process `pid` in KiB.
absl::StatusOr<long long> ProcessPeakRssKib(pid_t pid);
// CPU seconds (user + system) of this process, all threads.
double SelfCpuSeconds();

}  // namespace moot::load
