// The decisions process with a real scheduling process: the body's numbering scheme comes from
// scheduling over gRPC with the caller's credentials forwarded, minute numbers are allocated,
// the audit chain verifies, and the events reach the Redis stream right after their commit.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/redis/redis_client.h"
#include "libs/testing/test_util.h"
#include "moot/decisions/v1/minutes.grpc.pb.h"
#include "moot/events/v1/event.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;
namespace dec = moot::decisions::v1;

TEST(DecisionsProcessTest, MinutesNumberedByTheBodysSchemeFromScheduling) {
  ProcessSuite suite;
  ASSERT_TRUE(suite.redis_ok());
  const int scheduling = suite.Start("scheduling");
  ASSERT_NE(scheduling, 0) << suite.Logs();
  const int decisions = suite.Start(
      "decisions", {{"MOOT_SCHEDULING_ADDRESS", absl::StrCat("127.0.0.1:", scheduling)}});
  ASSERT_NE(decisions, 0) << suite.Logs();
  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:o", .roles = {auth::Role::kOfficer}});

  // The Board numbers "001/23" (R-MIN-05).
  auto sched_channel = WaitForChannel(scheduling);
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    sched::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id("spcb");
    request.mutable_body()->set_display_name("Strategic Policing and Crime Board");
    request.mutable_body()->set_kind(sched::BODY_KIND_BOARD);
    request.mutable_body()->mutable_rules()->set_minute_numbering(
        sched::MINUTE_NUMBERING_SEQ_PER_YEAR);
    sched::Body body;
    grpc::Status status =
        sched::BodyService::NewStub(sched_channel)->CreateBody(&context, request, &body);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    sched::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/spcb");
    request.set_meeting_id("2023-01-24");
    request.mutable_meeting()->set_title("Strategic Policing and Crime Board");
    request.mutable_meeting()->mutable_start_time()->set_seconds(1674554400);  // 10:00 GMT.
    sched::Meeting meeting;
    grpc::Status status =
        sched::MeetingService::NewStub(sched_channel)->CreateMeeting(&context, request, &meeting);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  auto minutes = dec::MinutesService::NewStub(WaitForChannel(decisions));
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    dec::CreateMinutesRequest request;
    request.set_parent("tenants/wm/bodies/spcb/meetings/2023-01-24");
    dec::Minutes created;
    grpc::Status status = minutes->CreateMinutes(&context, request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message() << suite.Logs();
    EXPECT_EQ(created.numbering(), dec::NUMBERING_SCHEME_SEQ_PER_YEAR);
    EXPECT_EQ(created.meeting_date(), "2023-01-24");
  }
  for (const char* want : {"001/23", "002/23"}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    dec::AddMinuteEntryRequest request;
    request.set_parent("tenants/wm/bodies/spcb/meetings/2023-01-24/minutes");
    request.mutable_entry()->set_title("Apologies and PCC Update");
    dec::MinuteEntry entry;
    grpc::Status status = minutes->AddMinuteEntry(&context, request, &entry);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(entry.display_number(), want);
  }
  // A meeting scheduling does not know: NOT_FOUND from scheduling, passed through.
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    dec::CreateMinutesRequest request;
    request.set_parent("tenants/wm/bodies/spcb/meetings/2099-01-01");
    dec::Minutes created;
    EXPECT_EQ(minutes->CreateMinutes(&context, request, &created).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    dec::VerifyAuditChainRequest request;
    request.set_parent("tenants/wm");
    dec::AuditVerification verification;
    grpc::Status status = dec::AuditService::NewStub(WaitForChannel(decisions))
                              ->VerifyAuditChain(&context, request, &verification);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(verification.ok());
    EXPECT_EQ(verification.rows_checked(), 3);
  }

  // The register's events are on the stream.
  auto options = redis::ParseRedisUrl(suite.redis().url());
  ASSERT_TRUE(options.ok());
  redis::RedisClient client(*options);
  int added = 0;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        auto range = client.XRange("moot:events", "-", "+", 100);
        added = 0;
        for (const auto& e : range.value_or(std::vector<redis::StreamEntry>())) {
          const std::string* type = e.Field("type");
          added += type != nullptr && *type == "minute.added";
        }
        return added == 2;
      },
      absl::Seconds(10)))
      << added << suite.Logs();
}

}  // namespace
}  // namespace moot::integration
