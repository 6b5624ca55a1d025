// The arithmetic of a vote (domain.md §9 item 5; R-PR veto): counts, the votes required by the
// rule and the outcome. Pure functions: the outcome is computed, never typed.
#pragma once

#include "absl/status/status.h"
#include "moot/decisions/v1/votes.pb.h"

namespace moot::decisions {

// ceil(2N/3): the votes for a two-thirds-of-members motion needs (16 -> 11, 15 -> 10,
// 14 -> 10, 12 -> 8). N counts every member at the time, present or not, eligible or not.
int TwoThirdsRequired(int members);

// Fills the counts, `required`, `outcome`, `outcome_reason` and `decided_by_casting_vote` of
// `vote` from its rule, ballots and member_count. INVALID_ARGUMENT naming "vote.casting_vote"
// when a tied SIMPLE vote with a casting vote has none given (or one that is not FOR/AGAINST).
absl::Status ComputeOutcome(v1::Vote& vote);

}  // namespace moot::decisions
