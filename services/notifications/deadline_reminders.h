// Reminders of the statutory precept deadlines (domain.md §3.7; §10 NOT "statutory deadline
// reminders (1/8/15/22 Feb, 1 Mar)"). Police Reform and Social Responsibility Act 2011 Sch.5 and
// the Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012
// (SI 2012/2271) Part 2 set the steps of a precept year.
//
// Each `precept.*` event of the budget service (payload Precept, PreceptChanged or
// PreceptOutcome) recomputes the precept year's pending reminders: the precept's undelivered
// reminders are replaced by one "before" reminder (N days before the deadline, 09:00
// Europe/London) and one "on_day" reminder (09:00 on the deadline day) per step still to do.
// Steps already done by the precept's state are not reminded; the revised precept and second
// report steps only after a standing veto. Reminders whose time has passed when computed are not
// stored. An event older (by event time) than one already applied to the precept is ignored.
// A sweeper delivers due reminders as `reminder.precept_deadline` events: inbox entries
// for the tenant's matching INBOX subscriptions, logged for WatchEvents, and appended to the
// outbox (not public), in the transaction that marks the reminder delivered (never twice).
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/events/applied_events.h"
#include "libs/events/outbox.h"
#include "libs/events/stream_consumer.h"
#include "libs/ids/id_generator.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/budget/v1/budget.pb.h"
#include "moot/events/v1/event.pb.h"
#include "services/notifications/notifications_logic.h"

namespace moot::notifications {

// The event type of a delivered reminder.
inline constexpr char kPreceptDeadlineReminder[] = "reminder.precept_deadline";
// The consumer group (and applied-events consumer) of the reminders.
inline constexpr char kRemindersConsumerGroup[] = "notifications_reminders";

// Configuration keys (declared in main.cc).
inline constexpr char kReminderDaysBeforeKey[] = "MOOT_NOTIFICATIONS_REMINDER_DAYS_BEFORE";
inline constexpr char kReminderSweepPeriodKey[] = "MOOT_NOTIFICATIONS_REMINDER_SWEEP_PERIOD";

struct StatutoryDeadline {
  budget::v1::TimetableStep step = budget::v1::TIMETABLE_STEP_UNSPECIFIED;
  absl::CivilDay day;
};

// The five statutory deadlines of precept year "YYYY-YY" (the second part the first plus one,
// mod 100), in step order. The deadlines fall in the relevant financial year, the year before
// the precept's (domain.md §3.7: 2024-25 -> 1, 8, 15, 22 February and 1 March 2024, as
// services/budget's timetable). INVALID_ARGUMENT naming `field` for a malformed year. Pure.
absl::StatusOr<std::vector<StatutoryDeadline>> StatutoryDeadlines(
    absl::string_view year, absl::string_view field = "precept.year");

struct DeadlineReminderOptions {
  // The "before" reminder is this many days before the deadline (0 = only the on-day one).
  int days_before = 3;
  // Most reminders one Sweep() delivers.
  int sweep_batch = 200;
};

class DeadlineReminders {
 public:
  // None are owned; all must outlive this object.
  DeadlineReminders(NotificationsLogic& logic, sql::Database& db, const events::Outbox& outbox,
                    const time::Clock& clock, ids::IdGenerator& ids,
                    DeadlineReminderOptions options = {});
  ~DeadlineReminders();  // Stops the sweeper.
  DeadlineReminders(const DeadlineReminders&) = delete;
  DeadlineReminders& operator=(const DeadlineReminders&) = delete;

  // Handles one event of the stream: a `precept.*` event recomputes the precept's reminders in
  // one transaction with its applied mark (a redelivered event has no second effect); other
  // events, and malformed precept events (logged), are OK with no effect. Errors are database
  // errors (the stream consumer retries).
  absl::Status Handle(const events::v1::Event& event);

  // A stream consumer of group kRemindersConsumerGroup on `stream` calling Handle().
  // `consumer_name` must be unique per process.
  std::unique_ptr<events::StreamConsumer> MakeStreamConsumer(
      redis::RedisClient& redis, const std::string& consumer_name, std::string stream,
      events::StreamConsumerOptions options = {});

  // Delivers the reminders due at the clock's now; returns how many were delivered.
  absl::StatusOr<int> Sweep();

  // Runs Sweep() every `period` on a thread until Stop(). Stop() is idempotent.
  void Start(absl::Duration period);
  void Stop();

 private:
  absl::Status Recompute(sql::Connection& tx, const events::v1::Event& event);

  NotificationsLogic& logic_;
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const DeadlineReminderOptions options_;
  events::AppliedEvents applied_;
  absl::Notification stop_;
  std::thread sweeper_;
};

}  // namespace moot::notifications
