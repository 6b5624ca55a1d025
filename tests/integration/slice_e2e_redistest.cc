// The thin slice end to end, as a user meets it: Redis, scheduling, notifications and the gateway
// run as processes. Publishing an agenda through the gateway puts an entry in a subscribed inbox
// and on an open WatchEvents stream, and the one call's trace, fetched from the gateway's trace
// API, holds the spans of the gateway, scheduling, the outbox relay and notifications.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/testing/child_process.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;
namespace notif = moot::notifications::v1;

TEST(SliceEndToEndTest, PublishedAgendaReachesInboxStreamAndOneTrace) {
  ProcessSuite suite;
  ASSERT_TRUE(suite.redis_ok());
  ASSERT_TRUE(suite.StartSlice()) << suite.Logs();
  auto gateway = WaitForChannel(suite.gateway_grpc());
  ASSERT_NE(gateway, nullptr) << suite.Logs();

  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}});
  const std::string ops =
      Bearer({.tenant = "wm", .subject = "user:ops", .roles = {auth::Role::kOps}});
  const std::string member =
      Bearer({.tenant = "wm", .subject = "user:p1", .roles = {auth::Role::kMember}});
  auto bodies = sched::BodyService::NewStub(gateway);
  auto meetings = sched::MeetingService::NewStub(gateway);
  auto subscriptions = notif::SubscriptionService::NewStub(gateway);
  auto inbox = notif::InboxService::NewStub(gateway);
  auto events = notif::EventService::NewStub(gateway);
  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };

  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    sched::CreateBodyRequest r;
    r.set_parent("tenants/wm");
    r.set_body_id("pcp");
    r.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    r.mutable_body()->set_kind(sched::BODY_KIND_PANEL);
    sched::Body body;
    grpc::Status s = bodies->CreateBody(&c, r, &body);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }
  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    notif::CreateSubscriptionRequest r;
    r.set_parent("tenants/wm");
    r.mutable_subscription()->set_subscriber("tenants/wm/people/p1");
    r.mutable_subscription()->add_event_types("agenda.*");
    r.mutable_subscription()->set_channel(notif::CHANNEL_INBOX);
    notif::Subscription subscription;
    grpc::Status s = subscriptions->CreateSubscription(&c, r, &subscription);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }

  // A member watches the tenant's agenda events through the gateway.
  absl::Mutex mu;
  std::vector<events::v1::Event> seen;
  grpc::ClientContext watch_context;
  watch_context.AddMetadata("authorization", member);
  notif::WatchEventsRequest watch;
  watch.set_parent("tenants/wm");
  watch.add_event_types("agenda.published");
  watch.add_event_types("meeting.*");
  auto reader = events->WatchEvents(&watch_context, watch);
  // The server sends its initial metadata once it has subscribed, so after this wait nothing
  // published later can be missed (without it a loaded machine lost the first event).
  reader->WaitForInitialMetadata();
  std::thread watcher([&] {
    events::v1::Event event;
    while (reader->Read(&event)) {
      absl::MutexLock lock(&mu);
      seen.push_back(event);
    }
  });
  // Joins the watcher on every way out, so a failed ASSERT below reports its message instead of
  // aborting in std::thread's destructor.
  struct JoinOnExit {
    grpc::ClientContext& context;
    std::thread& thread;
    ~JoinOnExit() {
      context.TryCancel();
      if (thread.joinable()) {
        thread.join();
      }
    }
  } join_watcher{watch_context, watcher};
  // The stream delivers the event of a meeting created after it opened.
  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    sched::CreateMeetingRequest r;
    r.set_parent("tenants/wm/bodies/pcp");
    r.set_meeting_id("2023-11-13");
    r.mutable_meeting()->set_title("Police and Crime Panel");
    r.mutable_meeting()->mutable_start_time()->set_seconds(1699884000);
    sched::Meeting meeting;
    grpc::Status s = meetings->CreateMeeting(&c, r, &meeting);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return !seen.empty();
      },
      absl::Seconds(20)))
      << suite.Logs();
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(seen[0].type(), "meeting.scheduled");
    seen.clear();
  }

  // The call under test carries a trace id chosen here, so its trace can be fetched.
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    c.AddMetadata("traceparent", absl::StrCat("00-", trace_id, "-00f067aa0ba902b7-01"));
    sched::PublishAgendaRequest r;
    r.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
    sched::Meeting meeting;
    grpc::Status s = meetings->PublishAgenda(&c, r, &meeting);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(meeting.agenda_version(), 1);
  }

  // The subscribed person's inbox gets the entry.
  notif::ListInboxEntriesResponse entries;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        grpc::ClientContext c;
        c.set_deadline(deadline());
        c.AddMetadata("authorization", member);
        notif::ListInboxEntriesRequest r;
        r.set_parent("tenants/wm/inboxes/p1");
        return inbox->ListInboxEntries(&c, r, &entries).ok() && entries.entries_size() > 0;
      },
      absl::Seconds(20)))
      << suite.Logs();
  EXPECT_EQ(entries.entries(0).event_type(), "agenda.published");
  EXPECT_EQ(entries.entries(0).subject(), "tenants/wm/bodies/pcp/meetings/2023-11-13");

  // The open stream gets the event.
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return !seen.empty();
      },
      absl::Seconds(20)))
      << suite.Logs();
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(seen[0].type(), "agenda.published");
    EXPECT_EQ(seen[0].traceparent().substr(3, 32), trace_id);
  }
  watch_context.TryCancel();
  watcher.join();

  // One trace holds the gateway, scheduling (server and relay) and notifications spans.
  std::set<std::string> services;
  std::set<std::string> kinds;
  std::string body;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        int code = 0;
        body = HttpGet(suite.gateway_http(), "/api/v2/trace/" + trace_id, &code, ops);
        if (code != 200) {
          return false;
        }
        nlohmann::json spans = nlohmann::json::parse(body, nullptr, false);
        if (!spans.is_array()) {
          return false;
        }
        services.clear();
        kinds.clear();
        for (const auto& span : spans) {
          if (span.value("traceId", "") != trace_id) {
            return false;
          }
          services.insert(span["localEndpoint"].value("serviceName", ""));
          kinds.insert(absl::StrCat(span["localEndpoint"].value("serviceName", ""), "/",
                                    span.value("kind", "INTERNAL")));
        }
        return services.count("gateway") && services.count("scheduling") &&
               services.count("notifications") && kinds.count("scheduling/PRODUCER") &&
               kinds.count("notifications/CONSUMER");
      },
      absl::Seconds(20)))
      << body << suite.Logs();
  EXPECT_TRUE(kinds.count("gateway/SERVER")) << body;
  EXPECT_TRUE(kinds.count("scheduling/SERVER")) << body;
}

}  // namespace
}  // namespace moot::integration
