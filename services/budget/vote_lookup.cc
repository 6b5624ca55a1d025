#include "services/budget/vote_lookup.h"

#include "libs/status/errors.h"

namespace moot::budget {

absl::StatusOr<VoteRecord> UnverifiableVoteLookup::GetVote(const auth::Principal& /*caller*/,
                                                           const std::string& name) const {
  return status::FailedPrecondition(
      "VETO_VOTE_UNVERIFIABLE", name,
      "the decisions register cannot confirm this vote yet, so a veto cannot be recorded");
}

}  // namespace moot::budget
