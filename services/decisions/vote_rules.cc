#include "services/decisions/vote_rules.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::decisions {

int TwoThirdsRequired(int members) { return (2 * members + 2) / 3; }

absl::Status ComputeOutcome(v1::Vote& vote) {
  int votes_for = 0, against = 0, abstain = 0, absent = 0;
  for (const v1::Ballot& b : vote.ballots()) {
    switch (b.choice()) {
      case v1::BALLOT_CHOICE_FOR:
        ++votes_for;
        break;
      case v1::BALLOT_CHOICE_AGAINST:
        ++against;
        break;
      case v1::BALLOT_CHOICE_ABSTAIN:
        ++abstain;
        break;
      default:
        ++absent;
    }
  }
  vote.set_votes_for(votes_for);
  vote.set_votes_against(against);
  vote.set_abstentions(abstain);
  vote.set_absent(absent);
  vote.set_decided_by_casting_vote(false);
  bool carried = false;
  switch (vote.rule()) {
    case v1::MAJORITY_RULE_SIMPLE: {
      // A simple majority of the votes cast; abstentions are not votes cast.
      vote.set_required(against + 1);
      if (votes_for != against) {
        carried = votes_for > against;
        vote.set_outcome_reason(absl::StrCat(votes_for, " for, ", against, " against"));
      } else if (vote.chair_casting_vote() && votes_for > 0) {
        if (vote.casting_vote() != v1::BALLOT_CHOICE_FOR &&
            vote.casting_vote() != v1::BALLOT_CHOICE_AGAINST) {
          return status::InvalidArgument("vote.casting_vote",
                                         "a tie needs the Chair's casting vote, FOR or AGAINST");
        }
        carried = vote.casting_vote() == v1::BALLOT_CHOICE_FOR;
        vote.set_decided_by_casting_vote(true);
        vote.set_outcome_reason(absl::StrCat(votes_for, " for, ", against,
                                             " against; the Chair's casting vote ",
                                             carried ? "for" : "against"));
      } else {
        carried = false;
        vote.set_outcome_reason(
            absl::StrCat(votes_for, " for, ", against, " against: a tie is lost"));
      }
      break;
    }
    case v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS: {
      // §9 item 5: two-thirds of the persons who are members at the time, not of those present.
      const int required = TwoThirdsRequired(vote.member_count());
      vote.set_required(required);
      carried = vote.member_count() > 0 && votes_for >= required;
      vote.set_outcome_reason(absl::StrCat(votes_for, " for of ", vote.member_count(), " members; ",
                                           required, " required"));
      break;
    }
    case v1::MAJORITY_RULE_UNANIMOUS: {
      vote.set_required(votes_for + against + abstain);
      carried = votes_for > 0 && against == 0 && abstain == 0;
      vote.set_outcome_reason(absl::StrCat(votes_for, " for, ", against, " against, ", abstain,
                                           " abstaining; unanimity ",
                                           carried ? "reached" : "not reached"));
      break;
    }
    default:
      return status::InvalidArgument("vote.rule", "is required");
  }
  vote.set_outcome(carried ? v1::VOTE_OUTCOME_CARRIED : v1::VOTE_OUTCOME_LOST);
  return absl::OkStatus();
}

}  // namespace moot::decisions
