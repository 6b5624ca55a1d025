#include "tools/moot/cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "moot/scheduling/v1/people.grpc.pb.h"

#include "tools/moot/http_get.h"

namespace moot::cli {
namespace {

TEST(ParseArgsTest, EnvironmentThenFlags) {
  Options options;
  std::ostringstream err;
  ASSERT_TRUE(ParseArgs(
      {"--token", "abc", "--json", "meetings", "list", "tenants/wm/bodies/pcp", "--page-size=5"},
      {{"MOOT_ADDR", "10.0.0.1:1"}, {"MOOT_TOKEN", "env-token"}}, &options, err));
  EXPECT_EQ(options.addr, "10.0.0.1:1");
  EXPECT_EQ(options.token, "abc");
  EXPECT_TRUE(options.json);
  EXPECT_EQ(options.args, (std::vector<std::string>{"meetings", "list", "tenants/wm/bodies/pcp"}));
  EXPECT_EQ(options.flags.at("page-size"), "5");
}

TEST(ParseArgsTest, RejectsUnknownFlagsAndMissingValues) {
  Options options;
  std::ostringstream err;
  EXPECT_FALSE(ParseArgs({"--bogus=1"}, {}, &options, err));
  EXPECT_NE(err.str().find("unknown flag --bogus"), std::string::npos);
  Options more;
  EXPECT_FALSE(ParseArgs({"--token"}, {}, &more, err));
  Options bad_timeout;
  EXPECT_FALSE(ParseArgs({"--timeout=-3"}, {}, &bad_timeout, err));
}

TEST(RunTest, UsageErrorsExitWithTwo) {
  std::ostringstream out;
  std::ostringstream err;
  Options none;
  EXPECT_EQ(cli::Run(none, out, err), kUsage);
  Options unknown;
  unknown.args = {"frobnicate"};
  EXPECT_EQ(cli::Run(unknown, out, err), kUsage);
  EXPECT_NE(err.str().find("unknown command"), std::string::npos);
  Options missing;
  missing.args = {"meetings", "get"};
  EXPECT_EQ(cli::Run(missing, out, err), kUsage);
}

TEST(RunTest, UnreachableGatewayIsUnavailable) {
  std::ostringstream out;
  std::ostringstream err;
  Options options;
  options.addr = "127.0.0.1:1";
  options.timeout_seconds = 1;
  options.args = {"meetings", "get", "tenants/wm/bodies/pcp/meetings/m1"};
  EXPECT_EQ(cli::Run(options, out, err), kUnavailable);
  EXPECT_NE(err.str().find("error:"), std::string::npos);
}

TEST(PrettyTest, HealthAndTraceRender) {
  std::string health = PrettyHealth(
      R"({"status":"SERVING","services":{"gateway":"SERVING","scheduling":{"status":"NOT_SERVING"}}})");
  EXPECT_NE(health.find("overall: SERVING"), std::string::npos);
  EXPECT_NE(health.find("scheduling"), std::string::npos);
  EXPECT_NE(health.find("NOT_SERVING"), std::string::npos);
  EXPECT_EQ(PrettyHealth("not json"), "not json\n");

  std::string trace = PrettyTrace(
      R"([{"traceId":"t1","id":"a","name":"root","kind":"SERVER","timestamp":1,"duration":10,
           "localEndpoint":{"serviceName":"gateway"}},
          {"traceId":"t1","id":"b","parentId":"a","name":"child","kind":"CLIENT","timestamp":2,
           "duration":5,"localEndpoint":{"serviceName":"scheduling"}}])");
  EXPECT_NE(trace.find("trace t1 (2 spans)"), std::string::npos);
  EXPECT_NE(trace.find("  [scheduling] child"), std::string::npos);
}

}  // namespace
}  // namespace moot::cli

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

// In-process fakes of the scheduling services the new commands call.
class FakeAgenda final : public sched::AgendaService::Service {
  grpc::Status ListAgendaItems(grpc::ServerContext*, const sched::ListAgendaItemsRequest* request,
                               sched::ListAgendaItemsResponse* response) override {
    if (request->parent() != "tenants/wm/bodies/pcp/meetings/2023-11-13") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->parent());
    }
    auto* item = response->add_agenda_items();
    item->set_number(1);
    item->set_title("NOTICE OF RECORDING");
    item->set_kind(sched::AGENDA_ITEM_KIND_NOTICE_OF_RECORDING);
    item->set_approximate_time("14:00");
    item = response->add_agenda_items();
    item->set_number(14);
    item->set_title("EXEMPT BUSINESS");
    item->set_kind(sched::AGENDA_ITEM_KIND_REPORT);
    item->set_exempt(true);
    item->set_exempt_paragraph(3);
    return grpc::Status::OK;
  }
};

class FakeMembers final : public sched::MembershipService::Service {
 public:
  std::string last_call;
  grpc::Status ListMemberships(grpc::ServerContext*, const sched::ListMembershipsRequest*,
                               sched::ListMembershipsResponse* response) override {
    last_call = "ListMemberships";
    Add(response->add_memberships());
    return grpc::Status::OK;
  }
  grpc::Status ListMembersAt(grpc::ServerContext*, const sched::ListMembersAtRequest* request,
                             sched::ListMembersAtResponse* response) override {
    last_call = "ListMembersAt " + request->date();
    Add(response->add_memberships());
    return grpc::Status::OK;
  }

 private:
  static void Add(sched::Membership* m) {
    m->set_person("tenants/wm/people/jasbir-jaspal");
    m->set_role(sched::MEMBERSHIP_ROLE_CHAIR);
    m->set_voting(true);
    m->set_start_date("2023-05-22");
  }
};

class SchedulingCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&agenda_);
    builder.RegisterService(&members_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
    }
  }
  int RunArgs(const std::vector<std::string>& argv, std::string* out) {
    Options options;
    std::ostringstream parse_err;
    EXPECT_TRUE(
        ParseArgs(argv, {{"MOOT_ADDR", "127.0.0.1:" + std::to_string(port_)}}, &options, parse_err))
        << parse_err.str();
    std::ostringstream o;
    std::ostringstream e;
    int code = cli::Run(options, o, e);
    *out = o.str() + e.str();
    return code;
  }

  FakeAgenda agenda_;
  FakeMembers members_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(SchedulingCommandsTest, AgendaListPrintsNumbersTimesAndExemption) {
  std::string out;
  ASSERT_EQ(RunArgs({"agenda", "list", "tenants/wm/bodies/pcp/meetings/2023-11-13"}, &out), kOk)
      << out;
  EXPECT_NE(out.find("NOTICE_OF_RECORDING"), std::string::npos) << out;
  EXPECT_NE(out.find("14:00"), std::string::npos);
  EXPECT_NE(out.find("exempt (para 3)"), std::string::npos);
  ASSERT_EQ(
      RunArgs({"--json", "agenda", "list", "tenants/wm/bodies/pcp/meetings/2023-11-13"}, &out),
      kOk);
  EXPECT_NE(out.find("\"agendaItems\""), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"agenda", "list", "tenants/wm/bodies/pcp/meetings/nope"}, &out), kNotFound);
}

TEST_F(SchedulingCommandsTest, MembersListUsesListMembersAtWithAt) {
  std::string out;
  ASSERT_EQ(RunArgs({"members", "list", "tenants/wm/bodies/pcp"}, &out), kOk) << out;
  EXPECT_EQ(members_.last_call, "ListMemberships");
  EXPECT_NE(out.find("MEMBERSHIP_ROLE_CHAIR"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"members", "list", "tenants/wm/bodies/pcp", "--at=2023-11-13"}, &out), kOk);
  EXPECT_EQ(members_.last_call, "ListMembersAt 2023-11-13");
  EXPECT_NE(out.find("jasbir-jaspal"), std::string::npos);
  EXPECT_EQ(RunArgs({"members", "list"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"people", "list"}, &out), kUsage);
}

}  // namespace
}  // namespace moot::cli
