#include "tools/moot/cli.h"

#include <gtest/gtest.h>

#include <sstream>

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
