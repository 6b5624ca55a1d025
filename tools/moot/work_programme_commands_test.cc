// `moot workprogramme ...` for the rules R-WP-02/03/04/06, run in-process against a fake
// WorkProgrammeService.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/work_programme.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

class FakeWorkProgramme final : public sched::WorkProgrammeService::Service {
 public:
  sched::CreateWorkProgrammeItemRequest create;
  sched::UpdateWorkProgrammeItemRequest update;
  sched::RecordChairInputRequest input;
  sched::AgreeQuarterRequest agree;
  sched::GetWorkProgrammeQuarterRequest get;
  grpc::Status CreateWorkProgrammeItem(grpc::ServerContext*,
                                       const sched::CreateWorkProgrammeItemRequest* request,
                                       sched::WorkProgrammeItem* response) override {
    create = *request;
    *response = request->item();
    response->add_warnings("OPERATIONAL_FOCUS: strategic, not operational (R-WP-06)");
    return grpc::Status::OK;
  }
  grpc::Status UpdateWorkProgrammeItem(grpc::ServerContext*,
                                       const sched::UpdateWorkProgrammeItemRequest* request,
                                       sched::WorkProgrammeItem* response) override {
    update = *request;
    *response = request->item();
    return grpc::Status::OK;
  }
  grpc::Status RecordChairInput(grpc::ServerContext*, const sched::RecordChairInputRequest* request,
                                sched::WorkProgrammeQuarter* response) override {
    input = *request;
    response->set_quarter(request->quarter());
    *response->add_chair_inputs() = request->input();
    return grpc::Status::OK;
  }
  grpc::Status AgreeQuarter(grpc::ServerContext*, const sched::AgreeQuarterRequest* request,
                            sched::WorkProgrammeQuarter* response) override {
    agree = *request;
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "WP_CHAIR_INPUT_MISSING: no input recorded from the Deputy Chair");
  }
  grpc::Status GetWorkProgrammeQuarter(grpc::ServerContext*,
                                       const sched::GetWorkProgrammeQuarterRequest* request,
                                       sched::WorkProgrammeQuarter* response) override {
    get = *request;
    response->set_name(request->name());
    response->set_agreed(true);
    response->add_agreed_items("tenants/wm/bodies/pcp/workProgrammeItems/precept");
    return grpc::Status::OK;
  }
};

class WorkProgrammeCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
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

  FakeWorkProgramme service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(WorkProgrammeCommandsTest, ItemRuleFlags) {
  std::string out;
  ASSERT_EQ(RunArgs({"workprogramme", "add", "tenants/wm/bodies/pcp", "--topic=Road Safety",
                     "--year=2023/24", "--type=exploratory", "--priority=high",
                     "--priority-reason=public interest", "--opcc=agreed",
                     "--opcc-focus=Casualty reduction", "--focus=operational"},
                    &out),
            kOk)
      << out;
  const auto& item = service_.create.item();
  EXPECT_EQ(item.item_type(), sched::WORK_PROGRAMME_ITEM_TYPE_EXPLORATORY);
  EXPECT_EQ(item.priority(), sched::WORK_PROGRAMME_PRIORITY_HIGH);
  EXPECT_EQ(item.priority_reason(), "public interest");
  EXPECT_EQ(item.opcc_liaison(), sched::OPCC_LIAISON_AGREED);
  EXPECT_EQ(item.opcc_focus(), "Casualty reduction");
  EXPECT_EQ(item.focus(), sched::WORK_PROGRAMME_FOCUS_OPERATIONAL);
  EXPECT_NE(out.find("OPERATIONAL_FOCUS"), std::string::npos) << out;
  EXPECT_NE(out.find("exploratory"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"workprogramme", "update", "tenants/wm/bodies/pcp/workProgrammeItems/x",
                     "--priority=none", "--opcc=requested"},
                    &out),
            kOk)
      << out;
  std::vector<std::string> paths(service_.update.update_mask().paths().begin(),
                                 service_.update.update_mask().paths().end());
  EXPECT_EQ(paths, (std::vector<std::string>{"priority", "opcc_liaison"}));
  EXPECT_EQ(service_.update.item().priority(), sched::WORK_PROGRAMME_PRIORITY_UNSPECIFIED);
  EXPECT_EQ(service_.update.item().opcc_liaison(), sched::OPCC_LIAISON_REQUESTED);

  EXPECT_EQ(RunArgs({"workprogramme", "add", "tenants/wm/bodies/pcp", "--type=urgent"}, &out),
            kUsage);
  EXPECT_EQ(RunArgs({"workprogramme", "add", "tenants/wm/bodies/pcp", "--focus=tactical"}, &out),
            kUsage);
}

TEST_F(WorkProgrammeCommandsTest, QuarterCommands) {
  std::string out;
  ASSERT_EQ(RunArgs({"workprogramme", "chair-input", "tenants/wm/bodies/pcp", "--quarter=2024-Q1",
                     "--role=deputy-chair", "--input=Agreed"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(service_.input.quarter(), "2024-Q1");
  EXPECT_EQ(service_.input.input().role(), sched::CHAIR_ROLE_DEPUTY_CHAIR);
  EXPECT_EQ(service_.input.input().input(), "Agreed");
  EXPECT_NE(out.find("deputy_chair"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"workprogramme", "chair-input", "tenants/wm/bodies/pcp", "--quarter=2024-Q1",
                     "--role=mayor", "--input=x"},
                    &out),
            kUsage);

  EXPECT_NE(
      RunArgs({"workprogramme", "agree-quarter", "tenants/wm/bodies/pcp", "--quarter=2024-Q1"},
              &out),
      kOk);
  EXPECT_EQ(service_.agree.quarter(), "2024-Q1");
  EXPECT_NE(out.find("WP_CHAIR_INPUT_MISSING"), std::string::npos) << out;

  ASSERT_EQ(
      RunArgs({"workprogramme", "quarter", "tenants/wm/bodies/pcp", "--quarter=2024-Q1"}, &out),
      kOk)
      << out;
  EXPECT_EQ(service_.get.name(), "tenants/wm/bodies/pcp/workProgrammeQuarters/2024-q1");
  EXPECT_NE(out.find("workProgrammeItems/precept"), std::string::npos) << out;
}

}  // namespace
}  // namespace moot::cli
