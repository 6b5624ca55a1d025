// A throwaway PostgreSQL 15 server for tests: initdb + postgres in a temporary directory.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/testing/test_util.h"

namespace moot::testing {

// Runs its own PostgreSQL cluster on a free port of 127.0.0.1 (trust authentication, user
// "postgres", fsync off) with a database "moot", and shuts it down at destruction. When the test
// runs as root the server runs as the `postgres` OS user. Starting takes about a second, so
// share one server per test binary and create a database per test.
class PostgresServer {
 public:
  // Empty when the PostgreSQL 15 server binaries are installed here, else why a test should
  // skip (e.g. "PostgreSQL 15 is not installed (make deps)").
  static std::string UnavailableReason();

  // Starts a server. UNAVAILABLE (with the server log) when it does not come up.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // postgresql://postgres@127.0.0.1:PORT/<database>?sslmode=disable
  std::string url(absl::string_view database = "moot") const;

 private:
  PostgresServer() = default;
  absl::Status StartOnce();

  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace moot::testing
