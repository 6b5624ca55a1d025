// The scheduling process, for real: configuration from the environment, migrations, health on the
// admin port, a write while Redis is down (the event waits in the outbox and is relayed once Redis
// is back), and a clean exit on SIGTERM.
#include <signal.h>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/redis/redis_client.h"
#include "libs/testing/child_process.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"
#include "moot/events/v1/event.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace v1 = moot::scheduling::v1;

TEST(SchedulingProcessTest, StartsWithoutRedisAndRelaysOnceRedisIsBack) {
  testing::TempDir dir;
  const int grpc_port = testing::PickUnusedPort();
  const int admin_port = testing::PickUnusedPort();
  // Redis's port and password are fixed first; the server is then stopped, so the service starts
  // without it.
  auto redis = testing::RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  ASSERT_TRUE((*redis)->Stop().ok());
  auto process = testing::ChildProcess::Start(
      {.argv = {Binary("services/scheduling/scheduling")},
       .env = {{"MOOT_GRPC_LISTEN", absl::StrCat("127.0.0.1:", grpc_port)},
               {"MOOT_ADMIN_PORT", absl::StrCat(admin_port)},
               {"MOOT_DATABASE_URL", absl::StrCat("sqlite://", dir.path(), "/scheduling.db")},
               {"MOOT_REDIS_URL", (*redis)->url()},
               {"MOOT_JWT_HS256_SECRET", kTestSecret},
               {"MOOT_SHUTDOWN_GRACE", "2s"}},
       .unset_env = {"MOOT_SOURCE_DIR", "MOOT_BINARY_DIR"},
       .log_file = dir.path() + "/scheduling.log"});
  ASSERT_TRUE(process.ok()) << process.status();
  auto channel = WaitForChannel(grpc_port);
  ASSERT_NE(channel, nullptr) << (*process)->Log();

  // Redis is not there: the service serves, and says Redis is degraded.
  std::string health;
  ASSERT_TRUE(testing::WaitFor([&] {
    int code = 0;
    health = HttpGet(admin_port, "/healthz", &code);
    return code == 200 && health.find("\"redis\":\"DEGRADED\"") != std::string::npos;
  })) << health
      << (*process)->Log();

  // A write commits with its outbox row although Redis is down.
  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:o", .roles = {auth::Role::kOfficer}});
  auto bodies = v1::BodyService::NewStub(channel);
  auto meetings = v1::MeetingService::NewStub(channel);
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id("pcp");
    request.mutable_body()->set_display_name("Panel");
    request.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    v1::Body body;
    ASSERT_TRUE(bodies->CreateBody(&context, request, &body).ok());
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    v1::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.set_meeting_id("2023-11-13");
    request.mutable_meeting()->set_title("Police and Crime Panel");
    request.mutable_meeting()->mutable_start_time()->set_seconds(1699884000);
    v1::Meeting meeting;
    grpc::Status status = meetings->CreateMeeting(&context, request, &meeting);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // An anonymous caller may read, but not write.
  {
    grpc::ClientContext context;
    v1::GetMeetingRequest request;
    request.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
    v1::Meeting meeting;
    ASSERT_TRUE(meetings->GetMeeting(&context, request, &meeting).ok());
    grpc::ClientContext write;
    v1::PublishAgendaRequest publish;
    publish.set_name(request.name());
    EXPECT_EQ(meetings->PublishAgenda(&write, publish, &meeting).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }

  // Redis comes back on the configured port: the waiting event is relayed.
  ASSERT_TRUE((*redis)->Restart().ok());
  auto options = redis::ParseRedisUrl((*redis)->url());
  ASSERT_TRUE(options.ok());
  redis::RedisClient client(*options);
  std::vector<redis::StreamEntry> entries;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        auto range = client.XRange("moot:events", "-", "+", 100);
        if (range.ok()) {
          entries = *range;
        }
        return !entries.empty();
      },
      absl::Seconds(20)))
      << (*process)->Log();
  events::v1::Event event;
  const std::string* payload = entries[0].Field("event");
  ASSERT_NE(payload, nullptr);
  ASSERT_TRUE(event.ParseFromString(*payload));
  EXPECT_EQ(event.type(), "meeting.scheduled");
  EXPECT_EQ(event.tenant(), "wm");
  EXPECT_EQ(event.subject(), "tenants/wm/bodies/pcp/meetings/2023-11-13");
  EXPECT_FALSE(event.traceparent().empty());
  ASSERT_TRUE(testing::WaitFor([&] {
    int code = 0;
    health = HttpGet(admin_port, "/healthz", &code);
    return health.find("\"redis\":\"SERVING\"") != std::string::npos;
  })) << health;

  // SIGTERM: a clean exit, well within the grace period.
  (*process)->Signal(SIGTERM);
  auto code = (*process)->Wait(absl::Seconds(5));
  ASSERT_TRUE(code.ok()) << (*process)->Log();
  EXPECT_EQ(*code, 0) << (*process)->Log();
}

TEST(SchedulingProcessTest, BadConfigurationStopsStartUpWithAClearMessage) {
  testing::TempDir dir;
  auto process = testing::ChildProcess::Start(
      {.argv = {Binary("services/scheduling/scheduling"), "--grpc-port=1"},
       .env = {{"MOOT_DATABASE_URL", "sqlite::memory:"}, {"MOOT_NOT_A_SETTING", "1"}},
       .unset_env = {"MOOT_SOURCE_DIR", "MOOT_BINARY_DIR"},
       .log_file = dir.path() + "/out.log"});
  ASSERT_TRUE(process.ok());
  auto code = (*process)->Wait(absl::Seconds(10));
  ASSERT_TRUE(code.ok());
  EXPECT_NE(*code, 0);
  const std::string log = (*process)->Log();
  EXPECT_NE(log.find("MOOT_NOT_A_SETTING"), std::string::npos) << log;
}

}  // namespace
}  // namespace moot::integration
