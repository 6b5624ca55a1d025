// A real redis-server for tests: started with deploy/redis/redis.conf on a free loopback port, in
// a temporary directory, with a random password; stopped at destruction.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/testing/test_util.h"

namespace moot::testing {

// Runs `redis-server <repo>/deploy/redis/redis.conf --port <free> --dir <tempdir>
// --requirepass <random>` as a child process (which dies with the test process). Not
// thread-safe: drive it from the test's main thread.
class RedisServer {
 public:
  // Starts a server and waits (up to `ready_timeout`) until it answers an authenticated PING.
  // Errors: UNAVAILABLE when redis-server cannot be run or does not become ready; the message
  // includes the tail of its log.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      absl::Duration ready_timeout = absl::Seconds(10));

  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& password() const { return password_; }
  // "redis://:<password>@127.0.0.1:<port>".
  std::string url() const;
  // The data directory (holds the append-only file and redis.log).
  const std::string& dir() const { return dir_.path(); }
  bool running() const { return pid_ > 0; }

  // Graceful shutdown (SIGTERM, then SIGKILL after a few seconds); waits for the process.
  absl::Status Stop();
  // SIGKILL, as a crash; waits for the process. Data not yet fsynced may be lost.
  absl::Status Kill();
  // Starts again on the same port, directory and password (the append-only file is reloaded),
  // waiting until ready. Stops the running server first if there is one.
  absl::Status Restart(absl::Duration ready_timeout = absl::Seconds(10));
  // SIGSTOP / SIGCONT: the server keeps its sockets but answers nothing (for timeout tests).
  absl::Status Pause();
  absl::Status Resume();

  // True when an authenticated PING answers PONG right now.
  bool Ping() const;

 private:
  RedisServer();
  absl::Status Launch(absl::Duration ready_timeout);
  absl::Status Signal(int sig, absl::Duration wait);
  std::string LogTail() const;

  TempDir dir_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string password_;
  pid_t pid_ = -1;
  bool paused_ = false;
};

}  // namespace moot::testing
