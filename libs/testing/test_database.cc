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

struct Shared {
  std::unique_ptr<PostgresServer> server;
  std::unique_ptr<sql::Database> admin;  // Creates the per-test schemas.
};

// One server (and one admin connection) per test binary, stopped at exit.
absl::StatusOr<Shared*> SharedServer() {
  static absl::once_flag once;
  static Shared* shared = new Shared();
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
    shared->server = *std::move(started);
    absl::StatusOr<std::unique_ptr<sql::Database>> admin = sql::Open(shared->server->url(), 1);
    if (!admin.ok()) {
      *failure = admin.status();
      return;
    }
    shared->admin = *std::move(admin);
    std::atexit([] {
      shared->admin.reset();
      shared->server.reset();
    });
  });
  if (!failure->ok()) {
    return *failure;
  }
  return shared;
}

}  // namespace

const char* TestDatabaseKind() { return UsePostgres() ? "postgres" : "sqlite"; }

absl::StatusOr<std::unique_ptr<sql::Database>> OpenTestDatabase() {
  if (!UsePostgres()) {
    return sql::Open("sqlite::memory:", 1);
  }
  absl::StatusOr<Shared*> shared = SharedServer();
  if (!shared.ok()) {
    return shared.status();
  }
  static std::atomic<int> next{0};
  const std::string schema = absl::StrCat("t", next++);
  absl::Status created = (*shared)->admin->WithConnection([&](sql::Connection& conn) {
    return conn.Execute(absl::StrCat("CREATE SCHEMA ", schema)).status();
  });
  if (!created.ok()) {
    return created;
  }
  // libpq's "options" sets the search path of every pooled connection to the new schema.
  return sql::Open(absl::StrCat((*shared)->server->url(), "&options=-c%20search_path%3D", schema),
                   2);
}

}  // namespace moot::testing
