// R-MTG-07: "this meeting will only take place in the event the proposed precept is vetoed".
// Consumes the budget service's `precept.*` events (payload moot.scheduling.v1.PreceptOutcome)
// and confirms the Panel's provisional meetings on a veto, or cancels them when there was none.
//
// Expected events and payload (PreceptOutcome in scheduling.proto):
//   precept.vetoed                      -> confirm (PROVISIONAL -> SCHEDULED)
//   precept.not_vetoed, precept.supported -> cancel (PROVISIONAL -> CANCELLED)
//   precept.issued                      -> cancel, unless the payload's outcome is VETOED
//   payload {tenant, body (the panel; empty = every panel of the tenant), precept_year "2024-25",
//            outcome, decided_at}
// The meetings affected are the body's PROVISIONAL meetings that start after decided_at and no
// later than the end of February of the precept year (the veto cycle's window). Each change is
// the same transition an officer makes with TransitionMeeting, with a reason naming the event,
// and emits `meeting.confirmed` / `meeting.cancelled` in the same transaction as the
// applied-event mark (a redelivered event has no second effect).
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/events/applied_events.h"
#include "libs/events/stream_consumer.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {

// The consumer group (and applied-events consumer) of the scheduling service.
inline constexpr char kPreceptConsumerGroup[] = "scheduling";

class PreceptListener {
 public:
  // None are owned; all must outlive the listener.
  PreceptListener(SchedulingLogic& logic, sql::Database& db,
                  const time::Clock& clock = time::Clock::Real());

  // Applies one event inside `tx`; returns how many meetings changed. Events that are not about
  // a precept outcome, or whose payload is not a PreceptOutcome of the event's tenant, change
  // nothing.
  absl::StatusOr<int> Handle(sql::Connection& tx, const events::v1::Event& event);
  // Handle() in its own transaction with the applied-event mark (what the consumer runs).
  absl::Status HandleOnce(const events::v1::Event& event);

  // A stream consumer of group kPreceptConsumerGroup calling Handle() transactionally.
  std::unique_ptr<events::StreamConsumer> MakeStreamConsumer(redis::RedisClient& redis,
                                                             const std::string& stream,
                                                             const std::string& consumer_name);

  static absl::Status Migrate(sql::Database& db);

 private:
  SchedulingLogic& logic_;
  sql::Database& db_;
  events::AppliedEvents applied_;
};

}  // namespace moot::scheduling
