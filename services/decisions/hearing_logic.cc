#include "services/decisions/hearing_logic.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/proto_rows.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/change_recorder.h"
#include "services/decisions/vote_logic.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kHearingPattern[] = "tenants/{tenant}/hearings/{hearing}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr size_t kMaxCandidate = 200;
constexpr size_t kMaxText = 5000;
constexpr size_t kMaxNote = 2000;
constexpr char kReportLate[] = "REPORT_LATE";

std::vector<sql::Migration> Migrations() {
  return {
      {.version = 1,
       .name = "hearings",
       .sql = "CREATE TABLE hearings ("
              " tenant_id TEXT NOT NULL,"
              " hearing_id TEXT NOT NULL,"
              " post BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, hearing_id));"},
  };
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, const std::string& value) {
  absl::CivilDay day;
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      absl::FormatCivilTime(day) != value) {
    return status::InvalidArgument(field, "must be a date written as YYYY-MM-DD");
  }
  return day;
}

std::string Today(const time::Clock& clock) {
  return absl::FormatTime("%Y-%m-%d", clock.Now(), time::London());
}

absl::Status Writer(const auth::Principal& principal, absl::string_view name,
                    absl::string_view field) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, name, auth::TenantScope::kOwnTenant, field));
  return auth::RequireRole(principal, {auth::Role::kOfficer});
}

// R-CH-05: the Panel deliberates in private; officers and members of the tenant see the
// recommendation before it is published, everyone else only afterwards.
bool SeesPrivate(const auth::Principal& p, const std::string& tenant) {
  return !p.IsAnonymous() && p.tenant == tenant &&
         (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kMember));
}

v1::ConfirmationHearing ForReader(v1::ConfirmationHearing hearing, bool sees_private) {
  if (!sees_private && !hearing.recommendation_published()) {
    hearing.clear_recommendation();
    hearing.clear_recommendation_text();
    hearing.clear_veto_vote();
  }
  return hearing;
}

absl::StatusOr<std::pair<v1::ConfirmationHearing, int64_t>> Load(sql::Connection& conn,
                                                                 const std::string& tenant,
                                                                 const std::string& id,
                                                                 const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result r, conn.Execute("SELECT data, version FROM hearings WHERE"
                                                    " tenant_id = $1 AND hearing_id = $2",
                                                    {tenant, id}));
  if (r.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(auto hearing, api::Decode<v1::ConfirmationHearing>(r.rows[0], 0));
  return std::make_pair(std::move(hearing), r.rows[0].Int(1));
}

}  // namespace

absl::CivilDay HearingReportDue(absl::CivilDay received) {
  // R-CH-04: three weeks = 21 days counting the day of receipt as the first.
  return received + 20;
}

HearingLogic::HearingLogic(sql::Database& db, const events::Outbox& outbox,
                           const time::Clock& clock, ids::IdGenerator& ids,
                           const api::PageTokens& page_tokens, SchedulingDirectory& scheduling)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      scheduling_(scheduling) {}

absl::Status HearingLogic::Migrate() { return db_.Migrate("hearings", Migrations()); }

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::CreateHearing(
    const auth::Principal& principal, const v1::CreateHearingRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  const std::string tenant = parent.tenant();
  MOOT_RETURN_IF_ERROR(api::ValidateId("hearing_id", request.hearing_id()));
  const v1::ConfirmationHearing& in = request.hearing();
  // R-CH-01: hearings are held for four posts.
  if (in.post() == v1::HEARING_POST_UNSPECIFIED || !v1::HearingPost_IsValid(in.post())) {
    return status::InvalidArgument(
        "hearing.post",
        "is required (CHIEF_CONSTABLE, DEPUTY_PCC, CHIEF_EXECUTIVE, CHIEF_FINANCE_OFFICER)");
  }
  if (in.candidate().empty() || in.candidate().size() > kMaxCandidate) {
    return status::InvalidArgument("hearing.candidate",
                                   absl::StrCat("is required, at most ", kMaxCandidate, " chars"));
  }
  MOOT_ASSIGN_OR_RETURN(auto meeting,
                        api::ResourceName::Parse(kMeetingPattern, in.meeting(), "hearing.meeting"));
  if (meeting.tenant() != tenant) {
    return status::InvalidArgument("hearing.meeting", "must be a meeting of the same tenant");
  }
  MOOT_ASSIGN_OR_RETURN(absl::CivilDay received, ParseDay("hearing.notification_received_date",
                                                          in.notification_received_date()));
  // R-CH-02: the hearing is its own meeting (scheduling holds it; its minutes are confirmed at
  // the next ordinary meeting through the usual CONFIRM_MINUTES resolution).
  MOOT_ASSIGN_OR_RETURN(MeetingFacts facts, scheduling_.GetMeeting(in.meeting()));
  if (!facts.confirmation_hearing) {
    return status::FailedPrecondition(
        "HEARING_MEETING_REQUIRED", in.meeting(),
        "a confirmation hearing is its own meeting (kind CONFIRMATION_HEARING), not an item of "
        "another meeting");
  }
  if (in.notification_received_date() > facts.local_date) {
    return status::InvalidArgument(
        "hearing.notification_received_date",
        absl::StrCat("must not be after the hearing (", facts.local_date, ")"));
  }
  // R-CH-03: a (re-)appointment may take effect after the Panel meeting, never before the
  // PCC notified the Panel.
  if (!in.effective_date().empty()) {
    MOOT_ASSIGN_OR_RETURN(absl::CivilDay effective,
                          ParseDay("hearing.effective_date", in.effective_date()));
    if (effective < received) {
      return status::InvalidArgument("hearing.effective_date",
                                     "must not be before the notification was received");
    }
  }
  if (in.recommendation() != v1::HEARING_RECOMMENDATION_UNSPECIFIED ||
      in.pcc_response() != v1::PCC_HEARING_RESPONSE_UNSPECIFIED) {
    return status::InvalidArgument("hearing.recommendation",
                                   "is recorded by RecordRecommendation and RecordPccResponse");
  }

  v1::ConfirmationHearing hearing;
  hearing.set_name(api::FormatName(kHearingPattern, {tenant, request.hearing_id()}));
  hearing.set_post(in.post());
  hearing.set_candidate(in.candidate());
  hearing.set_meeting(in.meeting());
  hearing.set_meeting_date(facts.local_date);
  hearing.set_notification_received_date(in.notification_received_date());
  hearing.set_report_due_date(absl::FormatCivilTime(HearingReportDue(received)));
  hearing.set_reappointment(in.reappointment());
  hearing.set_effective_date(in.effective_date());
  const auto now = ToProto(clock_.Now());
  *hearing.mutable_create_time() = now;
  *hearing.mutable_update_time() = now;
  hearing.set_etag("1");

  v1::ConfirmationHearing result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "CreateHearing", request.request_id(),
                                                  request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(api::NameAlreadyExists(
        tx.Execute("INSERT INTO hearings (tenant_id, hearing_id, post, data, version) VALUES"
                   " ($1, $2, $3, $4, 1)",
                   {tenant, request.hearing_id(), static_cast<int64_t>(hearing.post()),
                    sql::Bytes{hearing.SerializeAsString()}})
            .status(),
        hearing.name()));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, tenant);
    // R-CH-05: hearings are held in public.
    MOOT_RETURN_IF_ERROR(recorder.Record("CreateHearing", hearing.name(), hearing,
                                         "hearing.created", /*is_public=*/true));
    result = hearing;
    return api::RequestLog::Record(tx, tenant, "CreateHearing", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::GetHearing(
    const auth::Principal& principal, const v1::GetHearingRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kHearingPattern, request.name(), "name"));
  v1::ConfirmationHearing hearing;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found,
                          Load(conn, name.tenant(), name.Get("hearing"), request.name()));
    hearing = std::move(found.first);
    return absl::OkStatus();
  }));
  return ForReader(std::move(hearing), SeesPrivate(principal, name.tenant()));
}

absl::StatusOr<v1::ListHearingsResponse> HearingLogic::ListHearings(
    const auth::Principal& principal, const v1::ListHearingsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  if (!v1::HearingPost_IsValid(request.post())) {
    return status::InvalidArgument("post", "is not a known value");
  }
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding =
      absl::StrCat("decisions.ListHearings|", request.parent(), "|", request.post());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  const bool sees_private = SeesPrivate(principal, parent.tenant());
  v1::ListHearingsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        sql::Result r,
        conn.Execute("SELECT hearing_id, data FROM hearings WHERE tenant_id = $1 AND"
                     " hearing_id > $2 AND ($3 = 0 OR post = $4) ORDER BY hearing_id LIMIT $5",
                     {parent.tenant(), after, static_cast<int64_t>(request.post()),
                      static_cast<int64_t>(request.post()), static_cast<int64_t>(page_size) + 1}));
    MOOT_ASSIGN_OR_RETURN(auto page, api::ReadPage<v1::ConfirmationHearing>(r, page_size));
    for (auto& h : page.items) {
      *response.add_hearings() = ForReader(std::move(h), sees_private);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::Change(
    const auth::Principal& principal, const std::string& hearing_name, const std::string& etag,
    absl::string_view method, const google::protobuf::Message& request,
    const std::string& request_id, absl::string_view event_type, bool is_public,
    const std::function<absl::Status(sql::Connection&, v1::ConfirmationHearing&)>& apply) {
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kHearingPattern, hearing_name, "name"));
  v1::ConfirmationHearing result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(bool replayed, api::RequestLog::Replay(tx, name.tenant(), method,
                                                                 request_id, request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, Load(tx, name.tenant(), name.Get("hearing"), hearing_name));
    v1::ConfirmationHearing hearing = std::move(found.first);
    if (!etag.empty() && etag != hearing.etag()) {
      // Nothing written: leave the transaction with OK (ABORTED would be retried) and report.
      stale = status::WithReason(
          absl::AbortedError(absl::StrCat(hearing_name, " has changed (etag mismatch)")),
          "ETAG_MISMATCH");
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(apply(tx, hearing));
    *hearing.mutable_update_time() = ToProto(clock_.Now());
    hearing.set_etag(absl::StrCat(found.second + 1));
    MOOT_ASSIGN_OR_RETURN(
        sql::Result updated,
        tx.Execute("UPDATE hearings SET data = $1, version = $2 WHERE tenant_id = $3 AND"
                   " hearing_id = $4 AND version = $5",
                   {sql::Bytes{hearing.SerializeAsString()}, found.second + 1, name.tenant(),
                    name.Get("hearing"), found.second}));
    if (updated.rows_affected != 1) {
      return status::WithReason(
          absl::AbortedError(absl::StrCat(hearing_name, " changed concurrently; retry")),
          "CONCURRENT_MODIFICATION");
    }
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, name.tenant());
    MOOT_RETURN_IF_ERROR(recorder.Record(method, hearing.name(), hearing, event_type, is_public));
    result = hearing;
    return api::RequestLog::Record(tx, name.tenant(), method, request_id, request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::RecordRecommendation(
    const auth::Principal& principal, const v1::RecordRecommendationRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.name(), "name"));
  if (request.recommendation() == v1::HEARING_RECOMMENDATION_UNSPECIFIED ||
      !v1::HearingRecommendation_IsValid(request.recommendation())) {
    return status::InvalidArgument("recommendation",
                                   "is required (SUPPORT, DO_NOT_SUPPORT or VETO)");
  }
  if (request.text().empty() || request.text().size() > kMaxText) {
    return status::InvalidArgument("text",
                                   absl::StrCat("is required, at most ", kMaxText, " chars"));
  }
  const bool veto = request.recommendation() == v1::HEARING_RECOMMENDATION_VETO;
  if (veto && request.veto_vote().empty()) {
    return status::InvalidArgument("veto_vote", "a veto names its two-thirds vote");
  }
  if (!veto && !request.veto_vote().empty()) {
    return status::InvalidArgument("veto_vote", "only a veto names a vote");
  }
  return Change(
      principal, request.name(), request.etag(), "RecordRecommendation", request,
      request.request_id(), "hearing.recommendation_recorded", /*is_public=*/false,
      [&](sql::Connection& tx, v1::ConfirmationHearing& hearing) -> absl::Status {
        if (hearing.recommendation_published()) {
          return status::FailedPrecondition("RECOMMENDATION_ALREADY_PUBLISHED", hearing.name(),
                                            "the Panel's report has been published");
        }
        if (veto) {
          // R-CH-01: only the Chief Constable's appointment can be vetoed.
          if (hearing.post() != v1::HEARING_POST_CHIEF_CONSTABLE) {
            return status::FailedPrecondition(
                "VETO_NOT_AVAILABLE_FOR_POST", hearing.name(),
                absl::StrCat("only a Chief Constable appointment can be vetoed, not ",
                             v1::HearingPost_Name(hearing.post())));
          }
          // R-CH-01 / Sch.8: the veto needs a carried vote of two-thirds of the members of the
          // Panel at the time, recorded in the register at the hearing's meeting.
          MOOT_ASSIGN_OR_RETURN(auto vote, FindVote(tx, request.veto_vote(), "veto_vote"));
          if (!vote) {
            return status::FailedPrecondition("VETO_VOTE_NOT_CARRIED", request.veto_vote(),
                                              "the register has no such vote");
          }
          if (vote->name().rfind(hearing.meeting() + "/votes/", 0) != 0) {
            return status::FailedPrecondition("VETO_VOTE_NOT_CARRIED", vote->name(),
                                              "the vote was not taken at the hearing's meeting");
          }
          if (vote->rule() != v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS ||
              vote->outcome() != v1::VOTE_OUTCOME_CARRIED) {
            return status::FailedPrecondition(
                "VETO_VOTE_NOT_CARRIED", vote->name(),
                absl::StrCat("a veto needs a carried two-thirds-of-members vote; this one is ",
                             v1::MajorityRule_Name(vote->rule()), " ",
                             v1::VoteOutcome_Name(vote->outcome()), " (", vote->outcome_reason(),
                             ")"));
          }
        }
        hearing.set_recommendation(request.recommendation());
        hearing.set_recommendation_text(request.text());
        hearing.set_veto_vote(request.veto_vote());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::PublishRecommendation(
    const auth::Principal& principal, const v1::PublishRecommendationRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.name(), "name"));
  if (request.late_reason().size() > kMaxNote) {
    return status::InvalidArgument("late_reason",
                                   absl::StrCat("must be at most ", kMaxNote, " chars"));
  }
  const std::string today = Today(clock_);
  std::string report_date = today;
  if (!request.report_date().empty()) {
    MOOT_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDay("report_date", request.report_date()));
    report_date = absl::FormatCivilTime(day);
    if (report_date > today) {
      return status::InvalidArgument("report_date", "must not be in the future");
    }
  }
  return Change(principal, request.name(), request.etag(), "PublishRecommendation", request,
                request.request_id(), "hearing.recommendation_published", /*is_public=*/true,
                [&](sql::Connection&, v1::ConfirmationHearing& hearing) -> absl::Status {
                  if (hearing.recommendation() == v1::HEARING_RECOMMENDATION_UNSPECIFIED) {
                    return status::FailedPrecondition("RECOMMENDATION_NOT_RECORDED", hearing.name(),
                                                      "record the Panel's recommendation first");
                  }
                  if (hearing.recommendation_published()) {
                    return status::FailedPrecondition(
                        "RECOMMENDATION_ALREADY_PUBLISHED", hearing.name(),
                        absl::StrCat("published on ", hearing.report_date()));
                  }
                  // R-CH-04: the report is due within three weeks of the notification; a late one
                  // is refused unless the officer records why, and then it is flagged.
                  if (report_date < hearing.notification_received_date()) {
                    return status::InvalidArgument(
                        "report_date", "must not be before the notification was received");
                  }
                  if (report_date > hearing.report_due_date()) {
                    if (request.late_reason().empty()) {
                      return status::FailedPrecondition(
                          "REPORT_DEADLINE_PASSED", hearing.name(),
                          absl::StrCat("the report was due by ", hearing.report_due_date(),
                                       "; give a late_reason to publish it late"));
                    }
                    hearing.set_late_reason(request.late_reason());
                    hearing.add_flags(kReportLate);
                  }
                  // R-CH-05: the Panel publishes its recommendation.
                  hearing.set_recommendation_published(true);
                  hearing.set_report_date(report_date);
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::ConfirmationHearing> HearingLogic::RecordPccResponse(
    const auth::Principal& principal, const v1::RecordPccResponseRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kPccOffice}));
  if (request.response() == v1::PCC_HEARING_RESPONSE_UNSPECIFIED ||
      !v1::PccHearingResponse_IsValid(request.response())) {
    return status::InvalidArgument("response", "is required (ACCEPTED or REJECTED)");
  }
  if (request.note().size() > kMaxNote) {
    return status::InvalidArgument("note", absl::StrCat("must be at most ", kMaxNote, " chars"));
  }
  const std::string today = Today(clock_);
  std::string date = today;
  if (!request.response_date().empty()) {
    MOOT_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDay("response_date", request.response_date()));
    date = absl::FormatCivilTime(day);
    if (date > today) {
      return status::InvalidArgument("response_date", "must not be in the future");
    }
  }
  return Change(
      principal, request.name(), request.etag(), "RecordPccResponse", request, request.request_id(),
      "hearing.pcc_responded", /*is_public=*/true,
      [&](sql::Connection&, v1::ConfirmationHearing& hearing) -> absl::Status {
        // R-CH-05: the PCC accepts or rejects the published recommendation and notifies the
        // Panel.
        if (!hearing.recommendation_published()) {
          return status::FailedPrecondition("RECOMMENDATION_NOT_PUBLISHED", hearing.name(),
                                            "the Panel has not published its recommendation");
        }
        if (hearing.pcc_response() != v1::PCC_HEARING_RESPONSE_UNSPECIFIED) {
          return status::FailedPrecondition(
              "PCC_RESPONSE_ALREADY_RECORDED", hearing.name(),
              absl::StrCat("the PCC ",
                           hearing.pcc_response() == v1::PCC_HEARING_RESPONSE_ACCEPTED ? "accepted"
                                                                                       : "rejected",
                           " it on ", hearing.pcc_response_date()));
        }
        if (hearing.recommendation() == v1::HEARING_RECOMMENDATION_VETO &&
            request.response() == v1::PCC_HEARING_RESPONSE_REJECTED) {
          return status::FailedPrecondition(
              "VETO_IS_BINDING", hearing.name(),
              "the PCC must not appoint a candidate the Panel has vetoed");
        }
        if (date < hearing.report_date()) {
          return status::InvalidArgument("response_date", "must not be before the Panel's report");
        }
        hearing.set_pcc_response(request.response());
        hearing.set_pcc_response_date(date);
        hearing.set_pcc_response_note(request.note());
        return absl::OkStatus();
      });
}

}  // namespace moot::decisions
