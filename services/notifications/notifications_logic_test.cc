#include "services/notifications/notifications_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/notifications_consumer.h"

namespace moot::notifications {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:clerk", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& person = "p1", const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:" + person, .roles = {auth::Role::kMember}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

events::v1::Event Event(const std::string& id, const std::string& type, const std::string& subject,
                        bool is_public = true, const std::string& tenant = "wm") {
  events::v1::Event event;
  event.set_id(id);
  event.set_type(type);
  event.set_tenant(tenant);
  event.set_subject(subject);
  event.set_public_(is_public);
  event.set_source("scheduling");
  *event.mutable_time() = TimeUtil::SecondsToTimestamp(1699000000);
  return event;
}

events::v1::Event AgendaPublished(const std::string& id, const std::string& meeting = "m1",
                                  const std::string& body = "pcp") {
  const std::string body_name = "tenants/wm/bodies/" + body;
  events::v1::Event event = Event(id, "agenda.published", body_name + "/meetings/" + meeting);
  scheduling::v1::AgendaPublished payload;
  payload.set_meeting(event.subject());
  payload.set_body(body_name);
  payload.set_title("Police and Crime Panel");
  // 2023-11-13 14:00 Europe/London (GMT).
  *payload.mutable_start_time() = TimeUtil::SecondsToTimestamp(1699884000);
  payload.set_agenda_version(2);
  event.mutable_payload()->PackFrom(payload);
  return event;
}

class NotificationsLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<NotificationsLogic>(
        *db_, clock_, ids_, tokens_, NotificationsOptions{.recent_events_per_tenant = 5});
    ASSERT_TRUE(logic_->Migrate().ok());
    consumer_ = std::make_unique<NotificationsConsumer>(*logic_, *db_, broadcaster_, nullptr,
                                                        "moot:events", clock_);
  }

  absl::StatusOr<v1::Subscription> Subscribe(const auth::Principal& principal,
                                             const std::string& person,
                                             std::vector<std::string> types = {},
                                             std::vector<std::string> bodies = {}) {
    v1::CreateSubscriptionRequest request;
    request.set_parent("tenants/wm");
    request.mutable_subscription()->set_subscriber("tenants/wm/people/" + person);
    for (const auto& t : types) {
      request.mutable_subscription()->add_event_types(t);
    }
    for (const auto& b : bodies) {
      request.mutable_subscription()->add_bodies(b);
    }
    return logic_->CreateSubscription(principal, request);
  }

  std::vector<std::string> InboxSummaries(const std::string& person) {
    v1::ListInboxEntriesRequest request;
    request.set_parent("tenants/wm/inboxes/" + person);
    auto response = logic_->ListInboxEntries(Officer(), request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> out;
    if (response.ok()) {
      for (const auto& entry : response->entries()) {
        out.push_back(entry.summary());
      }
    }
    return out;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  EventBroadcaster broadcaster_;
  std::unique_ptr<NotificationsLogic> logic_;
  std::unique_ptr<NotificationsConsumer> consumer_;
};

TEST_F(NotificationsLogicTest, OfficerSubscribesAnyPersonOfTheTenant) {
  auto subscription = Subscribe(Officer(), "p7", {"agenda.published"}, {"tenants/wm/bodies/pcp"});
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  EXPECT_EQ(subscription->name(), "tenants/wm/subscriptions/id0000000001");
  EXPECT_EQ(subscription->subscriber(), "tenants/wm/people/p7");
  EXPECT_EQ(subscription->channel(), v1::CHANNEL_INBOX);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(subscription->create_time()), 1699000000);

  v1::GetSubscriptionRequest get;
  get.set_name(subscription->name());
  auto got = logic_->GetSubscription(Officer(), get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(got->event_types(), ElementsAre("agenda.published"));
}

TEST_F(NotificationsLogicTest, MemberMaySubscribeOnlyThemself) {
  EXPECT_TRUE(Subscribe(Member("p1"), "p1").ok());
  auto other = Subscribe(Member("p1"), "p2");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "ROLE_NOT_ALLOWED");
  // A member whose subject is not a user's cannot pass as anyone.
  auth::Principal key{.tenant = "wm", .subject = "apikey:k1", .roles = {auth::Role::kMember}};
  EXPECT_EQ(Subscribe(key, "p1").status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(NotificationsLogicTest, OtherTenantsRolesAndAnonymousAreRefused) {
  auto cross = Subscribe(Officer("sy"), "p1");
  EXPECT_EQ(cross.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(cross.status()), "TENANT_MISMATCH");
  EXPECT_EQ(Subscribe(auth::Principal::Anonymous(), "p1").status().code(),
            absl::StatusCode::kUnauthenticated);
  auth::Principal partner{.tenant = "wm", .subject = "user:p1", .roles = {auth::Role::kPartner}};
  auto denied = Subscribe(partner, "p1");
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
}

TEST_F(NotificationsLogicTest, ValidationNamesTheField) {
  struct Case {
    std::string subscriber;
    std::vector<std::string> types;
    std::vector<std::string> bodies;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"", {}, {}, "subscription.subscriber"},
      {"tenants/sy/people/p1", {}, {}, "subscription.subscriber"},
      {"tenants/wm/bodies/pcp", {}, {}, "subscription.subscriber"},
      {"tenants/wm/people/p1", {""}, {}, "subscription.event_types[0]"},
      {"tenants/wm/people/p1", {"agenda.published", "Agenda"}, {}, "subscription.event_types[1]"},
      {"tenants/wm/people/p1", {"*"}, {}, "subscription.event_types[0]"},
      {"tenants/wm/people/p1", {"agenda.*.x"}, {}, "subscription.event_types[0]"},
      {"tenants/wm/people/p1", {}, {"tenants/sy/bodies/pcp"}, "subscription.bodies[0]"},
      {"tenants/wm/people/p1", {}, {"tenants/wm/people/p1"}, "subscription.bodies[0]"},
  };
  for (const Case& c : cases) {
    v1::CreateSubscriptionRequest request;
    request.set_parent("tenants/wm");
    request.mutable_subscription()->set_subscriber(c.subscriber);
    for (const auto& t : c.types) {
      request.mutable_subscription()->add_event_types(t);
    }
    for (const auto& b : c.bodies) {
      request.mutable_subscription()->add_bodies(b);
    }
    auto result = logic_->CreateSubscription(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  v1::CreateSubscriptionRequest email;
  email.set_parent("tenants/wm");
  email.mutable_subscription()->set_subscriber("tenants/wm/people/p1");
  email.mutable_subscription()->set_channel(v1::CHANNEL_EMAIL);
  auto refused = logic_->CreateSubscription(Officer(), email);
  EXPECT_EQ(Reason(refused.status()), "CHANNEL_NOT_SUPPORTED");
  EXPECT_TRUE(Subscribe(Officer(), "p1", {"agenda.*", "meeting.scheduled"}).ok());
}

TEST_F(NotificationsLogicTest, RequestIdMakesCreateIdempotent) {
  v1::CreateSubscriptionRequest request;
  request.set_parent("tenants/wm");
  request.set_request_id("r-1");
  request.mutable_subscription()->set_subscriber("tenants/wm/people/p1");
  auto first = logic_->CreateSubscription(Officer(), request);
  auto second = logic_->CreateSubscription(Officer(), request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  v1::ListSubscriptionsRequest list;
  list.set_parent("tenants/wm");
  EXPECT_EQ(logic_->ListSubscriptions(Officer(), list)->subscriptions_size(), 1);
}

TEST_F(NotificationsLogicTest, MembersSeeAndDeleteOnlyTheirOwnSubscriptions) {
  auto mine = Subscribe(Member("p1"), "p1");
  auto theirs = Subscribe(Officer(), "p2");
  ASSERT_TRUE(mine.ok() && theirs.ok());

  v1::GetSubscriptionRequest get;
  get.set_name(theirs->name());
  EXPECT_EQ(logic_->GetSubscription(Member("p1"), get).status().code(),
            absl::StatusCode::kNotFound);
  get.set_name(mine->name());
  EXPECT_TRUE(logic_->GetSubscription(Member("p1"), get).ok());

  v1::ListSubscriptionsRequest list;
  list.set_parent("tenants/wm");
  auto listed = logic_->ListSubscriptions(Member("p1"), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->subscriptions_size(), 1);
  EXPECT_EQ(listed->subscriptions(0).name(), mine->name());
  EXPECT_EQ(logic_->ListSubscriptions(Officer(), list)->subscriptions_size(), 2);

  v1::DeleteSubscriptionRequest del;
  del.set_name(theirs->name());
  EXPECT_EQ(logic_->DeleteSubscription(Member("p1"), del).status().code(),
            absl::StatusCode::kNotFound);
  del.set_name(mine->name());
  EXPECT_TRUE(logic_->DeleteSubscription(Member("p1"), del).ok());
  EXPECT_EQ(logic_->DeleteSubscription(Member("p1"), del).status().code(),
            absl::StatusCode::kNotFound);
  del.set_name(theirs->name());
  EXPECT_TRUE(logic_->DeleteSubscription(Officer(), del).ok());
}

TEST_F(NotificationsLogicTest, SubscriptionListIsPaged) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Subscribe(Officer(), "p1").ok());
  }
  v1::ListSubscriptionsRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  std::vector<std::string> names;
  do {
    auto page = logic_->ListSubscriptions(Officer(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& s : page->subscriptions()) {
      names.push_back(s.name());
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(names.front(), "tenants/wm/subscriptions/id0000000001");
}

TEST_F(NotificationsLogicTest, MatchingEventsReachTheInboxWithAReadableSummary) {
  ASSERT_TRUE(Subscribe(Officer(), "p1", {"agenda.published"}).ok());
  ASSERT_TRUE(Subscribe(Officer(), "p2", {"agenda.*"}, {"tenants/wm/bodies/board"}).ok());
  ASSERT_TRUE(Subscribe(Officer(), "p3", {"meeting.scheduled"}).ok());
  ASSERT_TRUE(Subscribe(Officer(), "p4").ok());  // Everything.

  ASSERT_TRUE(consumer_->Handle(AgendaPublished("ev1")).ok());
  EXPECT_THAT(InboxSummaries("p1"),
              ElementsAre("Agenda published (version 2): Police and Crime Panel on 13 November "
                          "2023 14:00"));
  EXPECT_THAT(InboxSummaries("p2"), ElementsAre());  // Another body.
  EXPECT_THAT(InboxSummaries("p3"), ElementsAre());  // Another type.
  EXPECT_EQ(InboxSummaries("p4").size(), 1u);

  // A body filter matches the body's own resources only (not "tenants/wm/bodies/boardroom").
  ASSERT_TRUE(consumer_->Handle(AgendaPublished("ev2", "m2", "board")).ok());
  ASSERT_TRUE(
      consumer_->Handle(Event("ev3", "agenda.withdrawn", "tenants/wm/bodies/boardroom/meetings/x"))
          .ok());
  EXPECT_EQ(InboxSummaries("p2").size(), 1u);
  // Unknown payloads fall back to "<type> <subject>"; events of another tenant never match.
  ASSERT_TRUE(
      consumer_->Handle(Event("ev4", "agenda.withdrawn", "tenants/wm/bodies/board/meetings/m2"))
          .ok());
  ASSERT_TRUE(consumer_
                  ->Handle(Event("ev5", "agenda.published", "tenants/sy/bodies/board/meetings/m2",
                                 true, "sy"))
                  .ok());
  EXPECT_THAT(InboxSummaries("p2"),
              ElementsAre("agenda.withdrawn tenants/wm/bodies/board/meetings/m2",
                          "Agenda published (version 2): Police and Crime Panel on 13 November "
                          "2023 14:00"));
  EXPECT_EQ(InboxSummaries("p4").size(), 4u);
}

TEST_F(NotificationsLogicTest, TheSameEventHandledTwiceGivesOneEntryAndOneLiveCopy) {
  ASSERT_TRUE(Subscribe(Officer(), "p1").ok());
  ASSERT_TRUE(Subscribe(Officer(), "p1", {"agenda.*"}).ok());  // Two matching subscriptions.
  auto live = broadcaster_.Subscribe("wm");
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(consumer_->Handle(AgendaPublished("ev1")).ok());
  ASSERT_TRUE(consumer_->Handle(AgendaPublished("ev1")).ok());
  EXPECT_EQ(InboxSummaries("p1").size(), 1u);
  events::v1::Event event;
  EXPECT_EQ((*live)->Next(absl::ZeroDuration(), &event), EventSubscription::Outcome::kEvent);
  EXPECT_EQ(event.id(), "ev1");
  EXPECT_EQ((*live)->Next(absl::ZeroDuration(), &event), EventSubscription::Outcome::kTimeout);
}

TEST_F(NotificationsLogicTest, InboxIsNewestFirstAndPaged) {
  ASSERT_TRUE(Subscribe(Officer(), "p1").ok());
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(consumer_
                    ->Handle(Event("ev" + std::to_string(i), "meeting.updated",
                                   "tenants/wm/bodies/pcp/meetings/m" + std::to_string(i)))
                    .ok());
  }
  v1::ListInboxEntriesRequest request;
  request.set_parent("tenants/wm/inboxes/p1");
  request.set_page_size(2);
  std::vector<std::string> events;
  do {
    auto page = logic_->ListInboxEntries(Member("p1"), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->entries_size(), 2);
    for (const auto& entry : page->entries()) {
      events.push_back(entry.event_id());
      EXPECT_TRUE(absl::StartsWith(entry.name(), "tenants/wm/inboxes/p1/entries/"));
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(events, ElementsAre("ev5", "ev4", "ev3", "ev2", "ev1"));
  // A token is bound to its inbox.
  request.set_page_size(2);
  auto first = logic_->ListInboxEntries(Member("p1"), request);
  request.set_page_token(first->next_page_token());
  request.set_parent("tenants/wm/inboxes/p2");
  EXPECT_EQ(logic_->ListInboxEntries(Officer(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(NotificationsLogicTest, AnotherPersonsInboxIsDenied) {
  v1::ListInboxEntriesRequest request;
  request.set_parent("tenants/wm/inboxes/p2");
  auto denied = logic_->ListInboxEntries(Member("p1"), request);
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
  EXPECT_TRUE(logic_->ListInboxEntries(Member("p2"), request).ok());
  EXPECT_TRUE(logic_->ListInboxEntries(Officer(), request).ok());
  auto cross = logic_->ListInboxEntries(Officer("sy"), request);
  EXPECT_EQ(Reason(cross.status()), "TENANT_MISMATCH");
  EXPECT_EQ(logic_->ListInboxEntries(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(NotificationsLogicTest, WatchFilterFollowsTheCaller) {
  v1::WatchEventsRequest request;
  request.set_parent("tenants/wm");
  auto anonymous = logic_->PrepareWatch(auth::Principal::Anonymous(), request);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_TRUE(anonymous->public_only);
  EXPECT_FALSE(anonymous->Matches(Event("e", "agenda.published", "tenants/wm/x", false)));
  EXPECT_TRUE(anonymous->Matches(Event("e", "agenda.published", "tenants/wm/x", true)));
  auto member = logic_->PrepareWatch(Member("p1"), request);
  ASSERT_TRUE(member.ok());
  EXPECT_FALSE(member->public_only);
  EXPECT_EQ(Reason(logic_->PrepareWatch(Officer("sy"), request).status()), "TENANT_MISMATCH");

  request.add_event_types("Agenda");
  EXPECT_EQ(Field(logic_->PrepareWatch(Member("p1"), request).status()), "event_types[0]");
  request.clear_event_types();
  request.set_after_event_id("bad id!");
  EXPECT_EQ(Field(logic_->PrepareWatch(Member("p1"), request).status()), "after_event_id");
}

TEST_F(NotificationsLogicTest, ReplayReturnsTheMatchingEventsAfterAnIdWithinTheRetention) {
  for (int i = 1; i <= 7; ++i) {
    ASSERT_TRUE(
        consumer_
            ->Handle(Event("ev" + std::to_string(i), i % 2 ? "agenda.published" : "meeting.updated",
                           "tenants/wm/bodies/pcp/meetings/m", i != 5))
            .ok());
  }
  EventFilter filter{.tenant = "wm", .types = {"agenda.*"}, .public_only = true};
  std::vector<std::string> ids;
  ASSERT_TRUE(logic_
                  ->ReplayEvents(filter, "ev1",
                                 [&](const events::v1::Event& e) {
                                   ids.push_back(e.id());
                                   return true;
                                 })
                  .ok());
  // Only the newest 5 are kept (ev3..ev7); ev5 is not public; even ids are another type.
  EXPECT_THAT(ids, ElementsAre("ev3", "ev7"));
}

TEST(EventBroadcasterTest, ASlowStreamOverflowsAndCloseEndsEveryStream) {
  EventBroadcaster broadcaster(EventBroadcasterOptions{.queue_capacity = 2});
  auto slow = broadcaster.Subscribe("wm");
  auto other = broadcaster.Subscribe("sy");
  ASSERT_TRUE(slow.ok() && other.ok());
  for (int i = 0; i < 3; ++i) {
    broadcaster.Publish(Event("ev" + std::to_string(i), "agenda.published", "tenants/wm/x"));
  }
  events::v1::Event event;
  EXPECT_EQ((*slow)->Next(absl::ZeroDuration(), &event), EventSubscription::Outcome::kOverflow);
  EXPECT_EQ((*other)->Next(absl::ZeroDuration(), &event), EventSubscription::Outcome::kTimeout);
  broadcaster.Close();
  EXPECT_EQ((*other)->Next(absl::Seconds(5), &event), EventSubscription::Outcome::kClosed);
  EXPECT_EQ(broadcaster.Subscribe("wm").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(broadcaster.subscribers(), 2u);
  slow->reset();
  EXPECT_EQ(broadcaster.subscribers(), 1u);
}

}  // namespace
}  // namespace moot::notifications
