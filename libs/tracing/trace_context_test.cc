#include "libs/tracing/trace_context.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace moot::tracing {
namespace {

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanId[] = "00f067aa0ba902b7";

struct TraceParentCase {
  const char* name;
  std::string header;
  bool valid;
  uint8_t version = 0;
  uint8_t flags = 0;
};

class TraceParentParseTest : public ::testing::TestWithParam<TraceParentCase> {};

TEST_P(TraceParentParseTest, ParsesOrRejects) {
  const TraceParentCase& c = GetParam();
  absl::StatusOr<TraceParent> tp = ParseTraceParent(c.header);
  ASSERT_EQ(tp.ok(), c.valid) << c.header << " -> " << tp.status();
  if (c.valid) {
    EXPECT_EQ(tp->version, c.version);
    EXPECT_EQ(tp->trace_id, kTraceId);
    EXPECT_EQ(tp->span_id, kSpanId);
    EXPECT_EQ(tp->flags, c.flags);
  } else {
    EXPECT_EQ(tp.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

const std::string kGood = std::string("00-") + kTraceId + "-" + kSpanId + "-01";

INSTANTIATE_TEST_SUITE_P(
    Table, TraceParentParseTest,
    ::testing::Values(
        TraceParentCase{"sampled", kGood, true, 0, 1},
        TraceParentCase{"not_sampled", std::string("00-") + kTraceId + "-" + kSpanId + "-00", true,
                        0, 0},
        TraceParentCase{"other_flags_kept_v00",
                        std::string("00-") + kTraceId + "-" + kSpanId + "-03", true, 0, 3},
        TraceParentCase{"future_version", std::string("cc-") + kTraceId + "-" + kSpanId + "-01",
                        true, 0xcc, 1},
        TraceParentCase{"future_version_extra_fields",
                        std::string("01-") + kTraceId + "-" + kSpanId + "-09-what-the-future-holds",
                        true, 1, 1},
        TraceParentCase{"future_version_extra_without_dash",
                        std::string("01-") + kTraceId + "-" + kSpanId + "-01x", false},
        TraceParentCase{"v00_trailing_data", kGood + "-extra", false},
        TraceParentCase{"version_ff", std::string("ff-") + kTraceId + "-" + kSpanId + "-01", false},
        TraceParentCase{"uppercase_trace_id",
                        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + std::string(kSpanId) + "-01",
                        false},
        TraceParentCase{"uppercase_version", std::string("0A-") + kTraceId + "-" + kSpanId + "-01",
                        false},
        TraceParentCase{"uppercase_flags", std::string("00-") + kTraceId + "-" + kSpanId + "-0A",
                        false},
        TraceParentCase{"zero_trace_id",
                        "00-00000000000000000000000000000000-" + std::string(kSpanId) + "-01",
                        false},
        TraceParentCase{"zero_span_id", std::string("00-") + kTraceId + "-0000000000000000-01",
                        false},
        TraceParentCase{"non_hex", std::string("00-") + kTraceId + "-" + "00f067aa0ba902bz-01",
                        false},
        TraceParentCase{"short_trace_id",
                        "00-4bf92f3577b34da6a3ce929d0e0e473-" + std::string(kSpanId) + "-01",
                        false},
        TraceParentCase{"wrong_delimiter", std::string("00_") + kTraceId + "-" + kSpanId + "-01",
                        false},
        TraceParentCase{"empty", "", false}, TraceParentCase{"dashes", std::string(55, '-'), false},
        TraceParentCase{"spaces", " " + kGood, false}),
    [](const ::testing::TestParamInfo<TraceParentCase>& info) { return info.param.name; });

TEST(TraceParentTest, FormatRoundTripsAndAlwaysWritesVersion00) {
  absl::StatusOr<TraceParent> tp = ParseTraceParent(kGood);
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(FormatTraceParent(*tp), kGood);
  TraceParent future = *ParseTraceParent(std::string("7f-") + kTraceId + "-" + kSpanId + "-01-x");
  EXPECT_EQ(FormatTraceParent(future), kGood);
}

TEST(TraceParentTest, GarbageNeverCrashesAndIsRejected) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> len(0, 120);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s(len(rng), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    accepted += ParseTraceParent(s).ok();
    (void)TraceState::Parse(s);
  }
  EXPECT_EQ(accepted, 0);
  // Mutations of a valid header: every single-byte change to a delimiter is rejected.
  for (size_t pos : {2u, 35u, 52u}) {
    std::string s = kGood;
    s[pos] = 'x';
    EXPECT_FALSE(ParseTraceParent(s).ok()) << s;
  }
  std::string huge(1 << 20, 'a');
  EXPECT_FALSE(ParseTraceParent(huge).ok());
  EXPECT_FALSE(ParseTraceParent(kGood + std::string(1 << 20, '-')).ok());
  EXPECT_FALSE(TraceState::Parse(huge).ok());
  EXPECT_FALSE(TraceState::Parse(std::string(1 << 20, ',') + "a=").ok());
  std::string embedded_nul = kGood;
  embedded_nul[10] = '\0';
  EXPECT_FALSE(ParseTraceParent(embedded_nul).ok());
}

struct TraceStateCase {
  const char* name;
  std::string header;
  bool valid;
  std::string formatted;  // For valid cases.
};

class TraceStateParseTest : public ::testing::TestWithParam<TraceStateCase> {};

TEST_P(TraceStateParseTest, ParsesOrRejects) {
  const TraceStateCase& c = GetParam();
  absl::StatusOr<TraceState> ts = TraceState::Parse(c.header);
  ASSERT_EQ(ts.ok(), c.valid) << c.header << " -> " << ts.status();
  if (c.valid) {
    EXPECT_EQ(ts->Format(), c.formatted);
  }
}

std::string Members(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i > 0) s += ",";
    s += "k" + std::to_string(i) + "=v";
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Table, TraceStateParseTest,
    ::testing::Values(TraceStateCase{"empty", "", true, ""},
                      TraceStateCase{"one", "rojo=00f067aa0ba902b7", true, "rojo=00f067aa0ba902b7"},
                      TraceStateCase{"two_with_ows", "rojo=1 ,\tcongo=t61rcWkgMzE", true,
                                     "rojo=1,congo=t61rcWkgMzE"},
                      TraceStateCase{"empty_members_skipped", ",a=1,,b=2,", true, "a=1,b=2"},
                      TraceStateCase{"multi_tenant", "fw529a3039@dt=ABC,a1/b_c*d-e=x y", true,
                                     "fw529a3039@dt=ABC,a1/b_c*d-e=x y"},
                      TraceStateCase{"tenant_starts_with_digit", "1tenant@sys=v", true,
                                     "1tenant@sys=v"},
                      TraceStateCase{"max_members", Members(32), true, Members(32)},
                      TraceStateCase{"too_many_members", Members(33), false, ""},
                      TraceStateCase{"uppercase_key", "Rojo=1", false, ""},
                      TraceStateCase{"key_starts_with_digit", "1abc=1", false, ""},
                      TraceStateCase{"missing_equals", "rojo", false, ""},
                      TraceStateCase{"empty_value", "rojo=", false, ""},
                      TraceStateCase{"value_trailing_space_inside", "a=b =c", false, ""},
                      TraceStateCase{"value_with_equals", "a=b=c", false, ""},
                      TraceStateCase{"duplicate_key", "a=1,a=2", false, ""},
                      TraceStateCase{"system_too_long", "t@abcdefghijklmno=1", false, ""},
                      TraceStateCase{"two_ats", "a@b@c=1", false, ""},
                      TraceStateCase{"control_char", std::string("a=b\x01"), false, ""}),
    [](const ::testing::TestParamInfo<TraceStateCase>& info) { return info.param.name; });

TEST(TraceStateTest, SetMovesToFrontAndCapsAt32) {
  TraceState ts = *TraceState::Parse(Members(32));
  ASSERT_TRUE(ts.Set("moot", "abc").ok());
  EXPECT_EQ(ts.size(), 32);
  EXPECT_EQ(ts.members().front().first, "moot");
  EXPECT_EQ(ts.Get("k31"), "");  // The last one was dropped.
  ASSERT_TRUE(ts.Set("k5", "new").ok());
  EXPECT_EQ(ts.members().front(), (std::pair<std::string, std::string>("k5", "new")));
  EXPECT_EQ(ts.size(), 32);
  EXPECT_FALSE(ts.Set("BAD", "x").ok());
  EXPECT_FALSE(ts.Set("ok", "has,comma").ok());
}

TEST(SpanContextTest, FromHeadersDropsBadTraceStateButKeepsParent) {
  absl::StatusOr<SpanContext> ctx = SpanContext::FromHeaders(kGood, "BAD=1");
  ASSERT_TRUE(ctx.ok());
  EXPECT_TRUE(ctx->trace_state.empty());
  EXPECT_EQ(ctx->TraceParentHeader(), kGood);
  EXPECT_FALSE(SpanContext::FromHeaders("garbage", "a=1").ok());
}

}  // namespace
}  // namespace moot::tracing
