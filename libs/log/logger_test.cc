#include "libs/log/logger.h"

#include <gtest/gtest.h>

namespace moot::log {
namespace {

TEST(LoggerTest, FormatsOneJsonObjectPerLine) {
  std::string line = FormatLine("2023-11-13T10:00:00.000000Z", Level::kWarning, "scheduling",
                                "4bf92f3577b34da6a3ce929d0e0e4736", "agenda \"late\"",
                                {{"meeting", "tenants/wm/bodies/pcp/meetings/m1"}});
  EXPECT_EQ(line,
            "{\"ts\":\"2023-11-13T10:00:00.000000Z\",\"level\":\"warning\",\"service\":"
            "\"scheduling\",\"msg\":\"agenda \\\"late\\\"\",\"trace_id\":"
            "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"meeting\":"
            "\"tenants/wm/bodies/pcp/meetings/m1\"}\n");
}

TEST(LoggerTest, OmitsEmptyTraceId) {
  std::string line = FormatLine("t", Level::kInfo, "s", "", "m", {});
  EXPECT_EQ(line.find("trace_id"), std::string::npos);
}

TEST(LoggerTest, EscapesControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(JsonEscape("a\nb\x01"), "a\\nb\\u0001");
  EXPECT_EQ(JsonEscape("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(JsonEscape("bad\xFF"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(JsonEscape("trunc\xE2\x82"), "trunc\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(LoggerTest, ParsesLevels) {
  Level level;
  EXPECT_TRUE(ParseLevel("WARN", &level));
  EXPECT_EQ(level, Level::kWarning);
  EXPECT_FALSE(ParseLevel("loud", &level));
}

TEST(LoggerTest, ThreadTraceIdIsPerThread) {
  SetThreadTraceId("abc");
  EXPECT_EQ(ThreadTraceId(), "abc");
  SetThreadTraceId("");
  EXPECT_EQ(ThreadTraceId(), "");
}

}  // namespace
}  // namespace moot::log
