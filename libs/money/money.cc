#include "libs/money/money.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::money {
namespace {

__extension__ using Int128 = __int128;

constexpr Int128 kMax = std::numeric_limits<int64_t>::max();
constexpr Int128 kMin = std::numeric_limits<int64_t>::min();

absl::StatusOr<int64_t> Fit(Int128 value, absl::string_view what) {
  if (value > kMax || value < kMin) {
    return absl::OutOfRangeError(absl::StrCat(what, " does not fit in 64-bit pence"));
  }
  return static_cast<int64_t>(value);
}

// numerator / denominator rounded; denominator != 0.
Int128 RoundedQuotient(Int128 numerator, Int128 denominator, Rounding rounding) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  Int128 quotient = numerator / denominator;  // Truncates toward zero.
  const Int128 remainder = numerator % denominator;
  if (remainder == 0 || rounding == Rounding::kTowardZero) {
    return quotient;
  }
  const Int128 twice = remainder < 0 ? -2 * remainder : 2 * remainder;
  const Int128 away = numerator < 0 ? -1 : 1;
  if (twice > denominator) {
    return quotient + away;
  }
  if (twice == denominator) {
    if (rounding == Rounding::kHalfAwayFromZero) {
      return quotient + away;
    }
    // Half even: move to the even neighbour.
    return (quotient % 2 == 0) ? quotient : quotient + away;
  }
  return quotient;
}

std::string Digits(Int128 value) {  // value >= 0
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value > 0);
  return out;
}

std::string Grouped(const std::string& digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<int64_t> Add(int64_t a, int64_t b, absl::string_view what) {
  return Fit(static_cast<Int128>(a) + b, what);
}

absl::StatusOr<int64_t> Sub(int64_t a, int64_t b, absl::string_view what) {
  return Fit(static_cast<Int128>(a) - b, what);
}

absl::StatusOr<int64_t> Mul(int64_t a, int64_t b, absl::string_view what) {
  return Fit(static_cast<Int128>(a) * b, what);
}

absl::StatusOr<int64_t> MulDiv(int64_t a, int64_t b, int64_t c, Rounding rounding,
                               absl::string_view what) {
  if (c == 0) {
    return status::InvalidArgument(what, "division by zero");
  }
  // |a * b| < 2^126, so the product never overflows 128 bits.
  return Fit(RoundedQuotient(static_cast<Int128>(a) * b, c, rounding), what);
}

absl::StatusOr<int64_t> Div(int64_t a, int64_t c, Rounding rounding, absl::string_view what) {
  return MulDiv(a, 1, c, rounding, what);
}

absl::StatusOr<int64_t> ApplyBasisPoints(int64_t amount, int64_t basis_points,
                                         absl::string_view what) {
  if (basis_points < -10000 * 100 || basis_points > 10000 * 100) {
    return status::InvalidArgument(what, "a change of more than 10000% is not a plausible rate");
  }
  return MulDiv(amount, 10000 + basis_points, 10000, Rounding::kHalfAwayFromZero, what);
}

absl::StatusOr<int64_t> PortionBasisPoints(int64_t amount, int64_t basis_points,
                                           absl::string_view what) {
  return MulDiv(amount, basis_points, 10000, Rounding::kHalfAwayFromZero, what);
}

std::string PercentString(int64_t numerator, int64_t denominator, int decimals) {
  if (denominator == 0) {
    return "";
  }
  if (decimals < 0) {
    decimals = 0;
  }
  if (decimals > 12) {
    decimals = 12;
  }
  Int128 scale = 100;
  for (int i = 0; i < decimals; ++i) {
    scale *= 10;
  }
  const Int128 scaled = RoundedQuotient(static_cast<Int128>(numerator) * scale, denominator,
                                        Rounding::kHalfAwayFromZero);
  const bool negative = scaled < 0;
  const Int128 magnitude = negative ? -scaled : scaled;
  Int128 unit = 1;
  for (int i = 0; i < decimals; ++i) {
    unit *= 10;
  }
  std::string out = negative ? "-" : "";
  out += Digits(magnitude / unit);
  if (decimals > 0) {
    std::string fraction = Digits(magnitude % unit);
    out += "." + std::string(decimals - fraction.size(), '0') + fraction;
  }
  return out;
}

std::string FormatPounds(int64_t pence) {
  const bool negative = pence < 0;
  const Int128 magnitude = negative ? -static_cast<Int128>(pence) : static_cast<Int128>(pence);
  std::string fraction = Digits(magnitude % 100);
  if (fraction.size() < 2) {
    fraction.insert(fraction.begin(), '0');
  }
  return absl::StrCat(negative ? "-" : "", "£", Grouped(Digits(magnitude / 100)), ".", fraction);
}

std::string FormatGrouped(int64_t pence) {
  const bool negative = pence < 0;
  const Int128 magnitude = negative ? -static_cast<Int128>(pence) : static_cast<Int128>(pence);
  std::string fraction = Digits(magnitude % 100);
  if (fraction.size() < 2) {
    fraction.insert(fraction.begin(), '0');
  }
  return absl::StrCat(negative ? "-" : "", Grouped(Digits(magnitude / 100)), ".", fraction);
}

std::string FormatDecimal(int64_t pence) {
  const bool negative = pence < 0;
  const Int128 magnitude = negative ? -static_cast<Int128>(pence) : static_cast<Int128>(pence);
  std::string fraction = Digits(magnitude % 100);
  if (fraction.size() < 2) {
    fraction.insert(fraction.begin(), '0');
  }
  return absl::StrCat(negative ? "-" : "", Digits(magnitude / 100), ".", fraction);
}

absl::StatusOr<int64_t> ParseHundredths(absl::string_view text, absl::string_view field) {
  const auto bad = [&](absl::string_view why) {
    return status::InvalidArgument(field, absl::StrCat(why, " (got \"", text, "\")"));
  };
  absl::string_view s = absl::StripAsciiWhitespace(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (absl::StartsWith(s, "£")) {
    s.remove_prefix(std::string("£").size());
  }
  if (s.empty()) {
    return bad("must be a number with at most two decimals");
  }
  Int128 whole = 0;
  Int128 fraction = 0;
  int fraction_digits = 0;
  bool in_fraction = false;
  bool any_digit = false;
  for (char c : s) {
    if (c == ',' && !in_fraction) {
      continue;
    }
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return bad("must be a number with at most two decimals");
    }
    any_digit = true;
    if (in_fraction) {
      if (++fraction_digits > 2) {
        return bad("has more than two decimals");
      }
      fraction = fraction * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
      if (whole > kMax) {
        return bad("is too large");
      }
    }
  }
  if (!any_digit) {
    return bad("must be a number with at most two decimals");
  }
  if (fraction_digits == 1) {
    fraction *= 10;
  }
  Int128 value = whole * 100 + fraction;
  if (negative) {
    value = -value;
  }
  if (value > kMax || value < kMin) {
    return bad("is too large");
  }
  return static_cast<int64_t>(value);
}

}  // namespace moot::money
