// The pure rules of agendas (domain.md §2.4, §3.1): clock times, the public view of exempt
// items (R-MTG-01), timing warnings (R-MTG-12), the differences between two versions, and the
// standing items of a body's template (R-MTG-03). No I/O.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "moot/scheduling/v1/agenda.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::scheduling {

// True when `time` is a civil time of day written "HH:MM" (00:00..23:59).
bool IsClockTime(absl::string_view time);
// Minutes since midnight of a clock time (IsClockTime must hold).
int ClockMinutes(absl::string_view time);
// Minutes since midnight, Europe/London, of an instant.
int LocalMinutes(const google::protobuf::Timestamp& ts);

// The item as the public sees it: an exempt item keeps its number, title, kind and paragraph,
// but loses its description, documents and public_interest_reason. Non-exempt items are
// unchanged.
v1::AgendaItem PublicView(v1::AgendaItem item);

// R-MTG-12 (WARN): items (in number order) timed at or before an earlier timed item
// (AGENDA_TIME_NOT_INCREASING), after the meeting's end (AGENDA_TIME_AFTER_END) or before its
// start (AGENDA_TIME_BEFORE_START, possible after a reschedule). Each "CODE: text".
std::vector<std::string> AgendaTimingWarnings(const std::vector<v1::AgendaItem>& items,
                                              const v1::Meeting& meeting);

// The names of the fields that differ between two versions of an item, in field order,
// ignoring output-only bookkeeping (name, create/update time, etag, uid, webcast).
std::vector<std::string> ChangedItemFields(const v1::AgendaItem& before,
                                           const v1::AgendaItem& after);

// The differences between two agendas (items matched by uid): added, removed and changed items.
v1::AgendaDiff DiffAgendas(int32_t from_version,
                           const google::protobuf::RepeatedPtrField<v1::AgendaItem>& before,
                           const std::vector<v1::AgendaItem>& after);

// The standing item of `kind` (title, description), as it opens a Panel agenda (domain.md §7.1;
// R-MTG-03 for the notice of recording, R-MTG-08 for urgent business).
v1::AgendaItem StandingItem(v1::AgendaItemKind kind);

}  // namespace moot::scheduling
