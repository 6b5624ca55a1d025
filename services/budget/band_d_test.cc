#include "services/budget/band_d.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace moot::budget {
namespace {

TEST(BandDTest, ExactCasesRoundHalfAwayFromZero) {
  struct Case {
    int64_t requirement_pence;
    int64_t tax_base_hundredths;
    int64_t band_d_pence;
  };
  const Case cases[] = {
      // £100.00 over 1.00 Band D equivalents: exactly 10000p.
      {10000, 100, 10000},
      // 1p over 0.03 -> 33.33...p -> 33.
      {1, 3, 33},
      // 2p over 0.03 -> 66.66...p -> 67.
      {2, 3, 67},
      // A tie: 1p over 0.08 -> 12.5p -> 13 (away from zero, not to even).
      {1, 8, 13},
      // Another tie: 5p over 0.40 -> 12.5 -> 13; 3p over 0.40 -> 7.5 -> 8.
      {5, 40, 13},
      {3, 40, 8},
      // Just below a tie: 12.4999.. -> 12.
      {124999, 1000000, 12},
      // Zero requirement.
      {0, 12345678, 0},
      // West Midlands-like figures: £199,463,000.00 over 857,233.41 Band D equivalents
      // -> 23268.225...p -> 23268p.
      {19946300000, 85723341, 23268},
      // Large values need more than 64 bits in the intermediate product.
      {std::numeric_limits<int64_t>::max() / 10, 1000, 92233720368547758},
  };
  for (const Case& c : cases) {
    auto band_d = BandDPence(c.requirement_pence, c.tax_base_hundredths);
    ASSERT_TRUE(band_d.ok()) << band_d.status();
    EXPECT_EQ(*band_d, c.band_d_pence) << c.requirement_pence << " / " << c.tax_base_hundredths;
  }
}

TEST(BandDTest, RefusesNonPositiveBaseAndOverflow) {
  EXPECT_EQ(BandDPence(100, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BandDPence(100, -5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BandDPence(std::numeric_limits<int64_t>::max(), 1).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace moot::budget
