// The notifications service's rules, independent of gRPC: subscriptions (validation and access),
// delivery of events into inboxes, and the filters, access and replay of the live event stream.
// The gRPC adapters (subscription_service.cc, inbox_service.cc, event_service.cc) only convert.
//
// Who may do what (design.md §5):
//  - CreateSubscription: an OFFICER of the tenant may subscribe any person of the tenant; a
//    MEMBER only themself: the subscriber "tenants/{t}/people/{p}" must be the caller's own
//    person, i.e. the principal's subject is "user:{p}". Other roles are refused.
//  - Get/Delete: OFFICER, or a MEMBER for their own subscriptions (another person's reads as
//    NOT_FOUND, so members cannot probe for them). List: OFFICER sees all, a MEMBER their own.
//  - ListInboxEntries on "tenants/{t}/inboxes/{p}": the person themself (subject "user:{p}") or
//    an OFFICER of the tenant.
//  - WatchEvents: anonymous callers may watch any tenant but see only events with public=true;
//    MEMBER, OFFICER and TENANT_ADMIN of the tenant see all of its events; any other principal
//    of the tenant sees the public ones; principals of another tenant are refused.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"
#include "moot/notifications/v1/notifications.pb.h"

namespace moot::notifications {

struct NotificationsOptions {
  // How many recent events per tenant WatchEvents can resume over.
  int64_t recent_events_per_tenant = 10'000;
};

// Which events one watcher (or subscription) wants.
struct EventFilter {
  std::string tenant;
  std::vector<std::string> types;   // Exact, or a family "x.*"; empty = all.
  std::vector<std::string> bodies;  // Body names; empty = all.
  bool public_only = true;          // Only events with public=true.

  bool Matches(const events::v1::Event& event) const;
};

// "agenda.published" matches "agenda.published" and "agenda.*".
bool TypeMatches(absl::string_view pattern, absl::string_view type);
// The event's subject is the body itself or a resource under it.
bool SubjectInBody(absl::string_view subject, absl::string_view body);

// A one-line summary of an event for people, e.g. "Agenda published (version 2): Police and
// Crime Panel on 13 November 2023 14:00"; "<type> <subject>" for events it does not know.
std::string EventSummary(const events::v1::Event& event);

class NotificationsLogic {
 public:
  // None are owned; all must outlive the logic.
  NotificationsLogic(sql::Database& db, const time::Clock& clock, ids::IdGenerator& ids,
                     const api::PageTokens& page_tokens, NotificationsOptions options = {});

  // Applies the schema migrations (notifications, request log, applied events).
  absl::Status Migrate();

  absl::StatusOr<v1::Subscription> CreateSubscription(const auth::Principal& principal,
                                                      const v1::CreateSubscriptionRequest& request);
  absl::StatusOr<v1::Subscription> GetSubscription(const auth::Principal& principal,
                                                   const v1::GetSubscriptionRequest& request);
  absl::StatusOr<v1::ListSubscriptionsResponse> ListSubscriptions(
      const auth::Principal& principal, const v1::ListSubscriptionsRequest& request);
  absl::StatusOr<v1::DeleteSubscriptionResponse> DeleteSubscription(
      const auth::Principal& principal, const v1::DeleteSubscriptionRequest& request);

  // Newest first, paged.
  absl::StatusOr<v1::ListInboxEntriesResponse> ListInboxEntries(
      const auth::Principal& principal, const v1::ListInboxEntriesRequest& request);

  // Applies one event on the caller's transaction (the consumer's, together with its applied
  // mark): logs it for WatchEvents resume and writes one inbox entry per person whose INBOX
  // subscription matches. Returns how many entries were written. An event without tenant or id
  // has no effect.
  absl::StatusOr<int> DeliverEvent(sql::Connection& tx, const events::v1::Event& event);

  // Checks a WatchEvents request (tenant access, fields) and returns the filter to apply.
  absl::StatusOr<EventFilter> PrepareWatch(const auth::Principal& principal,
                                           const v1::WatchEventsRequest& request);
  // Calls `emit` with each logged event of the filter's tenant whose id is greater than
  // `after_id` and that the filter matches, oldest first, until `emit` returns false.
  absl::Status ReplayEvents(const EventFilter& filter, const std::string& after_id,
                            const std::function<bool(const events::v1::Event&)>& emit);

 private:
  sql::Database& db_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  const NotificationsOptions options_;
};

}  // namespace moot::notifications
