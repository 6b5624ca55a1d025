// The transactional outbox: a service writes its domain event in the same transaction as the
// state change; OutboxRelay later moves it to a Redis Stream.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"

namespace moot::events {

// The Redis Stream every Moot service publishes to by default. One stream for the whole
// installation: events carry their tenant, consumers (one consumer group per consuming
// service) filter on it, and ordering is kept per producing service.
inline constexpr absl::string_view kDefaultStream = "moot:events";

// Where entries a consumer group gave up on go: "<stream>:dead".
std::string DeadLetterStream(absl::string_view stream);

// Field names of a stream entry written by OutboxRelay.
inline constexpr absl::string_view kFieldEvent = "event";    // Serialized moot.events.v1.Event.
inline constexpr absl::string_view kFieldId = "id";          // Event id (the dedupe key).
inline constexpr absl::string_view kFieldType = "type";      // Event type, for cheap filtering.
inline constexpr absl::string_view kFieldTenant = "tenant";  // Event tenant.

// Table `outbox`:
//   seq        monotonically increasing row number: the relay order
//   tenant_id  the event's tenant
//   id         event id (unique)
//   stream     Redis Stream to publish to
//   type       event type
//   payload    serialized moot.events.v1.Event
//   created_at unix microseconds when appended
//   sent_at    unix microseconds when relayed; NULL while unsent
//   attempts   relay attempts so far
class Outbox {
 public:
  // Migrations of component "outbox" (SQLite and PostgreSQL).
  static std::vector<sql::Migration> Migrations();
  // Applies them to `db`.
  static absl::Status Migrate(sql::Database& db);

  explicit Outbox(std::string stream = std::string(kDefaultStream),
                  const time::Clock& clock = time::Clock::Real());

  // Appends `event` to the outbox on `tx`, which must be the caller's open transaction (inside
  // Database::Transact) so the event commits or rolls back with the state change.
  // Errors: INVALID_ARGUMENT when id, type or tenant is empty; ALREADY_EXISTS when an event with
  // this id is already in the outbox; driver errors otherwise.
  absl::Status Append(sql::Connection& tx, const events::v1::Event& event) const;
  // As above, to a stream other than the default.
  absl::Status Append(sql::Connection& tx, const events::v1::Event& event,
                      absl::string_view stream) const;

  // Rows not yet relayed.
  static absl::StatusOr<int64_t> Depth(sql::Connection& conn);

  const std::string& stream() const { return stream_; }

 private:
  std::string stream_;
  const time::Clock& clock_;
};

}  // namespace moot::events
