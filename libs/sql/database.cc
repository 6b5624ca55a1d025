#include "libs/sql/database.h"

#include <algorithm>
#include <random>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/sql/database_internal.h"
#include "libs/sql/postgres_database.h"
#include "libs/sql/sqlite_database.h"
#include "libs/status/macros.h"

namespace moot::sql {
namespace {

const char* TypeName(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "integer";
    case 2:
      return "text";
    default:
      return "bytes";
  }
}

absl::Status CheckIndex(size_t i, size_t size) {
  if (i >= size) {
    return absl::OutOfRangeError(absl::StrCat("column ", i, " of a row with ", size, " columns"));
  }
  return absl::OkStatus();
}

absl::Status WrongType(size_t i, const Value& v, absl::string_view wanted) {
  return absl::InvalidArgumentError(
      absl::StrCat("column ", i, " is ", TypeName(v), ", not ", wanted));
}

}  // namespace

bool Row::IsNull(size_t i) const {
  return i >= values_.size() || std::holds_alternative<Null>(values_[i]);
}

absl::StatusOr<int64_t> Row::GetInt(size_t i) const {
  MOOT_RETURN_IF_ERROR(CheckIndex(i, values_.size()));
  const Value& v = values_[i];
  if (const auto* n = std::get_if<int64_t>(&v)) {
    return *n;
  }
  // Integers that a driver reports as text (PostgreSQL NUMERIC sums, SQLite TEXT affinity).
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t n = 0;
    if (absl::SimpleAtoi(*s, &n)) {
      return n;
    }
  }
  return WrongType(i, v, "integer");
}

absl::StatusOr<std::string> Row::GetString(size_t i) const {
  MOOT_RETURN_IF_ERROR(CheckIndex(i, values_.size()));
  const Value& v = values_[i];
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return b->data;
  }
  return WrongType(i, v, "text");
}

absl::StatusOr<std::string> Row::GetBytes(size_t i) const {
  MOOT_RETURN_IF_ERROR(CheckIndex(i, values_.size()));
  const Value& v = values_[i];
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return b->data;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  return WrongType(i, v, "bytes");
}

int64_t Row::Int(size_t i) const { return GetInt(i).value_or(0); }

std::string Row::String(size_t i) const { return GetString(i).value_or(std::string()); }

absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url, int pool_size) {
  if (pool_size < 1) {
    return absl::InvalidArgumentError(absl::StrCat("pool_size must be positive, got ", pool_size));
  }
  if (absl::StartsWith(url, "sqlite:")) {
    absl::string_view path = url.substr(7);
    if (absl::StartsWith(path, "//")) {
      path.remove_prefix(2);
    }
    MOOT_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(path, pool_size));
    return std::unique_ptr<Database>(std::move(db));
  }
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    MOOT_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Open(url, pool_size));
    return std::unique_ptr<Database>(std::move(db));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported database URL (want sqlite: or postgresql:): ", url));
}

namespace internal {

absl::Status RetryAborted(const std::function<absl::Status()>& attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  absl::Status status;
  for (int i = 0; i < kMaxTransactionAttempts; ++i) {
    status = attempt();
    if (status.code() != absl::StatusCode::kAborted) {
      return status;
    }
    // Randomised exponential backoff, capped at 32 ms, so that contenders spread out.
    const int cap_us = 1000 << std::min(i, 5);
    absl::SleepFor(absl::Microseconds(std::uniform_int_distribution<int>(0, cap_us)(rng)));
  }
  return absl::AbortedError(absl::StrCat("transaction gave up after ", kMaxTransactionAttempts,
                                         " attempts: ", status.message()));
}

namespace {

absl::Status ApplyOne(Connection& conn, Dialect dialect, const MigrationDialect& how,
                      absl::string_view component, const Migration& m) {
  MOOT_RETURN_IF_ERROR(conn.Execute(how.begin).status());
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(Result applied,
                          conn.Execute("SELECT version FROM schema_migrations "
                                       "WHERE component = $1 AND version = $2",
                                       {std::string(component), int64_t{m.version}}));
    if (!applied.rows.empty()) {
      return absl::OkStatus();
    }
    const std::string& text = dialect == Dialect::kSqlite
                                  ? (m.sqlite_sql.empty() ? m.sql : m.sqlite_sql)
                                  : (m.postgres_sql.empty() ? m.sql : m.postgres_sql);
    absl::Status s = conn.ExecuteScript(text);
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat("migration ", component, "/", m.version, " (",
                                                 m.name, "): ", s.message()));
    }
    return conn
        .Execute(
            "INSERT INTO schema_migrations (component, version, name, applied_at) "
            "VALUES ($1, $2, $3, CAST(CURRENT_TIMESTAMP AS TEXT))",
            {std::string(component), int64_t{m.version}, m.name})
        .status();
  }();
  if (status.ok()) {
    status = conn.Execute("COMMIT").status();
  }
  if (!status.ok()) {
    conn.Execute("ROLLBACK").IgnoreError();
  }
  return status;
}

}  // namespace

absl::Status ApplyMigrations(Connection& conn, Dialect dialect, const MigrationDialect& how,
                             absl::string_view component,
                             const std::vector<Migration>& migrations) {
  if (component.empty()) {
    return absl::InvalidArgumentError("migration component must not be empty");
  }
  std::vector<const Migration*> sorted;
  std::set<int> versions;
  for (const Migration& m : migrations) {
    if (m.version <= 0 || !versions.insert(m.version).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration versions of ", component, " must be positive and unique, got ", m.version));
    }
    sorted.push_back(&m);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  if (!how.lock.empty()) {
    MOOT_RETURN_IF_ERROR(conn.Execute(how.lock).status());
  }
  absl::Status status = [&]() -> absl::Status {
    MOOT_RETURN_IF_ERROR(conn.Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                      "component TEXT NOT NULL, version BIGINT NOT NULL, "
                                      "name TEXT NOT NULL, applied_at TEXT NOT NULL, "
                                      "PRIMARY KEY (component, version))")
                             .status());
    for (const Migration* m : sorted) {
      MOOT_RETURN_IF_ERROR(
          RetryAborted([&] { return ApplyOne(conn, dialect, how, component, *m); }));
    }
    return absl::OkStatus();
  }();
  if (!how.unlock.empty()) {
    conn.Execute(how.unlock).IgnoreError();
  }
  return status;
}

}  // namespace internal
}  // namespace moot::sql
