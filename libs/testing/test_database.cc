#include "libs/testing/test_database.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"
#include "libs/testing/postgres_server.h"

namespace moot::testing {
namespace {

bool UsePostgres() {
  const char* v = std::getenv("MOOT_TEST_DATABASE");
  return v != nullptr && std::string(v) == "postgres";
}

// One server per test binary, stopped at exit.
absl::StatusOr<PostgresServer*> SharedServer() {
  static absl::once_flag once;
  static std::unique_ptr<PostgresServer>* server = new std::unique_ptr<PostgresServer>();
  static absl::Status* failure = new absl::Status();
  absl::call_once(once, [] {
    if (std::string why = PostgresServer::UnavailableReason(); !why.empty()) {
      *failure = absl::UnavailableError(why);
      return;
    }
    absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (!started.ok()) {
      *failure = started.status();
      return;
    }
    *server = *std::move(started);
    std::atexit([] { server->reset(); });
  });
  if (!failure->ok()) {
    return *failure;
  }
  return server->get();
}

}  // namespace

const char* TestDatabaseKind() { return UsePostgres() ? "postgres" : "sqlite"; }

absl::StatusOr<std::unique_ptr<sql::Database>> OpenTestDatabase() {
  if (!UsePostgres()) {
    return sql::Open("sqlite::memory:", 1);
  }
  absl::StatusOr<PostgresServer*> server = SharedServer();
  if (!server.ok()) {
    return server.status();
  }
  static std::atomic<int> next{0};
  const std::string schema = absl::StrCat("t", next++);
  absl::StatusOr<std::unique_ptr<sql::Database>> admin = sql::Open((*server)->url(), 1);
  if (!admin.ok()) {
    return admin.status();
  }
  absl::Status created = (*admin)->WithConnection([&](sql::Connection& conn) {
    return conn.Execute(absl::StrCat("CREATE SCHEMA ", schema)).status();
  });
  if (!created.ok()) {
    return created;
  }
  // libpq's "options" sets the search path of every pooled connection to the new schema.
  return sql::Open(absl::StrCat((*server)->url(), "&options=-c%20search_path%3D", schema), 2);
}

}  // namespace moot::testing
