// Where the budget service checks a veto's vote (domain.md §3.7, §9 item 5): the decisions
// register owns votes; the budget service never takes a client's word for one.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/principal.h"

namespace moot::budget {

// The rule a vote was taken under.
enum class VoteRule {
  kUnspecified,
  kSimpleMajority,
  // At least two-thirds of the persons who are members at the time (Sch.5 para 4(4)).
  kTwoThirdsOfMembers,
};

// A recorded vote as the decisions register holds it.
struct VoteRecord {
  std::string name;  // `tenants/{t}/.../votes/{v}`
  VoteRule rule = VoteRule::kUnspecified;
  bool carried = false;
  int votes_for = 0;
  int votes_against = 0;
  int member_count = 0;  // Members of the panel at the time of the decision (not attendance).
  absl::Time decided_at;
};

// Reads a vote from the decisions register as `caller`.
class VoteLookup {
 public:
  virtual ~VoteLookup() = default;
  // NOT_FOUND when there is no such vote; FAILED_PRECONDITION VETO_VOTE_UNVERIFIABLE when the
  // register cannot be asked.
  virtual absl::StatusOr<VoteRecord> GetVote(const auth::Principal& caller,
                                             const std::string& name) const = 0;
};

// A lookup with no register behind it: every veto is refused with FAILED_PRECONDITION
// VETO_VOTE_UNVERIFIABLE rather than trusted. The budget process uses GrpcVoteLookup (the
// decisions register); this one serves where no register is reachable by design, and tests.
class UnverifiableVoteLookup final : public VoteLookup {
 public:
  absl::StatusOr<VoteRecord> GetVote(const auth::Principal& caller,
                                     const std::string& name) const override;
};

}  // namespace moot::budget
