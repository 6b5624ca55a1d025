// `moot calendar ...`, `moot bodies ...` and the meeting life-cycle commands, run in-process
// against fake gRPC services.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/calendar.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

class FakeCalendar final : public sched::CalendarService::Service {
 public:
  sched::ComputeDeadlineRequest last;
  grpc::Status ComputeDeadline(grpc::ServerContext*, const sched::ComputeDeadlineRequest* request,
                               sched::ComputeDeadlineResponse* response) override {
    last = *request;
    if (request->date() != "2023-02-28") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "date: must be a date");
    }
    response->set_deadline_date("2023-02-17");
    response->mutable_deadline_time()->set_seconds(1676678340);  // 23:59 GMT.
    return grpc::Status::OK;
  }
  grpc::Status ListClosures(grpc::ServerContext*, const sched::ListClosuresRequest* request,
                            sched::ListClosuresResponse* response) override {
    auto* c = response->add_closures();
    c->set_name(request->parent() + "/closures/2024-12-24");
    c->set_date("2024-12-24");
    c->set_description("Christmas Eve closure");
    return grpc::Status::OK;
  }
  grpc::Status CreateClosure(grpc::ServerContext*, const sched::CreateClosureRequest* request,
                             sched::Closure* response) override {
    *response = request->closure();
    response->set_name(request->parent() + "/closures/" + request->closure().date());
    return grpc::Status::OK;
  }
};

class FakeMeetings final : public sched::MeetingService::Service {
 public:
  sched::TransitionMeetingRequest transition;
  sched::RescheduleMeetingRequest reschedule;
  sched::CreateMeetingRequest create;
  grpc::Status TransitionMeeting(grpc::ServerContext*,
                                 const sched::TransitionMeetingRequest* request,
                                 sched::Meeting* response) override {
    transition = *request;
    response->set_name(request->name());
    response->set_status(request->status());
    response->set_status_reason(request->reason());
    return grpc::Status::OK;
  }
  grpc::Status RescheduleMeeting(grpc::ServerContext*,
                                 const sched::RescheduleMeetingRequest* request,
                                 sched::Meeting* response) override {
    reschedule = *request;
    response->set_name(request->name());
    *response->mutable_start_time() = request->start_time();
    return grpc::Status::OK;
  }
  grpc::Status CreateMeeting(grpc::ServerContext*, const sched::CreateMeetingRequest* request,
                             sched::Meeting* response) override {
    create = *request;
    *response = request->meeting();
    response->set_name(request->parent() + "/meetings/" + request->meeting_id());
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
  grpc::Status GetBody(grpc::ServerContext*, const sched::GetBodyRequest* request,
                       sched::Body* response) override {
    response->set_name(request->name());
    response->set_kind(sched::BODY_KIND_SUB_GROUP);
    response->add_warnings("SUBGROUP_NO_INDEPENDENT: no independent member (R-SG-03)");
    return grpc::Status::OK;
  }
};

class CalendarCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&calendar_);
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

  FakeCalendar calendar_;
  FakeMeetings meetings_;
  FakeBodies bodies_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(CalendarCommandsTest, DeadlinePrintsTheDateOnItsFirstLine) {
  std::string out;
  ASSERT_EQ(RunArgs({"calendar", "deadline", "--meeting", "2023-02-28", "--days", "7", "--unit",
                     "working"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(out.substr(0, out.find('\n')), "2023-02-17");
  EXPECT_NE(out.find("Friday 17 February 2023, by 23:59 GMT"), std::string::npos) << out;
  EXPECT_EQ(calendar_.last.unit(), sched::DAY_UNIT_WORKING);
  EXPECT_EQ(calendar_.last.days(), 7);
  EXPECT_EQ(calendar_.last.parent(), "");  // National bank holidays only.

  ASSERT_EQ(RunArgs({"calendar", "deadline", "--meeting=2023-02-28", "--days=4", "--unit=calendar",
                     "--tenant=west-midlands"},
                    &out),
            kOk);
  EXPECT_EQ(calendar_.last.unit(), sched::DAY_UNIT_CALENDAR);
  EXPECT_EQ(calendar_.last.parent(), "tenants/west-midlands");
  ASSERT_EQ(
      RunArgs({"calendar", "deadline", "--meeting=2023-02-28", "--days=5", "--unit=clear"}, &out),
      kOk);
  EXPECT_EQ(calendar_.last.unit(), sched::DAY_UNIT_CLEAR);

  EXPECT_EQ(
      RunArgs({"calendar", "deadline", "--meeting=2023-02-28", "--days=7", "--unit=weeks"}, &out),
      kUsage);
  EXPECT_EQ(RunArgs({"calendar", "deadline", "--days=7"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"calendar", "deadline", "--meeting=2023-02-30", "--days=7"}, &out), kInvalid);
}

TEST_F(CalendarCommandsTest, ClosuresListAndAdd) {
  std::string out;
  ASSERT_EQ(RunArgs({"calendar", "closures", "west-midlands"}, &out), kOk) << out;
  EXPECT_NE(out.find("Christmas Eve closure"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"calendar", "closures", "add", "tenants/wm", "--date=2024-12-24",
                     "--description=Closure"},
                    &out),
            kOk)
      << out;
  EXPECT_NE(out.find("tenants/wm/closures/2024-12-24"), std::string::npos) << out;
}

TEST_F(CalendarCommandsTest, MeetingLifecycleCommands) {
  std::string out;
  const std::string m = "tenants/wm/bodies/pcp/meetings/2024-02-19";
  ASSERT_EQ(RunArgs({"meetings", "cancel", m, "--reason=No veto"}, &out), kOk) << out;
  EXPECT_EQ(meetings_.transition.status(), sched::MEETING_STATUS_CANCELLED);
  EXPECT_EQ(meetings_.transition.reason(), "No veto");
  ASSERT_EQ(RunArgs({"meetings", "confirm", m, "--reason=Vetoed"}, &out), kOk);
  EXPECT_EQ(meetings_.transition.status(), sched::MEETING_STATUS_SCHEDULED);
  ASSERT_EQ(RunArgs({"meetings", "postpone", m, "--reason=x"}, &out), kOk);
  EXPECT_EQ(meetings_.transition.status(), sched::MEETING_STATUS_POSTPONED);
  ASSERT_EQ(RunArgs({"meetings", "held", m}, &out), kOk);
  EXPECT_EQ(meetings_.transition.status(), sched::MEETING_STATUS_HELD);

  ASSERT_EQ(
      RunArgs({"meetings", "reschedule", m, "--start=2024-02-26 14:00", "--reason=Moved"}, &out),
      kOk)
      << out;
  EXPECT_EQ(meetings_.reschedule.start_time().seconds(), 1708956000);  // 14:00 GMT.
  EXPECT_EQ(RunArgs({"meetings", "reschedule", m, "--start=next week"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"meetings", "create", "tenants/wm/bodies/pcp", "2024-02-19",
                     "--title=Police and Crime Panel", "--start=2024-02-19T14:00",
                     "--kind=provisional", "--draft=true"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(meetings_.create.meeting().kind(), sched::MEETING_KIND_PROVISIONAL);
  EXPECT_EQ(meetings_.create.meeting().status(), sched::MEETING_STATUS_DRAFT);
  EXPECT_EQ(meetings_.create.meeting().start_time().seconds(), 1708351200);
  // A flag another command takes is refused here.
  EXPECT_EQ(RunArgs({"meetings", "held", m, "--reason=x"}, &out), kUsage);
}

TEST_F(CalendarCommandsTest, BodiesUpdateBuildsTheMask) {
  std::string out;
  ASSERT_EQ(
      RunArgs({"bodies", "update", "tenants/wm/bodies/spcb", "--question-days=7",
               "--question-unit=working", "--quorum=5", "--website=www.example.org", "--etag=3"},
              &out),
      kOk)
      << out;
  std::vector<std::string> paths(bodies_.update.update_mask().paths().begin(),
                                 bodies_.update.update_mask().paths().end());
  EXPECT_EQ(paths, (std::vector<std::string>{"website", "rules.public_question_deadline",
                                             "rules.quorum"}));
  EXPECT_EQ(bodies_.update.body().rules().public_question_deadline().unit(),
            sched::DAY_UNIT_WORKING);
  EXPECT_EQ(bodies_.update.body().etag(), "3");
  EXPECT_EQ(RunArgs({"bodies", "update", "tenants/wm/bodies/spcb"}, &out), kUsage);
  ASSERT_EQ(RunArgs({"bodies", "get", "tenants/wm/bodies/budget"}, &out), kOk);
  EXPECT_NE(out.find("SUBGROUP_NO_INDEPENDENT"), std::string::npos) << out;
}

}  // namespace
}  // namespace moot::cli
