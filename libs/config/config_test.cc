#include "libs/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/config/config_schema.h"
#include "libs/status/errors.h"

namespace moot::config {
namespace {

using ::testing::HasSubstr;

ConfigSchema TestSchema() {
  ConfigSchema s;
  s.Add(Key::Int("MOOT_GRPC_PORT", 50061).Range(1, 65535).Help("gRPC port."));
  s.Add(Key::String("MOOT_NAME", "svc"));
  s.Add(Key::Bool("MOOT_VERBOSE", false));
  s.Add(Key::Duration("MOOT_GRACE", absl::Seconds(10)));
  s.Add(Key::Enum("MOOT_LEVEL", {"debug", "info"}, "info"));
  s.Add(Key::String("MOOT_OPTIONAL"));
  s.Add(Key::String("MOOT_PASSWORD", "hunter2").Secret());
  return s;
}

struct GoodCase {
  std::string name;
  Environment env;
  std::vector<std::string> args;
  std::string key;
  std::string want;  // Formatted value.
  Source want_source;
};

class LoadGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(LoadGoodTest, ReadsTheValueFromTheRightSource) {
  const GoodCase& c = GetParam();
  const ConfigSchema schema = TestSchema();
  absl::StatusOr<Config> config = Load(schema, c.env, c.args);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->GetSource(c.key), c.want_source);
  std::string got;
  const Key* key = schema.Find(c.key);
  ASSERT_NE(key, nullptr);
  switch (key->type()) {
    case ValueType::kInt:
      got = std::to_string(config->GetInt(c.key));
      break;
    case ValueType::kBool:
      got = config->GetBool(c.key) ? "true" : "false";
      break;
    case ValueType::kDuration:
      got = absl::FormatDuration(config->GetDuration(c.key));
      break;
    default:
      got = config->GetString(c.key);
  }
  EXPECT_EQ(got, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoadGoodTest,
    ::testing::Values(
        GoodCase{"IntDefault", {}, {}, "MOOT_GRPC_PORT", "50061", Source::kDefault},
        GoodCase{"IntFromEnv",
                 {{"MOOT_GRPC_PORT", "1234"}},
                 {},
                 "MOOT_GRPC_PORT",
                 "1234",
                 Source::kEnvironment},
        GoodCase{"FlagOverridesEnv",
                 {{"MOOT_GRPC_PORT", "1234"}},
                 {"--grpc-port=4321"},
                 "MOOT_GRPC_PORT",
                 "4321",
                 Source::kFlag},
        GoodCase{"FlagWithSeparateValue",
                 {},
                 {"--grpc-port", "99"},
                 "MOOT_GRPC_PORT",
                 "99",
                 Source::kFlag},
        GoodCase{"BareBoolFlagIsTrue", {}, {"--verbose"}, "MOOT_VERBOSE", "true", Source::kFlag},
        GoodCase{"BoolFromEnvYes",
                 {{"MOOT_VERBOSE", "YES"}},
                 {},
                 "MOOT_VERBOSE",
                 "true",
                 Source::kEnvironment},
        GoodCase{"BoolFlagFalse",
                 {{"MOOT_VERBOSE", "1"}},
                 {"--verbose=false"},
                 "MOOT_VERBOSE",
                 "false",
                 Source::kFlag},
        GoodCase{
            "Duration", {{"MOOT_GRACE", "1m30s"}}, {}, "MOOT_GRACE", "1m30s", Source::kEnvironment},
        GoodCase{"DurationMillis", {}, {"--grace=250ms"}, "MOOT_GRACE", "250ms", Source::kFlag},
        GoodCase{"EnumIsCaseInsensitive",
                 {{"MOOT_LEVEL", "DEBUG"}},
                 {},
                 "MOOT_LEVEL",
                 "debug",
                 Source::kEnvironment},
        GoodCase{"UnsetOptional", {}, {}, "MOOT_OPTIONAL", "", Source::kUnset},
        GoodCase{"EmptyStringIsAValue",
                 {{"MOOT_OPTIONAL", ""}},
                 {},
                 "MOOT_OPTIONAL",
                 "",
                 Source::kEnvironment},
        GoodCase{"NonMootEnvIsIgnored",
                 {{"HOME", "/root"}, {"PATH", "/bin"}},
                 {},
                 "MOOT_NAME",
                 "svc",
                 Source::kDefault}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  Environment env;
  std::vector<std::string> args;
  std::vector<std::string> want_in_message;
};

class LoadBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(LoadBadTest, FailsNamingTheProblem) {
  const BadCase& c = GetParam();
  absl::StatusOr<Config> config = Load(TestSchema(), c.env, c.args);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(moot::status::Details(config.status()).reason, "CONFIG_INVALID");
  for (const std::string& want : c.want_in_message) {
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(want));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoadBadTest,
    ::testing::Values(
        BadCase{"NonNumericPort",
                {{"MOOT_GRPC_PORT", "http"}},
                {},
                {"MOOT_GRPC_PORT=\"http\"", "not an integer"}},
        BadCase{"PortOutOfRange",
                {},
                {"--grpc-port=70000"},
                {"MOOT_GRPC_PORT=\"70000\"", "--grpc-port", "out of range [1..65535]"}},
        BadCase{"PortZeroOutOfRange", {{"MOOT_GRPC_PORT", "0"}}, {}, {"out of range"}},
        BadCase{"BadDuration", {{"MOOT_GRACE", "soon"}}, {}, {"MOOT_GRACE=\"soon\"", "duration"}},
        BadCase{"DurationWithoutUnit", {{"MOOT_GRACE", "10"}}, {}, {"needs a unit"}},
        BadCase{"NegativeDuration", {{"MOOT_GRACE", "-5s"}}, {}, {"out of range"}},
        BadCase{"BadBool", {{"MOOT_VERBOSE", "maybe"}}, {}, {"MOOT_VERBOSE", "boolean"}},
        BadCase{"BadEnum", {{"MOOT_LEVEL", "loud"}}, {}, {"MOOT_LEVEL", "debug, info"}},
        BadCase{"UnknownEnvWithSuggestion",
                {{"MOOT_GRPC_PROT", "1"}},
                {},
                {"unknown environment variable MOOT_GRPC_PROT", "did you mean MOOT_GRPC_PORT?"}},
        BadCase{"UnknownEnvWithoutSuggestion",
                {{"MOOT_SOMETHING_ELSE_ENTIRELY", "1"}},
                {},
                {"MOOT_SOMETHING_ELSE_ENTIRELY"}},
        BadCase{"UnknownFlagWithSuggestion",
                {},
                {"--grpc-prot=1"},
                {"unknown flag --grpc-prot", "did you mean --grpc-port?"}},
        BadCase{"PositionalArgument", {}, {"serve"}, {"unexpected argument \"serve\""}},
        BadCase{"FlagWithoutValue", {}, {"--grpc-port"}, {"--grpc-port", "needs a value"}},
        BadCase{"SecretIsNotEchoed", {}, {"--name=x", "--nope"}, {"unknown flag --nope"}},
        BadCase{"AllProblemsReportedTogether",
                {{"MOOT_GRPC_PORT", "x"}, {"MOOT_TYPO", "1"}},
                {"--levle=debug"},
                {"MOOT_GRPC_PORT", "MOOT_TYPO", "--levle"}}),
    [](const auto& info) { return info.param.name; });

TEST(LoadTest, RequiredKeyMissingNamesKeyAndFlag) {
  ConfigSchema s;
  s.Add(Key::String("MOOT_DATABASE_URL").Required());
  absl::StatusOr<Config> c = Load(s, Environment{}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("MOOT_DATABASE_URL is required"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("--database-url"));
  EXPECT_EQ(moot::status::Details(c.status()).field_violations.at(0).field, "MOOT_DATABASE_URL");
  // Empty counts as missing for a required string.
  EXPECT_FALSE(Load(s, Environment{{"MOOT_DATABASE_URL", ""}}, {}).ok());
  EXPECT_TRUE(Load(s, Environment{{"MOOT_DATABASE_URL", "sqlite::memory:"}}, {}).ok());
}

TEST(LoadTest, SecretValuesAreNeverShown) {
  ConfigSchema s;
  s.Add(Key::Int("MOOT_PIN", 1).Secret());
  s.Add(Key::String("MOOT_TOKEN", "abc").Secret());
  absl::StatusOr<Config> bad = Load(s, Environment{{"MOOT_PIN", "s3cr3t"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), ::testing::Not(HasSubstr("s3cr3t")));
  absl::StatusOr<Config> good = Load(s, Environment{{"MOOT_TOKEN", "tok-123"}}, {});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->GetString("MOOT_TOKEN"), "tok-123");
  EXPECT_THAT(good->Describe(), ::testing::Not(HasSubstr("tok-123")));
  EXPECT_THAT(good->Describe(), HasSubstr("MOOT_TOKEN=<redacted> (environment)"));
}

TEST(LoadTest, ValidatorFailureNamesKeyAndValue) {
  ConfigSchema s;
  s.Add(Key::String("MOOT_MODE", "a").Validate([](const Value& v) {
    return std::get<std::string>(v) == "a" ? absl::OkStatus()
                                           : absl::InvalidArgumentError("must be a");
  }));
  absl::StatusOr<Config> c = Load(s, Environment{{"MOOT_MODE", "b"}}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("MOOT_MODE=\"b\": must be a"));
}

TEST(LoadTest, BindingsAreWrittenOnlyOnSuccess) {
  int port = -1;
  std::string name = "unchanged";
  absl::Duration grace;
  bool verbose = false;
  ConfigSchema s;
  s.Add(Key::Int("MOOT_PORT", 1).BindTo(&port));
  s.Add(Key::String("MOOT_NAME", "n").BindTo(&name));
  s.Add(Key::Duration("MOOT_GRACE", absl::Seconds(3)).BindTo(&grace));
  s.Add(Key::Bool("MOOT_VERBOSE").BindTo(&verbose));
  ASSERT_FALSE(
      Load(s, Environment{{"MOOT_PORT", "7"}, {"MOOT_NAME", "x"}, {"MOOT_BAD", "1"}}, {}).ok());
  EXPECT_EQ(port, -1);
  EXPECT_EQ(name, "unchanged");
  ASSERT_TRUE(Load(s, Environment{{"MOOT_PORT", "7"}}, {"--verbose"}).ok());
  EXPECT_EQ(port, 7);
  EXPECT_EQ(name, "n");
  EXPECT_EQ(grace, absl::Seconds(3));
  EXPECT_TRUE(verbose);
  // An int binding limits the range to int.
  EXPECT_FALSE(Load(s, Environment{{"MOOT_PORT", "4294967296"}}, {}).ok());
}

TEST(LoadTest, HelpIsReportedWithoutValidation) {
  ConfigSchema s;
  s.Add(Key::String("MOOT_DATABASE_URL").Required());
  absl::StatusOr<Config> c = Load(s, Environment{}, {"--help"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->help_requested());
}

TEST(LoadTest, SchemaErrorsAreReported) {
  struct Case {
    ConfigSchema schema;
    std::string want;
  };
  std::vector<Case> cases;
  cases.push_back({ConfigSchema().Add(Key::Int("GRPC_PORT", 1)), "must look like MOOT_"});
  cases.push_back({ConfigSchema().Add(Key::Int("MOOT_lower", 1)), "must look like MOOT_"});
  cases.push_back(
      {ConfigSchema().Add(Key::Int("MOOT_A", 1)).Add(Key::Int("MOOT_A", 2)), "declared twice"});
  cases.push_back(
      {ConfigSchema().Add(Key::Int("MOOT_A", 0).Range(1, 2)), "default of MOOT_A is invalid"});
  cases.push_back({ConfigSchema().Add(Key::Enum("MOOT_E", {})), "has no values"});
  for (const Case& c : cases) {
    absl::StatusOr<Config> got = Load(c.schema, Environment{}, {});
    ASSERT_FALSE(got.ok()) << c.want;
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.want));
  }
}

TEST(LoadTest, FromEnvironArrays) {
  const char* environ[] = {"MOOT_GRPC_PORT=1000", "PATH=/bin", "MALFORMED", nullptr};
  const char* argv[] = {"prog", "--name=abc", nullptr};
  absl::StatusOr<Config> c = Load(TestSchema(), environ, 2, argv);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->GetInt("MOOT_GRPC_PORT"), 1000);
  EXPECT_EQ(c->GetString("MOOT_NAME"), "abc");
}

TEST(ConfigTest, WrongTypeOrUnknownKeyReadsZero) {
  absl::StatusOr<Config> c = Load(TestSchema(), Environment{}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->GetInt("MOOT_NAME"), 0);
  EXPECT_EQ(c->GetString("MOOT_NOPE"), "");
  EXPECT_FALSE(c->Has("MOOT_NOPE"));
}

TEST(HelpTest, ListsKeysFlagsTypesAndDefaults) {
  std::string help = TestSchema().Help("scheduling");
  EXPECT_THAT(help, HasSubstr("Usage: scheduling"));
  EXPECT_THAT(help, HasSubstr("MOOT_GRPC_PORT, --grpc-port=<int>  (default: 50061)  [1..65535]"));
  EXPECT_THAT(help, HasSubstr("gRPC port."));
  EXPECT_THAT(help, HasSubstr("--level=<debug|info>  (default: info)"));
  EXPECT_THAT(help, HasSubstr("--grace=<duration>  (default: 10s)"));
  EXPECT_THAT(help, HasSubstr("MOOT_PASSWORD, --password=<string>  (default: <secret>)"));
  EXPECT_THAT(help, ::testing::Not(HasSubstr("hunter2")));
}

TEST(FlagNameTest, Converts) {
  EXPECT_EQ(FlagName("MOOT_GRPC_PORT"), "grpc-port");
  EXPECT_EQ(FlagName("MOOT_JWT_HS256_SECRET"), "jwt-hs256-secret");
}

TEST(ClosestMatchTest, SuggestsOnlyNearNames) {
  std::vector<std::string> known = {"MOOT_GRPC_PORT", "MOOT_REDIS_URL"};
  EXPECT_EQ(ClosestMatch("MOOT_REDIS_ULR", known), "MOOT_REDIS_URL");
  EXPECT_EQ(ClosestMatch("MOOT_ZZZZZZZZZZZZZZZZZZ", known), "");
}

}  // namespace
}  // namespace moot::config
