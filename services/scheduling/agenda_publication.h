// Publication of a meeting's agenda as an immutable version (domain.md §3.1, §9 item 2): the
// publication deadline (R-MTG-09), late items admitted only as urgent business approved by the
// Chair (R-MTG-08), historical publication of a meeting already started, the differences from
// the previous version and the timing warnings (R-MTG-12). Used by
// SchedulingLogic::PublishAgenda inside its transaction.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/calendar/calendar.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/agenda.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/agenda_store.h"

namespace moot::scheduling {

// Checks the rules and stores the next version of the meeting's agenda (the working items as
// they are now). FAILED_PRECONDITION:
// - AGENDA_PUBLICATION_DEADLINE_PASSED (metadata deadline, deadline_date, late_items) when `now`
//   is after the deadline and an item not in any version published by the deadline lacks
//   urgent_reason or chair_approved_by; not applied once the meeting has started (historical);
// - AGENDA_UNCHANGED when a version exists and nothing changed since;
// - the deadline engine's error for a meeting outside the calendar's years.
absl::StatusOr<v1::AgendaVersion> PublishAgendaVersion(
    sql::Connection& tx, const AgendaKey& key, const v1::Meeting& meeting, const v1::Body& body,
    const calendar::HolidayCalendar& calendar, absl::Time now, const std::string& published_by);

// The `agenda.published` payload of a version.
v1::AgendaPublished PublishedPayload(const v1::Meeting& meeting, const std::string& body_name,
                                     const v1::AgendaVersion& version);

}  // namespace moot::scheduling
