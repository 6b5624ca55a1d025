// A child process for tests: started with arguments and extra environment, output to a log file,
// killed with the test process (PR_SET_PDEATHSIG) and stopped at destruction.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace moot::testing {

struct ChildOptions {
  std::vector<std::string> argv;           // argv[0] is the executable's path.
  std::map<std::string, std::string> env;  // Added to (or replacing in) this process's env.
  std::vector<std::string> unset_env;      // Removed from the inherited environment.
  std::string log_file;                    // stdout and stderr; /dev/null when empty.
};

class ChildProcess {
 public:
  // Forks and execs; UNAVAILABLE when the fork or exec fails (an exec failure is seen as exit
  // code 127 by Wait()).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const ChildOptions& options);
  // SIGTERM, then SIGKILL if the child has not exited within five seconds.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True while the child has not exited (reaps it if it has).
  bool Running();
  // Sends `signal` (no-op once exited).
  void Signal(int signal);
  // Waits up to `timeout` for the child to exit; its exit code (128 + signal when killed by a
  // signal), or DEADLINE_EXCEEDED.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // The log file's contents (empty when there is none).
  std::string Log() const;

 private:
  ChildProcess(pid_t pid, std::string log_file) : pid_(pid), log_file_(std::move(log_file)) {}
  pid_t pid_;
  std::string log_file_;
  bool exited_ = false;
  int exit_code_ = 0;
};

}  // namespace moot::testing
