#include "services/scheduling/work_programme_logic.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/work_programme_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kItemPattern[] = "tenants/{tenant}/bodies/{body}/workProgrammeItems/{item}";
constexpr char kQuarterPattern[] = "tenants/{tenant}/bodies/{body}/workProgrammeQuarters/{quarter}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";
constexpr int kMaxAims = 20;
// The menu of options sorts after every dated item.
constexpr char kUndatedSortKey[] = "9999-99";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool IsCivilMonth(absl::string_view month) {
  return month.size() == 7 && IsCivilDate(absl::StrCat(month, "-01"));
}

// A meeting of the body `tenant`/`body_id` named in `field`; INVALID_ARGUMENT otherwise.
absl::StatusOr<api::ResourceName> ParseBodyMeeting(const std::string& value,
                                                   absl::string_view field,
                                                   const std::string& tenant,
                                                   const std::string& body_id) {
  MOOT_ASSIGN_OR_RETURN(auto meeting, api::ResourceName::Parse(kMeetingPattern, value, field));
  if (meeting.tenant() != tenant || meeting.Get("body") != body_id) {
    return status::InvalidArgument(field, "must be a meeting of the same body");
  }
  return meeting;
}

// Request-intrinsic checks of an item (INVALID_ARGUMENT naming the field).
absl::Status ValidateItem(const v1::WorkProgrammeItem& in, const std::string& tenant,
                          const std::string& body_id) {
  if (absl::StripAsciiWhitespace(in.topic()).empty()) {
    return status::InvalidArgument("item.topic", "is required");
  }
  MOOT_RETURN_IF_ERROR(LimitText("item.topic", in.topic(), 500));
  if (in.aims_size() > kMaxAims) {
    return status::InvalidArgument("item.aims",
                                   absl::StrCat("must have at most ", kMaxAims, " entries"));
  }
  for (const std::string& aim : in.aims()) {
    if (aim.empty() || aim.size() > 2000) {
      return status::InvalidArgument("item.aims", "each aim must be 1..2000 characters");
    }
  }
  MOOT_RETURN_IF_ERROR(ParseMunicipalYear(in.municipal_year(), "item.municipal_year").status());
  if (!in.requested_at_meeting().empty()) {
    MOOT_RETURN_IF_ERROR(
        ParseBodyMeeting(in.requested_at_meeting(), "item.requested_at_meeting", tenant, body_id)
            .status());
  }
  if (!in.target_meeting().empty()) {
    MOOT_RETURN_IF_ERROR(
        ParseBodyMeeting(in.target_meeting(), "item.target_meeting", tenant, body_id).status());
  }
  if (!in.planned_date().empty() && !IsCivilDate(in.planned_date())) {
    return status::InvalidArgument("item.planned_date", "must be a date YYYY-MM-DD");
  }
  if (!in.planned_month().empty() && !IsCivilMonth(in.planned_month())) {
    return status::InvalidArgument("item.planned_month", "must be a month YYYY-MM");
  }
  MOOT_RETURN_IF_ERROR(LimitText("item.notes", in.notes(), 4000));
  MOOT_RETURN_IF_ERROR(LimitText("item.outcome", in.outcome(), 4000));
  if (!v1::WorkProgrammeItemStatus_IsValid(in.status())) {
    return status::InvalidArgument("item.status", "is not a known status");
  }
  if (!v1::WorkProgrammeItemKind_IsValid(in.kind())) {
    return status::InvalidArgument("item.kind", "is not a known kind");
  }
  // R-WP-03: statutory or exploratory, and a priority with its factors.
  if (!v1::WorkProgrammeItemType_IsValid(in.item_type())) {
    return status::InvalidArgument("item.item_type", "is not a known type");
  }
  if (!v1::WorkProgrammePriority_IsValid(in.priority())) {
    return status::InvalidArgument("item.priority", "is not a known priority");
  }
  MOOT_RETURN_IF_ERROR(LimitText("item.priority_reason", in.priority_reason(), 1000));
  if (!in.priority_reason().empty() && in.priority() == v1::WORK_PROGRAMME_PRIORITY_UNSPECIFIED) {
    return status::InvalidArgument("item.priority_reason", "is given only with a priority");
  }
  // R-WP-04: the liaison with the OPCC; an agreed item has its agreed areas of focus.
  if (!v1::OpccLiaison_IsValid(in.opcc_liaison())) {
    return status::InvalidArgument("item.opcc_liaison", "is not a known liaison state");
  }
  MOOT_RETURN_IF_ERROR(LimitText("item.opcc_focus", in.opcc_focus(), 2000));
  if (in.opcc_liaison() == v1::OPCC_LIAISON_AGREED &&
      absl::StripAsciiWhitespace(in.opcc_focus()).empty()) {
    return status::InvalidArgument("item.opcc_focus",
                                   "is required once the OPCC has agreed the item (R-WP-04)");
  }
  // R-WP-06.
  if (!v1::WorkProgrammeFocus_IsValid(in.focus())) {
    return status::InvalidArgument("item.focus", "is not a known focus");
  }
  return absl::OkStatus();
}

// Fills the defaults: the kind, the type (R-WP-03), the liaison state (R-WP-04), the focus and
// its warning (R-WP-06), and PLANNED or SCHEDULED by whether a target is set.
void ApplyDefaults(v1::WorkProgrammeItem& item) {
  if (item.kind() == v1::WORK_PROGRAMME_ITEM_KIND_UNSPECIFIED) {
    item.set_kind(v1::WORK_PROGRAMME_ITEM_KIND_MEETING_ITEM);
  }
  if (item.item_type() == v1::WORK_PROGRAMME_ITEM_TYPE_UNSPECIFIED) {
    item.set_item_type(item.statutory() ? v1::WORK_PROGRAMME_ITEM_TYPE_STATUTORY
                                        : v1::WORK_PROGRAMME_ITEM_TYPE_EXPLORATORY);
  }
  item.set_statutory(item.item_type() == v1::WORK_PROGRAMME_ITEM_TYPE_STATUTORY);
  if (item.opcc_liaison() == v1::OPCC_LIAISON_UNSPECIFIED) {
    item.set_opcc_liaison(v1::OPCC_LIAISON_NOT_STARTED);
  }
  if (item.focus() == v1::WORK_PROGRAMME_FOCUS_UNSPECIFIED) {
    item.set_focus(v1::WORK_PROGRAMME_FOCUS_STRATEGIC);
  }
  item.clear_warnings();
  if (item.focus() == v1::WORK_PROGRAMME_FOCUS_OPERATIONAL) {
    // R-WP-06 (WARN): "The Panel must maintain a strategic focus ... rather than operational
    // detail."
    item.add_warnings(
        "OPERATIONAL_FOCUS: the Panel keeps a strategic focus in scrutinising the PCC, not "
        "operational detail (R-WP-06)");
  }
  if (item.status() == v1::WORK_PROGRAMME_ITEM_STATUS_UNSPECIFIED) {
    item.set_status(item.target_meeting().empty() && item.planned_date().empty()
                        ? v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED
                        : v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
  }
}

// Date order: the target meeting's date, else the planned date or month; the menu of options
// last; then the id.
std::string SortKey(const v1::WorkProgrammeItem& item, const std::string& meeting_date,
                    const std::string& item_id) {
  std::string date = meeting_date;
  if (date.empty()) {
    date = !item.planned_date().empty()    ? item.planned_date()
           : !item.planned_month().empty() ? item.planned_month()
                                           : kUndatedSortKey;
  }
  return absl::StrCat(date, "|", item_id);
}

// The local date of the target meeting (which must exist), or "" when there is none.
absl::StatusOr<std::string> TargetDate(sql::Connection& tx, const v1::WorkProgrammeItem& item) {
  if (item.target_meeting().empty()) {
    return std::string();
  }
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kMeetingPattern, item.target_meeting(),
                                                            "item.target_meeting"));
  MOOT_ASSIGN_OR_RETURN(auto meeting,
                        SchedulingStore::GetMeeting(tx, name.tenant(), name.Get("body"),
                                                    name.Get("meeting"), item.target_meeting()));
  return meeting.first.local_date();
}

absl::Status CheckEtag(const std::string& wanted, const v1::WorkProgrammeItem& current) {
  if (!wanted.empty() && wanted != current.etag()) {
    // FAILED_PRECONDITION, not ABORTED: an aborted transaction is retried, and a stale etag
    // never becomes fresh.
    return status::FailedPrecondition(
        "ETAG_MISMATCH", current.name(),
        absl::StrCat("the resource has changed (etag ", current.etag(), "); read it again"));
  }
  return absl::OkStatus();
}

const std::set<std::string>& UpdatablePaths() {
  static const std::set<std::string> kPaths = {
      "topic",          "aims",         "statutory",       "requested_at_meeting",
      "target_meeting", "planned_date", "planned_month",   "status",
      "municipal_year", "notes",        "outcome",         "kind",
      "item_type",      "priority",     "priority_reason", "opcc_liaison",
      "opcc_focus",     "focus"};
  return kPaths;
}

void CopyField(const std::string& path, const v1::WorkProgrammeItem& from,
               v1::WorkProgrammeItem& to) {
  if (path == "topic") {
    to.set_topic(from.topic());
  } else if (path == "aims") {
    *to.mutable_aims() = from.aims();
  } else if (path == "statutory") {
    to.set_statutory(from.statutory());
  } else if (path == "requested_at_meeting") {
    to.set_requested_at_meeting(from.requested_at_meeting());
  } else if (path == "target_meeting") {
    to.set_target_meeting(from.target_meeting());
  } else if (path == "planned_date") {
    to.set_planned_date(from.planned_date());
  } else if (path == "planned_month") {
    to.set_planned_month(from.planned_month());
  } else if (path == "status") {
    to.set_status(from.status());
  } else if (path == "municipal_year") {
    to.set_municipal_year(from.municipal_year());
  } else if (path == "notes") {
    to.set_notes(from.notes());
  } else if (path == "outcome") {
    to.set_outcome(from.outcome());
  } else if (path == "kind") {
    to.set_kind(from.kind());
  } else if (path == "item_type") {
    to.set_item_type(from.item_type());
  } else if (path == "priority") {
    to.set_priority(from.priority());
  } else if (path == "priority_reason") {
    to.set_priority_reason(from.priority_reason());
  } else if (path == "opcc_liaison") {
    to.set_opcc_liaison(from.opcc_liaison());
  } else if (path == "opcc_focus") {
    to.set_opcc_focus(from.opcc_focus());
  } else if (path == "focus") {
    to.set_focus(from.focus());
  }
}

// A calendar quarter, "2024-Q1" (January to March 2024); its resource id is "2024-q1".
struct Quarter {
  std::string text;   // "2024-Q1".
  std::string id;     // "2024-q1".
  std::string first;  // First month, "2024-01".
  std::string last;   // Last month, "2024-03".
};

absl::StatusOr<Quarter> ParseQuarter(absl::string_view text, absl::string_view field) {
  int year = 0;
  if (text.size() != 7 || text[4] != '-' || (text[5] != 'Q' && text[5] != 'q') || text[6] < '1' ||
      text[6] > '4' || !absl::SimpleAtoi(text.substr(0, 4), &year) || year < 1900) {
    return status::InvalidArgument(field, "must be a quarter YYYY-Qn, e.g. 2024-Q1");
  }
  const int n = text[6] - '0';
  return Quarter{absl::StrFormat("%04d-Q%d", year, n), absl::StrFormat("%04d-q%d", year, n),
                 absl::StrFormat("%04d-%02d", year, 3 * n - 2),
                 absl::StrFormat("%04d-%02d", year, 3 * n)};
}

v1::WorkProgrammeItemChanged Changed(const std::string& body, const v1::WorkProgrammeItem& item) {
  v1::WorkProgrammeItemChanged payload;
  payload.set_body(body);
  *payload.mutable_item() = item;
  return payload;
}

}  // namespace

absl::StatusOr<int> ParseMunicipalYear(absl::string_view year, absl::string_view field) {
  int first = 0;
  int second = 0;
  if (year.size() != 7 || year[4] != '/' || !absl::SimpleAtoi(year.substr(0, 4), &first) ||
      !absl::SimpleAtoi(year.substr(5, 2), &second) || !absl::ascii_isdigit(year[5]) ||
      !absl::ascii_isdigit(year[6]) || first < 1900 || second != (first + 1) % 100) {
    return status::InvalidArgument(field,
                                   "must be a municipal year YYYY/YY of consecutive years, e.g. "
                                   "2023/24");
  }
  return first;
}

std::vector<StatutoryItemDef> StatutoryItems(int y) {
  const std::string year_id = absl::StrFormat("%04d-%02d", y, (y + 1) % 100);
  const std::string report_year = absl::StrFormat("%04d-%02d", y - 1, y % 100);
  const std::string precept_year = absl::StrFormat("%04d/%02d", y + 1, (y + 2) % 100);
  auto id = [&](absl::string_view suffix) {
    return absl::StrCat("statutory-", year_id, "-", suffix);
  };
  return {
      // R-AR-01: review the PCC's annual report for the financial year just ended.
      {v1::STATUTORY_ITEM_TYPE_ANNUAL_REPORT,
       id("annual-report"),
       absl::StrCat("Annual Report of the Police and Crime Commissioner ", report_year),
       {absl::StrCat("Review the Commissioner's annual report on progress made on the Police and "
                     "Crime Plan objectives during ",
                     report_year),
        "Make a report or recommendations on the annual report to the Commissioner"},
       "This is a statutory duty.",
       absl::CivilDay(y, 10, 1),
       absl::CivilDay(y, 11, 30),
       false},
      // R-PR-04: the January meeting informs the February vote.
      {v1::STATUTORY_ITEM_TYPE_DRAFT_PRECEPT,
       id("draft-precept"),
       "Draft proposed Precept and PCC Budget",
       {"Consider the draft proposed precept and PCC budget."},
       "This informs the February meeting where the proposed precept is considered formally and "
       "voted upon. This is a statutory duty.",
       absl::CivilDay(y + 1, 1, 1),
       absl::CivilDay(y + 1, 1, 31),
       false},
      // R-PR-05: the Panel reports on the proposed precept by 8 February (SI 2012/2271 reg 4).
      {v1::STATUTORY_ITEM_TYPE_PRECEPT,
       id("precept"),
       absl::StrCat("PCC Proposed Policing Precept for ", precept_year, " and PCC budget"),
       {"Formally review the proposed precept, and decide whether to approve",
        "Agree recommendation for PCC regarding the proposed precept",
        "Consider the proposed PCC budget"},
       "This is a statutory duty. The Panel has the power to veto the proposed precept.",
       absl::CivilDay(y + 1, 2, 1),
       absl::CivilDay(y + 1, 2, 8),
       false},
      // R-PR-06: the revised precept after a veto, by 22 February; no second veto.
      {v1::STATUTORY_ITEM_TYPE_PROVISIONAL_PRECEPT,
       id("provisional-precept"),
       absl::StrCat("PCC Proposed Policing Precept for ", precept_year),
       {"Formally review the proposed and revised precept"},
       "Provisional meeting date - this meeting will only take place in the event the proposed "
       "precept is vetoed at the earlier February meeting. The Panel does not have a second "
       "veto.",
       absl::CivilDay(y + 1, 2, 9),
       absl::CivilDay(y + 1, 2, 22),
       true},
      // R-WP-05: the annual March items.
      {v1::STATUTORY_ITEM_TYPE_COMPLAINTS,
       id("complaints"),
       "Complaints received by the Panel",
       {"Annual Report."},
       "",
       absl::CivilDay(y + 1, 3, 1),
       absl::CivilDay(y + 1, 3, 31),
       false},
      {v1::STATUTORY_ITEM_TYPE_PANEL_BUDGET,
       id("panel-budget"),
       "Panel Budget and Expenditure",
       {"Consider and approve the total budget and expenditure of the Police and Crime Panel",
        "Annual Report."},
       "",
       absl::CivilDay(y + 1, 3, 1),
       absl::CivilDay(y + 1, 3, 31),
       false},
  };
}

WorkProgrammeLogic::WorkProgrammeLogic(sql::Database& db, const events::Outbox& outbox,
                                       const time::Clock& clock, ids::IdGenerator& ids,
                                       const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status WorkProgrammeLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_work_programme", WorkProgrammeStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::WorkProgrammeItem> WorkProgrammeLogic::CreateWorkProgrammeItem(
    const auth::Principal& principal, const v1::CreateWorkProgrammeItemRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  if (!request.item_id().empty()) {
    MOOT_RETURN_IF_ERROR(api::ValidateId("item_id", request.item_id()));
  }
  const std::string& tenant = parent.tenant();
  const std::string& body_id = parent.Get("body");
  MOOT_RETURN_IF_ERROR(ValidateItem(request.item(), tenant, body_id));

  v1::WorkProgrammeItem result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "CreateWorkProgrammeItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(SchedulingStore::GetBody(tx, tenant, body_id, request.parent()).status());
    const std::string item_id =
        request.item_id().empty() ? absl::AsciiStrToLower(ids_.NewId()) : request.item_id();
    v1::WorkProgrammeItem item = request.item();
    item.set_name(api::FormatName(kItemPattern, {tenant, body_id, item_id}));
    item.clear_statutory_type();
    ApplyDefaults(item);
    MOOT_ASSIGN_OR_RETURN(std::string target_date, TargetDate(tx, item));
    const auto now = ToProto(clock_.Now());
    *item.mutable_create_time() = now;
    *item.mutable_update_time() = now;
    item.set_etag("1");
    MOOT_RETURN_IF_ERROR(WorkProgrammeStore::InsertItem(tx, tenant, body_id, item_id,
                                                        SortKey(item, target_date, item_id), item));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "work_programme_item.created", tenant,
                              item.name(), Changed(request.parent(), item), /*is_public=*/true)));
    result = item;
    return api::RequestLog::Record(tx, tenant, "CreateWorkProgrammeItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::WorkProgrammeItem> WorkProgrammeLogic::GetWorkProgrammeItem(
    const auth::Principal& principal, const v1::GetWorkProgrammeItemRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kItemPattern, request.name(), "name"));
  v1::WorkProgrammeItem item;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found,
                          WorkProgrammeStore::GetItem(conn, name.tenant(), name.Get("body"),
                                                      name.Get("item"), request.name()));
    item = std::move(found.first);
    return absl::OkStatus();
  }));
  return item;
}

absl::StatusOr<v1::ListWorkProgrammeItemsResponse> WorkProgrammeLogic::ListWorkProgrammeItems(
    const auth::Principal& principal, const v1::ListWorkProgrammeItemsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  WorkProgrammeFilter filter;
  if (!request.municipal_year().empty()) {
    MOOT_RETURN_IF_ERROR(ParseMunicipalYear(request.municipal_year(), "municipal_year").status());
    filter.municipal_year = request.municipal_year();
  }
  if (!v1::WorkProgrammeItemStatus_IsValid(request.status())) {
    return status::InvalidArgument("status", "is not a known status");
  }
  filter.status = request.status();
  if (!request.target_meeting().empty()) {
    if (request.menu_of_options()) {
      return status::InvalidArgument("menu_of_options", "cannot be combined with target_meeting");
    }
    MOOT_RETURN_IF_ERROR(ParseBodyMeeting(request.target_meeting(), "target_meeting",
                                          parent.tenant(), parent.Get("body"))
                             .status());
    filter.target_meeting = request.target_meeting();
  }
  filter.menu_of_options = request.menu_of_options();
  const std::string binding =
      absl::StrCat("ListWorkProgrammeItems|", request.parent(), "|", filter.municipal_year, "|",
                   filter.status, "|", filter.target_meeting, "|", filter.menu_of_options);
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListWorkProgrammeItemsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(conn, parent.tenant(), parent.Get("body"), request.parent())
            .status());
    MOOT_ASSIGN_OR_RETURN(
        auto page, WorkProgrammeStore::ListItems(conn, parent.tenant(), parent.Get("body"), filter,
                                                 after, page_size));
    for (auto& item : page.items) {
      *response.add_items() = std::move(item);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::WorkProgrammeItem> WorkProgrammeLogic::UpdateWorkProgrammeItem(
    const auth::Principal& principal, const v1::UpdateWorkProgrammeItemRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.item().name(),
                                         auth::TenantScope::kOwnTenant, "item.name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kItemPattern, request.item().name(), "item.name"));
  if (request.update_mask().paths_size() == 0) {
    return status::InvalidArgument("update_mask", "is required");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (UpdatablePaths().count(path) == 0) {
      return status::InvalidArgument("update_mask", absl::StrCat("cannot update \"", path, "\""));
    }
  }
  const std::string& tenant = name.tenant();
  const std::string& body_id = name.Get("body");
  const std::string body_name = api::FormatName(kBodyPattern, {tenant, body_id});
  const std::string etag = request.etag().empty() ? request.item().etag() : request.etag();

  v1::WorkProgrammeItem result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "UpdateWorkProgrammeItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found,
        WorkProgrammeStore::GetItem(tx, tenant, body_id, name.Get("item"), request.item().name()));
    v1::WorkProgrammeItem item = std::move(found.first);
    MOOT_RETURN_IF_ERROR(CheckEtag(etag, item));
    const std::string previous_target = item.target_meeting();
    bool status_in_mask = false;
    bool statutory_in_mask = false;
    bool type_in_mask = false;
    for (const std::string& path : request.update_mask().paths()) {
      CopyField(path, request.item(), item);
      status_in_mask = status_in_mask || path == "status";
      statutory_in_mask = statutory_in_mask || path == "statutory";
      type_in_mask = type_in_mask || path == "item_type";
    }
    if (statutory_in_mask && !type_in_mask) {
      item.clear_item_type();  // R-WP-03: the type follows the `statutory` flag given.
    }
    // A target meeting set or cleared moves a PLANNED item to SCHEDULED and back, unless the
    // caller sets the status too.
    if (!status_in_mask && previous_target != item.target_meeting()) {
      if (!item.target_meeting().empty() &&
          item.status() == v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED) {
        item.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
      } else if (item.target_meeting().empty() && item.planned_date().empty() &&
                 item.status() == v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED) {
        item.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED);
      }
    }
    MOOT_RETURN_IF_ERROR(ValidateItem(item, tenant, body_id));
    ApplyDefaults(item);
    MOOT_ASSIGN_OR_RETURN(std::string target_date, TargetDate(tx, item));
    // R-WP-01: a living document; every change is dated and versioned.
    *item.mutable_update_time() = ToProto(clock_.Now());
    item.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(WorkProgrammeStore::UpdateItem(
        tx, tenant, body_id, name.Get("item"), SortKey(item, target_date, name.Get("item")), item,
        found.second));
    v1::WorkProgrammeItemChanged payload = Changed(body_name, item);
    for (const std::string& path : request.update_mask().paths()) {
      payload.add_changed_fields(path);
    }
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "work_programme_item.updated", tenant,
                              item.name(), payload, /*is_public=*/true)));
    result = item;
    return api::RequestLog::Record(tx, tenant, "UpdateWorkProgrammeItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::DeleteWorkProgrammeItemResponse> WorkProgrammeLogic::DeleteWorkProgrammeItem(
    const auth::Principal& principal, const v1::DeleteWorkProgrammeItemRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kItemPattern, request.name(), "name"));
  const std::string& tenant = name.tenant();
  const std::string& body_id = name.Get("body");
  v1::DeleteWorkProgrammeItemResponse result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "DeleteWorkProgrammeItem",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, WorkProgrammeStore::GetItem(
                                          tx, tenant, body_id, name.Get("item"), request.name()));
    MOOT_RETURN_IF_ERROR(CheckEtag(request.etag(), found.first));
    MOOT_RETURN_IF_ERROR(WorkProgrammeStore::DeleteItem(tx, tenant, body_id, name.Get("item"),
                                                        request.name(), found.second));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(
                ids_, clock_, "scheduling", "work_programme_item.deleted", tenant, request.name(),
                Changed(api::FormatName(kBodyPattern, {tenant, body_id}), found.first),
                /*is_public=*/true)));
    result.set_name(request.name());
    return api::RequestLog::Record(tx, tenant, "DeleteWorkProgrammeItem", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::SeedStatutoryItemsResponse> WorkProgrammeLogic::SeedStatutoryItems(
    const auth::Principal& principal, const v1::SeedStatutoryItemsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int first_year,
                        ParseMunicipalYear(request.municipal_year(), "municipal_year"));
  const std::string& tenant = parent.tenant();
  const std::string& body_id = parent.Get("body");

  v1::SeedStatutoryItemsResponse result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "SeedStatutoryItems",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, tenant, body_id, request.parent()));
    // R-SG-01: the precept, the annual report and the Panel's own budget are the Panel's
    // special functions; a board, committee or sub-group does not own them.
    if (body.kind() != v1::BODY_KIND_PANEL) {
      return status::FailedPrecondition(
          "STATUTORY_ITEMS_PANEL_ONLY", request.parent(),
          "the annual statutory items belong to a Police and Crime Panel (R-SG-01)");
    }
    // The body's meetings, to match each item to the meeting in its window.
    std::vector<v1::Meeting> meetings;
    std::string after;
    do {
      MOOT_ASSIGN_OR_RETURN(
          auto page, SchedulingStore::ListMeetings(tx, tenant, body_id, after, api::kMaxPageSize,
                                                   /*include_drafts=*/true));
      for (auto& meeting : page.items) {
        meetings.push_back(std::move(meeting));
      }
      after = page.last_key;
    } while (!after.empty());

    for (const StatutoryItemDef& def : StatutoryItems(first_year)) {
      const std::string name = api::FormatName(kItemPattern, {tenant, body_id, def.id});
      auto existing = WorkProgrammeStore::GetItem(tx, tenant, body_id, def.id, name);
      if (existing.ok()) {
        result.add_existing(name);
        continue;
      }
      if (existing.status().code() != absl::StatusCode::kNotFound) {
        return existing.status();
      }
      // The earliest meeting in the window that is not cancelled; for the provisional precept
      // meeting, a provisional meeting first (R-PR-06).
      const v1::Meeting* match = nullptr;
      for (int pass = def.provisional ? 0 : 1; pass < 2 && match == nullptr; ++pass) {
        for (const v1::Meeting& meeting : meetings) {
          if (meeting.status() == v1::MEETING_STATUS_CANCELLED ||
              meeting.local_date() < DayText(def.from) || meeting.local_date() > DayText(def.to)) {
            continue;
          }
          if (pass == 0 && meeting.kind() != v1::MEETING_KIND_PROVISIONAL) {
            continue;
          }
          match = &meeting;
          break;
        }
      }
      v1::WorkProgrammeItem item;
      item.set_name(name);
      item.set_topic(def.topic);
      for (const std::string& aim : def.aims) {
        item.add_aims(aim);
      }
      item.set_statutory(true);
      item.set_statutory_type(def.type);
      // R-WP-03: statutory tasks come first.
      item.set_item_type(v1::WORK_PROGRAMME_ITEM_TYPE_STATUTORY);
      item.set_priority(v1::WORK_PROGRAMME_PRIORITY_HIGH);
      item.set_priority_reason("statutory duty");
      item.set_opcc_liaison(v1::OPCC_LIAISON_NOT_STARTED);
      item.set_focus(v1::WORK_PROGRAMME_FOCUS_STRATEGIC);
      item.set_municipal_year(request.municipal_year());
      item.set_notes(def.notes);
      item.set_kind(v1::WORK_PROGRAMME_ITEM_KIND_MEETING_ITEM);
      std::string target_date;
      if (match != nullptr) {
        item.set_target_meeting(match->name());
        item.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
        target_date = match->local_date();
      } else {
        item.set_planned_month(DayText(def.from).substr(0, 7));
        item.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED);
      }
      const auto now = ToProto(clock_.Now());
      *item.mutable_create_time() = now;
      *item.mutable_update_time() = now;
      item.set_etag("1");
      MOOT_RETURN_IF_ERROR(WorkProgrammeStore::InsertItem(
          tx, tenant, body_id, def.id, SortKey(item, target_date, def.id), item));
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, service::NewEvent(ids_, clock_, "scheduling", "work_programme_item.created", tenant,
                                item.name(), Changed(request.parent(), item),
                                /*is_public=*/true)));
      *result.add_created() = std::move(item);
    }
    return api::RequestLog::Record(tx, tenant, "SeedStatutoryItems", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::WorkProgrammeQuarter> WorkProgrammeLogic::RecordChairInput(
    const auth::Principal& principal, const v1::RecordChairInputRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(Quarter quarter, ParseQuarter(request.quarter(), "quarter"));
  const v1::ChairInput& in = request.input();
  if (in.role() == v1::CHAIR_ROLE_UNSPECIFIED || !v1::ChairRole_IsValid(in.role())) {
    return status::InvalidArgument("input.role", "must be CHAIR or DEPUTY_CHAIR");
  }
  if (absl::StripAsciiWhitespace(in.input()).empty()) {
    return status::InvalidArgument("input.input", "is required");
  }
  MOOT_RETURN_IF_ERROR(LimitText("input.input", in.input(), 4000));
  if (!in.person().empty()) {
    MOOT_ASSIGN_OR_RETURN(auto person,
                          api::ResourceName::Parse(kPersonPattern, in.person(), "input.person"));
    if (person.tenant() != parent.tenant()) {
      return status::InvalidArgument("input.person", "must be a person of the same tenant");
    }
  }
  const std::string& tenant = parent.tenant();
  const std::string& body_id = parent.Get("body");
  v1::WorkProgrammeQuarter result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        bool replayed, api::RequestLog::Replay(tx, tenant, "RecordChairInput", request.request_id(),
                                               request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(SchedulingStore::GetBody(tx, tenant, body_id, request.parent()).status());
    MOOT_ASSIGN_OR_RETURN(auto found,
                          WorkProgrammeStore::GetQuarter(tx, tenant, body_id, quarter.id));
    v1::WorkProgrammeQuarter stored = std::move(found.first);
    stored.set_name(api::FormatName(kQuarterPattern, {tenant, body_id, quarter.id}));
    stored.set_quarter(quarter.text);
    if (stored.agreed()) {
      return status::FailedPrecondition(
          "WP_QUARTER_ALREADY_AGREED", stored.name(),
          "the quarter's items are agreed; input comes before the agreement (R-WP-02)");
    }
    v1::ChairInput* input = stored.add_chair_inputs();
    *input = in;
    *input->mutable_record_time() = ToProto(clock_.Now());
    input->set_recorded_by(principal.subject);
    *stored.mutable_update_time() = ToProto(clock_.Now());
    stored.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        WorkProgrammeStore::PutQuarter(tx, tenant, body_id, quarter.id, stored, found.second));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "work_programme.chair_input_recorded",
                              tenant, stored.name(), stored, /*is_public=*/false)));
    result = stored;
    return api::RequestLog::Record(tx, tenant, "RecordChairInput", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::WorkProgrammeQuarter> WorkProgrammeLogic::AgreeQuarter(
    const auth::Principal& principal, const v1::AgreeQuarterRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(Quarter quarter, ParseQuarter(request.quarter(), "quarter"));
  const std::string& tenant = parent.tenant();
  const std::string& body_id = parent.Get("body");
  v1::WorkProgrammeQuarter result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "AgreeQuarter", request.request_id(),
                                                  request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(SchedulingStore::GetBody(tx, tenant, body_id, request.parent()).status());
    MOOT_ASSIGN_OR_RETURN(auto found,
                          WorkProgrammeStore::GetQuarter(tx, tenant, body_id, quarter.id));
    v1::WorkProgrammeQuarter stored = std::move(found.first);
    stored.set_name(api::FormatName(kQuarterPattern, {tenant, body_id, quarter.id}));
    stored.set_quarter(quarter.text);
    if (!request.etag().empty() && request.etag() != stored.etag()) {
      return status::FailedPrecondition(
          "ETAG_MISMATCH", stored.name(),
          absl::StrCat("the quarter has etag ", stored.etag(), "; read it again"));
    }
    if (stored.agreed()) {
      return status::FailedPrecondition("WP_QUARTER_ALREADY_AGREED", stored.name(),
                                        "the quarter's items are already agreed");
    }
    // R-WP-02: "Agrees, subject to further input from the Chair and Deputy Chair, the issues
    // that the Panel will consider during January 2024 - March 2024".
    bool chair = false;
    bool deputy = false;
    for (const v1::ChairInput& input : stored.chair_inputs()) {
      chair = chair || input.role() == v1::CHAIR_ROLE_CHAIR;
      deputy = deputy || input.role() == v1::CHAIR_ROLE_DEPUTY_CHAIR;
    }
    if (!chair || !deputy) {
      return status::FailedPrecondition(
          "WP_CHAIR_INPUT_MISSING", stored.name(),
          absl::StrCat("no input recorded from the ",
                       !chair && !deputy ? "Chair and the Deputy Chair"
                       : !chair          ? "Chair"
                                         : "Deputy Chair",
                       " for ", quarter.text, " (R-WP-02)"));
    }
    // The items dated in the quarter, in programme order, except the dropped ones.
    stored.clear_agreed_items();
    std::string after;
    do {
      MOOT_ASSIGN_OR_RETURN(auto page,
                            WorkProgrammeStore::ListItems(tx, tenant, body_id, {}, after, 1000));
      for (const v1::WorkProgrammeItem& item : page.items) {
        if (item.status() == v1::WORK_PROGRAMME_ITEM_STATUS_DROPPED) {
          continue;
        }
        MOOT_ASSIGN_OR_RETURN(std::string date, TargetDate(tx, item));
        if (date.empty()) {
          date = !item.planned_date().empty() ? item.planned_date() : item.planned_month();
        }
        const std::string month = date.substr(0, 7);
        if (!month.empty() && month >= quarter.first && month <= quarter.last) {
          stored.add_agreed_items(item.name());
        }
      }
      after = page.last_key;
    } while (!after.empty());
    stored.set_agreed(true);
    *stored.mutable_agree_time() = ToProto(clock_.Now());
    *stored.mutable_update_time() = ToProto(clock_.Now());
    stored.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        WorkProgrammeStore::PutQuarter(tx, tenant, body_id, quarter.id, stored, found.second));
    // The public event names who gave input, not what they said.
    v1::WorkProgrammeQuarter payload = stored;
    for (v1::ChairInput& input : *payload.mutable_chair_inputs()) {
      input.clear_input();
      input.clear_recorded_by();
    }
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "work_programme.quarter_agreed", tenant,
                              stored.name(), payload, /*is_public=*/true)));
    result = stored;
    return api::RequestLog::Record(tx, tenant, "AgreeQuarter", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::WorkProgrammeQuarter> WorkProgrammeLogic::GetWorkProgrammeQuarter(
    const auth::Principal& principal, const v1::GetWorkProgrammeQuarterRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kQuarterPattern, request.name(), "name"));
  MOOT_ASSIGN_OR_RETURN(Quarter quarter, ParseQuarter(name.Get("quarter"), "name"));
  v1::WorkProgrammeQuarter result;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(conn, name.tenant(), name.Get("body"),
                                 api::FormatName(kBodyPattern, {name.tenant(), name.Get("body")}))
            .status());
    MOOT_ASSIGN_OR_RETURN(auto found, WorkProgrammeStore::GetQuarter(conn, name.tenant(),
                                                                     name.Get("body"), quarter.id));
    result = std::move(found.first);
    result.set_name(
        api::FormatName(kQuarterPattern, {name.tenant(), name.Get("body"), quarter.id}));
    result.set_quarter(quarter.text);
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace moot::scheduling
