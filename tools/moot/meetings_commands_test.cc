// `moot meetings ...` and `moot bodies ...` commands added for the scheduling rules (R-MTG-11,
// R-MTG-05), run in-process against fake gRPC services.
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
  grpc::Status UpdateMeeting(grpc::ServerContext*, const sched::UpdateMeetingRequest* request,
                             sched::Meeting* response) override {
    update = *request;
    *response = request->meeting();
    return grpc::Status::OK;
  }
};

class MeetingsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&meetings_);
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

}  // namespace
}  // namespace moot::cli
