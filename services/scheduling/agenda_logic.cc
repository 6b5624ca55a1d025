#include "services/scheduling/agenda_logic.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/agenda_store.h"
#include "services/scheduling/body_access.h"
#include "services/scheduling/meeting_deadlines.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kItemPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaItems/{item}";
constexpr char kVersionPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaVersions/{version}";
constexpr char kDocumentPattern[] = "tenants/{tenant}/documents/{document}";
constexpr int32_t kMaxItemNumber = 999;
constexpr int kMaxPresenters = 20;
constexpr int kMaxDocuments = 50;

// The fields UpdateAgendaItem may change (the number changes only by ReorderAgendaItems).
const absl::flat_hash_set<std::string>& UpdatableFields() {
  static const auto* const fields = new absl::flat_hash_set<std::string>(
      {"title", "description", "kind", "approximate_time", "report_of", "presenters", "format",
       "attached", "statutory", "exempt", "exempt_paragraph", "public_interest_reason", "documents",
       "urgent_reason", "chair_approved_by"});
  return *fields;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// What a caller may see of a meeting's agenda. Officers and the members of the meeting's body
// (body_access.h) are insiders: they see the working agenda and exempt content. Members of other
// bodies see what the public sees.
struct AgendaView {
  bool meeting_visible = false;  // False: a DRAFT meeting this caller may not see.
  bool insider = false;
};

absl::StatusOr<AgendaView> ViewOf(sql::Connection& conn, const auth::Principal& p,
                                  const std::string& tenant, const std::string& body_id,
                                  const v1::Meeting& meeting, absl::Time now) {
  MOOT_ASSIGN_OR_RETURN(bool drafts, MaySeeDrafts(conn, p, tenant, body_id, LondonToday(now)));
  AgendaView view;
  view.meeting_visible = meeting.status() != v1::MEETING_STATUS_DRAFT || drafts;
  view.insider = p.tenant == tenant &&
                 (p.HasRole(auth::Role::kOfficer) || (p.HasRole(auth::Role::kMember) && drafts));
  return view;
}

AgendaKey KeyOf(const api::ResourceName& name) {
  return {name.tenant(), name.Get("body"), name.Get("meeting")};
}

std::string MeetingNameOf(const AgendaKey& key) {
  return api::FormatName(kMeetingPattern, {key.tenant, key.body_id, key.meeting_id});
}

std::string ItemName(const AgendaKey& key, int32_t number) {
  return api::FormatName(kItemPattern,
                         {key.tenant, key.body_id, key.meeting_id, absl::StrCat(number)});
}

// The {item} or {version} segment as a positive number written without leading zeros.
absl::StatusOr<int32_t> NumberSegment(const std::string& segment, absl::string_view what) {
  int32_t number = 0;
  if (!absl::SimpleAtoi(segment, &number) || number < 1 || absl::StrCat(number) != segment) {
    return status::InvalidArgument(
        "name", absl::StrCat("the ", what, " segment must be a number, e.g. \"1\""));
  }
  return number;
}

// Checks everything that needs no lookup.
absl::Status ValidateItem(const v1::AgendaItem& in, const std::string& tenant) {
  if (in.number() < 1 || in.number() > kMaxItemNumber) {
    return status::InvalidArgument("agenda_item.number",
                                   absl::StrCat("must be between 1 and ", kMaxItemNumber));
  }
  if (in.title().empty()) {
    return status::InvalidArgument("agenda_item.title", "is required");
  }
  MOOT_RETURN_IF_ERROR(LimitText("agenda_item.title", in.title(), 500));
  MOOT_RETURN_IF_ERROR(LimitText("agenda_item.description", in.description(), 4000));
  MOOT_RETURN_IF_ERROR(LimitText("agenda_item.report_of", in.report_of(), 200));
  if (!v1::AgendaItemKind_IsValid(in.kind())) {
    return status::InvalidArgument("agenda_item.kind", "is not a known agenda item kind");
  }
  if (!v1::AgendaItemFormat_IsValid(in.format())) {
    return status::InvalidArgument("agenda_item.format", "is not a known agenda item format");
  }
  if (!in.approximate_time().empty() && !IsClockTime(in.approximate_time())) {
    return status::InvalidArgument("agenda_item.approximate_time", "must be a time HH:MM");
  }
  if (in.presenters_size() > kMaxPresenters) {
    return status::InvalidArgument("agenda_item.presenters",
                                   absl::StrCat("must have at most ", kMaxPresenters, " entries"));
  }
  for (const std::string& presenter : in.presenters()) {
    if (presenter.empty() || presenter.size() > 200) {
      return status::InvalidArgument("agenda_item.presenters",
                                     "each presenter must be 1..200 characters");
    }
  }
  if (in.documents_size() > kMaxDocuments) {
    return status::InvalidArgument("agenda_item.documents",
                                   absl::StrCat("must have at most ", kMaxDocuments, " entries"));
  }
  absl::flat_hash_set<std::string> documents;
  for (const std::string& document : in.documents()) {
    MOOT_ASSIGN_OR_RETURN(
        auto name, api::ResourceName::Parse(kDocumentPattern, document, "agenda_item.documents"));
    if (name.tenant() != tenant) {
      return status::InvalidArgument("agenda_item.documents",
                                     "must be documents of the meeting's tenant");
    }
    if (!documents.insert(document).second) {
      return status::InvalidArgument("agenda_item.documents",
                                     absl::StrCat("lists ", document, " twice"));
    }
  }
  if (in.exempt()) {
    // §9 item 8: the Schedule 12A paragraph (1-7) and the public-interest reason.
    if (in.exempt_paragraph() < 1 || in.exempt_paragraph() > 7) {
      return status::InvalidArgument(
          "agenda_item.exempt_paragraph",
          "is required for an exempt item: a paragraph 1..7 of Schedule 12A");
    }
    if (in.public_interest_reason().empty()) {
      return status::InvalidArgument("agenda_item.public_interest_reason",
                                     "is required for an exempt item");
    }
    MOOT_RETURN_IF_ERROR(
        LimitText("agenda_item.public_interest_reason", in.public_interest_reason(), 4000));
  } else {
    if (in.exempt_paragraph() != 0) {
      return status::InvalidArgument("agenda_item.exempt_paragraph",
                                     "is only allowed for an exempt item");
    }
    if (!in.public_interest_reason().empty()) {
      return status::InvalidArgument("agenda_item.public_interest_reason",
                                     "is only allowed for an exempt item");
    }
  }
  // R-MTG-08: urgent business names its special circumstances and the Chair who admitted it.
  MOOT_RETURN_IF_ERROR(LimitText("agenda_item.urgent_reason", in.urgent_reason(), 2000));
  MOOT_RETURN_IF_ERROR(LimitText("agenda_item.chair_approved_by", in.chair_approved_by(), 200));
  if (!in.chair_approved_by().empty() && in.urgent_reason().empty()) {
    return status::InvalidArgument("agenda_item.urgent_reason",
                                   "is required when chair_approved_by is set");
  }
  // R-MTG-04 (ENFORCE): the annual report is reviewed at a meeting held in public.
  if (in.exempt() && in.kind() == v1::AGENDA_ITEM_KIND_ANNUAL_REPORT_REVIEW) {
    return status::FailedPrecondition(
        "ANNUAL_REPORT_MUST_BE_PUBLIC", in.name().empty() ? in.title() : in.name(),
        "the review of the PCC's annual report must be held in public and cannot be exempt "
        "(R-MTG-04)");
  }
  return absl::OkStatus();
}

// An item cannot start before the meeting opens (INVALID_ARGUMENT, "an agenda time outside the
// meeting"); later times are only warned about (R-MTG-12, AgendaTimingWarnings).
absl::Status ValidateTime(const v1::AgendaItem& item, const v1::Meeting& meeting) {
  if (item.approximate_time().empty()) {
    return absl::OkStatus();
  }
  const int start = LocalMinutes(meeting.start_time());
  if (ClockMinutes(item.approximate_time()) < start) {
    return status::InvalidArgument(
        "agenda_item.approximate_time",
        absl::StrCat(
            item.approximate_time(), " is before the meeting starts (",
            absl::FormatTime("%H:%M", absl::FromUnixSeconds(meeting.start_time().seconds()),
                             time::London()),
            ")"));
  }
  return absl::OkStatus();
}

// Output-only fields derived from the others.
void Derive(v1::AgendaItem& item) {
  if (item.kind() == v1::AGENDA_ITEM_KIND_UNSPECIFIED) {
    item.set_kind(v1::AGENDA_ITEM_KIND_REPORT);
  }
  item.set_webcast(!item.exempt());  // R-MTG-01.
}

// Outsiders see only the latest published version. nullopt before the first publication.
absl::StatusOr<std::optional<v1::AgendaVersion>> PublishedVersion(sql::Connection& conn,
                                                                  const AgendaKey& key) {
  return AgendaStore::LatestVersion(conn, key);
}

// Whether the agenda has been published (item numbers are then fixed).
absl::Status RequireUnpublished(sql::Connection& tx, const AgendaKey& key, absl::string_view what) {
  MOOT_ASSIGN_OR_RETURN(auto latest, AgendaStore::LatestVersion(tx, key));
  if (latest.has_value()) {
    return status::FailedPrecondition(
        "AGENDA_ALREADY_PUBLISHED", MeetingNameOf(key),
        absl::StrCat("the agenda was published (version ", latest->version(),
                     "): item numbers are fixed, so ", what,
                     " is not possible; add, change or withdraw items for a supplement"));
  }
  return absl::OkStatus();
}

// Renumbers `items` 1..N in their order, keeping uid, etag and times.
std::vector<v1::AgendaItem> Renumbered(std::vector<v1::AgendaItem> items, const AgendaKey& key,
                                       const google::protobuf::Timestamp& now) {
  for (size_t i = 0; i < items.size(); ++i) {
    const int32_t number = static_cast<int32_t>(i + 1);
    if (items[i].number() != number) {
      items[i].set_number(number);
      items[i].set_name(ItemName(key, number));
      *items[i].mutable_update_time() = now;
    }
  }
  return items;
}

}  // namespace

AgendaLogic::AgendaLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                         ids::IdGenerator& ids, const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status AgendaLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_agenda", AgendaStore::Migrations()));
  // Read here too: people and memberships decide who sees the working agenda (body_access.h).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_people", PeopleStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::AgendaItem> AgendaLogic::CreateAgendaItem(
    const auth::Principal& principal, const v1::CreateAgendaItemRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  const AgendaKey key = KeyOf(parent);
  v1::AgendaItem item = request.agenda_item();
  item.clear_name();
  MOOT_RETURN_IF_ERROR(ValidateItem(item, key.tenant));

  item.set_name(ItemName(key, item.number()));
  Derive(item);
  const auto now = ToProto(clock_.Now());
  *item.mutable_create_time() = now;
  *item.mutable_update_time() = now;
  item.set_etag("1");

  v1::AgendaItem result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "CreateAgendaItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto meeting,
        SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id, request.parent()));
    MOOT_RETURN_IF_ERROR(ValidateTime(item, meeting.first));
    item.set_uid(ids_.NewId());
    MOOT_RETURN_IF_ERROR(AgendaStore::InsertItem(tx, key, item));
    v1::AgendaItemCreated payload;
    payload.set_meeting(request.parent());
    *payload.mutable_agenda_item() = PublicView(item);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.created", key.tenant,
                              item.name(), payload, /*is_public=*/false)));
    result = item;
    return api::RequestLog::Record(tx, key.tenant, "CreateAgendaItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::AgendaItem> AgendaLogic::GetAgendaItem(const auth::Principal& principal,
                                                          const v1::GetAgendaItemRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kItemPattern, request.name(), "name"));
  MOOT_ASSIGN_OR_RETURN(int32_t number, NumberSegment(name.Get("item"), "item"));
  const AgendaKey key = KeyOf(name);
  v1::AgendaItem item;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, key.tenant, key.body_id, key.meeting_id,
                                                      MeetingNameOf(key)));
    MOOT_ASSIGN_OR_RETURN(AgendaView view, ViewOf(conn, principal, key.tenant, key.body_id,
                                                  meeting.first, clock_.Now()));
    if (!view.meeting_visible) {
      return status::NotFound(request.name());
    }
    if (view.insider) {
      MOOT_ASSIGN_OR_RETURN(item, AgendaStore::GetItem(conn, key, number, request.name()));
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto published, PublishedVersion(conn, key));
    if (published.has_value()) {
      for (const v1::AgendaItem& candidate : published->agenda_items()) {
        if (candidate.number() == number) {
          item = PublicView(candidate);
          return absl::OkStatus();
        }
      }
    }
    return status::NotFound(request.name());
  }));
  return item;
}

absl::StatusOr<v1::ListAgendaItemsResponse> AgendaLogic::ListAgendaItems(
    const auth::Principal& principal, const v1::ListAgendaItemsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const AgendaKey key = KeyOf(parent);
  v1::ListAgendaItemsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, key.tenant, key.body_id, key.meeting_id,
                                                      request.parent()));
    MOOT_ASSIGN_OR_RETURN(AgendaView view, ViewOf(conn, principal, key.tenant, key.body_id,
                                                  meeting.first, clock_.Now()));
    if (!view.meeting_visible) {
      return status::NotFound(request.parent());
    }
    const std::string binding = absl::StrCat("ListAgendaItems|", request.parent(),
                                             view.insider ? "|working" : "|published");
    MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
    // The whole agenda: the items this caller may see, for the page and the warnings.
    std::vector<v1::AgendaItem> all;
    if (view.insider) {
      MOOT_ASSIGN_OR_RETURN(all, AgendaStore::AllItems(conn, key));
    } else {
      MOOT_ASSIGN_OR_RETURN(auto published, PublishedVersion(conn, key));
      if (published.has_value()) {
        response.set_agenda_version(published->version());
        for (const v1::AgendaItem& item : published->agenda_items()) {
          all.push_back(PublicView(item));
        }
      }
    }
    for (std::string& warning : AgendaTimingWarnings(all, meeting.first)) {
      response.add_warnings(std::move(warning));
    }
    std::string last_key;
    for (v1::AgendaItem& item : all) {
      const std::string item_key = AgendaStore::NumberKey(item.number());
      if (item_key <= after) {
        continue;
      }
      if (response.agenda_items_size() == page_size) {
        response.set_next_page_token(page_tokens_.Issue(binding, last_key));
        break;
      }
      last_key = item_key;
      *response.add_agenda_items() = std::move(item);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AgendaItem> AgendaLogic::UpdateAgendaItem(
    const auth::Principal& principal, const v1::UpdateAgendaItemRequest& request) {
  const v1::AgendaItem& in = request.agenda_item();
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, in.name(), auth::TenantScope::kOwnTenant, "agenda_item.name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kItemPattern, in.name(), "agenda_item.name"));
  MOOT_ASSIGN_OR_RETURN(int32_t number, NumberSegment(name.Get("item"), "item"));
  if (request.update_mask().paths().empty()) {
    return status::InvalidArgument("update_mask", "is required");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (!UpdatableFields().contains(path)) {
      return status::InvalidArgument(
          "update_mask", absl::StrCat("\"", path, "\" cannot be updated",
                                      path == "number" ? " (use ReorderAgendaItems)" : ""));
    }
  }
  const AgendaKey key = KeyOf(name);
  v1::AgendaItem result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "UpdateAgendaItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id,
                                                      MeetingNameOf(key)));
    MOOT_ASSIGN_OR_RETURN(v1::AgendaItem stored, AgendaStore::GetItem(tx, key, number, in.name()));
    if (!in.etag().empty() && in.etag() != stored.etag()) {
      return status::WithReason(
          absl::AbortedError(absl::StrCat(in.name(), " has changed (etag ", stored.etag(), ", not ",
                                          in.etag(), "); read it again")),
          "ETAG_MISMATCH");
    }
    v1::AgendaItem item = stored;
    FieldMaskUtil::MergeOptions options;
    options.set_replace_message_fields(true);
    options.set_replace_repeated_fields(true);
    FieldMaskUtil::MergeMessageTo(in, request.update_mask(), options, &item);
    MOOT_RETURN_IF_ERROR(ValidateItem(item, key.tenant));
    MOOT_RETURN_IF_ERROR(ValidateTime(item, meeting.first));
    Derive(item);
    std::vector<std::string> changed = ChangedItemFields(stored, item);
    if (changed.empty()) {
      result = stored;
      return api::RequestLog::Record(tx, key.tenant, "UpdateAgendaItem", request.request_id(),
                                     request, result, absl::ToUnixMicros(clock_.Now()));
    }
    int64_t version = 1;
    if (!absl::SimpleAtoi(stored.etag(), &version)) {
      version = 1;
    }
    item.set_etag(absl::StrCat(version + 1));
    *item.mutable_update_time() = ToProto(clock_.Now());
    MOOT_RETURN_IF_ERROR(AgendaStore::UpdateItem(tx, key, item, version));
    v1::AgendaItemUpdated payload;
    payload.set_meeting(MeetingNameOf(key));
    *payload.mutable_agenda_item() = PublicView(item);
    for (std::string& field : changed) {
      payload.add_changed_fields(std::move(field));
    }
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.updated", key.tenant,
                              item.name(), payload, /*is_public=*/false)));
    result = item;
    return api::RequestLog::Record(tx, key.tenant, "UpdateAgendaItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::DeleteAgendaItemResponse> AgendaLogic::DeleteAgendaItem(
    const auth::Principal& principal, const v1::DeleteAgendaItemRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kItemPattern, request.name(), "name"));
  MOOT_ASSIGN_OR_RETURN(int32_t number, NumberSegment(name.Get("item"), "item"));
  const AgendaKey key = KeyOf(name);
  v1::DeleteAgendaItemResponse result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "DeleteAgendaItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(v1::AgendaItem stored,
                          AgendaStore::GetItem(tx, key, number, request.name()));
    if (!request.etag().empty() && request.etag() != stored.etag()) {
      return status::WithReason(
          absl::AbortedError(absl::StrCat(request.name(), " has changed (etag ", stored.etag(),
                                          ", not ", request.etag(), "); read it again")),
          "ETAG_MISMATCH");
    }
    if (request.renumber()) {
      MOOT_RETURN_IF_ERROR(RequireUnpublished(tx, key, "renumbering"));
    }
    MOOT_RETURN_IF_ERROR(AgendaStore::DeleteItem(tx, key, number, request.name()));
    MOOT_ASSIGN_OR_RETURN(std::vector<v1::AgendaItem> rest, AgendaStore::AllItems(tx, key));
    if (request.renumber()) {
      rest = Renumbered(std::move(rest), key, ToProto(clock_.Now()));
      MOOT_RETURN_IF_ERROR(AgendaStore::ReplaceItems(tx, key, rest));
    }
    v1::AgendaItemDeleted payload;
    payload.set_meeting(MeetingNameOf(key));
    payload.set_name(request.name());
    payload.set_number(number);
    payload.set_renumbered(request.renumber());
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.deleted", key.tenant,
                              request.name(), payload, /*is_public=*/false)));
    for (v1::AgendaItem& item : rest) {
      *result.add_agenda_items() = std::move(item);
    }
    return api::RequestLog::Record(tx, key.tenant, "DeleteAgendaItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ReorderAgendaItemsResponse> AgendaLogic::ReorderAgendaItems(
    const auth::Principal& principal, const v1::ReorderAgendaItemsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  const AgendaKey key = KeyOf(parent);
  v1::ReorderAgendaItemsResponse result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "ReorderAgendaItems",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id, request.parent())
            .status());
    MOOT_RETURN_IF_ERROR(RequireUnpublished(tx, key, "reordering"));
    MOOT_ASSIGN_OR_RETURN(std::vector<v1::AgendaItem> items, AgendaStore::AllItems(tx, key));
    // `numbers` must name every current item exactly once.
    std::vector<int32_t> current;
    for (const v1::AgendaItem& item : items) {
      current.push_back(item.number());
    }
    std::vector<int32_t> asked(request.numbers().begin(), request.numbers().end());
    std::vector<int32_t> sorted = asked;
    std::sort(sorted.begin(), sorted.end());
    if (sorted != current) {
      return status::InvalidArgument("numbers",
                                     absl::StrCat("must list each of the ", current.size(),
                                                  " current item numbers exactly once"));
    }
    std::vector<v1::AgendaItem> ordered;
    for (int32_t n : asked) {
      ordered.push_back(
          items[std::lower_bound(current.begin(), current.end(), n) - current.begin()]);
    }
    ordered = Renumbered(std::move(ordered), key, ToProto(clock_.Now()));
    MOOT_RETURN_IF_ERROR(AgendaStore::ReplaceItems(tx, key, ordered));
    v1::AgendaItemsReordered payload;
    payload.set_meeting(request.parent());
    *payload.mutable_previous_numbers() = request.numbers();
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.reordered", key.tenant,
                              request.parent(), payload, /*is_public=*/false)));
    for (v1::AgendaItem& item : ordered) {
      *result.add_agenda_items() = std::move(item);
    }
    return api::RequestLog::Record(tx, key.tenant, "ReorderAgendaItems", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::CreateAgendaFromTemplateResponse> AgendaLogic::CreateAgendaFromTemplate(
    const auth::Principal& principal, const v1::CreateAgendaFromTemplateRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  const AgendaKey key = KeyOf(parent);
  const std::string body_name = api::FormatName(kBodyPattern, {key.tenant, key.body_id});
  v1::CreateAgendaFromTemplateResponse result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "CreateAgendaFromTemplate",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id, request.parent())
            .status());
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, key.tenant, key.body_id, body_name));
    // R-MTG-03: the body's standing items (the Panel's nine by default) open the agenda.
    v1::BodyRules rules = WithDefaults(body.kind(), body.rules());
    if (rules.standing_agenda().empty()) {
      *rules.mutable_standing_agenda() = DefaultRules(body.kind()).standing_agenda();
    }
    if (rules.standing_agenda().empty()) {
      return status::FailedPrecondition(
          "NO_STANDING_AGENDA", body_name,
          "the body has no standing agenda template (BodyRules.standing_agenda)");
    }
    MOOT_ASSIGN_OR_RETURN(std::vector<v1::AgendaItem> existing, AgendaStore::AllItems(tx, key));
    // Idempotent: the standing items already in place, in order, mean there is nothing to do.
    bool in_place = true;
    for (int i = 0; i < rules.standing_agenda_size(); ++i) {
      auto it = std::find_if(existing.begin(), existing.end(),
                             [&](const v1::AgendaItem& item) { return item.number() == i + 1; });
      if (it == existing.end() || it->kind() != rules.standing_agenda(i)) {
        in_place = false;
        if (it != existing.end()) {
          return status::FailedPrecondition(
              "AGENDA_NOT_EMPTY", request.parent(),
              absl::StrCat("item ", i + 1, " is already \"", it->title(),
                           "\"; the standing items are numbered from 1 on an empty agenda"));
        }
      }
    }
    if (in_place) {
      for (int i = 0; i < rules.standing_agenda_size(); ++i) {
        *result.add_agenda_items() = existing[i];
      }
      result.set_created(false);
      return api::RequestLog::Record(tx, key.tenant, "CreateAgendaFromTemplate",
                                     request.request_id(), request, result,
                                     absl::ToUnixMicros(clock_.Now()));
    }
    if (!existing.empty()) {
      return status::FailedPrecondition(
          "AGENDA_NOT_EMPTY", request.parent(),
          absl::StrCat("the agenda already has ", existing.size(),
                       " item(s); the standing items are numbered from 1 on an empty agenda"));
    }
    const auto now = ToProto(clock_.Now());
    for (int i = 0; i < rules.standing_agenda_size(); ++i) {
      v1::AgendaItem item = StandingItem(rules.standing_agenda(i));
      item.set_number(i + 1);
      item.set_name(ItemName(key, i + 1));
      Derive(item);
      *item.mutable_create_time() = now;
      *item.mutable_update_time() = now;
      item.set_etag("1");
      item.set_uid(ids_.NewId());
      MOOT_RETURN_IF_ERROR(AgendaStore::InsertItem(tx, key, item));
      v1::AgendaItemCreated payload;
      payload.set_meeting(request.parent());
      *payload.mutable_agenda_item() = PublicView(item);
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.created", key.tenant,
                                item.name(), payload, /*is_public=*/false)));
      *result.add_agenda_items() = std::move(item);
    }
    result.set_created(true);
    return api::RequestLog::Record(tx, key.tenant, "CreateAgendaFromTemplate", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListAgendaVersionsResponse> AgendaLogic::ListAgendaVersions(
    const auth::Principal& principal, const v1::ListAgendaVersionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const AgendaKey key = KeyOf(parent);
  const std::string binding = absl::StrCat("ListAgendaVersions|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListAgendaVersionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, key.tenant, key.body_id, key.meeting_id,
                                                      request.parent()));
    MOOT_ASSIGN_OR_RETURN(AgendaView view, ViewOf(conn, principal, key.tenant, key.body_id,
                                                  meeting.first, clock_.Now()));
    if (!view.meeting_visible) {
      return status::NotFound(request.parent());
    }
    MOOT_ASSIGN_OR_RETURN(auto page, AgendaStore::ListVersions(conn, key, after, page_size));
    for (v1::AgendaVersion& version : page.items) {
      version.clear_agenda_items();  // A summary: GetAgendaVersion has the items.
      *response.add_agenda_versions() = std::move(version);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AgendaVersion> AgendaLogic::GetAgendaVersion(
    const auth::Principal& principal, const v1::GetAgendaVersionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kVersionPattern, request.name(), "name"));
  MOOT_ASSIGN_OR_RETURN(int32_t number, NumberSegment(name.Get("version"), "version"));
  const AgendaKey key = KeyOf(name);
  v1::AgendaVersion version;
  bool insider = false;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, key.tenant, key.body_id, key.meeting_id,
                                                      MeetingNameOf(key)));
    MOOT_ASSIGN_OR_RETURN(AgendaView view, ViewOf(conn, principal, key.tenant, key.body_id,
                                                  meeting.first, clock_.Now()));
    if (!view.meeting_visible) {
      return status::NotFound(request.name());
    }
    insider = view.insider;
    MOOT_ASSIGN_OR_RETURN(version, AgendaStore::GetVersion(conn, key, number, request.name()));
    return absl::OkStatus();
  }));
  if (!insider) {
    for (v1::AgendaItem& item : *version.mutable_agenda_items()) {
      item = PublicView(std::move(item));
    }
  }
  return version;
}

}  // namespace moot::scheduling
