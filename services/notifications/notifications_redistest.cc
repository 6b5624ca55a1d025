// The notifications service against a real Redis: events published the way producers do (an
// outbox row relayed by OutboxRelay) reach inboxes through the consumer group, with a CONSUMER
// span in the producer's trace, and reach WatchEvents streams served over loopback gRPC.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/server_auth.h"
#include "libs/events/outbox.h"
#include "libs/events/outbox_relay.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"
#include "libs/tracing/tracer.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/event_service.h"
#include "services/notifications/inbox_service.h"
#include "services/notifications/notifications_consumer.h"
#include "services/notifications/notifications_logic.h"
#include "services/notifications/subscription_service.h"

namespace moot::notifications {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kSecret[] = "notifications-test-secret-0123456789abcdef";
constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";

class CapturingExporter : public tracing::SpanExporter {
 public:
  void Export(tracing::Span span) override {
    absl::MutexLock lock(&mu_);
    spans_.push_back(std::move(span));
  }
  std::vector<tracing::Span> spans() {
    absl::MutexLock lock(&mu_);
    return spans_;
  }

 private:
  absl::Mutex mu_;
  std::vector<tracing::Span> spans_;
};

class NotificationsRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = moot::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = std::move(*server);
    auto options = redis::ParseRedisUrl(redis_server_->url());
    ASSERT_TRUE(options.ok());
    redis_ = std::make_unique<redis::RedisClient>(*options);

    // The producer (e.g. scheduling): its own database with an outbox, relayed to Redis.
    auto producer = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/producer.db"));
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_db_ = std::move(*producer);
    ASSERT_TRUE(events::Outbox::Migrate(*producer_db_).ok());
    relay_ = std::make_unique<events::OutboxRelay>(*producer_db_, *redis_);

    auto db = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/notifications.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<NotificationsLogic>(*db_, time::Clock::Real(), ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    tracer_ =
        std::make_unique<tracing::Tracer>("notifications", time::Clock::Real(), ids_, exporter_);
    handler_ = std::make_unique<NotificationsConsumer>(*logic_, *db_, broadcaster_, tracer_.get());
    consumer_ = handler_->MakeStreamConsumer(
        *redis_, "test-1", events::StreamConsumerOptions{.block = absl::Milliseconds(100)});
    consumer_->Start();

    auth::JwtVerifierOptions verifier_options;
    verifier_options.algorithms = {"HS256"};
    verifier_options.hs256_secret = kSecret;
    auto verifier = auth::JwtVerifier::Create(verifier_options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::move(*verifier);
    auto signer = auth::JwtSigner::Hs256(kSecret);
    ASSERT_TRUE(signer.ok());
    signer_ = std::move(*signer);
    authenticator_ = std::make_unique<auth::Authenticator>(verifier_.get(), nullptr);
    server_auth_ = std::make_unique<auth::ServerAuth>(authenticator_.get());
    subscriptions_ = std::make_unique<SubscriptionService>(*logic_, *server_auth_);
    inboxes_ = std::make_unique<InboxService>(*logic_, *server_auth_);
    events_ = std::make_unique<EventService>(*logic_, broadcaster_, *server_auth_,
                                             absl::Milliseconds(50));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(subscriptions_.get());
    builder.RegisterService(inboxes_.get());
    builder.RegisterService(events_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    subscription_stub_ = v1::SubscriptionService::NewStub(channel);
    inbox_stub_ = v1::InboxService::NewStub(channel);
    event_stub_ = v1::EventService::NewStub(channel);
  }

  void TearDown() override {
    broadcaster_.Close();
    if (server_) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    }
    if (consumer_) {
      consumer_->Stop();
    }
  }

  std::string Token(const auth::Principal& principal) {
    auto token = signer_->SignToken({.principal = principal, .issued_at = absl::Now()});
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : "";
  }

  // A client context with a deadline and, unless anonymous, a bearer token.
  std::unique_ptr<grpc::ClientContext> Context(const auth::Principal& principal) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
    if (!principal.IsAnonymous()) {
      context->AddMetadata("authorization", "Bearer " + Token(principal));
    }
    return context;
  }

  static auth::Principal Officer() {
    return {.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}};
  }
  static auth::Principal Member(const std::string& person = "p1") {
    return {.tenant = "wm", .subject = "user:" + person, .roles = {auth::Role::kMember}};
  }

  // Commits an event to the producer's outbox and relays it to Redis, as a producer would.
  events::v1::Event PublishEvent(const std::string& type, const std::string& subject,
                                 bool is_public = true,
                                 const google::protobuf::Message* payload = nullptr) {
    events::v1::Event event;
    event.set_id(ids_.NewId());
    event.set_type(type);
    event.set_tenant("wm");
    event.set_subject(subject);
    event.set_public_(is_public);
    event.set_source("scheduling");
    event.set_traceparent(absl::StrCat("00-", kTraceId, "-00f067aa0ba902b7-01"));
    *event.mutable_time() = TimeUtil::GetCurrentTime();
    if (payload != nullptr) {
      event.mutable_payload()->PackFrom(*payload);
    }
    EXPECT_TRUE(
        producer_db_->Transact([&](sql::Connection& tx) { return outbox_.Append(tx, event); })
            .ok());
    auto relayed = relay_->RelayOnce();
    EXPECT_TRUE(relayed.ok() && *relayed == 1) << relayed.status();
    return event;
  }
  std::string Publish(const std::string& type, const std::string& subject, bool is_public = true,
                      const google::protobuf::Message* payload = nullptr) {
    return PublishEvent(type, subject, is_public, payload).id();
  }

  std::unique_ptr<grpc::ClientReader<events::v1::Event>> Watch(
      grpc::ClientContext* context, const v1::WatchEventsRequest& request) {
    auto reader = event_stub_->WatchEvents(context, request);
    reader->WaitForInitialMetadata();  // The server has subscribed.
    return reader;
  }

  moot::testing::TempDir dir_;
  std::unique_ptr<moot::testing::RedisServer> redis_server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<sql::Database> producer_db_;
  events::Outbox outbox_;
  std::unique_ptr<events::OutboxRelay> relay_;
  std::unique_ptr<sql::Database> db_;
  ids::UlidGenerator ids_;
  api::PageTokens tokens_{"test-secret"};
  CapturingExporter exporter_;
  std::unique_ptr<tracing::Tracer> tracer_;
  EventBroadcaster broadcaster_;
  std::unique_ptr<NotificationsLogic> logic_;
  std::unique_ptr<NotificationsConsumer> handler_;
  std::unique_ptr<events::StreamConsumer> consumer_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ServerAuth> server_auth_;
  std::unique_ptr<SubscriptionService> subscriptions_;
  std::unique_ptr<InboxService> inboxes_;
  std::unique_ptr<EventService> events_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SubscriptionService::Stub> subscription_stub_;
  std::unique_ptr<v1::InboxService::Stub> inbox_stub_;
  std::unique_ptr<v1::EventService::Stub> event_stub_;
};

TEST_F(NotificationsRedisTest, RelayedEventReachesTheInboxInTheProducersTrace) {
  v1::CreateSubscriptionRequest create;
  create.set_parent("tenants/wm");
  create.mutable_subscription()->set_subscriber("tenants/wm/people/p1");
  create.mutable_subscription()->add_event_types("agenda.*");
  v1::Subscription subscription;
  auto context = Context(Member("p1"));
  grpc::Status status =
      subscription_stub_->CreateSubscription(context.get(), create, &subscription);
  ASSERT_TRUE(status.ok()) << status.error_message();

  scheduling::v1::AgendaPublished payload;
  payload.set_title("Police and Crime Panel");
  payload.set_agenda_version(1);
  *payload.mutable_start_time() = TimeUtil::SecondsToTimestamp(1699884000);
  const events::v1::Event published =
      PublishEvent("agenda.published", "tenants/wm/bodies/pcp/meetings/m1", true, &payload);
  const std::string& id = published.id();

  v1::ListInboxEntriesRequest list;
  list.set_parent("tenants/wm/inboxes/p1");
  v1::ListInboxEntriesResponse inbox;
  ASSERT_TRUE(moot::testing::WaitFor([&] {
    auto ctx = Context(Member("p1"));
    return inbox_stub_->ListInboxEntries(ctx.get(), list, &inbox).ok() && inbox.entries_size() == 1;
  }));
  EXPECT_EQ(inbox.entries(0).event_id(), id);
  EXPECT_EQ(inbox.entries(0).summary(),
            "Agenda published (version 1): Police and Crime Panel on 13 November 2023 14:00");

  // The handling span continues the producer's trace.
  ASSERT_TRUE(moot::testing::WaitFor([&] { return !exporter_.spans().empty(); }));
  const tracing::Span span = exporter_.spans().front();
  EXPECT_EQ(span.trace_id, kTraceId);
  EXPECT_EQ(span.parent_span_id, "00f067aa0ba902b7");
  EXPECT_EQ(span.kind, tracing::SpanKind::kConsumer);

  // A redelivery of the same event (the relay dedupes in Redis, so hand it to the handler
  // again directly) has no second effect.
  ASSERT_TRUE(handler_->Handle(published).ok());
  auto again = Context(Member("p1"));
  ASSERT_TRUE(inbox_stub_->ListInboxEntries(again.get(), list, &inbox).ok());
  EXPECT_EQ(inbox.entries_size(), 1);
  // Another person's inbox stays closed to a member.
  list.set_parent("tenants/wm/inboxes/p2");
  auto ctx = Context(Member("p1"));
  EXPECT_EQ(inbox_stub_->ListInboxEntries(ctx.get(), list, &inbox).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(NotificationsRedisTest, AnOpenStreamReceivesLiveEventsThatMatchItsFilter) {
  v1::WatchEventsRequest request;
  request.set_parent("tenants/wm");
  request.add_event_types("agenda.*");
  request.add_bodies("tenants/wm/bodies/pcp");
  auto context = Context(Member("p1"));
  auto reader = Watch(context.get(), request);

  Publish("meeting.updated", "tenants/wm/bodies/pcp/meetings/m1");     // Other type.
  Publish("agenda.published", "tenants/wm/bodies/board/meetings/m1");  // Other body.
  const std::string wanted = Publish("agenda.published", "tenants/wm/bodies/pcp/meetings/m1",
                                     /*is_public=*/false);  // A member sees non-public events.
  events::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.id(), wanted);
  EXPECT_EQ(event.type(), "agenda.published");
  context->TryCancel();
}

TEST_F(NotificationsRedisTest, AnAnonymousStreamSeesOnlyPublicEvents) {
  v1::WatchEventsRequest request;
  request.set_parent("tenants/wm");
  auto context = Context(auth::Principal::Anonymous());
  auto reader = Watch(context.get(), request);
  Publish("decision.recorded", "tenants/wm/decisions/d1", /*is_public=*/false);
  const std::string shown = Publish("agenda.published", "tenants/wm/bodies/pcp/meetings/m1");
  events::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.id(), shown);
  context->TryCancel();

  // A principal of another tenant is refused.
  auto other = Context({.tenant = "sy", .subject = "user:x", .roles = {auth::Role::kMember}});
  auto refused = event_stub_->WatchEvents(other.get(), request);
  EXPECT_FALSE(refused->Read(&event));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(NotificationsRedisTest, ResumeReplaysTheMissedEventsThenGoesLive) {
  const std::string first = Publish("agenda.published", "tenants/wm/bodies/pcp/meetings/m1");
  const std::string second = Publish("meeting.updated", "tenants/wm/bodies/pcp/meetings/m1");
  const std::string third = Publish("agenda.published", "tenants/wm/bodies/pcp/meetings/m2");
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer_->stats().handled >= 3; }));

  v1::WatchEventsRequest request;
  request.set_parent("tenants/wm");
  request.set_after_event_id(first);
  auto context = Context(Officer());
  auto reader = Watch(context.get(), request);
  events::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.id(), second);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.id(), third);
  const std::string fourth = Publish("agenda.published", "tenants/wm/bodies/pcp/meetings/m3");
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.id(), fourth);
  context->TryCancel();
}

TEST_F(NotificationsRedisTest, ClosingTheBroadcasterEndsOpenStreamsPromptly) {
  v1::WatchEventsRequest request;
  request.set_parent("tenants/wm");
  auto context = Context(Member("p1"));
  auto reader = Watch(context.get(), request);
  const absl::Time start = absl::Now();
  broadcaster_.Close();
  events::v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

}  // namespace
}  // namespace moot::notifications
