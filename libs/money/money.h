// Exact money (domain.md §9 item 11): amounts are int64 pence, tax bases int64 hundredths of a
// Band D equivalent, percentages basis points (1% = 100). Every operation checks for overflow
// and every division rounds explicitly; nothing here uses binary floating point.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::money {

// How a division rounds.
enum class Rounding {
  kHalfAwayFromZero,  // The default: 12.5 -> 13, -12.5 -> -13.
  kHalfEven,          // Banker's rounding: 12.5 -> 12, 13.5 -> 14.
  kTowardZero,        // Truncation: 12.9 -> 12, -12.9 -> -12.
};

// a + b, a - b, a * b; OUT_OF_RANGE naming `what` when the result does not fit in int64.
absl::StatusOr<int64_t> Add(int64_t a, int64_t b, absl::string_view what = "amount");
absl::StatusOr<int64_t> Sub(int64_t a, int64_t b, absl::string_view what = "amount");
absl::StatusOr<int64_t> Mul(int64_t a, int64_t b, absl::string_view what = "amount");

// a * b / c, exact (128-bit intermediates) and then rounded. INVALID_ARGUMENT (field `what`)
// when c is zero; OUT_OF_RANGE when the result does not fit in int64.
absl::StatusOr<int64_t> MulDiv(int64_t a, int64_t b, int64_t c,
                               Rounding rounding = Rounding::kHalfAwayFromZero,
                               absl::string_view what = "amount");

// a / c rounded (MulDiv(a, 1, c)).
absl::StatusOr<int64_t> Div(int64_t a, int64_t c, Rounding rounding = Rounding::kHalfAwayFromZero,
                            absl::string_view what = "amount");

// `amount` changed by `basis_points` (1% = 100): amount * (10000 + bp) / 10000, rounded.
absl::StatusOr<int64_t> ApplyBasisPoints(int64_t amount, int64_t basis_points,
                                         absl::string_view what = "amount");

// `amount` * bp / 10000, rounded: the part of an amount a percentage stands for.
absl::StatusOr<int64_t> PortionBasisPoints(int64_t amount, int64_t basis_points,
                                           absl::string_view what = "amount");

// numerator / denominator as a percentage with `decimals` decimals, rounded half away from
// zero, e.g. (1500, 18755, 3) -> "7.998". "" when the denominator is zero.
std::string PercentString(int64_t numerator, int64_t denominator, int decimals = 3);

// Pence as pounds for people: "£1,234.56", "-£1.07", "£0.05".
std::string FormatPounds(int64_t pence);
// Pence as pounds without the sign for aligned tables: "1,234.56", "-1.07".
std::string FormatGrouped(int64_t pence);
// Pence as a plain decimal for files: "1234.56", "-1.07".
std::string FormatDecimal(int64_t pence);
// Hundredths as a plain decimal: 83900000 -> "839000.00".
inline std::string FormatHundredths(int64_t hundredths) { return FormatDecimal(hundredths); }

// Parses a decimal with at most two decimals ("569.85", "-1.07", "1,234", "£10", "10.5") into
// hundredths (pence for pounds). INVALID_ARGUMENT naming `field` on anything else (no exponent,
// no third decimal) or on overflow.
absl::StatusOr<int64_t> ParseHundredths(absl::string_view text, absl::string_view field);

}  // namespace moot::money
