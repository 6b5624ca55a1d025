#include "libs/events/applied_events.h"

#include "libs/status/macros.h"

namespace moot::events {

std::vector<sql::Migration> AppliedEvents::Migrations() {
  sql::Migration v1;
  v1.version = 1;
  v1.name = "create applied_events";
  v1.sql = R"sql(
CREATE TABLE applied_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX applied_events_applied_at ON applied_events (applied_at);
)sql";
  return {v1};
}

absl::Status AppliedEvents::Migrate(sql::Database& db) {
  return db.Migrate("applied_events", Migrations());
}

AppliedEvents::AppliedEvents(sql::Database& db, std::string consumer, const time::Clock& clock)
    : db_(db), consumer_(std::move(consumer)), clock_(clock) {}

absl::StatusOr<bool> AppliedEvents::IsApplied(sql::Connection& conn,
                                              absl::string_view event_id) const {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result r,
      conn.Execute("SELECT 1 FROM applied_events WHERE consumer = $1 AND event_id = $2",
                   {consumer_, std::string(event_id)}));
  return !r.rows.empty();
}

absl::StatusOr<bool> AppliedEvents::MarkApplied(sql::Connection& conn,
                                                absl::string_view event_id) const {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result r,
      conn.Execute("INSERT INTO applied_events (consumer, event_id, applied_at) "
                   "VALUES ($1, $2, $3) ON CONFLICT (consumer, event_id) DO NOTHING",
                   {consumer_, std::string(event_id), absl::ToUnixMicros(clock_.Now())}));
  return r.rows_affected > 0;
}

absl::StatusOr<bool> AppliedEvents::IsApplied(absl::string_view event_id) {
  bool applied = false;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(applied, IsApplied(conn, event_id));
    return absl::OkStatus();
  }));
  return applied;
}

absl::StatusOr<bool> AppliedEvents::MarkApplied(absl::string_view event_id) {
  bool fresh = false;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(fresh, MarkApplied(conn, event_id));
    return absl::OkStatus();
  }));
  return fresh;
}

absl::Status AppliedEvents::Purge(absl::Time cutoff) {
  return db_.WithConnection([&](sql::Connection& conn) {
    return conn
        .Execute("DELETE FROM applied_events WHERE consumer = $1 AND applied_at < $2",
                 {consumer_, absl::ToUnixMicros(cutoff)})
        .status();
  });
}

}  // namespace moot::events
