#include "services/notifications/notifications_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::notifications {
namespace {

template <typename Message>
absl::StatusOr<Message> Decode(const sql::Row& row, size_t column) {
  MOOT_ASSIGN_OR_RETURN(std::string bytes, row.GetBytes(column));
  Message message;
  if (!message.ParseFromString(bytes)) {
    return absl::DataLossError("stored resource is unreadable");
  }
  return message;
}

// Turns `limit + 1` rows of (key, data) into a page: the extra row only says more follow.
template <typename Message>
absl::StatusOr<Page<Message>> ReadPage(const sql::Result& result, int limit) {
  Page<Message> page;
  for (size_t i = 0; i < result.rows.size() && static_cast<int>(i) < limit; ++i) {
    MOOT_ASSIGN_OR_RETURN(Message message, Decode<Message>(result.rows[i], 1));
    page.items.push_back(std::move(message));
    page.last_key = result.rows[i].String(0);
  }
  if (static_cast<int>(result.rows.size()) <= limit) {
    page.last_key.clear();
  }
  return page;
}

}  // namespace

std::vector<sql::Migration> NotificationsStore::Migrations() {
  return {
      {.version = 1,
       .name = "subscriptions, inbox entries and recent events",
       .sql = "CREATE TABLE subscriptions ("
              " tenant_id TEXT NOT NULL,"
              " subscription_id TEXT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " channel BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, subscription_id));"
              "CREATE INDEX subscriptions_by_channel ON subscriptions (tenant_id, channel);"
              "CREATE TABLE inbox_entries ("
              " tenant_id TEXT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " entry_id TEXT NOT NULL,"
              " event_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, person_id, entry_id));"
              "CREATE UNIQUE INDEX inbox_entries_by_event ON inbox_entries"
              " (tenant_id, person_id, event_id);"
              "CREATE TABLE recent_events ("
              " tenant_id TEXT NOT NULL,"
              " event_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, event_id));"},
      {.version = 2,
       .name = "statutory precept deadline reminders",
       .sql = "CREATE TABLE deadline_reminders ("
              " tenant_id TEXT NOT NULL,"
              " precept TEXT NOT NULL,"
              " step BIGINT NOT NULL,"
              " kind TEXT NOT NULL,"
              " deadline_date TEXT NOT NULL,"
              " remind_at BIGINT NOT NULL,"
              " delivered_at BIGINT,"
              " PRIMARY KEY (tenant_id, precept, step, kind));"
              "CREATE INDEX deadline_reminders_due ON deadline_reminders (remind_at);"
              "CREATE TABLE reminder_precepts ("
              " tenant_id TEXT NOT NULL,"
              " precept TEXT NOT NULL,"
              " event_time BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, precept));"},
  };
}

absl::Status NotificationsStore::InsertSubscription(sql::Connection& tx, const std::string& tenant,
                                                    const std::string& subscription_id,
                                                    const std::string& person,
                                                    const v1::Subscription& subscription) {
  absl::Status status =
      tx.Execute(
            "INSERT INTO subscriptions (tenant_id, subscription_id, person_id, channel, data)"
            " VALUES ($1, $2, $3, $4, $5)",
            {tenant, subscription_id, person, static_cast<int64_t>(subscription.channel()),
             sql::Bytes{subscription.SerializeAsString()}})
          .status();
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return status::WithReason(
        absl::AlreadyExistsError(absl::StrCat(subscription.name(), " exists")), "ALREADY_EXISTS",
        {{"resource", subscription.name()}});
  }
  return status;
}

absl::StatusOr<v1::Subscription> NotificationsStore::GetSubscription(
    sql::Connection& conn, const std::string& tenant, const std::string& subscription_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM subscriptions WHERE tenant_id = $1 AND subscription_id = $2",
                   {tenant, subscription_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return Decode<v1::Subscription>(result.rows[0], 0);
}

absl::StatusOr<Page<v1::Subscription>> NotificationsStore::ListSubscriptions(
    sql::Connection& conn, const std::string& tenant, const std::string& person,
    const std::string& after_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT subscription_id, data FROM subscriptions WHERE tenant_id = $1"
                   " AND ($2 = '' OR person_id = $2) AND subscription_id > $3"
                   " ORDER BY subscription_id LIMIT $4",
                   {tenant, person, after_key, static_cast<int64_t>(limit) + 1}));
  return ReadPage<v1::Subscription>(result, limit);
}

absl::Status NotificationsStore::DeleteSubscription(sql::Connection& tx, const std::string& tenant,
                                                    const std::string& subscription_id,
                                                    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("DELETE FROM subscriptions WHERE tenant_id = $1 AND subscription_id = $2",
                 {tenant, subscription_id}));
  if (result.rows_affected == 0) {
    return status::NotFound(name);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Subscription>> NotificationsStore::SubscriptionsByChannel(
    sql::Connection& conn, const std::string& tenant, v1::Channel channel) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM subscriptions WHERE tenant_id = $1 AND channel = $2"
                   " ORDER BY subscription_id",
                   {tenant, static_cast<int64_t>(channel)}));
  std::vector<v1::Subscription> out;
  out.reserve(result.rows.size());
  for (const sql::Row& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(v1::Subscription subscription, Decode<v1::Subscription>(row, 0));
    out.push_back(std::move(subscription));
  }
  return out;
}

absl::StatusOr<bool> NotificationsStore::InsertInboxEntry(sql::Connection& tx,
                                                          const std::string& tenant,
                                                          const std::string& person,
                                                          const std::string& entry_id,
                                                          const v1::InboxEntry& entry) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute(
          "INSERT INTO inbox_entries (tenant_id, person_id, entry_id, event_id, data)"
          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
          {tenant, person, entry_id, entry.event_id(), sql::Bytes{entry.SerializeAsString()}}));
  return result.rows_affected > 0;
}

absl::StatusOr<Page<v1::InboxEntry>> NotificationsStore::ListInboxEntries(
    sql::Connection& conn, const std::string& tenant, const std::string& person,
    const std::string& before_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT entry_id, data FROM inbox_entries WHERE tenant_id = $1"
                   " AND person_id = $2 AND ($3 = '' OR entry_id < $3)"
                   " ORDER BY entry_id DESC LIMIT $4",
                   {tenant, person, before_key, static_cast<int64_t>(limit) + 1}));
  return ReadPage<v1::InboxEntry>(result, limit);
}

absl::Status NotificationsStore::InsertRecentEvent(sql::Connection& tx,
                                                   const events::v1::Event& event) {
  return tx
      .Execute(
          "INSERT INTO recent_events (tenant_id, event_id, data) VALUES ($1, $2, $3)"
          " ON CONFLICT DO NOTHING",
          {event.tenant(), event.id(), sql::Bytes{event.SerializeAsString()}})
      .status();
}

absl::Status NotificationsStore::PruneRecentEvents(sql::Connection& tx, const std::string& tenant,
                                                   int64_t keep) {
  // The newest event beyond the kept ones, if any; everything up to it goes.
  MOOT_ASSIGN_OR_RETURN(sql::Result cutoff,
                        tx.Execute("SELECT event_id FROM recent_events WHERE tenant_id = $1"
                                   " ORDER BY event_id DESC LIMIT 1 OFFSET $2",
                                   {tenant, keep}));
  if (cutoff.rows.empty()) {
    return absl::OkStatus();
  }
  return tx
      .Execute("DELETE FROM recent_events WHERE tenant_id = $1 AND event_id <= $2",
               {tenant, cutoff.rows[0].String(0)})
      .status();
}

absl::StatusOr<std::vector<events::v1::Event>> NotificationsStore::RecentEventsAfter(
    sql::Connection& conn, const std::string& tenant, const std::string& after_id, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM recent_events WHERE tenant_id = $1 AND event_id > $2"
                   " ORDER BY event_id LIMIT $3",
                   {tenant, after_id, static_cast<int64_t>(limit)}));
  std::vector<events::v1::Event> out;
  out.reserve(result.rows.size());
  for (const sql::Row& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(events::v1::Event event, Decode<events::v1::Event>(row, 0));
    out.push_back(std::move(event));
  }
  return out;
}

absl::Status NotificationsStore::DeletePendingReminders(sql::Connection& tx,
                                                        const std::string& tenant,
                                                        const std::string& precept) {
  return tx
      .Execute(
          "DELETE FROM deadline_reminders WHERE tenant_id = $1 AND precept = $2"
          " AND delivered_at IS NULL",
          {tenant, precept})
      .status();
}

absl::StatusOr<bool> NotificationsStore::AdvanceReminderPrecept(sql::Connection& tx,
                                                                const std::string& tenant,
                                                                const std::string& precept,
                                                                int64_t event_time_micros) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result current,
      tx.Execute("SELECT event_time FROM reminder_precepts WHERE tenant_id = $1 AND precept = $2",
                 {tenant, precept}));
  if (current.rows.empty()) {
    MOOT_RETURN_IF_ERROR(tx.Execute("INSERT INTO reminder_precepts (tenant_id, precept,"
                                    " event_time) VALUES ($1, $2, $3)",
                                    {tenant, precept, event_time_micros})
                             .status());
    return true;
  }
  MOOT_ASSIGN_OR_RETURN(int64_t latest, current.rows[0].GetInt(0));
  if (event_time_micros < latest) {
    return false;
  }
  MOOT_RETURN_IF_ERROR(tx.Execute("UPDATE reminder_precepts SET event_time = $1"
                                  " WHERE tenant_id = $2 AND precept = $3",
                                  {event_time_micros, tenant, precept})
                           .status());
  return true;
}

absl::StatusOr<bool> NotificationsStore::InsertReminder(sql::Connection& tx,
                                                        const DeadlineReminder& reminder) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("INSERT INTO deadline_reminders (tenant_id, precept, step, kind, deadline_date,"
                 " remind_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                 {reminder.tenant, reminder.precept, reminder.step, reminder.kind,
                  reminder.deadline_date, absl::ToUnixMicros(reminder.remind_at)}));
  return result.rows_affected > 0;
}

absl::StatusOr<std::vector<DeadlineReminder>> NotificationsStore::PendingReminders(
    sql::Connection& conn, const std::string& tenant, const std::string& precept) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT tenant_id, precept, step, kind, deadline_date, remind_at"
                   " FROM deadline_reminders WHERE tenant_id = $1 AND precept = $2"
                   " AND delivered_at IS NULL ORDER BY remind_at, step, kind",
                   {tenant, precept}));
  std::vector<DeadlineReminder> out;
  for (const sql::Row& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(int64_t step, row.GetInt(2));
    MOOT_ASSIGN_OR_RETURN(int64_t remind_at, row.GetInt(5));
    out.push_back({.tenant = row.String(0),
                   .precept = row.String(1),
                   .step = step,
                   .kind = row.String(3),
                   .deadline_date = row.String(4),
                   .remind_at = absl::FromUnixMicros(remind_at)});
  }
  return out;
}

absl::StatusOr<std::vector<DeadlineReminder>> NotificationsStore::DueReminders(
    sql::Connection& conn, absl::Time now, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT tenant_id, precept, step, kind, deadline_date, remind_at"
                   " FROM deadline_reminders WHERE delivered_at IS NULL AND remind_at <= $1"
                   " ORDER BY remind_at, tenant_id, precept, step, kind LIMIT $2",
                   {absl::ToUnixMicros(now), static_cast<int64_t>(limit)}));
  std::vector<DeadlineReminder> out;
  for (const sql::Row& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(int64_t step, row.GetInt(2));
    MOOT_ASSIGN_OR_RETURN(int64_t remind_at, row.GetInt(5));
    out.push_back({.tenant = row.String(0),
                   .precept = row.String(1),
                   .step = step,
                   .kind = row.String(3),
                   .deadline_date = row.String(4),
                   .remind_at = absl::FromUnixMicros(remind_at)});
  }
  return out;
}

absl::StatusOr<bool> NotificationsStore::MarkReminderDelivered(sql::Connection& tx,
                                                               const DeadlineReminder& reminder,
                                                               absl::Time now) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE deadline_reminders SET delivered_at = $1 WHERE tenant_id = $2"
                 " AND precept = $3 AND step = $4 AND kind = $5 AND delivered_at IS NULL",
                 {absl::ToUnixMicros(now), reminder.tenant, reminder.precept, reminder.step,
                  reminder.kind}));
  return result.rows_affected > 0;
}

}  // namespace moot::notifications
