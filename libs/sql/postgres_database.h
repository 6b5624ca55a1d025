// The PostgreSQL driver of moot::sql: a pool of libpq connections.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/sql/connection_pool.h"
#include "libs/sql/database.h"

namespace moot::sql {

class PostgresConnection;

// PostgreSQL behind the Database interface. Statements are prepared once per connection and run
// with text parameters (Bytes go as binary BYTEA); results come back as int64 for
// bool/smallint/integer/bigint/oid columns, Bytes for BYTEA and text for everything else.
// Transactions run at SERIALIZABLE (the same guarantee as SQLite's BEGIN IMMEDIATE) and are
// retried on serialization failures and deadlocks. A pooled connection the server dropped is
// re-established when next handed out; Transact also retries a body once after reconnecting.
class PostgresDatabase : public Database {
 public:
  // Connects `pool_size` connections with a libpq URL or conninfo string. UNAVAILABLE when the
  // server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(absl::string_view conninfo,
                                                                int pool_size = 4);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  absl::Status Transact(const std::function<absl::Status(Connection&)>& body) override;
  absl::Status WithConnection(const std::function<absl::Status(Connection&)>& body) override;
  absl::Status Migrate(absl::string_view component,
                       const std::vector<Migration>& migrations) override;
  absl::Status Ping() override;

 private:
  explicit PostgresDatabase(std::vector<std::unique_ptr<PostgresConnection>> conns);
  internal::ConnectionPool<PostgresConnection> pool_;
};

}  // namespace moot::sql
