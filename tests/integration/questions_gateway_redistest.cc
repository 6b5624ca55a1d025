// Public questions through the gateway, as the public meets them: an anonymous caller submits a
// question over HTTP/JSON with no account, is refused after the deadline with the deadline in the
// details, cannot use the officer path, and reads back only the accepted question without its
// contact details; the processes never log the contact details.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "moot/scheduling/v1/questions.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;
using google::protobuf::util::TimeUtil;

constexpr char kSubmit[] = "/moot.scheduling.v1.QuestionService/SubmitQuestion";
constexpr char kList[] = "/moot.scheduling.v1.QuestionService/ListQuestions";

std::string SubmitJson(const std::string& meeting, const std::string& email) {
  nlohmann::json request = {
      {"parent", meeting},
      {"question",
       {{"text", "How many PCSOs does the Commissioner fund?"},
        {"asker", {{"displayName", "Jo Public"}, {"email", email}, {"livesInArea", true}}}}}};
  return request.dump();
}

TEST(QuestionsGatewayTest, AnonymousSubmitAndPublicRead) {
  ProcessSuite suite;
  ASSERT_TRUE(suite.redis_ok());
  ASSERT_TRUE(suite.StartSlice()) << suite.Logs();
  auto gateway = WaitForChannel(suite.gateway_grpc());
  ASSERT_NE(gateway, nullptr);
  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}});
  const std::string other =
      Bearer({.tenant = "other", .subject = "user:x", .roles = {auth::Role::kOfficer}});
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
    grpc::Status s = sched::BodyService::NewStub(gateway)->CreateBody(&c, r, &body);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }
  // A meeting in a month (questions open) and one tomorrow (the 4-day deadline has passed).
  for (const auto& [id, start] :
       {std::pair<std::string, absl::Time>{"later", absl::Now() + absl::Hours(24 * 30)},
        {"tomorrow", absl::Now() + absl::Hours(24)}}) {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    sched::CreateMeetingRequest r;
    r.set_parent("tenants/wm/bodies/pcp");
    r.set_meeting_id(id);
    r.mutable_meeting()->set_title("Police and Crime Panel");
    *r.mutable_meeting()->mutable_start_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
    sched::Meeting meeting;
    grpc::Status s = sched::MeetingService::NewStub(gateway)->CreateMeeting(&c, r, &meeting);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }
  const std::string later = "tenants/wm/bodies/pcp/meetings/later";

  // Anonymous, over HTTP/JSON, with no Authorization header.
  int http = 0;
  std::string body = HttpPostJson(suite.gateway_http(), kSubmit,
                                  SubmitJson(later, "jo.public@example.org"), &http);
  ASSERT_EQ(http, 200) << body << suite.Logs();
  nlohmann::json submitted = nlohmann::json::parse(body);
  EXPECT_EQ(submitted.value("status", ""), "QUESTION_STATUS_RECEIVED") << body;
  const std::string name = submitted.value("name", "");
  ASSERT_FALSE(name.empty()) << body;

  // After the deadline: refused, with the deadline in the details.
  body = HttpPostJson(suite.gateway_http(), kSubmit,
                      SubmitJson("tenants/wm/bodies/pcp/meetings/tomorrow", "late@example.org"),
                      &http);
  EXPECT_EQ(http, 400) << body;
  EXPECT_NE(body.find("QUESTION_DEADLINE_PASSED"), std::string::npos) << body;
  EXPECT_NE(body.find("deadline_date"), std::string::npos) << body;

  // The officer path needs credentials; another tenant's officer is refused at the gateway.
  nlohmann::json record = {
      {"parent", later},
      {"receivedTime", "2023-01-01T00:00:00Z"},
      {"question", nlohmann::json::parse(SubmitJson(later, "x@example.org")).at("question")}};
  body = HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.QuestionService/RecordQuestion",
                      record.dump(), &http);
  EXPECT_EQ(http, 401) << body;
  body =
      HttpPostJson(suite.gateway_http(), kSubmit, SubmitJson(later, "x@example.org"), &http, other);
  EXPECT_EQ(http, 403) << body;

  // Not public until accepted.
  const std::string list = nlohmann::json({{"parent", later}}).dump();
  body = HttpPostJson(suite.gateway_http(), kList, list, &http);
  ASSERT_EQ(http, 200) << body;
  EXPECT_EQ(body.find(name), std::string::npos) << body;
  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer);
    sched::AcceptQuestionRequest r;
    r.set_name(name);
    sched::PublicQuestion q;
    grpc::Status s = sched::QuestionService::NewStub(gateway)->AcceptQuestion(&c, r, &q);
    ASSERT_TRUE(s.ok()) << s.error_message() << suite.Logs();
  }
  body = HttpPostJson(suite.gateway_http(), kList, list, &http);
  ASSERT_EQ(http, 200) << body;
  EXPECT_NE(body.find(name), std::string::npos) << body;
  EXPECT_NE(body.find("Jo Public"), std::string::npos) << body;
  EXPECT_EQ(body.find("jo.public@example.org"), std::string::npos) << body;
  EXPECT_EQ(body.find("livesInArea"), std::string::npos) << body;
  // The officer sees the contact.
  body = HttpPostJson(suite.gateway_http(), kList, list, &http, officer);
  ASSERT_EQ(http, 200) << body;
  EXPECT_NE(body.find("jo.public@example.org"), std::string::npos) << body;

  // No process logged a contact detail.
  const std::string logs = suite.Logs();
  EXPECT_EQ(logs.find("example.org"), std::string::npos);
}

}  // namespace
}  // namespace moot::integration
