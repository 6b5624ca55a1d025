// Remembers which events a consumer has applied, so a redelivered event has no second effect.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"

namespace moot::events {

// Table `applied_events(consumer, event_id, applied_at)`, primary key (consumer, event_id).
// `consumer` is the logical consumer (normally the consumer group, e.g. "notifications"), shared
// by every replica of that service. Thread-safe.
class AppliedEvents {
 public:
  // Migrations of component "applied_events".
  static std::vector<sql::Migration> Migrations();
  static absl::Status Migrate(sql::Database& db);

  AppliedEvents(sql::Database& db, std::string consumer,
                const time::Clock& clock = time::Clock::Real());

  sql::Database& db() { return db_; }
  const std::string& consumer() const { return consumer_; }

  // Whether `event_id` is recorded, on the caller's connection/transaction.
  absl::StatusOr<bool> IsApplied(sql::Connection& conn, absl::string_view event_id) const;
  // Records `event_id` on the caller's transaction; true when newly recorded, false when it was
  // already there (another delivery applied it first: roll back this one's effect).
  absl::StatusOr<bool> MarkApplied(sql::Connection& conn, absl::string_view event_id) const;

  // The same on a pooled connection of db().
  absl::StatusOr<bool> IsApplied(absl::string_view event_id);
  absl::StatusOr<bool> MarkApplied(absl::string_view event_id);

  // Forgets marks older than `cutoff` (after the stream itself has dropped those events).
  absl::Status Purge(absl::Time cutoff);

 private:
  sql::Database& db_;
  const std::string consumer_;
  const time::Clock& clock_;
};

}  // namespace moot::events
