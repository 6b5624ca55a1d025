// The deadline engine and the meeting life cycle through the real gateway and scheduling
// processes: `moot calendar deadline` (issue 3 point 1) and its Connect JSON form for an
// anonymous caller, a tenant's closure day moving a deadline, and a provisional meeting confirmed
// by hand (R-MTG-07) with its deadlines on every read.
#include <gtest/gtest.h>

#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "moot/scheduling/v1/calendar.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/process_env.h"
#include "tools/moot/cli.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;
using google::protobuf::util::TimeUtil;

constexpr char kDeadline[] = "/moot.scheduling.v1.CalendarService/ComputeDeadline";

TEST(CalendarGatewayTest, DeadlinesAndMeetingLifecycleThroughTheGateway) {
  ProcessSuite suite;
  ASSERT_TRUE(suite.redis_ok());
  ASSERT_TRUE(suite.StartSlice()) << suite.Logs();
  auto gateway = WaitForChannel(suite.gateway_grpc());
  ASSERT_NE(gateway, nullptr);
  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}});
  auto context = [&](grpc::ClientContext& c) {
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    c.AddMetadata("authorization", officer);
  };

  // The CLI, against the gateway, anonymous: the date on the first line (R-PQ-02).
  {
    cli::Options options;
    std::ostringstream parse_err;
    ASSERT_TRUE(cli::ParseArgs(
        {"calendar", "deadline", "--meeting", "2023-02-28", "--days", "7", "--unit", "working"},
        {{"MOOT_ADDR", absl::StrCat("127.0.0.1:", suite.gateway_grpc())}}, &options, parse_err))
        << parse_err.str();
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(cli::Run(options, out, err), cli::kOk) << err.str() << suite.Logs();
    EXPECT_EQ(out.str().substr(0, out.str().find('\n')), "2023-02-17") << out.str();
  }

  // Connect JSON, anonymous: the Christmas window names the holidays it skipped.
  int http = 0;
  std::string body = HttpPostJson(
      suite.gateway_http(), kDeadline,
      R"({"parent": "tenants/wm", "date": "2023-12-28", "days": 5, "unit": "DAY_UNIT_CLEAR"})",
      &http);
  ASSERT_EQ(http, 200) << body << suite.Logs();
  nlohmann::json deadline = nlohmann::json::parse(body);
  EXPECT_EQ(deadline.value("deadlineDate", ""), "2023-12-18") << body;
  EXPECT_EQ(deadline["skippedHolidays"].size(), 2u) << body;
  body = HttpPostJson(suite.gateway_http(), kDeadline,
                      R"({"date": "2023-12-28", "days": 400, "unit": "DAY_UNIT_CLEAR"})", &http);
  EXPECT_EQ(http, 400) << body;

  // A board with its rules, a closure day, and a meeting whose deadline moves with it.
  {
    grpc::ClientContext c;
    context(c);
    sched::CreateBodyRequest r;
    r.set_parent("tenants/wm");
    r.set_body_id("spcb");
    r.mutable_body()->set_display_name("Strategic Policing and Crime Board");
    r.mutable_body()->set_kind(sched::BODY_KIND_BOARD);
    sched::Body created;
    grpc::Status s = sched::BodyService::NewStub(gateway)->CreateBody(&c, r, &created);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
    EXPECT_EQ(created.rules().public_question_deadline().unit(), sched::DAY_UNIT_WORKING);
  }
  {
    grpc::ClientContext c;
    context(c);
    sched::CreateClosureRequest r;
    r.set_parent("tenants/wm");
    r.mutable_closure()->set_date("2024-02-12");
    r.mutable_closure()->set_description("Council closure day");
    sched::Closure closure;
    grpc::Status s = sched::CalendarService::NewStub(gateway)->CreateClosure(&c, r, &closure);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }
  {
    grpc::ClientContext c;
    context(c);
    sched::CreateMeetingRequest r;
    r.set_parent("tenants/wm/bodies/spcb");
    r.set_meeting_id("2024-02-20");
    r.mutable_meeting()->set_title("Strategic Policing and Crime Board (if needed)");
    r.mutable_meeting()->set_kind(sched::MEETING_KIND_PROVISIONAL);
    // 20 Feb 2024 10:00 GMT.
    *r.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1708423200);
    sched::Meeting meeting;
    grpc::Status s = sched::MeetingService::NewStub(gateway)->CreateMeeting(&c, r, &meeting);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
    EXPECT_EQ(meeting.status(), sched::MEETING_STATUS_PROVISIONAL);
    // Seven working days before Tue 20 Feb, Mon 12 Feb closed: Thu 8 Feb.
    EXPECT_EQ(meeting.question_deadline_date(), "2024-02-08");
  }

  // Confirmed by hand over JSON (R-MTG-07), then read anonymously with its deadlines.
  body = HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.MeetingService/TransitionMeeting",
                      R"({"name": "tenants/wm/bodies/spcb/meetings/2024-02-20",
                          "status": "MEETING_STATUS_SCHEDULED",
                          "reason": "The Panel vetoed the proposed precept"})",
                      &http, officer);
  ASSERT_EQ(http, 200) << body << suite.Logs();
  EXPECT_EQ(nlohmann::json::parse(body).value("status", ""), "MEETING_STATUS_SCHEDULED") << body;
  body = HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.MeetingService/GetMeeting",
                      R"({"name": "tenants/wm/bodies/spcb/meetings/2024-02-20"})", &http);
  ASSERT_EQ(http, 200) << body;
  nlohmann::json read = nlohmann::json::parse(body);
  EXPECT_EQ(read.value("questionDeadlineDate", ""), "2024-02-08") << body;
  EXPECT_EQ(read.value("sequence", 0), 1) << body;
  EXPECT_EQ(read.value("statusReason", ""), "The Panel vetoed the proposed precept") << body;

  // Confirming twice is a broken rule, not a silent success.
  body = HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.MeetingService/TransitionMeeting",
                      R"({"name": "tenants/wm/bodies/spcb/meetings/2024-02-20",
                          "status": "MEETING_STATUS_SCHEDULED", "reason": "again"})",
                      &http, officer);
  EXPECT_EQ(http, 400) << body;
  EXPECT_NE(body.find("MEETING_TRANSITION_NOT_ALLOWED"), std::string::npos) << body;
}

}  // namespace
}  // namespace moot::integration
