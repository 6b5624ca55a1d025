// Storage of subscriptions, inbox entries and the recent-events log of the notifications
// service, over libs/sql (SQLite or PostgreSQL). Every query is scoped by tenant.
//
// Rows keep the resource as a serialized proto (`data`) beside the columns that queries filter
// and sort on, so adding a field to a resource needs no migration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/sql/database.h"
#include "moot/events/v1/event.pb.h"
#include "moot/notifications/v1/notifications.pb.h"

namespace moot::notifications {

// A page of results and the key to continue after (empty when this is the last page).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string last_key;  // Set only when more rows may follow.
};

// A statutory deadline reminder of a precept year (deadline_reminders.h).
struct DeadlineReminder {
  std::string tenant;
  std::string precept;        // "tenants/{t}/precepts/{year}".
  int64_t step = 0;           // moot.budget.v1.TimetableStep.
  std::string kind;           // "before" (N days before) or "on_day".
  std::string deadline_date;  // "YYYY-MM-DD".
  absl::Time remind_at;
};

// The SQL store. Methods take the caller's connection or transaction, so an inbox delivery and
// its applied-event mark commit together.
class NotificationsStore {
 public:
  // Schema migrations, component "notifications".
  static std::vector<sql::Migration> Migrations();

  // Subscriptions, keyed by (tenant, subscription id); `person` is the subscriber's person id.
  // ALREADY_EXISTS when the id is taken.
  static absl::Status InsertSubscription(sql::Connection& tx, const std::string& tenant,
                                         const std::string& subscription_id,
                                         const std::string& person,
                                         const v1::Subscription& subscription);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::Subscription> GetSubscription(sql::Connection& conn,
                                                          const std::string& tenant,
                                                          const std::string& subscription_id,
                                                          const std::string& name);
  // Ordered by id, after `after_key` (exclusive); only `person`'s when `person` is not empty.
  static absl::StatusOr<Page<v1::Subscription>> ListSubscriptions(sql::Connection& conn,
                                                                  const std::string& tenant,
                                                                  const std::string& person,
                                                                  const std::string& after_key,
                                                                  int limit);
  // NOT_FOUND naming `name` when absent.
  static absl::Status DeleteSubscription(sql::Connection& tx, const std::string& tenant,
                                         const std::string& subscription_id,
                                         const std::string& name);
  // Every subscription of the tenant with the given channel.
  static absl::StatusOr<std::vector<v1::Subscription>> SubscriptionsByChannel(
      sql::Connection& conn, const std::string& tenant, v1::Channel channel);

  // Inbox entries, keyed by (tenant, person, entry id). Returns false (and writes nothing) when
  // the person already has an entry for the event.
  static absl::StatusOr<bool> InsertInboxEntry(sql::Connection& tx, const std::string& tenant,
                                               const std::string& person,
                                               const std::string& entry_id,
                                               const v1::InboxEntry& entry);
  // Newest first (descending entry id), before `before_key` (exclusive; empty = from the top).
  static absl::StatusOr<Page<v1::InboxEntry>> ListInboxEntries(sql::Connection& conn,
                                                               const std::string& tenant,
                                                               const std::string& person,
                                                               const std::string& before_key,
                                                               int limit);

  // The recent-events log that WatchEvents resumes from. Inserting an event already logged is a
  // no-op. Prune keeps the newest `keep` events of the tenant (by event id).
  static absl::Status InsertRecentEvent(sql::Connection& tx, const events::v1::Event& event);
  static absl::Status PruneRecentEvents(sql::Connection& tx, const std::string& tenant,
                                        int64_t keep);
  // The tenant's logged events with id > `after_id`, ascending, at most `limit`.
  static absl::StatusOr<std::vector<events::v1::Event>> RecentEventsAfter(
      sql::Connection& conn, const std::string& tenant, const std::string& after_id, int limit);

  // Deadline reminders, keyed by (tenant, precept, step, kind). Delivered ones are kept so a
  // reminder is never delivered twice.
  // Records that the precept's reminders follow an event of `event_time_micros`; false (and
  // nothing written) when a later event was already applied (a stale redelivery).
  static absl::StatusOr<bool> AdvanceReminderPrecept(sql::Connection& tx, const std::string& tenant,
                                                     const std::string& precept,
                                                     int64_t event_time_micros);
  // Deletes the precept's undelivered reminders.
  static absl::Status DeletePendingReminders(sql::Connection& tx, const std::string& tenant,
                                             const std::string& precept);
  // False (and nothing written) when the reminder exists, delivered or not.
  static absl::StatusOr<bool> InsertReminder(sql::Connection& tx, const DeadlineReminder& reminder);
  // The precept's undelivered reminders, by remind_at.
  static absl::StatusOr<std::vector<DeadlineReminder>> PendingReminders(sql::Connection& conn,
                                                                        const std::string& tenant,
                                                                        const std::string& precept);
  // Undelivered reminders with remind_at <= now, oldest first, at most `limit`.
  static absl::StatusOr<std::vector<DeadlineReminder>> DueReminders(sql::Connection& conn,
                                                                    absl::Time now, int limit);
  // Marks one delivered; false when it already was (or is gone).
  static absl::StatusOr<bool> MarkReminderDelivered(sql::Connection& tx,
                                                    const DeadlineReminder& reminder,
                                                    absl::Time now);
};

}  // namespace moot::notifications
