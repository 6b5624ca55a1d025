#include "services/scheduling/scheduling_logic.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/events/outbox.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/scheduling/agenda_publication.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
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

// Officers and the body's members may see DRAFT meetings; everyone else sees only scheduled,
// provisional, published, held, postponed and cancelled ones.
bool MaySeeDrafts(const auth::Principal& p) {
  return p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kTenantAdmin) ||
         p.HasRole(auth::Role::kMember);
}

// Between 0001-01-01 and 9999-12-31 with nanos in range (google/protobuf/timestamp.proto).
bool IsValidTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() >= TimeUtil::kTimestampMinSeconds &&
         ts.seconds() <= TimeUtil::kTimestampMaxSeconds && ts.nanos() >= 0 &&
         ts.nanos() <= 999999999;
}

// The civil date of `ts` in Europe/London.
std::string LocalDate(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(ts.seconds()), time::London());
}

}  // namespace

SchedulingLogic::SchedulingLogic(sql::Database& db, const events::Outbox& outbox,
                                 const time::Clock& clock, ids::IdGenerator& ids,
                                 const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

events::v1::Event SchedulingLogic::MakeEvent(absl::string_view type, const std::string& tenant,
                                             const std::string& subject,
                                             const google::protobuf::Message& payload,
                                             bool is_public) {
  return service::NewEvent(ids_, clock_, "scheduling", type, tenant, subject, payload, is_public);
}

absl::Status SchedulingLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling", SchedulingStore::Migrations()));
  // PublishAgenda stores agenda versions (agenda_publication.cc).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_agenda", AgendaStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Body> SchedulingLogic::CreateBody(const auth::Principal& principal,
                                                     const v1::CreateBodyRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("body_id", request.body_id()));
  const v1::Body& in = request.body();
  MOOT_RETURN_IF_ERROR(RequireText("body.display_name", in.display_name(), 200));
  if (in.kind() == v1::BODY_KIND_UNSPECIFIED || !v1::BodyKind_IsValid(in.kind())) {
    return status::InvalidArgument("body.kind", "is required (PANEL, BOARD, SUB_GROUP, COMMITTEE)");
  }
  if (in.description().size() > 4000) {
    return status::InvalidArgument("body.description", "must be at most 4000 characters");
  }
  std::string parent_body_id;
  if (in.kind() == v1::BODY_KIND_SUB_GROUP) {
    MOOT_ASSIGN_OR_RETURN(auto parent_body, api::ResourceName::Parse(kBodyPattern, in.parent_body(),
                                                                     "body.parent_body"));
    if (parent_body.tenant() != parent.tenant()) {
      return status::InvalidArgument("body.parent_body", "must be a body of the same tenant");
    }
    parent_body_id = parent_body.Get("body");
  } else if (!in.parent_body().empty()) {
    return status::InvalidArgument("body.parent_body", "is only allowed for a SUB_GROUP");
  }

  v1::Body body = in;
  body.set_name(api::FormatName(kBodyPattern, {parent.tenant(), request.body_id()}));
  const auto now = ToProto(clock_.Now());
  *body.mutable_create_time() = now;
  *body.mutable_update_time() = now;
  body.set_etag("1");

  v1::Body result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateBody",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    if (!parent_body_id.empty()) {
      MOOT_RETURN_IF_ERROR(
          SchedulingStore::GetBody(tx, parent.tenant(), parent_body_id, in.parent_body()).status());
    }
    MOOT_RETURN_IF_ERROR(SchedulingStore::InsertBody(tx, parent.tenant(), request.body_id(), body));
    result = body;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateBody", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Body> SchedulingLogic::GetBody(const auth::Principal& principal,
                                                  const v1::GetBodyRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kBodyPattern, request.name(), "name"));
  v1::Body body;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        body, SchedulingStore::GetBody(conn, name.tenant(), name.Get("body"), request.name()));
    return absl::OkStatus();
  }));
  return body;
}

absl::StatusOr<v1::ListBodiesResponse> SchedulingLogic::ListBodies(
    const auth::Principal& principal, const v1::ListBodiesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListBodies|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListBodiesResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page,
                          SchedulingStore::ListBodies(conn, parent.tenant(), after, page_size));
    for (auto& body : page.items) {
      *response.add_bodies() = std::move(body);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::CreateMeeting(
    const auth::Principal& principal, const v1::CreateMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("meeting_id", request.meeting_id()));
  const v1::Meeting& in = request.meeting();
  MOOT_RETURN_IF_ERROR(RequireText("meeting.title", in.title(), 200));
  if (!in.has_start_time()) {
    return status::InvalidArgument("meeting.start_time", "is required");
  }
  if (!IsValidTimestamp(in.start_time())) {
    return status::InvalidArgument("meeting.start_time", "is not a valid timestamp");
  }
  if (in.has_end_time() && !IsValidTimestamp(in.end_time())) {
    return status::InvalidArgument("meeting.end_time", "is not a valid timestamp");
  }
  if (in.has_end_time() && in.end_time() <= in.start_time()) {
    return status::InvalidArgument("meeting.end_time", "must be after meeting.start_time");
  }
  if (!v1::MeetingKind_IsValid(in.kind())) {
    return status::InvalidArgument("meeting.kind", "is not a known meeting kind");
  }
  if (in.venue().size() > 500 || in.webcast_url().size() > 2000) {
    return status::InvalidArgument(
        in.venue().size() > 500 ? "meeting.venue" : "meeting.webcast_url", "is too long");
  }

  v1::Meeting meeting = in;
  meeting.set_name(api::FormatName(kMeetingPattern,
                                   {parent.tenant(), parent.Get("body"), request.meeting_id()}));
  if (meeting.kind() == v1::MEETING_KIND_UNSPECIFIED) {
    meeting.set_kind(v1::MEETING_KIND_ORDINARY);
  }
  meeting.set_status(meeting.kind() == v1::MEETING_KIND_PROVISIONAL ? v1::MEETING_STATUS_PROVISIONAL
                                                                    : v1::MEETING_STATUS_SCHEDULED);
  meeting.set_local_date(LocalDate(meeting.start_time()));
  meeting.set_agenda_version(0);
  meeting.clear_agenda_publish_time();
  const auto now = ToProto(clock_.Now());
  *meeting.mutable_create_time() = now;
  *meeting.mutable_update_time() = now;
  meeting.set_etag("1");

  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateMeeting",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(tx, parent.tenant(), parent.Get("body"), request.parent())
            .status());
    MOOT_RETURN_IF_ERROR(SchedulingStore::InsertMeeting(tx, parent.tenant(), parent.Get("body"),
                                                        request.meeting_id(), meeting));
    v1::MeetingScheduled payload;
    *payload.mutable_meeting() = meeting;
    MOOT_RETURN_IF_ERROR(
        outbox_.Append(tx, MakeEvent("meeting.scheduled", parent.tenant(), meeting.name(), payload,
                                     /*is_public=*/true)));
    result = meeting;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateMeeting", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::GetMeeting(const auth::Principal& principal,
                                                        const v1::GetMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  v1::Meeting meeting;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(conn, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), request.name()));
    meeting = std::move(found.first);
    return absl::OkStatus();
  }));
  // A draft is invisible (not merely forbidden) to those who may not see drafts.
  if (meeting.status() == v1::MEETING_STATUS_DRAFT &&
      !(MaySeeDrafts(principal) && principal.tenant == name.tenant())) {
    return status::NotFound(request.name());
  }
  return meeting;
}

absl::StatusOr<v1::ListMeetingsResponse> SchedulingLogic::ListMeetings(
    const auth::Principal& principal, const v1::ListMeetingsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const bool drafts = MaySeeDrafts(principal) && principal.tenant == parent.tenant();
  const std::string binding = absl::StrCat("ListMeetings|", request.parent(), "|", drafts);
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListMeetingsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto page, SchedulingStore::ListMeetings(conn, parent.tenant(), parent.Get("body"), after,
                                                 page_size, drafts));
    for (auto& meeting : page.items) {
      *response.add_meetings() = std::move(meeting);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::PublishAgenda(
    const auth::Principal& principal, const v1::PublishAgendaRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  const AgendaKey key{name.tenant(), name.Get("body"), name.Get("meeting")};
  const std::string body_name = api::FormatName(kBodyPattern, {name.tenant(), name.Get("body")});
  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "PublishAgenda",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(tx, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), request.name()));
    v1::Meeting meeting = std::move(found.first);
    if (meeting.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", request.name(),
                                        "the meeting is cancelled; its agenda cannot be published");
    }
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, name.tenant(), name.Get("body"), body_name));
    // R-MTG-09 / R-MTG-08: the deadline, late items and the immutable version
    // (agenda_publication.cc).
    MOOT_ASSIGN_OR_RETURN(v1::AgendaVersion version,
                          PublishAgendaVersion(tx, key, meeting, body, NationalCalendar(),
                                               clock_.Now(), principal.subject));
    const auto now = ToProto(clock_.Now());
    meeting.set_agenda_version(version.version());
    *meeting.mutable_agenda_publish_time() = now;
    *meeting.mutable_update_time() = now;
    if (meeting.status() == v1::MEETING_STATUS_SCHEDULED ||
        meeting.status() == v1::MEETING_STATUS_DRAFT) {
      meeting.set_status(v1::MEETING_STATUS_AGENDA_PUBLISHED);
    }
    meeting.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(SchedulingStore::UpdateMeeting(
        tx, name.tenant(), name.Get("body"), name.Get("meeting"), meeting, found.second));
    const v1::AgendaPublished payload = PublishedPayload(meeting, body_name, version);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx,
        MakeEvent("agenda.published", name.tenant(), meeting.name(), payload, /*is_public=*/true)));
    if (version.supplement()) {
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, MakeEvent("agenda.supplement_published", name.tenant(), meeting.name(), payload,
                        /*is_public=*/true)));
    }
    result = meeting;
    return api::RequestLog::Record(tx, name.tenant(), "PublishAgenda", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

}  // namespace moot::scheduling
