// Minute numbers and resolution clause numerals (R-MIN-03, R-MIN-04, R-MIN-05).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "moot/decisions/v1/minutes.pb.h"

namespace moot::decisions {

// The counter a number is drawn from: "" for RUNNING_INT (one sequence per body, never
// restarting), the calendar year ("2023") for SEQ_PER_YEAR.
std::string NumberScope(v1::NumberingScheme scheme, absl::string_view meeting_date);

// "746" (RUNNING_INT) or "001/23" (SEQ_PER_YEAR, the meeting's year).
std::string DisplayNumber(v1::NumberingScheme scheme, int64_t number,
                          absl::string_view meeting_date);

// The resource id of an entry: "746", or "001-23".
std::string EntryId(v1::NumberingScheme scheme, int64_t number, absl::string_view meeting_date);

// Parses a roman numeral clause in either case ("ii", "II", "iii") into 1..39; nullopt when it
// is not one.
std::optional<int> ParseClause(absl::string_view clause);

// The numeral of `n` in the style ("ii" or "II").
std::string FormatClause(int n, v1::ClauseStyle style);

// An action tracker reference: "751 ii", "698iii", "687 iii a", "620" (R-ACT-04, §8 A2).
struct ActionRef {
  int64_t minute = 0;
  int clause = 0;          // 0 when the reference names the whole minute.
  std::string sub_clause;  // "a".."z" or "".
  // "751 ii", "687 iii a", "620".
  std::string Canonical() const;
  // "751-ii", "687-iii-a", "620": the action's resource id.
  std::string Id() const;
};

// Parses a reference tolerantly: the minute number, an optional roman clause in either case
// with or without a space, an optional letter sub-clause. nullopt when it is not one.
std::optional<ActionRef> ParseActionRef(absl::string_view ref);

}  // namespace moot::decisions
