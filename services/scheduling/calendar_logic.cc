#include "services/scheduling/calendar_logic.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/calendar/calendar.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/meeting_deadlines.h"
#include "services/scheduling/scheduling_logic.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kClosurePattern[] = "tenants/{tenant}/closures/{closure}";

bool ParseDay(const std::string& text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day) &&
         absl::FormatCivilTime(*day) == text;
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

}  // namespace

CalendarLogic::CalendarLogic(sql::Database& db, const events::Outbox& outbox,
                             const time::Clock& clock, ids::IdGenerator& ids,
                             const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status CalendarLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_calendar", CalendarStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::ComputeDeadlineResponse> CalendarLogic::ComputeDeadline(
    const auth::Principal& principal, const v1::ComputeDeadlineRequest& request) {
  std::string tenant;
  if (!request.parent().empty()) {
    MOOT_RETURN_IF_ERROR(
        auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
    MOOT_ASSIGN_OR_RETURN(auto parent,
                          api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
    tenant = parent.tenant();
  }
  absl::CivilDay date;
  if (!ParseDay(request.date(), &date)) {
    return status::InvalidArgument("date", "must be a date YYYY-MM-DD");
  }
  v1::DeadlineRule rule;
  rule.set_days(request.days());
  rule.set_unit(request.unit());
  rule.set_cutoff_time(request.cutoff_time());
  // The same checks as a body's rules, reported against this request's fields.
  if (absl::Status s = ValidateDeadlineRule(rule, "rule"); !s.ok()) {
    const std::string field = status::Details(s).field_violations.empty()
                                  ? "days"
                                  : status::Details(s).field_violations[0].field.substr(5);
    return status::InvalidArgument(field, s.message());
  }
  calendar::HolidayCalendar cal;
  std::map<absl::CivilDay, std::string> names;
  for (const auto& holiday : calendar::EnglandAndWalesBankHolidays()) {
    names[holiday.day] = holiday.name;
  }
  if (!tenant.empty()) {
    MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
      MOOT_ASSIGN_OR_RETURN(auto closures, CalendarStore::AllClosures(conn, tenant));
      for (const auto& closure : closures) {
        absl::CivilDay day;
        if (ParseDay(closure.date(), &day) && cal.AddClosure(day, closure.description()).ok()) {
          names[day] = closure.description();
        }
      }
      return absl::OkStatus();
    }));
  }
  v1::ComputeDeadlineResponse response;
  absl::CivilDay day;
  if (request.forward()) {
    MOOT_ASSIGN_OR_RETURN(day,
                          calendar::DayAfter(cal, date, request.days(), ToDayUnit(request.unit())));
  } else {
    // R-PQ-01 (calendar), R-PQ-02 (working), R-MTG-09 (clear).
    MOOT_ASSIGN_OR_RETURN(Deadline deadline, scheduling::ComputeDeadline(cal, date, rule));
    day = deadline.day;
  }
  const std::string cutoff = request.cutoff_time().empty() ? "23:59" : request.cutoff_time();
  const absl::Time at = absl::FromCivil(
      absl::CivilMinute(day.year(), day.month(), day.day(), std::stoi(cutoff.substr(0, 2)),
                        std::stoi(cutoff.substr(3, 2))),
      time::London());
  response.set_deadline_date(DayText(day));
  response.mutable_deadline_time()->set_seconds(absl::ToUnixSeconds(at));
  // The bank holidays and closure days passed over between the two days (weekends omitted).
  if (request.unit() != v1::DAY_UNIT_CALENDAR) {
    const absl::CivilDay from = std::min(day, date);
    const absl::CivilDay to = std::max(day, date);
    for (absl::CivilDay d = from + 1; d < to; ++d) {
      if (!cal.IsWeekend(d) && !cal.IsWorkingDay(d)) {
        response.add_skipped_holidays(absl::StrCat(DayText(d), " ", names[d]));
      }
    }
  }
  return response;
}

absl::StatusOr<v1::Closure> CalendarLogic::CreateClosure(const auth::Principal& principal,
                                                         const v1::CreateClosureRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  const v1::Closure& in = request.closure();
  absl::CivilDay day;
  if (!ParseDay(in.date(), &day)) {
    return status::InvalidArgument("closure.date", "must be a date YYYY-MM-DD");
  }
  calendar::HolidayCalendar probe;
  if (!probe.Covers(day)) {
    return status::InvalidArgument(
        "closure.date", absl::StrCat("must lie in ", probe.first_year(), "-", probe.last_year(),
                                     " (the calendar's data years)"));
  }
  if (in.description().empty() || in.description().size() > 200) {
    return status::InvalidArgument("closure.description", "is required, 1..200 characters");
  }
  v1::Closure closure;
  closure.set_name(api::FormatName(kClosurePattern, {parent.tenant(), in.date()}));
  closure.set_date(in.date());
  closure.set_description(in.description());
  v1::Closure result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateClosure",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(CalendarStore::InsertClosure(tx, parent.tenant(), closure));
    MOOT_RETURN_IF_ERROR(RefreshTenant(tx, parent.tenant()));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "calendar.closure_created",
                              parent.tenant(), closure.name(), closure, /*is_public=*/true)));
    result = closure;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateClosure", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListClosuresResponse> CalendarLogic::ListClosures(
    const auth::Principal& principal, const v1::ListClosuresRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListClosures|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListClosuresResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page,
                          CalendarStore::ListClosures(conn, parent.tenant(), after, page_size));
    for (auto& closure : page.items) {
      *response.add_closures() = std::move(closure);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Closure> CalendarLogic::DeleteClosure(const auth::Principal& principal,
                                                         const v1::DeleteClosureRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kClosurePattern, request.name(), "name"));
  v1::Closure result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        result, CalendarStore::GetClosure(tx, name.tenant(), name.Get("closure"), request.name()));
    MOOT_RETURN_IF_ERROR(CalendarStore::DeleteClosure(tx, name.tenant(), name.Get("closure")));
    MOOT_RETURN_IF_ERROR(RefreshTenant(tx, name.tenant()));
    return outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "calendar.closure_deleted", name.tenant(),
                              result.name(), result, /*is_public=*/true));
  }));
  return result;
}

absl::Status CalendarLogic::RefreshTenant(sql::Connection& tx, const std::string& tenant) {
  MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal, CalendarStore::TenantCalendar(tx, tenant));
  std::string after;
  while (true) {
    MOOT_ASSIGN_OR_RETURN(auto page, SchedulingStore::ListBodies(tx, tenant, after, 200));
    for (const v1::Body& body : page.items) {
      MOOT_RETURN_IF_ERROR(SchedulingLogic::RefreshDeadlines(tx, tenant, body, cal));
    }
    if (page.last_key.empty()) {
      return absl::OkStatus();
    }
    after = page.last_key;
  }
}

}  // namespace moot::scheduling
