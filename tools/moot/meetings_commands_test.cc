// `moot meetings ...` and `moot bodies ...` commands added for the scheduling rules (R-MTG-11,
// R-MTG-05, R-MTG-06), run in-process against fake gRPC services.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

class FakeMeetings final : public sched::MeetingService::Service {
 public:
  sched::TransitionMeetingRequest transition;
  sched::UpdateMeetingRequest update;
  grpc::Status TransitionMeeting(grpc::ServerContext*,
                                 const sched::TransitionMeetingRequest* request,
                                 sched::Meeting* response) override {
    transition = *request;
    response->set_name(request->name());
    response->set_status(request->status());
    if (request->has_actual_end_time()) {
      *response->mutable_actual_end_time() = request->actual_end_time();
      response->set_actual_end_local_time("16:21");
    }
    return grpc::Status::OK;
  }
  sched::ProposeMeetingsRequest propose;
  grpc::Status ProposeMeetings(grpc::ServerContext*, const sched::ProposeMeetingsRequest* request,
                               sched::ProposeMeetingsResponse* response) override {
    propose = *request;
    auto* m = response->add_meetings();
    m->set_name(request->parent() + "/meetings/2024-12-17");
    m->set_local_date("2024-12-17");
    m->set_title("Strategic Policing and Crime Board");
    m->set_venue("Lloyd House, Birmingham");
    auto* skipped = response->add_skipped();
    skipped->set_date("2024-05-21");
    skipped->set_reason("CLOSURE_DAY");
    response->set_created(request->create());
    return grpc::Status::OK;
  }
  grpc::Status UpdateMeeting(grpc::ServerContext*, const sched::UpdateMeetingRequest* request,
                             sched::Meeting* response) override {
    update = *request;
    *response = request->meeting();
    return grpc::Status::OK;
  }
};

class FakeBodies final : public sched::BodyService::Service {
 public:
  sched::UpdateBodyRequest update;
  grpc::Status UpdateBody(grpc::ServerContext*, const sched::UpdateBodyRequest* request,
                          sched::Body* response) override {
    update = *request;
    *response = request->body();
    return grpc::Status::OK;
  }
};

class MeetingsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&meetings_);
    builder.RegisterService(&bodies_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
    }
  }
  int RunArgs(const std::vector<std::string>& argv, std::string* out) {
    Options options;
    std::ostringstream parse_err;
    if (!ParseArgs(argv, {{"MOOT_ADDR", "127.0.0.1:" + std::to_string(port_)}}, &options,
                   parse_err)) {
      *out = parse_err.str();
      return kUsage;
    }
    std::ostringstream o;
    std::ostringstream e;
    int code = cli::Run(options, o, e);
    *out = o.str() + e.str();
    return code;
  }

  FakeMeetings meetings_;
  FakeBodies bodies_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// R-MTG-11: `meetings held --ended` and `meetings update --ended` send the actual end time.
TEST_F(MeetingsCommandsTest, HeldAndUpdateRecordTheActualEndTime) {
  std::string out;
  const std::string m = "tenants/wm/bodies/pcp/meetings/2023-09-11";
  ASSERT_EQ(RunArgs({"meetings", "held", m, "--ended=2023-09-11 16:21"}, &out), kOk) << out;
  EXPECT_EQ(meetings_.transition.status(), sched::MEETING_STATUS_HELD);
  EXPECT_EQ(meetings_.transition.actual_end_time().seconds(), 1694445660);  // 15:21 UTC (BST).
  EXPECT_NE(out.find("16:21"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"meetings", "held", m}, &out), kOk) << out;
  EXPECT_FALSE(meetings_.transition.has_actual_end_time());
  EXPECT_EQ(RunArgs({"meetings", "held", m, "--ended=teatime"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"meetings", "update", m, "--ended=2023-09-11T16:21"}, &out), kOk) << out;
  ASSERT_EQ(meetings_.update.update_mask().paths_size(), 1);
  EXPECT_EQ(meetings_.update.update_mask().paths(0), "actual_end_time");
  EXPECT_EQ(meetings_.update.meeting().actual_end_time().seconds(), 1694445660);

  ASSERT_EQ(RunArgs({"--json", "meetings", "held", m, "--ended=2023-09-11 16:21"}, &out), kOk);
  EXPECT_NE(out.find("\"actualEndTime\""), std::string::npos) << out;
}

// R-MTG-05: `meetings propose` and the pattern flags of `bodies update`; R-MTG-06 the webcast
// flag.
TEST_F(MeetingsCommandsTest, ProposeAndPatternFlags) {
  std::string out;
  ASSERT_EQ(RunArgs({"meetings", "propose", "tenants/wm/bodies/spcb", "--year=2024/25"}, &out), kOk)
      << out;
  EXPECT_EQ(meetings_.propose.municipal_year(), "2024/25");
  EXPECT_FALSE(meetings_.propose.create());
  EXPECT_NE(out.find("(proposed)"), std::string::npos) << out;
  EXPECT_NE(out.find("skipped: CLOSURE_DAY"), std::string::npos) << out;
  // Dates in order: the skipped May date before December.
  EXPECT_LT(out.find("2024-05-21"), out.find("2024-12-17")) << out;
  ASSERT_EQ(RunArgs({"meetings", "propose", "tenants/wm/bodies/spcb", "--year=2024/25",
                     "--create=true", "--request-id=y1"},
                    &out),
            kOk);
  EXPECT_TRUE(meetings_.propose.create());
  EXPECT_EQ(meetings_.propose.request_id(), "y1");
  EXPECT_NE(out.find("tenants/wm/bodies/spcb/meetings/2024-12-17"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"bodies", "update", "tenants/wm/bodies/spcb", "--pattern-weekday=tuesday",
                     "--pattern-ordinal=3", "--pattern-time=10:00", "--pattern-duration=180",
                     "--pattern-venue=Lloyd House", "--webcast-public=true"},
                    &out),
            kOk)
      << out;
  const auto& rules = bodies_.update.body().rules();
  EXPECT_EQ(rules.meeting_pattern().weekday(), sched::WEEKDAY_TUESDAY);
  EXPECT_EQ(rules.meeting_pattern().ordinal(), 3);
  EXPECT_EQ(rules.meeting_pattern().start_time(), "10:00");
  EXPECT_EQ(rules.meeting_pattern().duration_minutes(), 180);
  EXPECT_TRUE(rules.public_meetings_webcast());
  std::vector<std::string> paths(bodies_.update.update_mask().paths().begin(),
                                 bodies_.update.update_mask().paths().end());
  EXPECT_EQ(paths,
            (std::vector<std::string>{"rules.public_meetings_webcast", "rules.meeting_pattern"}));
  EXPECT_NE(out.find("third tuesday at 10:00 (180 min), Lloyd House"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"bodies", "update", "tenants/wm/bodies/spcb", "--pattern-weekday=monday",
                     "--pattern-ordinal=last", "--pattern-time=14:00", "--pattern-months=1,3"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(bodies_.update.body().rules().meeting_pattern().ordinal(), -1);
  EXPECT_EQ(bodies_.update.body().rules().meeting_pattern().months_size(), 2);
  EXPECT_EQ(
      RunArgs({"bodies", "update", "tenants/wm/bodies/spcb", "--pattern-weekday=someday"}, &out),
      kUsage);
  EXPECT_EQ(RunArgs({"bodies", "update", "tenants/wm/bodies/spcb", "--pattern-weekday=monday",
                     "--pattern-ordinal=third"},
                    &out),
            kUsage);
}

// R-SG-05/06/07: the sub-group flags of `bodies update`.
TEST_F(MeetingsCommandsTest, SubGroupFlags) {
  std::string out;
  ASSERT_EQ(RunArgs({"bodies", "update", "tenants/wm/bodies/budget-sub-group",
                     "--window-start=2023-11-01", "--window-end=2024-02-29",
                     "--report-meetings=tenants/wm/bodies/pcp/meetings/2024-01-15, "
                     "tenants/wm/bodies/pcp/meetings/2024-02-05",
                     "--cost-centre=Home Office grant",
                     "--role-clauses=3.1 To develop an understanding | 3.5 To present findings"},
                    &out),
            kOk)
      << out;
  const auto& b = bodies_.update.body();
  EXPECT_EQ(b.meeting_window_start(), "2023-11-01");
  EXPECT_EQ(b.meeting_window_end(), "2024-02-29");
  ASSERT_EQ(b.report_meetings_size(), 2);
  EXPECT_EQ(b.report_meetings(1), "tenants/wm/bodies/pcp/meetings/2024-02-05");
  EXPECT_EQ(b.cost_centre(), "Home Office grant");
  ASSERT_EQ(b.role_clauses_size(), 2);
  EXPECT_EQ(b.role_clauses(1), "3.5 To present findings");
  std::vector<std::string> paths(bodies_.update.update_mask().paths().begin(),
                                 bodies_.update.update_mask().paths().end());
  EXPECT_EQ(paths,
            (std::vector<std::string>{"cost_centre", "meeting_window_start", "meeting_window_end",
                                      "report_meetings", "role_clauses"}));
}

}  // namespace
}  // namespace moot::cli
