#include "tests/load/proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"

namespace moot::load {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return moot::status::NotFound(path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

absl::StatusOr<long long> ParseStatCpuTicks(absl::string_view stat) {
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos) {
    return moot::status::InvalidArgument("stat", "no ')' after the command name");
  }
  std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(close + 1), ' ', absl::SkipEmpty());
  // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
  long long utime = 0;
  long long stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return moot::status::InvalidArgument("stat", "no utime/stime fields");
  }
  return utime + stime;
}

absl::StatusOr<long long> ParseVmHwmKib(absl::string_view status) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (absl::ConsumePrefix(&line, "VmHWM:")) {
      line = absl::StripAsciiWhitespace(line);
      absl::ConsumeSuffix(&line, "kB");
      long long kib = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) {
        return kib;
      }
      return moot::status::InvalidArgument("status", "unreadable VmHWM");
    }
  }
  return moot::status::InvalidArgument("status", "no VmHWM line");
}

absl::StatusOr<double> ProcessCpuSeconds(pid_t pid) {
  absl::StatusOr<std::string> text = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (!text.ok()) {
    return text.status();
  }
  absl::StatusOr<long long> ticks = ParseStatCpuTicks(*text);
  if (!ticks.ok()) {
    return ticks.status();
  }
  return static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

absl::StatusOr<long long> ProcessPeakRssKib(pid_t pid) {
  absl::StatusOr<std::string> text = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  if (!text.ok()) {
    return text.status();
  }
  return ParseVmHwmKib(*text);
}

double SelfCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace moot::load
