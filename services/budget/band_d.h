// Band D council tax from a council tax requirement and a tax base, in exact integer arithmetic.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"

namespace moot::budget {

// Band D in pence = requirement_pence / (tax_base_hundredths / 100), rounded half away from
// zero (Local Government Finance Act 1992 s.44: the requirement divided by the tax base).
// Exact (128-bit intermediates, no floating point). INVALID_ARGUMENT naming
// "precept.tax_base_hundredths" when the base is not positive; OUT_OF_RANGE when the result
// does not fit in int64.
absl::StatusOr<int64_t> BandDPence(int64_t council_tax_requirement_pence,
                                   int64_t tax_base_hundredths);

}  // namespace moot::budget
