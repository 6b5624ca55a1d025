#include "libs/money/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace moot::money {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(MoneyTest, MulDivRoundsAsAsked) {
  struct Case {
    int64_t a, b, c;
    Rounding rounding;
    int64_t expected;
  };
  const Case cases[] = {
      {25, 1, 2, Rounding::kHalfAwayFromZero, 13},    // 12.5 -> 13
      {-25, 1, 2, Rounding::kHalfAwayFromZero, -13},  // -12.5 -> -13
      {25, 1, -2, Rounding::kHalfAwayFromZero, -13},
      {25, 1, 2, Rounding::kHalfEven, 12},  // 12.5 -> 12
      {27, 1, 2, Rounding::kHalfEven, 14},  // 13.5 -> 14
      {-27, 1, 2, Rounding::kHalfEven, -14},
      {129, 1, 10, Rounding::kTowardZero, 12},
      {-129, 1, 10, Rounding::kTowardZero, -12},
      {124, 1, 10, Rounding::kHalfAwayFromZero, 12},
      {126, 1, 10, Rounding::kHalfAwayFromZero, 13},
      // §4.1: the council tax requirement per head of 2,864,925 residents: 3797.30...p.
      {10879000000, 1, 2864925, Rounding::kHalfAwayFromZero, 3797},
      // 128-bit intermediate: (max/2) * 4 / 8 does not overflow.
      {kMax / 2, 4, 8, Rounding::kHalfAwayFromZero, kMax / 4 + 1},  // x.5 rounds up
  };
  for (const Case& c : cases) {
    auto r = MulDiv(c.a, c.b, c.c, c.rounding);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, c.expected) << c.a << "*" << c.b << "/" << c.c;
  }
}

TEST(MoneyTest, OverflowAndDivisionByZeroAreErrors) {
  EXPECT_EQ(Add(kMax, 1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Sub(kMin, 1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Mul(kMax / 2 + 1, 2).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(MulDiv(kMax, 3, 2).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Div(1, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*Add(kMax - 1, 1), kMax);
  EXPECT_EQ(*Sub(-5, 10), -15);
  EXPECT_EQ(*Mul(-3, 7), -21);
}

TEST(MoneyTest, BasisPoints) {
  // £187.55 + 3% = £193.1765 -> £193.18.
  EXPECT_EQ(*ApplyBasisPoints(18755, 300), 19318);
  EXPECT_EQ(*ApplyBasisPoints(18755, -300), 18192);  // 181.9235 -> 181.92
  EXPECT_EQ(*ApplyBasisPoints(100, 0), 100);
  EXPECT_EQ(*PortionBasisPoints(20255, 100), 203);  // 1% of £202.55 = 202.55p -> 203p
  EXPECT_EQ(*PortionBasisPoints(-250, 10000), -250);
  EXPECT_FALSE(ApplyBasisPoints(100, 5000000).ok());
}

TEST(MoneyTest, PercentStringIsExactDecimal) {
  EXPECT_EQ(PercentString(1500, 18755), "7.998");  // §4.9: £15 on £187.55
  EXPECT_EQ(PercentString(1, 8, 1), "12.5");
  EXPECT_EQ(PercentString(1, 3), "33.333");
  EXPECT_EQ(PercentString(2, 3), "66.667");
  EXPECT_EQ(PercentString(-2, 3), "-66.667");
  EXPECT_EQ(PercentString(21, 34, 1), "61.8");  // §4.10: "21 staff (60 per cent)" is 61.8%
  EXPECT_EQ(PercentString(5, 10000, 2), "0.05");
  EXPECT_EQ(PercentString(1, 1, 0), "100");
  EXPECT_EQ(PercentString(1, 0), "");
}

TEST(MoneyTest, FormatAndParse) {
  EXPECT_EQ(FormatPounds(56985000000), "£569,850,000.00");
  EXPECT_EQ(FormatPounds(-107000000), "-£1,070,000.00");
  EXPECT_EQ(FormatPounds(5), "£0.05");
  EXPECT_EQ(FormatPounds(kMin), "-£92,233,720,368,547,758.08");
  EXPECT_EQ(FormatGrouped(-56985000000), "-569,850,000.00");
  EXPECT_EQ(FormatGrouped(5), "0.05");
  EXPECT_EQ(FormatDecimal(-107), "-1.07");
  EXPECT_EQ(FormatDecimal(83900000), "839000.00");

  struct Case {
    std::string text;
    int64_t hundredths;
  };
  const Case good[] = {{"569.85", 56985}, {"-1.07", -107}, {"1,234", 123400}, {"£10", 1000},
                       {"10.5", 1050},    {" 0.05 ", 5},   {"+3", 300}};
  for (const Case& c : good) {
    auto r = ParseHundredths(c.text, "amount");
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status();
    EXPECT_EQ(*r, c.hundredths) << c.text;
  }
  for (const char* bad : {"", "1.234", "1e5", "abc", "1.2.3", "-", "99999999999999999999"}) {
    auto r = ParseHundredths(bad, "amount");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace moot::money
