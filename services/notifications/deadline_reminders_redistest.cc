// Deadline reminders against a real Redis: a `precept.*` event relayed from the budget service's
// outbox reaches the reminders' own consumer group and stores the precept's reminders; a swept
// reminder goes out through the notifications outbox and comes back to the notifications
// consumer without a second inbox entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/applied_events.h"
#include "libs/events/outbox.h"
#include "libs/events/outbox_relay.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"
#include "services/notifications/deadline_reminders.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/notifications_consumer.h"
#include "services/notifications/notifications_logic.h"
#include "services/notifications/notifications_store.h"

namespace moot::notifications {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time London(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), time::London());
}

// Polls `done` for up to ten seconds.
bool Eventually(const std::function<bool()>& done) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!done()) {
    if (absl::Now() > give_up) {
      return false;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

class DeadlineRemindersRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = moot::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = std::move(*server);
    auto options = redis::ParseRedisUrl(redis_server_->url());
    ASSERT_TRUE(options.ok());
    redis_ = std::make_unique<redis::RedisClient>(*options);

    // The budget service: its own database with an outbox, relayed to Redis.
    auto producer = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/budget.db"));
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_db_ = std::move(*producer);
    ASSERT_TRUE(events::Outbox::Migrate(*producer_db_).ok());
    producer_relay_ = std::make_unique<events::OutboxRelay>(*producer_db_, *redis_);

    auto db = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/notifications.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<NotificationsLogic>(*db_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
    relay_ = std::make_unique<events::OutboxRelay>(*db_, *redis_);

    handler_ = std::make_unique<NotificationsConsumer>(*logic_, *db_, broadcaster_, nullptr);
    consumer_ = handler_->MakeStreamConsumer(
        *redis_, "test-1", events::StreamConsumerOptions{.block = absl::Milliseconds(100)});
    consumer_->Start();
    reminders_ = std::make_unique<DeadlineReminders>(*logic_, *db_, outbox_, clock_, ids_);
    reminder_consumer_ = reminders_->MakeStreamConsumer(
        *redis_, "test-1", std::string(events::kDefaultStream),
        events::StreamConsumerOptions{.block = absl::Milliseconds(100)});
    reminder_consumer_->Start();
  }

  void TearDown() override {
    broadcaster_.Close();
    if (reminder_consumer_) {
      reminder_consumer_->Stop();
    }
    if (consumer_) {
      consumer_->Stop();
    }
  }

  int PendingCount() {
    int count = -1;
    (void)db_->WithConnection([&](sql::Connection& conn) -> absl::Status {
      auto pending =
          NotificationsStore::PendingReminders(conn, "wm", "tenants/wm/precepts/2024-25");
      count = pending.ok() ? static_cast<int>(pending->size()) : -1;
      return pending.status();
    });
    return count;
  }

  int InboxCount(const std::string& person) {
    v1::ListInboxEntriesRequest request;
    request.set_parent("tenants/wm/inboxes/" + person);
    auto response = logic_->ListInboxEntries(
        {.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}}, request);
    return response.ok() ? response->entries_size() : -1;
  }

  time::FakeClock clock_{London(2024, 1, 10, 12)};
  moot::testing::TempDir dir_;
  std::unique_ptr<moot::testing::RedisServer> redis_server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<sql::Database> producer_db_;
  std::unique_ptr<events::OutboxRelay> producer_relay_;
  events::Outbox outbox_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<events::OutboxRelay> relay_;
  ids::UlidGenerator ids_;
  api::PageTokens tokens_{"test-secret"};
  EventBroadcaster broadcaster_;
  std::unique_ptr<NotificationsLogic> logic_;
  std::unique_ptr<NotificationsConsumer> handler_;
  std::unique_ptr<events::StreamConsumer> consumer_;
  std::unique_ptr<DeadlineReminders> reminders_;
  std::unique_ptr<events::StreamConsumer> reminder_consumer_;
};

TEST_F(DeadlineRemindersRedisTest, PreceptEventToInboxThroughTheStream) {
  v1::CreateSubscriptionRequest subscribe;
  subscribe.set_parent("tenants/wm");
  subscribe.mutable_subscription()->set_subscriber("tenants/wm/people/clerk");
  subscribe.mutable_subscription()->add_event_types("reminder.*");
  ASSERT_TRUE(
      logic_
          ->CreateSubscription(
              {.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}}, subscribe)
          .ok());

  // The budget service creates the 2024-25 precept.
  budget::v1::Precept precept;
  precept.set_name("tenants/wm/precepts/2024-25");
  precept.set_year("2024-25");
  precept.set_state(budget::v1::PRECEPT_STATE_DRAFT);
  events::v1::Event created;
  created.set_id(ids_.NewId());
  created.set_type("precept.created");
  created.set_tenant("wm");
  created.set_subject(precept.name());
  created.set_source("budget");
  *created.mutable_time() = TimeUtil::GetCurrentTime();
  created.mutable_payload()->PackFrom(precept);
  ASSERT_TRUE(
      producer_db_->Transact([&](sql::Connection& tx) { return outbox_.Append(tx, created); })
          .ok());
  auto relayed = producer_relay_->RelayOnce();
  ASSERT_TRUE(relayed.ok() && *relayed == 1) << relayed.status();
  ASSERT_TRUE(Eventually([&] { return PendingCount() == 6; })) << PendingCount();

  clock_.Set(London(2024, 1, 29, 9, 0));
  auto swept = reminders_->Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(InboxCount("clerk"), 1);

  // The reminder goes out on the stream and back to the notifications consumer.
  std::string reminder_id;
  ASSERT_TRUE(logic_
                  ->ReplayEvents({.tenant = "wm", .public_only = false}, "",
                                 [&](const events::v1::Event& e) {
                                   if (e.type() == kPreceptDeadlineReminder) {
                                     reminder_id = e.id();
                                   }
                                   return true;
                                 })
                  .ok());
  ASSERT_FALSE(reminder_id.empty());
  relayed = relay_->RelayOnce();
  ASSERT_TRUE(relayed.ok() && *relayed == 1) << relayed.status();
  events::AppliedEvents applied(*db_, kConsumerGroup, clock_);
  ASSERT_TRUE(Eventually([&] { return applied.IsApplied(reminder_id).value_or(false); }));
  EXPECT_EQ(InboxCount("clerk"), 1);  // Not delivered twice.
  EXPECT_EQ(PendingCount(), 5);
}

}  // namespace
}  // namespace moot::notifications
