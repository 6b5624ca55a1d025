// Who may vote on an agenda item at a given time, computed from the memberships in force, the
// meeting's attendance and the declarations on the item (domain.md §3.3, §9 items 4 and 5).
// Pure: no storage, no clock; AttendanceLogic gathers the inputs.
#pragma once

#include <string>
#include <vector>

#include "moot/scheduling/v1/attendance.pb.h"
#include "moot/scheduling/v1/people.pb.h"

namespace moot::scheduling {

// Reason codes of VoterEligibility.reason.
inline constexpr char kNotVotingMember[] = "NOT_VOTING_MEMBER";
inline constexpr char kInterestWithoutDispensation[] = "INTEREST_WITHOUT_DISPENSATION";
inline constexpr char kNotPresent[] = "NOT_PRESENT";
inline constexpr char kArrivedAfterVote[] = "ARRIVED_AFTER_VOTE";
inline constexpr char kLeftBeforeVote[] = "LEFT_BEFORE_VOTE";

// The inputs of one eligibility computation.
struct EligibilityInput {
  // The body's memberships in force on the vote's date (any role, SUBSTITUTE included).
  std::vector<v1::Membership> memberships;
  // Every attendance row of the meeting.
  std::vector<v1::Attendance> attendance;
  // The declarations on the item voted on (empty when only presence matters).
  std::vector<v1::Declaration> declarations;
  // The vote's local time "HH:MM"; empty ignores late arrivals and early departures.
  std::string vote_time;
  // The body's quorum, 0 = none.
  int quorum = 0;
};

// The rules, each from domain.md:
// - N (member_count) is every non-SUBSTITUTE membership in force: vacancies are not members and
//   members excluded by an interest still count (§9 item 5).
// - NOT_VOTING_MEMBER: the membership has no voting right.
// - INTEREST_WITHOUT_DISPENSATION (§3.3, ENFORCE when counting votes): a disclosable pecuniary
//   or other registerable interest without a dispensation. A SENSITIVE interest is a registerable
//   interest whose nature is withheld, so it excludes likewise; a NON_REGISTERABLE one does not.
// - NOT_PRESENT: APOLOGIES, ABSENT or ALSO_PRESENT rows, a member whose seat a substitute took,
//   and — once anyone has been recorded PRESENT or SUBSTITUTE — a member with no row at all.
// - ARRIVED_AFTER_VOTE / LEFT_BEFORE_VOTE: present from arrived_at (inclusive) until left_at
//   (exclusive), to the minute.
// - A substitute (SUBSTITUTE row, on_behalf_of a member) takes that member's seat: listed after
//   the member, votes when the member's membership is a voting one and the substitute is present
//   and has no blocking interest; not counted in N.
// - present_count: voting seats filled by someone present at the vote time, 0 until attendance
//   is recorded; quorate when no quorum is set or present_count >= quorum (R-MTG-10, §9 item
//   4: the quorum is configuration, a head count of voting members present).
v1::ListEligibleVotersResponse ComputeEligibility(const EligibilityInput& input);

}  // namespace moot::scheduling
