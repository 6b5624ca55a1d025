// The database interface every Moot store is written against once, with SQLite and PostgreSQL
// drivers behind it (sqlite_database.h, postgres_database.h).
//
// SQL text uses PostgreSQL-style numbered placeholders ($1, $2, ...) for both drivers. Write
// portable SQL (TEXT, BIGINT, BYTEA/BLOB via Dialect(), INSERT ... ON CONFLICT, RETURNING);
// where the dialects differ, branch on Database::dialect().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::sql {

enum class Dialect { kSqlite, kPostgres };

// Raw bytes, distinct from text so that drivers bind them as BLOB / BYTEA.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

// SQL NULL.
struct Null {
  bool operator==(const Null&) const = default;
};

// A parameter or column value.
using Value = std::variant<Null, int64_t, std::string, Bytes>;
using Params = std::vector<Value>;

// One result row. Accessors return an error status (never crash) on a wrong index or type.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const;
  absl::StatusOr<int64_t> GetInt(size_t i) const;
  absl::StatusOr<std::string> GetString(size_t i) const;  // TEXT (or BLOB bytes as-is).
  absl::StatusOr<std::string> GetBytes(size_t i) const;   // BLOB/BYTEA (or TEXT as-is).
  // Convenience: value or default when NULL/mismatched; for columns the schema makes NOT NULL.
  int64_t Int(size_t i) const;
  std::string String(size_t i) const;
  const Value& value(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

// What a statement returned.
struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t rows_affected = 0;
};

// One connection, used by one thread at a time (inside Database::Transact or WithConnection).
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement with bound parameters. Prepared statements are cached per connection.
  // Errors: ALREADY_EXISTS on a unique violation, ABORTED on a serialization failure or busy
  // database, UNAVAILABLE when the server is gone, INVALID_ARGUMENT on bad SQL, INTERNAL else.
  // Also FAILED_PRECONDITION on another constraint (foreign key, NOT NULL, CHECK), and
  // INVALID_ARGUMENT when the params do not match the placeholders ($1..$n, all used) or the
  // text holds several statements. PostgreSQL infers each placeholder's type from its context;
  // where it cannot (e.g. `$1 IS NULL`), cast it with CAST($1 AS TEXT), which both accept.
  virtual absl::StatusOr<Result> Execute(absl::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual absl::Status ExecuteScript(absl::string_view sql) = 0;
};

// A schema migration: applied once, in version order, inside a transaction.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;           // Used by both dialects unless the per-dialect text is set.
  std::string sqlite_sql;    // Optional SQLite-only text.
  std::string postgres_sql;  // Optional PostgreSQL-only text.
};

// A pool of connections to one database.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `body` in a transaction on a pooled connection; commits when it returns OK, rolls back
  // otherwise. ABORTED from a serialization failure or busy database is retried (bounded) with
  // the whole body, so `body` must be safe to run again. Isolation is SERIALIZABLE on both
  // drivers (SQLite BEGIN IMMEDIATE; PostgreSQL SERIALIZABLE), so read-modify-write is safe.
  // A body that ignores a failed statement gets INTERNAL on PostgreSQL (the transaction is dead).
  virtual absl::Status Transact(const std::function<absl::Status(Connection&)>& body) = 0;

  // Runs `body` on a pooled connection outside any explicit transaction (reads, autocommit).
  virtual absl::Status WithConnection(const std::function<absl::Status(Connection&)>& body) = 0;

  // Applies the migrations of `component` (a name such as "scheduling" or "outbox") newer than
  // the recorded version, each in its own transaction. Idempotent; concurrent callers are safe.
  virtual absl::Status Migrate(absl::string_view component,
                               const std::vector<Migration>& migrations) = 0;

  // A cheap liveness check (SELECT 1), for health reporting.
  virtual absl::Status Ping() = 0;

  // Runs `hook` on the committing thread right after every transaction that Transact committed
  // (never after a rollback or WithConnection). ServiceHost wakes the outbox relay with it, so
  // an event leaves as soon as its row is committed rather than at the relay's next poll
  // (quality.md P4). Set it once, before the database is shared between threads.
  void SetAfterCommit(std::function<void()> hook) { after_commit_ = std::move(hook); }

 protected:
  // Drivers call this after a successful COMMIT.
  void RunAfterCommit() const {
    if (after_commit_) {
      after_commit_();
    }
  }

 private:
  std::function<void()> after_commit_;
};

// Opens a database from a URL: "sqlite:///abs/path.db", "sqlite::memory:" or
// "postgresql://user@host:port/db?..." (anything libpq accepts). `pool_size` connections.
absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url, int pool_size = 4);

}  // namespace moot::sql
