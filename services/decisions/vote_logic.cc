#include "services/decisions/vote_logic.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/proto_rows.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/change_recorder.h"
#include "services/decisions/vote_rules.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kVotePattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}/votes/{vote}";
constexpr char kItemPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaItems/{item}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";
constexpr size_t kMaxMotion = 5000;

std::vector<sql::Migration> Migrations() {
  return {
      {.version = 1,
       .name = "votes",
       .sql = "CREATE TABLE votes ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " vote_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, vote_id));"},
  };
}

}  // namespace

absl::StatusOr<std::optional<v1::Vote>> FindVote(sql::Connection& conn, const std::string& name,
                                                 absl::string_view field) {
  MOOT_ASSIGN_OR_RETURN(auto parsed, api::ResourceName::Parse(kVotePattern, name, field));
  MOOT_ASSIGN_OR_RETURN(
      sql::Result r, conn.Execute("SELECT data FROM votes WHERE tenant_id = $1 AND body_id = $2 AND"
                                  " meeting_id = $3 AND vote_id = $4",
                                  {parsed.tenant(), parsed.Get("body"), parsed.Get("meeting"),
                                   parsed.Get("vote")}));
  if (r.rows.empty()) {
    return std::nullopt;
  }
  MOOT_ASSIGN_OR_RETURN(v1::Vote vote, api::Decode<v1::Vote>(r.rows[0], 0));
  return vote;
}

VoteLogic::VoteLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                     ids::IdGenerator& ids, const api::PageTokens& page_tokens,
                     SchedulingDirectory& scheduling)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      scheduling_(scheduling) {}

absl::Status VoteLogic::Migrate() { return db_.Migrate("votes", Migrations()); }

absl::StatusOr<v1::Vote> VoteLogic::RecordVote(const auth::Principal& principal,
                                               const v1::RecordVoteRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("vote_id", request.vote_id()));
  const v1::Vote& in = request.vote();
  MOOT_ASSIGN_OR_RETURN(
      auto item, api::ResourceName::Parse(kItemPattern, in.agenda_item(), "vote.agenda_item"));
  if (item.tenant() != parent.tenant() || item.Get("body") != parent.Get("body") ||
      item.Get("meeting") != parent.Get("meeting")) {
    return status::InvalidArgument("vote.agenda_item", "must be an item of the same meeting");
  }
  if (in.motion().empty() || in.motion().size() > kMaxMotion) {
    return status::InvalidArgument("vote.motion",
                                   absl::StrCat("is required, at most ", kMaxMotion, " chars"));
  }
  if (in.rule() == v1::MAJORITY_RULE_UNSPECIFIED || !v1::MajorityRule_IsValid(in.rule())) {
    return status::InvalidArgument("vote.rule",
                                   "is required (SIMPLE, TWO_THIRDS_OF_MEMBERS, UNANIMOUS)");
  }
  if (in.rule() != v1::MAJORITY_RULE_SIMPLE &&
      (in.chair_casting_vote() || in.casting_vote() != v1::BALLOT_CHOICE_UNSPECIFIED)) {
    return status::InvalidArgument("vote.chair_casting_vote",
                                   "a casting vote applies to a simple majority only");
  }
  if (in.ballots().empty()) {
    return status::InvalidArgument("vote.ballots", "record at least one ballot");
  }
  std::set<std::string> people;
  for (int i = 0; i < in.ballots_size(); ++i) {
    const v1::Ballot& b = in.ballots(i);
    const std::string field = absl::StrCat("vote.ballots[", i, "]");
    MOOT_ASSIGN_OR_RETURN(auto person, api::ResourceName::Parse(kPersonPattern, b.person(),
                                                                absl::StrCat(field, ".person")));
    if (person.tenant() != parent.tenant()) {
      return status::InvalidArgument(absl::StrCat(field, ".person"),
                                     "must be a person of the same tenant");
    }
    if (!people.insert(b.person()).second) {
      return status::InvalidArgument(absl::StrCat(field, ".person"), "has a ballot already");
    }
    if (b.choice() == v1::BALLOT_CHOICE_UNSPECIFIED || !v1::BallotChoice_IsValid(b.choice())) {
      return status::InvalidArgument(absl::StrCat(field, ".choice"), "is required");
    }
  }

  // Who may vote: scheduling's membership at the time and declarations without dispensation.
  MOOT_ASSIGN_OR_RETURN(auto voters,
                        scheduling_.ListEligibleVoters(in.agenda_item(), in.vote_time()));
  std::map<std::string, const scheduling::v1::VoterEligibility*> members;
  for (const auto& m : voters.members()) {
    members[m.person()] = &m;
  }
  for (const v1::Ballot& b : in.ballots()) {
    auto it = members.find(b.person());
    if (it == members.end()) {
      return status::FailedPrecondition(
          "VOTER_NOT_ELIGIBLE", b.person(),
          "not a member of the body at the time of the vote (NOT_A_MEMBER)",
          {{"eligibility_reason", "NOT_A_MEMBER"}});
    }
    if (b.choice() != v1::BALLOT_CHOICE_ABSENT && !it->second->eligible()) {
      return status::FailedPrecondition(
          "VOTER_NOT_ELIGIBLE", b.person(),
          absl::StrCat("may not vote on this item (", it->second->reason(), ")"),
          {{"eligibility_reason", it->second->reason()}});
    }
  }
  // §9 item 4: attendance below the body's quorum blocks recording decisions.
  if (voters.quorum() > 0 && !voters.quorate()) {
    return status::FailedPrecondition(
        "QUORUM_NOT_MET", request.parent(),
        absl::StrCat("the body's quorum is ", voters.quorum(), " and it is not met"));
  }
  if (in.rule() == v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS) {
    // §9 item 5: individual votes are always recorded for a veto.
    for (const auto& [person, eligibility] : members) {
      if (!people.contains(person)) {
        return status::InvalidArgument(
            "vote.ballots",
            absl::StrCat("every member at the time needs a ballot (ABSENT if absent); ", person,
                         " has none"));
      }
    }
  }

  v1::Vote vote = in;
  vote.set_name(api::FormatName(kVotePattern, {parent.tenant(), parent.Get("body"),
                                               parent.Get("meeting"), request.vote_id()}));
  vote.set_member_count(voters.member_count());
  vote.set_eligible_count(voters.eligible_count());
  vote.set_quorum(voters.quorum());
  vote.set_quorate(voters.quorate());
  MOOT_RETURN_IF_ERROR(ComputeOutcome(vote));
  *vote.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));

  v1::Vote result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "RecordVote",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(api::NameAlreadyExists(
        tx.Execute("INSERT INTO votes (tenant_id, body_id, meeting_id, vote_id, data) VALUES"
                   " ($1, $2, $3, $4, $5)",
                   {parent.tenant(), parent.Get("body"), parent.Get("meeting"), request.vote_id(),
                    sql::Bytes{vote.SerializeAsString()}})
            .status(),
        vote.name()));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, parent.tenant());
    MOOT_RETURN_IF_ERROR(recorder.Record("RecordVote", vote.name(), vote, "vote.recorded",
                                         /*is_public=*/true));
    result = vote;
    return api::RequestLog::Record(tx, parent.tenant(), "RecordVote", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Vote> VoteLogic::GetVote(const auth::Principal& principal,
                                            const v1::GetVoteRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  v1::Vote vote;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found, FindVote(conn, request.name()));
    if (!found) {
      return status::NotFound(request.name());
    }
    vote = *std::move(found);
    return absl::OkStatus();
  }));
  return vote;
}

absl::StatusOr<v1::ListVotesResponse> VoteLogic::ListVotes(const auth::Principal& principal,
                                                           const v1::ListVotesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("decisions.ListVotes|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListVotesResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        sql::Result r,
        conn.Execute("SELECT vote_id, data FROM votes WHERE tenant_id = $1 AND body_id = $2 AND"
                     " meeting_id = $3 AND vote_id > $4 ORDER BY vote_id LIMIT $5",
                     {parent.tenant(), parent.Get("body"), parent.Get("meeting"), after,
                      static_cast<int64_t>(page_size) + 1}));
    MOOT_ASSIGN_OR_RETURN(auto page, api::ReadPage<v1::Vote>(r, page_size));
    for (auto& v : page.items) {
      *response.add_votes() = std::move(v);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::decisions
