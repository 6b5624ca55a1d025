#include "services/scheduling/agenda_publication.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "libs/time/clock.h"
#include "services/scheduling/agenda_rules.h"
#include "services/scheduling/meeting_deadlines.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

}  // namespace

absl::StatusOr<v1::AgendaVersion> PublishAgendaVersion(
    sql::Connection& tx, const AgendaKey& key, const v1::Meeting& meeting, const v1::Body& body,
    const calendar::HolidayCalendar& calendar, absl::Time now, const std::string& published_by) {
  // R-MTG-09, §9 item 2: the body's lead time (default five clear working days) before the
  // meeting day.
  const absl::CivilDay meeting_day = absl::ToCivilDay(ToTime(meeting.start_time()), time::London());
  const v1::BodyRules rules = WithDefaults(body.kind(), body.rules());
  MOOT_ASSIGN_OR_RETURN(Deadline deadline,
                        ComputeDeadline(calendar, meeting_day, rules.agenda_publication()));

  MOOT_ASSIGN_OR_RETURN(std::vector<v1::AgendaItem> items, AgendaStore::AllItems(tx, key));
  MOOT_ASSIGN_OR_RETURN(auto versions, AgendaStore::ListVersions(tx, key, "", 1000));
  const v1::AgendaVersion* previous = versions.items.empty() ? nullptr : &versions.items.back();

  // A meeting that has started (or is over) is published as a historical record: the deadline
  // protects the public's notice of a meeting still to come.
  const bool historical = ToTime(meeting.start_time()) <= now;
  const bool late = !historical && now > deadline.time;
  std::vector<int32_t> urgent;
  if (late) {
    // Items "added after the deadline": in no version published by the deadline.
    absl::flat_hash_set<std::string> in_time;
    for (const v1::AgendaVersion& v : versions.items) {
      if (ToTime(v.publish_time()) <= deadline.time) {
        for (const v1::AgendaItem& item : v.agenda_items()) {
          in_time.insert(item.uid());
        }
      }
    }
    std::vector<int32_t> refused;
    for (const v1::AgendaItem& item : items) {
      if (in_time.contains(item.uid())) {
        continue;
      }
      // R-MTG-08: a late item only as urgent business, with the reason and the Chair's approval.
      if (item.urgent_reason().empty() || item.chair_approved_by().empty()) {
        refused.push_back(item.number());
      } else {
        urgent.push_back(item.number());
      }
    }
    if (!refused.empty()) {
      const std::string deadline_text =
          absl::FormatTime("%Y-%m-%d %H:%M %Z", deadline.time, time::London());
      return status::FailedPrecondition(
          "AGENDA_PUBLICATION_DEADLINE_PASSED", meeting.name(),
          absl::StrCat("the agenda publication deadline (", deadline_text, ") has passed; item(s) ",
                       absl::StrJoin(refused, ", "),
                       " were added after it without an urgent_reason and the Chair's approval "
                       "(chair_approved_by) (R-MTG-08, R-MTG-09)"),
          {{"deadline", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", deadline.time, absl::UTCTimeZone())},
           {"deadline_date", absl::FormatCivilTime(deadline.day)},
           {"late_items", absl::StrJoin(refused, ",")}});
    }
  }

  v1::AgendaVersion version;
  version.set_version(previous == nullptr ? 1 : previous->version() + 1);
  version.set_name(absl::StrCat(meeting.name(), "/agendaVersions/", version.version()));
  *version.mutable_diff() =
      previous == nullptr
          ? DiffAgendas(0, google::protobuf::RepeatedPtrField<v1::AgendaItem>(), items)
          : DiffAgendas(previous->version(), previous->agenda_items(), items);
  if (previous != nullptr && version.diff().added().empty() && version.diff().removed().empty() &&
      version.diff().changed().empty()) {
    return status::FailedPrecondition(
        "AGENDA_UNCHANGED", meeting.name(),
        absl::StrCat("nothing changed since version ", previous->version(),
                     "; a supplement needs an added, withdrawn or changed item"));
  }
  for (v1::AgendaItem& item : items) {
    item.set_webcast(!item.exempt());  // R-MTG-01.
    *version.add_agenda_items() = item;
  }
  *version.mutable_publish_time() = ToProto(now);
  version.set_published_by(published_by);
  version.set_supplement(version.version() > 1);
  *version.mutable_publication_deadline() = ToProto(deadline.time);
  version.set_late(late);
  version.set_historical(historical);
  for (int32_t n : urgent) {
    version.add_urgent_items(n);
  }
  for (std::string& w : AgendaTimingWarnings(items, meeting)) {
    version.add_warnings(std::move(w));
  }
  MOOT_RETURN_IF_ERROR(AgendaStore::InsertVersion(tx, key, version));
  return version;
}

v1::AgendaPublished PublishedPayload(const v1::Meeting& meeting, const std::string& body_name,
                                     const v1::AgendaVersion& version) {
  v1::AgendaPublished payload;
  payload.set_meeting(meeting.name());
  payload.set_body(body_name);
  payload.set_title(meeting.title());
  *payload.mutable_start_time() = meeting.start_time();
  payload.set_agenda_version(version.version());
  payload.set_supplement(version.supplement());
  payload.set_version_name(version.name());
  *payload.mutable_added_items() = version.diff().added();
  *payload.mutable_removed_items() = version.diff().removed();
  for (const v1::AgendaItemChange& change : version.diff().changed()) {
    payload.add_changed_items(change.number());
  }
  payload.set_historical(version.historical());
  payload.set_late(version.late());
  *payload.mutable_warnings() = version.warnings();
  return payload;
}

}  // namespace moot::scheduling
