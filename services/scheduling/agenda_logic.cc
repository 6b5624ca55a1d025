#include "services/scheduling/agenda_logic.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/agenda_store.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kItemPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaItems/{item}";
constexpr int32_t kMaxItemNumber = 999;
constexpr int kMaxPresenters = 20;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// Officers and members of the tenant see exempt content and draft meetings' agendas.
bool IsInsider(const auth::Principal& p, const std::string& tenant) {
  return p.tenant == tenant && (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kMember));
}

// Draft meetings (and so their agendas) are visible to officers, tenant admins and members of
// the tenant only, as SchedulingLogic::GetMeeting decides.
bool MaySeeMeeting(const auth::Principal& p, const std::string& tenant,
                   const v1::Meeting& meeting) {
  if (meeting.status() != v1::MEETING_STATUS_DRAFT) {
    return true;
  }
  return p.tenant == tenant &&
         (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kTenantAdmin) ||
          p.HasRole(auth::Role::kMember));
}

absl::Status ValidateItem(const v1::AgendaItem& in) {
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
  if (in.exempt()) {
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
  return absl::OkStatus();
}

}  // namespace

bool IsClockTime(absl::string_view time) {
  if (time.size() != 5 || time[2] != ':') {
    return false;
  }
  for (size_t i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(time[i]))) {
      return false;
    }
  }
  const int hours = (time[0] - '0') * 10 + (time[1] - '0');
  const int minutes = (time[3] - '0') * 10 + (time[4] - '0');
  return hours <= 23 && minutes <= 59;
}

v1::AgendaItem PublicView(v1::AgendaItem item) {
  if (item.exempt()) {
    item.clear_description();
    item.clear_public_interest_reason();
  }
  return item;
}

AgendaLogic::AgendaLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                         ids::IdGenerator& ids, const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status AgendaLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_agenda", AgendaStore::Migrations()));
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
  MOOT_RETURN_IF_ERROR(ValidateItem(request.agenda_item()));

  v1::AgendaItem item = request.agenda_item();
  item.set_name(api::FormatName(
      kItemPattern,
      {parent.tenant(), parent.Get("body"), parent.Get("meeting"), absl::StrCat(item.number())}));
  if (item.kind() == v1::AGENDA_ITEM_KIND_UNSPECIFIED) {
    item.set_kind(v1::AGENDA_ITEM_KIND_REPORT);
  }
  *item.mutable_create_time() = ToProto(clock_.Now());

  v1::AgendaItem result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateAgendaItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(SchedulingStore::GetMeeting(tx, parent.tenant(), parent.Get("body"),
                                                     parent.Get("meeting"), request.parent())
                             .status());
    MOOT_RETURN_IF_ERROR(AgendaStore::InsertItem(tx, parent.tenant(), parent.Get("body"),
                                                 parent.Get("meeting"), item));
    v1::AgendaItemCreated payload;
    payload.set_meeting(request.parent());
    *payload.mutable_agenda_item() = PublicView(item);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "agenda_item.created", parent.tenant(),
                              item.name(), payload, /*is_public=*/!item.exempt())));
    result = item;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateAgendaItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::AgendaItem> AgendaLogic::GetAgendaItem(const auth::Principal& principal,
                                                          const v1::GetAgendaItemRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kItemPattern, request.name(), "name"));
  int32_t number = 0;
  if (!absl::SimpleAtoi(name.Get("item"), &number) || number < 1 ||
      absl::StrCat(number) != name.Get("item")) {
    return status::InvalidArgument("name", "the item segment must be the item number, e.g. \"1\"");
  }
  const std::string meeting_name =
      api::FormatName(kMeetingPattern, {name.tenant(), name.Get("body"), name.Get("meeting")});
  v1::AgendaItem item;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), meeting_name));
    if (!MaySeeMeeting(principal, name.tenant(), meeting.first)) {
      return status::NotFound(request.name());
    }
    MOOT_ASSIGN_OR_RETURN(item, AgendaStore::GetItem(conn, name.tenant(), name.Get("body"),
                                                     name.Get("meeting"), number, request.name()));
    return absl::OkStatus();
  }));
  return IsInsider(principal, name.tenant()) ? item : PublicView(std::move(item));
}

absl::StatusOr<v1::ListAgendaItemsResponse> AgendaLogic::ListAgendaItems(
    const auth::Principal& principal, const v1::ListAgendaItemsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListAgendaItems|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  const bool insider = IsInsider(principal, parent.tenant());
  v1::ListAgendaItemsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, parent.tenant(), parent.Get("body"),
                                                      parent.Get("meeting"), request.parent()));
    if (!MaySeeMeeting(principal, parent.tenant(), meeting.first)) {
      return status::NotFound(request.parent());
    }
    MOOT_ASSIGN_OR_RETURN(auto page,
                          AgendaStore::ListItems(conn, parent.tenant(), parent.Get("body"),
                                                 parent.Get("meeting"), after, page_size));
    for (auto& item : page.items) {
      *response.add_agenda_items() = insider ? std::move(item) : PublicView(std::move(item));
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::scheduling
