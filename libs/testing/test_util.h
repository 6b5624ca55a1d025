// Small helpers for hermetic tests: free ports, temporary directories, waiting on conditions.
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"

namespace moot::testing {

// A TCP port on 127.0.0.1 that was free when asked (bind to port 0, read it back, close).
int PickUnusedPort();

// A fresh directory under $TMPDIR (or /tmp), removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Polls `condition` every few milliseconds until it returns true (true) or `timeout` passes
// (false). For waiting on another thread or process; never a substitute for a fake clock.
bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(10));

// The repository root (MOOT_SOURCE_DIR, set by CTest; else found by walking up from cwd).
std::string SourceDir();

}  // namespace moot::testing
