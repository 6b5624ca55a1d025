#include "services/budget/band_d.h"

#include <limits>

#include "libs/status/errors.h"

namespace moot::budget {

absl::StatusOr<int64_t> BandDPence(int64_t council_tax_requirement_pence,
                                   int64_t tax_base_hundredths) {
  if (tax_base_hundredths <= 0) {
    return status::InvalidArgument("precept.tax_base_hundredths", "must be greater than zero");
  }
  __extension__ using Int128 = __int128;
  const Int128 numerator = static_cast<Int128>(council_tax_requirement_pence) * 100;
  const Int128 denominator = tax_base_hundredths;
  Int128 quotient = numerator / denominator;  // Truncates toward zero.
  const Int128 remainder = numerator % denominator;
  const Int128 twice_remainder = remainder < 0 ? -2 * remainder : 2 * remainder;
  if (twice_remainder >= denominator) {  // Half or more: away from zero.
    quotient += numerator < 0 ? -1 : 1;
  }
  if (quotient > std::numeric_limits<int64_t>::max() ||
      quotient < std::numeric_limits<int64_t>::min()) {
    return absl::OutOfRangeError("band D does not fit in 64-bit pence");
  }
  return static_cast<int64_t>(quotient);
}

}  // namespace moot::budget
