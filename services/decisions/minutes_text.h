// The words of minutes: the three confirmation wordings of earlier minutes (R-MIN-06), parsed
// and written, and the minutes rendered for publication with their style (R-MIN-07) and webcast
// link (R-MIN-08).
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "moot/decisions/v1/minutes.pb.h"

namespace moot::decisions {

// Which of the three wordings `text` uses, in any case: "... be confirmed as a correct record
// and signed by the Chair" -> CONFIRMED_AND_SIGNED, "... were accepted as a correct record ..."
// -> ACCEPTED, "The notes of the last meeting were approved." -> APPROVED. UNSPECIFIED when it
// uses none, or negates it ("were not approved").
v1::ConfirmationWording ParseConfirmationWording(absl::string_view text);

// A confirmation in `wording` (UNSPECIFIED: CONFIRMED_AND_SIGNED) of the minutes of meetings
// held on `meeting_dates` ("YYYY-MM-DD", written "17 July 2023"):
// "That the Minutes of the meeting held on 17 July 2023 be confirmed as a correct record and
// signed by the Chair." / "The notes of the meeting held on 20 December 2022 were accepted as a
// correct record." / "The notes of the meeting held on 1 March 2023 were approved."
std::string ConfirmationText(v1::ConfirmationWording wording,
                             const std::vector<std::string>& meeting_dates);

// `minutes` and `entries` (in number order) as an accessible HTML fragment, text escaped.
std::string RenderMinutesHtml(const v1::Minutes& minutes,
                              const std::vector<v1::MinuteEntry>& entries);

}  // namespace moot::decisions
