#include "services/notifications/notifications_logic.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/events/applied_events.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/budget/v1/budget.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/notifications/notifications_store.h"

namespace moot::notifications {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kSubscriptionPattern[] = "tenants/{tenant}/subscriptions/{subscription}";
constexpr char kInboxPattern[] = "tenants/{tenant}/inboxes/{person}";
constexpr char kEntryPattern[] = "tenants/{tenant}/inboxes/{person}/entries/{entry}";

constexpr int kMaxEventTypes = 50;
constexpr int kMaxBodies = 50;
constexpr size_t kMaxEventTypeLength = 100;
constexpr size_t kMaxEventIdLength = 64;
constexpr int kReplayBatch = 500;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// The person a principal is: "user:{p}" -> p; empty when the subject is not a user's.
std::string SelfPerson(const auth::Principal& principal) {
  constexpr absl::string_view kUser = "user:";
  if (!absl::StartsWith(principal.subject, kUser)) {
    return "";
  }
  std::string person = principal.subject.substr(kUser.size());
  return api::IsValidId(person) ? person : "";
}

bool IsOfficer(const auth::Principal& principal) { return principal.HasRole(auth::Role::kOfficer); }

// [a-z_.]+, optionally ending in ".*" (a family); at most kMaxEventTypeLength characters.
absl::Status ValidateEventType(absl::string_view field, absl::string_view type) {
  if (type.empty()) {
    return status::InvalidArgument(field, "must not be empty");
  }
  if (type.size() > kMaxEventTypeLength) {
    return status::InvalidArgument(
        field, absl::StrCat("must be at most ", kMaxEventTypeLength, " characters"));
  }
  for (char c : type) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == '*')) {
      return status::InvalidArgument(field, "must match [a-z_.*]+, e.g. \"agenda.published\"");
    }
  }
  const size_t star = type.find('*');
  if (star != absl::string_view::npos &&
      (star != type.size() - 1 || type.size() < 3 || type[type.size() - 2] != '.')) {
    return status::InvalidArgument(field, "may hold '*' only as a trailing \".*\" family");
  }
  return absl::OkStatus();
}

absl::Status ValidateEventTypes(absl::string_view field,
                                const google::protobuf::RepeatedPtrField<std::string>& types) {
  if (types.size() > kMaxEventTypes) {
    return status::InvalidArgument(field, absl::StrCat("at most ", kMaxEventTypes, " entries"));
  }
  for (int i = 0; i < types.size(); ++i) {
    MOOT_RETURN_IF_ERROR(ValidateEventType(absl::StrCat(field, "[", i, "]"), types[i]));
  }
  return absl::OkStatus();
}

absl::Status ValidateBodies(absl::string_view field, const std::string& tenant,
                            const google::protobuf::RepeatedPtrField<std::string>& bodies) {
  if (bodies.size() > kMaxBodies) {
    return status::InvalidArgument(field, absl::StrCat("at most ", kMaxBodies, " entries"));
  }
  for (int i = 0; i < bodies.size(); ++i) {
    const std::string element = absl::StrCat(field, "[", i, "]");
    MOOT_ASSIGN_OR_RETURN(auto body, api::ResourceName::Parse(kBodyPattern, bodies[i], element));
    if (body.tenant() != tenant) {
      return status::InvalidArgument(element, "must be a body of the same tenant");
    }
  }
  return absl::OkStatus();
}

std::string FormatWhen(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%d %B %Y %H:%M", absl::FromUnixSeconds(ts.seconds()), time::London());
}

}  // namespace

bool TypeMatches(absl::string_view pattern, absl::string_view type) {
  if (absl::EndsWith(pattern, ".*")) {
    return absl::StartsWith(type, pattern.substr(0, pattern.size() - 1));
  }
  return pattern == type;
}

bool SubjectInBody(absl::string_view subject, absl::string_view body) {
  return subject == body || (absl::StartsWith(subject, body) && subject.size() > body.size() &&
                             subject[body.size()] == '/');
}

bool EventFilter::Matches(const events::v1::Event& event) const {
  if (event.tenant() != tenant || (public_only && !event.public_())) {
    return false;
  }
  if (!types.empty()) {
    bool any = false;
    for (const std::string& pattern : types) {
      any = any || TypeMatches(pattern, event.type());
    }
    if (!any) {
      return false;
    }
  }
  if (!bodies.empty()) {
    bool any = false;
    for (const std::string& body : bodies) {
      any = any || SubjectInBody(event.subject(), body);
    }
    if (!any) {
      return false;
    }
  }
  return true;
}

std::string EventSummary(const events::v1::Event& event) {
  if (event.type() == "agenda.published") {
    scheduling::v1::AgendaPublished payload;
    if (event.payload().UnpackTo(&payload) && !payload.title().empty()) {
      return absl::StrCat("Agenda published (version ", payload.agenda_version(),
                          "): ", payload.title(), " on ", FormatWhen(payload.start_time()));
    }
  } else if (event.type() == "meeting.scheduled") {
    scheduling::v1::MeetingScheduled payload;
    if (event.payload().UnpackTo(&payload) && !payload.meeting().title().empty()) {
      return absl::StrCat("Meeting scheduled: ", payload.meeting().title(), " on ",
                          FormatWhen(payload.meeting().start_time()));
    }
  } else if (event.type() == "reminder.precept_deadline") {
    budget::v1::TimetableEntry entry;
    if (event.payload().UnpackTo(&entry) && !entry.deadline_date().empty()) {
      const char* step = "statutory step";
      switch (entry.step()) {
        case budget::v1::TIMETABLE_STEP_PCC_NOTIFY:
          step = "PCC notifies the Panel of the proposed precept";
          break;
        case budget::v1::TIMETABLE_STEP_PANEL_REPORT:
          step = "Panel report on the proposed precept";
          break;
        case budget::v1::TIMETABLE_STEP_REVISED_PRECEPT:
          step = "PCC's revised precept after the veto";
          break;
        case budget::v1::TIMETABLE_STEP_SECOND_REPORT:
          step = "Panel's second report";
          break;
        case budget::v1::TIMETABLE_STEP_ISSUE:
          step = "PCC issues the precept";
          break;
        default:
          break;
      }
      return absl::StrCat("Deadline reminder: ", step, " due ", entry.deadline_date(),
                          entry.weekday().empty() ? "" : absl::StrCat(" (", entry.weekday(), ")"),
                          " for ", event.subject());
    }
  }
  return absl::StrCat(event.type(), " ", event.subject());
}

NotificationsLogic::NotificationsLogic(sql::Database& db, const time::Clock& clock,
                                       ids::IdGenerator& ids, const api::PageTokens& page_tokens,
                                       NotificationsOptions options)
    : db_(db), clock_(clock), ids_(ids), page_tokens_(page_tokens), options_(options) {}

absl::Status NotificationsLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("notifications", NotificationsStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::AppliedEvents::Migrate(db_);
}

absl::StatusOr<v1::Subscription> NotificationsLogic::CreateSubscription(
    const auth::Principal& principal, const v1::CreateSubscriptionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  const v1::Subscription& in = request.subscription();
  if (in.subscriber().empty()) {
    return status::InvalidArgument("subscription.subscriber", "is required");
  }
  MOOT_ASSIGN_OR_RETURN(auto subscriber, api::ResourceName::Parse(kPersonPattern, in.subscriber(),
                                                                  "subscription.subscriber"));
  if (subscriber.tenant() != parent.tenant()) {
    return status::InvalidArgument("subscription.subscriber",
                                   "must be a person of the same tenant");
  }
  const std::string person = subscriber.Get("person");
  if (!IsOfficer(principal) && SelfPerson(principal) != person) {
    return status::PermissionDenied(
        auth::kRoleNotAllowed,
        "a MEMBER may subscribe only themself; OFFICER may subscribe anyone");
  }
  MOOT_RETURN_IF_ERROR(ValidateBodies("subscription.bodies", parent.tenant(), in.bodies()));
  MOOT_RETURN_IF_ERROR(ValidateEventTypes("subscription.event_types", in.event_types()));
  if (!v1::Channel_IsValid(in.channel())) {
    return status::InvalidArgument("subscription.channel", "is not a known channel");
  }
  if (in.channel() != v1::CHANNEL_UNSPECIFIED && in.channel() != v1::CHANNEL_INBOX) {
    return status::InvalidArgument("subscription.channel", "only CHANNEL_INBOX is delivered so far",
                                   "CHANNEL_NOT_SUPPORTED");
  }

  const std::string id = absl::AsciiStrToLower(ids_.NewId());
  v1::Subscription subscription = in;
  subscription.set_name(api::FormatName(kSubscriptionPattern, {parent.tenant(), id}));
  subscription.set_channel(v1::CHANNEL_INBOX);
  *subscription.mutable_create_time() = ToProto(clock_.Now());

  v1::Subscription result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateSubscription",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        NotificationsStore::InsertSubscription(tx, parent.tenant(), id, person, subscription));
    result = subscription;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateSubscription", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Subscription> NotificationsLogic::GetSubscription(
    const auth::Principal& principal, const v1::GetSubscriptionRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kSubscriptionPattern, request.name(), "name"));
  v1::Subscription subscription;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(subscription,
                          NotificationsStore::GetSubscription(
                              conn, name.tenant(), name.Get("subscription"), request.name()));
    return absl::OkStatus();
  }));
  // Another person's subscription is invisible to a member, not merely forbidden.
  if (!IsOfficer(principal) &&
      subscription.subscriber() !=
          api::FormatName(kPersonPattern, {name.tenant(), SelfPerson(principal)})) {
    return status::NotFound(request.name());
  }
  return subscription;
}

absl::StatusOr<v1::ListSubscriptionsResponse> NotificationsLogic::ListSubscriptions(
    const auth::Principal& principal, const v1::ListSubscriptionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  std::string person;
  if (!IsOfficer(principal)) {
    person = SelfPerson(principal);
    if (person.empty()) {
      return status::PermissionDenied(auth::kRoleNotAllowed,
                                      "only a person or an OFFICER may list subscriptions");
    }
  }
  const std::string binding = absl::StrCat("ListSubscriptions|", request.parent(), "|", person);
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListSubscriptionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page, NotificationsStore::ListSubscriptions(
                                         conn, parent.tenant(), person, after, page_size));
    for (auto& subscription : page.items) {
      *response.add_subscriptions() = std::move(subscription);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::DeleteSubscriptionResponse> NotificationsLogic::DeleteSubscription(
    const auth::Principal& principal, const v1::DeleteSubscriptionRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kSubscriptionPattern, request.name(), "name"));
  const std::string own = api::FormatName(kPersonPattern, {name.tenant(), SelfPerson(principal)});
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto subscription,
                          NotificationsStore::GetSubscription(
                              tx, name.tenant(), name.Get("subscription"), request.name()));
    if (!IsOfficer(principal) && subscription.subscriber() != own) {
      return status::NotFound(request.name());
    }
    return NotificationsStore::DeleteSubscription(tx, name.tenant(), name.Get("subscription"),
                                                  request.name());
  }));
  return v1::DeleteSubscriptionResponse();
}

absl::StatusOr<v1::ListInboxEntriesResponse> NotificationsLogic::ListInboxEntries(
    const auth::Principal& principal, const v1::ListInboxEntriesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kInboxPattern, request.parent(), "parent"));
  const std::string person = parent.Get("person");
  if (SelfPerson(principal) != person) {
    MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  }
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListInboxEntries|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string before, page_tokens_.Check(binding, request.page_token()));
  v1::ListInboxEntriesResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page, NotificationsStore::ListInboxEntries(
                                         conn, parent.tenant(), person, before, page_size));
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

absl::StatusOr<int> NotificationsLogic::DeliverEvent(sql::Connection& tx,
                                                     const events::v1::Event& event) {
  if (event.tenant().empty() || event.id().empty() || !api::IsValidId(event.tenant())) {
    return 0;
  }
  MOOT_RETURN_IF_ERROR(NotificationsStore::InsertRecentEvent(tx, event));
  MOOT_RETURN_IF_ERROR(
      NotificationsStore::PruneRecentEvents(tx, event.tenant(), options_.recent_events_per_tenant));
  MOOT_ASSIGN_OR_RETURN(auto subscriptions, NotificationsStore::SubscriptionsByChannel(
                                                tx, event.tenant(), v1::CHANNEL_INBOX));
  const std::string summary = EventSummary(event);
  absl::flat_hash_set<std::string> delivered;
  int written = 0;
  for (const v1::Subscription& subscription : subscriptions) {
    EventFilter filter{
        .tenant = event.tenant(),
        .types = {subscription.event_types().begin(), subscription.event_types().end()},
        .bodies = {subscription.bodies().begin(), subscription.bodies().end()},
        .public_only = false};
    if (!filter.Matches(event)) {
      continue;
    }
    auto subscriber =
        api::ResourceName::Parse(kPersonPattern, subscription.subscriber(), "subscriber");
    if (!subscriber.ok() || subscriber->tenant() != event.tenant()) {
      continue;  // Validated at creation; a bad stored row must not block the stream.
    }
    const std::string person = subscriber->Get("person");
    if (!delivered.insert(person).second) {
      continue;  // One entry per person, however many of their subscriptions match.
    }
    const std::string entry_id = absl::AsciiStrToLower(ids_.NewId());
    v1::InboxEntry entry;
    entry.set_name(api::FormatName(kEntryPattern, {event.tenant(), person, entry_id}));
    entry.set_event_id(event.id());
    entry.set_event_type(event.type());
    entry.set_subject(event.subject());
    entry.set_summary(summary);
    *entry.mutable_event_time() = event.time();
    *entry.mutable_create_time() = ToProto(clock_.Now());
    MOOT_ASSIGN_OR_RETURN(bool inserted, NotificationsStore::InsertInboxEntry(
                                             tx, event.tenant(), person, entry_id, entry));
    written += inserted ? 1 : 0;
  }
  return written;
}

absl::StatusOr<EventFilter> NotificationsLogic::PrepareWatch(
    const auth::Principal& principal, const v1::WatchEventsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidateEventTypes("event_types", request.event_types()));
  MOOT_RETURN_IF_ERROR(ValidateBodies("bodies", parent.tenant(), request.bodies()));
  const std::string& after = request.after_event_id();
  if (after.size() > kMaxEventIdLength) {
    return status::InvalidArgument(
        "after_event_id", absl::StrCat("must be at most ", kMaxEventIdLength, " characters"));
  }
  for (char c : after) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return status::InvalidArgument("after_event_id", "is not an event id");
    }
  }
  const bool sees_all =
      principal.tenant == parent.tenant() &&
      (principal.HasRole(auth::Role::kMember) || principal.HasRole(auth::Role::kOfficer) ||
       principal.HasRole(auth::Role::kTenantAdmin));
  return EventFilter{.tenant = parent.tenant(),
                     .types = {request.event_types().begin(), request.event_types().end()},
                     .bodies = {request.bodies().begin(), request.bodies().end()},
                     .public_only = !sees_all};
}

absl::Status NotificationsLogic::ReplayEvents(
    const EventFilter& filter, const std::string& after_id,
    const std::function<bool(const events::v1::Event&)>& emit) {
  std::string cursor = after_id;
  while (true) {
    std::vector<events::v1::Event> batch;
    MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
      MOOT_ASSIGN_OR_RETURN(
          batch, NotificationsStore::RecentEventsAfter(conn, filter.tenant, cursor, kReplayBatch));
      return absl::OkStatus();
    }));
    for (const events::v1::Event& event : batch) {
      cursor = event.id();
      if (filter.Matches(event) && !emit(event)) {
        return absl::OkStatus();
      }
    }
    if (static_cast<int>(batch.size()) < kReplayBatch) {
      return absl::OkStatus();
    }
  }
}

}  // namespace moot::notifications
