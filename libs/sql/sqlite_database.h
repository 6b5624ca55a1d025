// The SQLite driver of moot::sql: a pool of connections to one database file in WAL mode.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/sql/connection_pool.h"
#include "libs/sql/database.h"

namespace moot::sql {

class SqliteConnection;

// SQLite behind the Database interface. Every connection runs with journal_mode=WAL (files),
// busy_timeout=5s, foreign_keys=ON and a per-connection prepared statement cache. Transactions
// are BEGIN IMMEDIATE, so writers are serialised and the isolation is SERIALIZABLE; within one
// process they also queue on a mutex rather than poll in SQLite's busy handler.
// ":memory:" (or an empty path) is one private in-memory database served by a single
// connection, whatever the pool size; nesting WithConnection inside Transact then deadlocks.
class SqliteDatabase : public Database {
 public:
  // Opens (creating if needed) the database at `path`. UNAVAILABLE when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(absl::string_view path,
                                                              int pool_size = 4);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  absl::Status Transact(const std::function<absl::Status(Connection&)>& body) override;
  absl::Status WithConnection(const std::function<absl::Status(Connection&)>& body) override;
  absl::Status Migrate(absl::string_view component,
                       const std::vector<Migration>& migrations) override;
  absl::Status Ping() override;

 private:
  explicit SqliteDatabase(std::vector<std::unique_ptr<SqliteConnection>> conns);
  internal::ConnectionPool<SqliteConnection> pool_;
  absl::Mutex writer_mu_;  // Held across each Transact: one writer of this process at a time.
};

}  // namespace moot::sql
