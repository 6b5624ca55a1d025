// Pieces shared by the SQLite and PostgreSQL drivers (internal to libs/sql).
#pragma once

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/sql/database.h"

namespace moot::sql::internal {

// Calls `attempt` until it returns anything but ABORTED, at most kMaxTransactionAttempts times,
// sleeping a short randomised backoff between attempts.
inline constexpr int kMaxTransactionAttempts = 30;
absl::Status RetryAborted(const std::function<absl::Status()>& attempt);

// How a driver serialises migrations on one connection.
struct MigrationDialect {
  absl::string_view lock;    // Run before anything else, outside a transaction ("" for none).
  absl::string_view unlock;  // Run at the end, whatever happened ("" for none).
  absl::string_view begin;   // Starts a write transaction.
};

// The shared Migrate algorithm: creates schema_migrations, then applies each missing version of
// `component` in its own transaction on `conn`.
absl::Status ApplyMigrations(Connection& conn, Dialect dialect, const MigrationDialect& how,
                             absl::string_view component, const std::vector<Migration>& migrations);

}  // namespace moot::sql::internal
