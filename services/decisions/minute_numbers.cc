#include "services/decisions/minute_numbers.h"

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace moot::decisions {
namespace {

constexpr int kMaxClause = 39;

std::string LowerRoman(int n) {
  static constexpr std::pair<int, const char*> kDigits[] = {
      {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
  std::string out;
  for (const auto& [value, numeral] : kDigits) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
}

}  // namespace

std::string NumberScope(v1::NumberingScheme scheme, absl::string_view meeting_date) {
  if (scheme == v1::NUMBERING_SCHEME_SEQ_PER_YEAR) {
    return std::string(meeting_date.substr(0, 4));
  }
  return "";
}

std::string DisplayNumber(v1::NumberingScheme scheme, int64_t number,
                          absl::string_view meeting_date) {
  if (scheme == v1::NUMBERING_SCHEME_SEQ_PER_YEAR) {
    // R-MIN-05: "%03d/%02d", e.g. "001/23".
    return absl::StrFormat("%03d/%s", number, meeting_date.substr(2, 2));
  }
  return absl::StrFormat("%d", number);
}

std::string EntryId(v1::NumberingScheme scheme, int64_t number, absl::string_view meeting_date) {
  if (scheme == v1::NUMBERING_SCHEME_SEQ_PER_YEAR) {
    return absl::StrFormat("%03d-%s", number, meeting_date.substr(2, 2));
  }
  return absl::StrFormat("%d", number);
}

std::optional<int> ParseClause(absl::string_view clause) {
  const std::string lower = absl::AsciiStrToLower(clause);
  for (int n = 1; n <= kMaxClause; ++n) {
    if (LowerRoman(n) == lower) {
      return n;
    }
  }
  return std::nullopt;
}

std::string FormatClause(int n, v1::ClauseStyle style) {
  const std::string lower = LowerRoman(n);
  return style == v1::CLAUSE_STYLE_UPPER_ROMAN ? absl::AsciiStrToUpper(lower) : lower;
}

std::string ActionRef::Canonical() const {
  std::string out = absl::StrFormat("%d", minute);
  if (clause > 0) {
    absl::StrAppend(&out, " ", LowerRoman(clause));
  }
  if (!sub_clause.empty()) {
    absl::StrAppend(&out, " ", sub_clause);
  }
  return out;
}

std::string ActionRef::Id() const {
  std::string id = Canonical();
  for (char& c : id) {
    if (c == ' ') {
      c = '-';
    }
  }
  return id;
}

std::optional<ActionRef> ParseActionRef(absl::string_view ref) {
  ref = absl::StripAsciiWhitespace(ref);
  size_t i = 0;
  while (i < ref.size() && absl::ascii_isdigit(static_cast<unsigned char>(ref[i]))) {
    ++i;
  }
  ActionRef out;
  if (i == 0 || i > 9 || !absl::SimpleAtoi(ref.substr(0, i), &out.minute) || out.minute <= 0) {
    return std::nullopt;
  }
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(ref.substr(i));
  size_t j = 0;
  while (j < rest.size() && std::string_view("ivxIVX").find(rest[j]) != std::string_view::npos) {
    ++j;
  }
  if (j > 0) {
    auto clause = ParseClause(rest.substr(0, j));
    if (!clause) {
      return std::nullopt;
    }
    out.clause = *clause;
    rest = absl::StripLeadingAsciiWhitespace(rest.substr(j));
  }
  if (rest.size() == 1 && absl::ascii_isalpha(static_cast<unsigned char>(rest[0])) && j > 0) {
    out.sub_clause = std::string(1, absl::ascii_tolower(static_cast<unsigned char>(rest[0])));
    rest = rest.substr(1);
  }
  if (!rest.empty()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace moot::decisions
