// Votes on motions, independent of gRPC: validation, eligibility from scheduling (membership at
// the time, declarations without dispensation), the quorum check (§9 item 4), the computed
// outcome (vote_rules.h), the audit chain and the `vote.recorded` event.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/votes.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

// The recorded vote named `name` (`tenants/{t}/bodies/{b}/meetings/{m}/votes/{v}`), or nullopt
// when the register has none; INVALID_ARGUMENT naming `field` for a malformed name. Runs in the
// caller's connection (a hearing's veto reads its vote inside its own transaction).
absl::StatusOr<std::optional<v1::Vote>> FindVote(sql::Connection& conn, const std::string& name,
                                                 absl::string_view field = "name");

class VoteLogic {
 public:
  // None are owned; all must outlive the logic.
  VoteLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
            ids::IdGenerator& ids, const api::PageTokens& page_tokens,
            SchedulingDirectory& scheduling);

  // Applies the schema migrations (votes).
  absl::Status Migrate();

  // OFFICER. ALREADY_EXISTS when the id is taken in the meeting.
  absl::StatusOr<v1::Vote> RecordVote(const auth::Principal& principal,
                                      const v1::RecordVoteRequest& request);
  // Anyone (outcomes are public records); another tenant's principal is denied.
  absl::StatusOr<v1::Vote> GetVote(const auth::Principal& principal,
                                   const v1::GetVoteRequest& request);
  absl::StatusOr<v1::ListVotesResponse> ListVotes(const auth::Principal& principal,
                                                  const v1::ListVotesRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  SchedulingDirectory& scheduling_;
};

}  // namespace moot::decisions
