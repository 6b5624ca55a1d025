// A body's regular meeting pattern (R-MTG-05) and the advisory warnings on a meeting (R-MTG-05
// off-pattern, R-MTG-06 webcast), independent of storage and gRPC.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::scheduling {

// INVALID_ARGUMENT naming `field` + ".weekday", ".ordinal", ".start_time", ".duration_minutes",
// ".months", ".venue" or ".title".
absl::Status ValidateMeetingPattern(const v1::MeetingPattern& pattern, absl::string_view field);

// The day of `pattern` in the month of `month` (any day of it), or nullopt when the pattern
// skips that month. `pattern` must be valid.
std::optional<absl::CivilDay> PatternDayInMonth(const v1::MeetingPattern& pattern,
                                                absl::CivilMonth month);

// The pattern's days from `from` to `to`, both inclusive, in order.
std::vector<absl::CivilDay> PatternDays(const v1::MeetingPattern& pattern, absl::CivilDay from,
                                        absl::CivilDay to);

// "the third Tuesday of each month at 10:00", "the last Monday of Jan, Mar at 14:00".
std::string DescribePattern(const v1::MeetingPattern& pattern);

// The advisory findings on `meeting` of `body` (scheduling.proto Meeting.warnings):
// MEETING_OFF_PATTERN (R-MTG-05) and WEBCAST_URL_MISSING (R-MTG-06).
std::vector<std::string> MeetingWarnings(const v1::Body& body, const v1::Meeting& meeting);

}  // namespace moot::scheduling
