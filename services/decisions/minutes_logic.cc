#include "services/decisions/minutes_logic.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/action_logic.h"
#include "services/decisions/action_store.h"
#include "services/decisions/audit_log.h"
#include "services/decisions/change_recorder.h"
#include "services/decisions/minute_numbers.h"
#include "services/decisions/minutes_store.h"
#include "services/decisions/minutes_text.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kMinutesPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}/minutes";
constexpr char kEntryPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/minutes/entries/{entry}";
constexpr char kAgendaItemPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaItems/{item}";
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxText = 100000;
constexpr size_t kMaxClauseText = 20000;
constexpr size_t kMaxReason = 1000;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

MeetingKey KeyOf(const api::ResourceName& name) {
  return {name.tenant(), name.Get("body"), name.Get("meeting")};
}

std::string MeetingName(const MeetingKey& key) {
  return api::FormatName(kMeetingPattern, {key.tenant, key.body, key.meeting});
}

std::string MinutesName(const MeetingKey& key) {
  return api::FormatName(kMinutesPattern, {key.tenant, key.body, key.meeting});
}

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (value.empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// Officers, tenant admins and members of the tenant see DRAFT minutes.
bool MaySeeDrafts(const auth::Principal& p, const std::string& tenant) {
  return p.tenant == tenant && (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kMember) ||
                                p.HasRole(auth::Role::kTenantAdmin));
}

constexpr size_t kMaxUrl = 2000;

// R-MIN-08: the webcast link, an absolute http(s) URL without spaces.
absl::Status CheckWebcastUrl(absl::string_view field, const std::string& url) {
  if (url.empty()) {
    return absl::OkStatus();
  }
  const bool scheme = absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://");
  const size_t host = url.find("://") + 3;
  if (!scheme || url.size() <= host || url.size() > kMaxUrl ||
      url.find_first_of(" \t\r\n<>\"") != std::string::npos) {
    return status::InvalidArgument(
        field, absl::StrCat("must be an http(s) URL without spaces, at most ", kMaxUrl, " chars"));
  }
  return absl::OkStatus();
}

absl::Status CheckPresentation(v1::MinutesStyle style, v1::ConfirmationWording wording) {
  if (!v1::MinutesStyle_IsValid(style)) {
    return status::InvalidArgument("minutes_style", "must be FORMAL or SUMMARY");
  }
  if (!v1::ConfirmationWording_IsValid(wording)) {
    return status::InvalidArgument("confirmation_wording",
                                   "must be CONFIRMED_AND_SIGNED, ACCEPTED or APPROVED");
  }
  return absl::OkStatus();
}

absl::Status EtagMismatch(const std::string& name) {
  return status::WithReason(
      absl::AbortedError(absl::StrCat(name, " has changed since it was read (etag mismatch)")),
      "ETAG_MISMATCH");
}

}  // namespace

MinutesLogic::MinutesLogic(sql::Database& db, const events::Outbox& outbox,
                           const time::Clock& clock, ids::IdGenerator& ids,
                           const api::PageTokens& page_tokens, SchedulingDirectory& scheduling)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      scheduling_(scheduling) {}

absl::Status MinutesLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("minutes", MinutesStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("actions", ActionStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("audit", AuditLog::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Minutes> MinutesLogic::CreateMinutes(const auth::Principal& principal,
                                                        const v1::CreateMinutesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  if (!v1::ClauseStyle_IsValid(request.clause_style())) {
    return status::InvalidArgument("clause_style", "is not a known value");
  }
  MOOT_RETURN_IF_ERROR(CheckPresentation(request.minutes_style(), request.confirmation_wording()));
  MOOT_RETURN_IF_ERROR(CheckWebcastUrl("webcast_url", request.webcast_url()));
  const MeetingKey key = KeyOf(parent);
  MOOT_ASSIGN_OR_RETURN(MeetingFacts meeting, scheduling_.GetMeeting(request.parent()));

  v1::Minutes minutes;
  minutes.set_name(MinutesName(key));
  minutes.set_meeting(request.parent());
  minutes.set_meeting_date(meeting.local_date);
  minutes.set_state(v1::MINUTES_STATE_DRAFT);
  minutes.set_numbering(meeting.numbering == v1::NUMBERING_SCHEME_SEQ_PER_YEAR
                            ? v1::NUMBERING_SCHEME_SEQ_PER_YEAR
                            : v1::NUMBERING_SCHEME_RUNNING_INT);
  minutes.set_clause_style(request.clause_style() == v1::CLAUSE_STYLE_UPPER_ROMAN
                               ? v1::CLAUSE_STYLE_UPPER_ROMAN
                               : v1::CLAUSE_STYLE_LOWER_ROMAN);
  // R-MIN-06 / R-MIN-07 / R-MIN-08: the body's wording and style, the meeting's webcast.
  minutes.set_minutes_style(request.minutes_style() == v1::MINUTES_STYLE_SUMMARY
                                ? v1::MINUTES_STYLE_SUMMARY
                                : v1::MINUTES_STYLE_FORMAL);
  minutes.set_confirmation_wording(request.confirmation_wording() ==
                                           v1::CONFIRMATION_WORDING_UNSPECIFIED
                                       ? v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED
                                       : request.confirmation_wording());
  // R-MIN-08: by default the minutes link to the webcast scheduling holds for the meeting.
  minutes.set_webcast_url(request.webcast_url().empty() ? meeting.webcast_url
                                                        : request.webcast_url());
  const auto now = ToProto(clock_.Now());
  *minutes.mutable_create_time() = now;
  *minutes.mutable_update_time() = now;
  minutes.set_etag("1");

  v1::Minutes result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "CreateMinutes",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(MinutesStore::InsertMinutes(tx, key, minutes));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record("CreateMinutes", minutes.name(), minutes,
                                         "minutes.created", /*is_public=*/false));
    result = minutes;
    return api::RequestLog::Record(tx, key.tenant, "CreateMinutes", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Minutes> MinutesLogic::GetMinutes(const auth::Principal& principal,
                                                     const v1::GetMinutesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMinutesPattern, request.name(), "name"));
  v1::Minutes minutes;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found, MinutesStore::GetMinutes(conn, KeyOf(name), request.name()));
    minutes = std::move(found.first);
    return absl::OkStatus();
  }));
  // A draft is invisible (not merely forbidden) to the public.
  if (minutes.state() == v1::MINUTES_STATE_DRAFT && !MaySeeDrafts(principal, name.tenant())) {
    return status::NotFound(request.name());
  }
  return minutes;
}

absl::StatusOr<v1::MinuteEntry> MinutesLogic::AddMinuteEntry(
    const auth::Principal& principal, const v1::AddMinuteEntryRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMinutesPattern, request.parent(), "parent"));
  const MeetingKey key = KeyOf(parent);
  const v1::MinuteEntry& in = request.entry();
  MOOT_RETURN_IF_ERROR(RequireText("entry.title", in.title(), kMaxTitle));
  if (in.text().size() > kMaxText) {
    return status::InvalidArgument("entry.text",
                                   absl::StrCat("must be at most ", kMaxText, " characters"));
  }
  if (!in.agenda_item().empty()) {
    MOOT_ASSIGN_OR_RETURN(auto item, api::ResourceName::Parse(kAgendaItemPattern, in.agenda_item(),
                                                              "entry.agenda_item"));
    if (item.tenant() != key.tenant || item.Get("body") != key.body ||
        item.Get("meeting") != key.meeting) {
      return status::InvalidArgument("entry.agenda_item", "must be an item of the same meeting");
    }
  }
  if (in.resolutions_size() > 0) {
    return status::InvalidArgument("entry.resolutions", "are recorded with RecordResolution");
  }
  if (request.override_number() < 0) {
    return status::InvalidArgument("override_number", "must be positive when set");
  }
  if (request.override_number() > 0) {
    MOOT_RETURN_IF_ERROR(RequireText("override_reason", request.override_reason(), kMaxReason));
  } else if (!request.override_reason().empty()) {
    return status::InvalidArgument("override_reason", "is only allowed with override_number");
  }

  v1::MinuteEntry result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "AddMinuteEntry",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, MinutesStore::GetMinutes(tx, key, request.parent()));
    v1::Minutes minutes = std::move(found.first);
    if (minutes.state() != v1::MINUTES_STATE_DRAFT) {
      return status::FailedPrecondition("MINUTES_NOT_DRAFT", minutes.name(),
                                        "entries are added to DRAFT minutes only; published "
                                        "minutes change by correction");
    }
    const std::string scope = NumberScope(minutes.numbering(), minutes.meeting_date());
    int64_t number = request.override_number();
    if (number > 0) {
      // R-MIN-03: the officer's override; the sequence continues after it (audited below).
      MOOT_RETURN_IF_ERROR(MinutesStore::AdvanceCounterPast(tx, key, scope, number));
    } else {
      // R-MIN-03 / R-MIN-05: gapless allocation from the body's counter.
      MOOT_ASSIGN_OR_RETURN(number, MinutesStore::NextNumber(tx, key, scope));
    }
    const std::string entry_id = EntryId(minutes.numbering(), number, minutes.meeting_date());
    v1::MinuteEntry entry = in;
    entry.set_name(api::FormatName(kEntryPattern, {key.tenant, key.body, key.meeting, entry_id}));
    entry.set_number(number);
    entry.set_display_number(DisplayNumber(minutes.numbering(), number, minutes.meeting_date()));
    entry.set_number_overridden(request.override_number() > 0);
    entry.set_override_reason(request.override_reason());
    entry.set_revision(1);
    entry.set_etag("1");
    entry.clear_corrections();
    const auto now = ToProto(clock_.Now());
    *entry.mutable_create_time() = now;
    *entry.mutable_update_time() = now;
    MOOT_RETURN_IF_ERROR(MinutesStore::InsertEntry(tx, key, scope, entry_id, entry));

    MOOT_ASSIGN_OR_RETURN(sql::Result range,
                          tx.Execute("SELECT MIN(number), MAX(number), COUNT(*) FROM"
                                     " minute_entries WHERE tenant_id = $1 AND body_id = $2 AND"
                                     " meeting_id = $3",
                                     {key.tenant, key.body, key.meeting}));
    minutes.set_first_number(
        DisplayNumber(minutes.numbering(), range.rows[0].Int(0), minutes.meeting_date()));
    minutes.set_last_number(
        DisplayNumber(minutes.numbering(), range.rows[0].Int(1), minutes.meeting_date()));
    minutes.set_entry_count(static_cast<int32_t>(range.rows[0].Int(2)));
    *minutes.mutable_update_time() = now;
    minutes.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(MinutesStore::UpdateMinutes(tx, key, minutes, found.second));

    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record(
        request.override_number() > 0 ? "AddMinuteEntry/override" : "AddMinuteEntry", entry.name(),
        entry, "minute.added", /*is_public=*/false));
    result = entry;
    return api::RequestLog::Record(tx, key.tenant, "AddMinuteEntry", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::MinuteEntry> MinutesLogic::GetMinuteEntry(
    const auth::Principal& principal, const v1::GetMinuteEntryRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kEntryPattern, request.name(), "name"));
  const MeetingKey key = KeyOf(name);
  v1::MinuteEntry entry;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    auto minutes = MinutesStore::GetMinutes(conn, key, MinutesName(key));
    if (!minutes.ok()) {
      return minutes.status().code() == absl::StatusCode::kNotFound
                 ? status::NotFound(request.name())
                 : minutes.status();
    }
    if (minutes->first.state() == v1::MINUTES_STATE_DRAFT && !MaySeeDrafts(principal, key.tenant)) {
      return status::NotFound(request.name());
    }
    MOOT_ASSIGN_OR_RETURN(auto found,
                          MinutesStore::GetEntry(conn, key, name.Get("entry"), request.name()));
    entry = std::move(found.first);
    return absl::OkStatus();
  }));
  return entry;
}

absl::StatusOr<v1::ListMinuteEntriesResponse> MinutesLogic::ListMinuteEntries(
    const auth::Principal& principal, const v1::ListMinuteEntriesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMinutesPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("decisions.ListMinuteEntries|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  const MeetingKey key = KeyOf(parent);
  v1::ListMinuteEntriesResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto minutes, MinutesStore::GetMinutes(conn, key, request.parent()));
    if (minutes.first.state() == v1::MINUTES_STATE_DRAFT && !MaySeeDrafts(principal, key.tenant)) {
      return status::NotFound(request.parent());
    }
    MOOT_ASSIGN_OR_RETURN(auto page, MinutesStore::ListEntries(conn, key, after, page_size));
    for (auto& entry : page.items) {
      *response.add_entries() = std::move(entry);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::MinuteEntry> MinutesLogic::RecordResolution(
    const auth::Principal& principal, const v1::RecordResolutionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.entry(), auth::TenantScope::kOwnTenant, "entry"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kEntryPattern, request.entry(), "entry"));
  const MeetingKey key = KeyOf(name);
  if (request.clauses_size() == 0) {
    return status::InvalidArgument("clauses", "at least one clause is required");
  }
  std::vector<MeetingKey> to_confirm;
  std::set<std::string> confirm_names;
  std::vector<int> clause_numbers;
  for (int i = 0; i < request.clauses_size(); ++i) {
    const v1::ResolutionClause& c = request.clauses(i);
    const std::string field = absl::StrCat("clauses[", i, "]");
    if (c.kind() == v1::RESOLUTION_KIND_UNSPECIFIED || !v1::ResolutionKind_IsValid(c.kind())) {
      return status::InvalidArgument(absl::StrCat(field, ".kind"), "is required");
    }
    if (c.kind() != v1::RESOLUTION_KIND_CONFIRM_MINUTES || !c.text().empty()) {
      MOOT_RETURN_IF_ERROR(RequireText(absl::StrCat(field, ".text"), c.text(), kMaxClauseText));
    }
    // R-MIN-04: clauses are i, ii, iii in order, written in either case; a single resolution
    // may be un-numbered.
    int clause_no = 0;
    if (!c.clause().empty()) {
      auto parsed = ParseClause(c.clause());
      if (!parsed) {
        return status::InvalidArgument(absl::StrCat(field, ".clause"),
                                       "must be a roman numeral such as i, ii, iii (any case)");
      }
      clause_no = *parsed;
    } else if (request.clauses_size() > 1) {
      return status::InvalidArgument(absl::StrCat(field, ".clause"),
                                     "is required when a resolution has several clauses");
    }
    if (clause_no != 0 && clause_no != i + 1) {
      return status::InvalidArgument(absl::StrCat(field, ".clause"),
                                     absl::StrCat("must be clause ", i + 1, " (in order)"));
    }
    clause_numbers.push_back(clause_no);
    if (c.kind() == v1::RESOLUTION_KIND_CONFIRM_MINUTES) {
      // R-MIN-02: one clause may confirm the minutes of several meetings.
      if (c.confirms_meetings_size() == 0) {
        return status::InvalidArgument(absl::StrCat(field, ".confirms_meetings"),
                                       "name at least one meeting whose minutes are confirmed");
      }
      for (const std::string& m : c.confirms_meetings()) {
        MOOT_ASSIGN_OR_RETURN(auto meeting,
                              api::ResourceName::Parse(kMeetingPattern, m,
                                                       absl::StrCat(field, ".confirms_meetings")));
        if (meeting.tenant() != key.tenant) {
          return status::InvalidArgument(absl::StrCat(field, ".confirms_meetings"),
                                         "must be meetings of the same tenant");
        }
        if (confirm_names.insert(m).second) {
          to_confirm.push_back(KeyOf(meeting));
        }
      }
      // R-MIN-06: the confirmation is worded in one of the three forms (or written for the
      // officer in the minutes' own wording when the text is empty).
      if (!c.text().empty() &&
          ParseConfirmationWording(c.text()) == v1::CONFIRMATION_WORDING_UNSPECIFIED) {
        return status::InvalidArgument(
            absl::StrCat(field, ".text"),
            "must say the minutes are \"confirmed as a correct record and signed\", "
            "\"accepted as a correct record\" or \"approved\" (or be empty)");
      }
    } else if (c.confirms_meetings_size() > 0) {
      return status::InvalidArgument(absl::StrCat(field, ".confirms_meetings"),
                                     "is only allowed for CONFIRM_MINUTES");
    }
  }

  // R-CH-02: a confirmation hearing (like any meeting that is not an ordinary one) is its own
  // meeting whose minutes are confirmed at the next ordinary meeting, never at another hearing,
  // AGM or special meeting. Meetings scheduling does not know are reported below
  // (MINUTES_NOT_RECORDED).
  if (!confirm_names.empty()) {
    MOOT_ASSIGN_OR_RETURN(MeetingFacts here, scheduling_.GetMeeting(MeetingName(key)));
    if (!here.ordinary) {
      for (const std::string& m : confirm_names) {
        auto target = scheduling_.GetMeeting(m);
        if (!target.ok() && target.status().code() != absl::StatusCode::kNotFound) {
          return target.status();
        }
        if (target.ok() && !target->ordinary) {
          return status::FailedPrecondition(
              "CONFIRMATION_NEEDS_ORDINARY_MEETING", m,
              "the minutes of a hearing or special meeting are confirmed at the next ordinary "
              "meeting");
        }
      }
    }
  }

  v1::MinuteEntry result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "RecordResolution",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto minutes, MinutesStore::GetMinutes(tx, key, MinutesName(key)));
    MOOT_ASSIGN_OR_RETURN(auto found,
                          MinutesStore::GetEntry(tx, key, name.Get("entry"), request.entry()));
    v1::MinuteEntry entry = std::move(found.first);
    if (!request.etag().empty() && request.etag() != entry.etag()) {
      // ABORTED would make Transact retry; nothing is written, so leave with OK and report.
      stale = EtagMismatch(entry.name());
      return absl::OkStatus();
    }
    if (minutes.first.state() != v1::MINUTES_STATE_DRAFT) {
      return status::FailedPrecondition("MINUTES_NOT_DRAFT", minutes.first.name(),
                                        "published minutes change only by a correction");
    }
    for (const auto& old : entry.resolutions()) {
      if (old.kind() == v1::RESOLUTION_KIND_CONFIRM_MINUTES) {
        return status::FailedPrecondition(
            "RESOLUTION_CONFIRMED_MINUTES", entry.name(),
            "this resolution already confirmed earlier minutes and cannot be replaced");
      }
    }
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    const auto now = ToProto(clock_.Now());
    entry.clear_resolutions();
    for (int i = 0; i < request.clauses_size(); ++i) {
      v1::ResolutionClause* c = entry.add_resolutions();
      *c = request.clauses(i);
      c->set_clause_no(clause_numbers[i]);
      if (c->kind() == v1::RESOLUTION_KIND_CONFIRM_MINUTES) {
        if (c->text().empty()) {
          // R-MIN-06: written in this body's wording, with the confirmed meetings' dates.
          std::vector<std::string> dates;
          for (const std::string& m : c->confirms_meetings()) {
            MOOT_ASSIGN_OR_RETURN(auto meeting,
                                  api::ResourceName::Parse(kMeetingPattern, m, "clauses"));
            auto other = MinutesStore::GetMinutes(tx, KeyOf(meeting), MinutesName(KeyOf(meeting)));
            dates.push_back(other.ok() ? other->first.meeting_date() : meeting.Get("meeting"));
          }
          c->set_text(ConfirmationText(minutes.first.confirmation_wording(), dates));
        }
        c->set_confirmation_wording(ParseConfirmationWording(c->text()));
      } else {
        c->clear_confirmation_wording();
      }
      if (clause_numbers[i] > 0) {
        c->set_clause(FormatClause(clause_numbers[i], minutes.first.clause_style()));
        c->set_display_ref(absl::StrCat(entry.display_number(), " ", c->clause()));
      } else {
        c->set_display_ref(entry.display_number());
      }
    }
    // R-MIN-01 / R-MIN-02: confirming earlier minutes moves them to CONFIRMED.
    for (const MeetingKey& target : to_confirm) {
      const std::string target_name = MinutesName(target);
      auto other = MinutesStore::GetMinutes(tx, target, target_name);
      if (other.status().code() == absl::StatusCode::kNotFound) {
        return status::FailedPrecondition("MINUTES_NOT_RECORDED", MeetingName(target),
                                          "the meeting has no minutes to confirm");
      }
      MOOT_RETURN_IF_ERROR(other.status());
      v1::Minutes confirmed = std::move(other->first);
      if (confirmed.state() == v1::MINUTES_STATE_CONFIRMED ||
          confirmed.state() == v1::MINUTES_STATE_SIGNED) {
        return status::FailedPrecondition(
            "MINUTES_ALREADY_CONFIRMED", confirmed.name(),
            absl::StrCat("already confirmed by ", confirmed.confirmed_by_ref()));
      }
      if (confirmed.state() != v1::MINUTES_STATE_PUBLISHED) {
        return status::FailedPrecondition("MINUTES_NOT_PUBLISHED", confirmed.name(),
                                          "only published minutes can be confirmed");
      }
      std::string ref;
      v1::ConfirmationWording wording = v1::CONFIRMATION_WORDING_UNSPECIFIED;
      for (const auto& c : entry.resolutions()) {
        for (const auto& m : c.confirms_meetings()) {
          if (m == MeetingName(target)) {
            ref = c.display_ref();
            wording = c.confirmation_wording();
          }
        }
      }
      confirmed.set_confirmed_wording(wording);
      confirmed.set_state(v1::MINUTES_STATE_CONFIRMED);
      confirmed.set_confirmed_by(entry.name());
      confirmed.set_confirmed_by_ref(ref);
      *confirmed.mutable_confirm_time() = now;
      *confirmed.mutable_update_time() = now;
      confirmed.set_etag(absl::StrCat(other->second + 1));
      MOOT_RETURN_IF_ERROR(MinutesStore::UpdateMinutes(tx, target, confirmed, other->second));
      MOOT_RETURN_IF_ERROR(recorder.Record("RecordResolution/confirm", confirmed.name(), confirmed,
                                           "minutes.confirmed", /*is_public=*/true));
    }
    entry.set_revision(entry.revision() + 1);
    entry.set_etag(absl::StrCat(found.second + 1));
    *entry.mutable_update_time() = now;
    MOOT_RETURN_IF_ERROR(
        MinutesStore::UpdateEntry(tx, key, name.Get("entry"), entry, found.second));
    MOOT_RETURN_IF_ERROR(recorder.Record("RecordResolution", entry.name(), entry,
                                         "resolution.recorded", /*is_public=*/false));
    // R-ACT-04: REQUEST (and WRITE_LETTER) clauses create tracker actions keyed "751 ii".
    for (auto& [action_id, action] :
         ActionsFromResolution(entry, MeetingName(key), minutes.first.meeting_date())) {
      MOOT_ASSIGN_OR_RETURN(bool exists, ActionStore::Exists(tx, key.tenant, key.body, action_id));
      if (exists) {
        continue;
      }
      *action.mutable_create_time() = now;
      *action.mutable_update_time() = now;
      MOOT_RETURN_IF_ERROR(ActionStore::Insert(tx, key.tenant, key.body, action_id, action));
      MOOT_RETURN_IF_ERROR(recorder.Record("RecordResolution/action", action.name(), action,
                                           "action.created", /*is_public=*/false));
    }
    result = entry;
    return api::RequestLog::Record(tx, key.tenant, "RecordResolution", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::Minutes> MinutesLogic::PublishMinutes(
    const auth::Principal& principal, const v1::MinutesTransitionRequest& request) {
  return Transition(principal, request, "PublishMinutes");
}

absl::StatusOr<v1::Minutes> MinutesLogic::SignMinutes(const auth::Principal& principal,
                                                      const v1::MinutesTransitionRequest& request) {
  return Transition(principal, request, "SignMinutes");
}

absl::StatusOr<v1::Minutes> MinutesLogic::Transition(const auth::Principal& principal,
                                                     const v1::MinutesTransitionRequest& request,
                                                     absl::string_view method) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMinutesPattern, request.name(), "name"));
  const MeetingKey key = KeyOf(name);
  const bool publish = method == "PublishMinutes";
  v1::Minutes result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(
        bool replayed,
        api::RequestLog::Replay(tx, key.tenant, method, request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, MinutesStore::GetMinutes(tx, key, request.name()));
    v1::Minutes minutes = std::move(found.first);
    if (!request.etag().empty() && request.etag() != minutes.etag()) {
      stale = EtagMismatch(minutes.name());
      return absl::OkStatus();
    }
    const auto now = ToProto(clock_.Now());
    // R-MIN-01: DRAFT -> PUBLISHED -> CONFIRMED (by resolution) -> SIGNED.
    if (publish) {
      if (minutes.state() != v1::MINUTES_STATE_DRAFT) {
        return status::FailedPrecondition("MINUTES_NOT_DRAFT", minutes.name(),
                                          "the minutes are already published");
      }
      if (minutes.entry_count() == 0) {
        return status::FailedPrecondition("MINUTES_EMPTY", minutes.name(),
                                          "minutes without entries cannot be published");
      }
      minutes.set_state(v1::MINUTES_STATE_PUBLISHED);
      *minutes.mutable_publish_time() = now;
    } else {
      if (minutes.state() == v1::MINUTES_STATE_SIGNED) {
        return status::FailedPrecondition("MINUTES_ALREADY_SIGNED", minutes.name(),
                                          "the minutes are already signed");
      }
      if (minutes.state() != v1::MINUTES_STATE_CONFIRMED) {
        return status::FailedPrecondition(
            "MINUTES_NOT_CONFIRMED", minutes.name(),
            "the Chair signs minutes once a later meeting has confirmed them");
      }
      minutes.set_state(v1::MINUTES_STATE_SIGNED);
      *minutes.mutable_sign_time() = now;
    }
    *minutes.mutable_update_time() = now;
    minutes.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(MinutesStore::UpdateMinutes(tx, key, minutes, found.second));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record(method, minutes.name(), minutes,
                                         publish ? "minutes.published" : "minutes.signed",
                                         /*is_public=*/true));
    result = minutes;
    return api::RequestLog::Record(tx, key.tenant, method, request.request_id(), request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::MinuteEntry> MinutesLogic::CorrectMinuteEntry(
    const auth::Principal& principal, const v1::CorrectMinuteEntryRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kEntryPattern, request.name(), "name"));
  const MeetingKey key = KeyOf(name);
  if (request.title().empty() && request.text().empty()) {
    return status::InvalidArgument("text", "give the corrected title or text");
  }
  if (request.title().size() > kMaxTitle) {
    return status::InvalidArgument("title",
                                   absl::StrCat("must be at most ", kMaxTitle, " characters"));
  }
  if (request.text().size() > kMaxText) {
    return status::InvalidArgument("text",
                                   absl::StrCat("must be at most ", kMaxText, " characters"));
  }
  MOOT_RETURN_IF_ERROR(RequireText("reason", request.reason(), kMaxReason));
  if (request.etag().empty()) {
    return status::InvalidArgument("etag", "is required to correct published minutes");
  }
  v1::MinuteEntry result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(auto minutes, MinutesStore::GetMinutes(tx, key, MinutesName(key)));
    MOOT_ASSIGN_OR_RETURN(auto found,
                          MinutesStore::GetEntry(tx, key, name.Get("entry"), request.name()));
    v1::MinuteEntry entry = std::move(found.first);
    if (request.etag() != entry.etag()) {
      // ABORTED would make Transact retry; nothing is written, so leave with OK and report.
      stale = EtagMismatch(entry.name());
      return absl::OkStatus();
    }
    if (minutes.first.state() == v1::MINUTES_STATE_DRAFT) {
      return status::FailedPrecondition("MINUTES_NOT_PUBLISHED", minutes.first.name(),
                                        "draft minutes are edited, not corrected");
    }
    // Domain §9 item 12: a correction is a new revision; the earlier one is kept.
    v1::MinuteRevision revision;
    revision.set_revision(entry.revision());
    revision.set_reason(request.reason());
    revision.set_actor(principal.subject);
    const auto now = ToProto(clock_.Now());
    *revision.mutable_time() = now;
    *revision.mutable_previous() = entry;
    revision.mutable_previous()->clear_corrections();
    *entry.add_corrections() = std::move(revision);
    if (!request.title().empty()) {
      entry.set_title(request.title());
    }
    if (!request.text().empty()) {
      entry.set_text(request.text());
    }
    entry.set_revision(entry.revision() + 1);
    entry.set_etag(absl::StrCat(found.second + 1));
    *entry.mutable_update_time() = now;
    MOOT_RETURN_IF_ERROR(
        MinutesStore::UpdateEntry(tx, key, name.Get("entry"), entry, found.second));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record("CorrectMinuteEntry", entry.name(), entry,
                                         "minutes.corrected", /*is_public=*/true));
    result = entry;
    return absl::OkStatus();
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::Minutes> MinutesLogic::UpdateMinutes(const auth::Principal& principal,
                                                        const v1::UpdateMinutesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMinutesPattern, request.name(), "name"));
  MOOT_RETURN_IF_ERROR(CheckPresentation(request.minutes_style(), request.confirmation_wording()));
  MOOT_RETURN_IF_ERROR(CheckWebcastUrl("webcast_url", request.webcast_url()));
  if (request.minutes_style() == v1::MINUTES_STYLE_UNSPECIFIED &&
      request.confirmation_wording() == v1::CONFIRMATION_WORDING_UNSPECIFIED &&
      request.webcast_url().empty()) {
    return status::InvalidArgument("webcast_url",
                                   "give a webcast_url, minutes_style or confirmation_wording");
  }
  const MeetingKey key = KeyOf(name);
  v1::Minutes result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "UpdateMinutes",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, MinutesStore::GetMinutes(tx, key, request.name()));
    v1::Minutes minutes = std::move(found.first);
    if (!request.etag().empty() && request.etag() != minutes.etag()) {
      stale = EtagMismatch(minutes.name());
      return absl::OkStatus();
    }
    if (request.minutes_style() != v1::MINUTES_STYLE_UNSPECIFIED) {
      minutes.set_minutes_style(request.minutes_style());
    }
    if (request.confirmation_wording() != v1::CONFIRMATION_WORDING_UNSPECIFIED) {
      minutes.set_confirmation_wording(request.confirmation_wording());
    }
    if (!request.webcast_url().empty()) {
      minutes.set_webcast_url(request.webcast_url());
    }
    *minutes.mutable_update_time() = ToProto(clock_.Now());
    minutes.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(MinutesStore::UpdateMinutes(tx, key, minutes, found.second));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, key.tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record("UpdateMinutes", minutes.name(), minutes,
                                         "minutes.updated",
                                         /*is_public=*/minutes.state() != v1::MINUTES_STATE_DRAFT));
    result = minutes;
    return api::RequestLog::Record(tx, key.tenant, "UpdateMinutes", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::RenderedMinutes> MinutesLogic::RenderMinutes(
    const auth::Principal& principal, const v1::RenderMinutesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMinutesPattern, request.name(), "name"));
  const MeetingKey key = KeyOf(name);
  v1::RenderedMinutes rendered;
  std::vector<v1::MinuteEntry> entries;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found, MinutesStore::GetMinutes(conn, key, request.name()));
    // A draft is invisible (not merely forbidden) to the public.
    if (found.first.state() == v1::MINUTES_STATE_DRAFT && !MaySeeDrafts(principal, key.tenant)) {
      return status::NotFound(request.name());
    }
    *rendered.mutable_minutes() = std::move(found.first);
    std::string after;
    do {
      MOOT_ASSIGN_OR_RETURN(auto page,
                            MinutesStore::ListEntries(conn, key, after, api::kMaxPageSize));
      for (auto& e : page.items) {
        entries.push_back(std::move(e));
      }
      after = page.last_key;
    } while (!after.empty());
    return absl::OkStatus();
  }));
  rendered.set_html(RenderMinutesHtml(rendered.minutes(), entries));
  return rendered;
}

}  // namespace moot::decisions
