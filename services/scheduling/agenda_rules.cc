#include "services/scheduling/agenda_rules.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "libs/time/clock.h"

namespace moot::scheduling {
namespace {

std::string ClockText(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
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

int ClockMinutes(absl::string_view time) {
  return ((time[0] - '0') * 10 + (time[1] - '0')) * 60 + (time[3] - '0') * 10 + (time[4] - '0');
}

int LocalMinutes(const google::protobuf::Timestamp& ts) {
  const absl::CivilSecond local = absl::ToCivilSecond(ToTime(ts), time::London());
  return local.hour() * 60 + local.minute();
}

v1::AgendaItem PublicView(v1::AgendaItem item) {
  if (item.exempt()) {
    item.clear_description();
    item.clear_public_interest_reason();
    item.clear_documents();  // R-MTG-01: "documents restricted".
  }
  return item;
}

std::vector<std::string> AgendaTimingWarnings(const std::vector<v1::AgendaItem>& items,
                                              const v1::Meeting& meeting) {
  std::vector<std::string> warnings;
  const int start = LocalMinutes(meeting.start_time());
  int end = -1;
  if (meeting.has_end_time()) {
    const absl::TimeZone london = time::London();
    const bool same_day = absl::ToCivilDay(ToTime(meeting.start_time()), london) ==
                          absl::ToCivilDay(ToTime(meeting.end_time()), london);
    end = same_day ? LocalMinutes(meeting.end_time()) : 24 * 60;
  }
  const v1::AgendaItem* previous = nullptr;
  for (const v1::AgendaItem& item : items) {
    if (!IsClockTime(item.approximate_time())) {
      continue;
    }
    const int at = ClockMinutes(item.approximate_time());
    if (at < start) {
      warnings.push_back(absl::StrCat("AGENDA_TIME_BEFORE_START: item ", item.number(), " (",
                                      item.approximate_time(), ") is before the meeting starts (",
                                      ClockText(start), ")"));
    }
    if (previous != nullptr && at <= ClockMinutes(previous->approximate_time())) {
      warnings.push_back(absl::StrCat("AGENDA_TIME_NOT_INCREASING: item ", item.number(), " (",
                                      item.approximate_time(), ") is not after item ",
                                      previous->number(), " (", previous->approximate_time(),
                                      ") (R-MTG-12)"));
    }
    if (end >= 0 && at > end) {
      warnings.push_back(absl::StrCat("AGENDA_TIME_AFTER_END: item ", item.number(), " (",
                                      item.approximate_time(), ") is after the meeting's end (",
                                      ClockText(end), ") (R-MTG-12)"));
    }
    previous = &item;
  }
  return warnings;
}

std::vector<std::string> ChangedItemFields(const v1::AgendaItem& before,
                                           const v1::AgendaItem& after) {
  static const auto* const kIgnored = new absl::flat_hash_set<std::string>(
      {"name", "create_time", "update_time", "etag", "uid", "webcast"});
  std::vector<std::string> changed;
  const google::protobuf::Descriptor* descriptor = v1::AgendaItem::descriptor();
  const google::protobuf::Reflection* reflection = v1::AgendaItem::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (kIgnored->contains(field->name())) {
      continue;
    }
    // Move just this field into empty messages and compare their encodings.
    v1::AgendaItem a = before;
    v1::AgendaItem b = after;
    v1::AgendaItem only_a;
    v1::AgendaItem only_b;
    reflection->SwapFields(&a, &only_a, {field});
    reflection->SwapFields(&b, &only_b, {field});
    if (only_a.SerializeAsString() != only_b.SerializeAsString()) {
      changed.push_back(field->name());
    }
  }
  return changed;
}

v1::AgendaDiff DiffAgendas(int32_t from_version,
                           const google::protobuf::RepeatedPtrField<v1::AgendaItem>& before,
                           const std::vector<v1::AgendaItem>& after) {
  v1::AgendaDiff diff;
  diff.set_from_version(from_version);
  absl::flat_hash_map<std::string, const v1::AgendaItem*> old_items;
  for (const v1::AgendaItem& item : before) {
    old_items[item.uid()] = &item;
  }
  absl::flat_hash_set<std::string> kept;
  for (const v1::AgendaItem& item : after) {
    auto it = old_items.find(item.uid());
    if (it == old_items.end()) {
      diff.add_added(item.number());
      continue;
    }
    kept.insert(item.uid());
    std::vector<std::string> fields = ChangedItemFields(*it->second, item);
    if (!fields.empty()) {
      v1::AgendaItemChange* change = diff.add_changed();
      change->set_number(item.number());
      for (std::string& f : fields) {
        change->add_fields(std::move(f));
      }
    }
  }
  for (const v1::AgendaItem& item : before) {
    if (!kept.contains(item.uid())) {
      diff.add_removed(item.number());
    }
  }
  return diff;
}

v1::AgendaItem StandingItem(v1::AgendaItemKind kind) {
  v1::AgendaItem item;
  item.set_kind(kind);
  switch (kind) {
    case v1::AGENDA_ITEM_KIND_NOTICE_OF_RECORDING:
      item.set_title("NOTICE OF RECORDING");
      // R-MTG-01 / R-MTG-03 (domain.md §3.1, the Panel agenda's wording).
      item.set_description(
          "This meeting will be webcast for live or subsequent broadcast and members of the "
          "press/public may record the meeting. The whole of the meeting will be filmed except "
          "where there are confidential or exempt items.");
      break;
    case v1::AGENDA_ITEM_KIND_APOLOGIES:
      item.set_title("APOLOGIES");
      break;
    case v1::AGENDA_ITEM_KIND_DECLARATIONS:
      item.set_title("DECLARATIONS OF INTEREST (IF ANY)");
      break;
    case v1::AGENDA_ITEM_KIND_MINUTES:
      item.set_title("MINUTES");
      item.set_description("To confirm the Minutes of the previous meeting.");
      break;
    case v1::AGENDA_ITEM_KIND_ACTION_TRACKER:
      item.set_title("ACTION TRACKER");
      item.set_description("To consider the progress of actions arising from previous meetings.");
      break;
    case v1::AGENDA_ITEM_KIND_PUBLIC_QUESTIONS:
      item.set_title("PUBLIC QUESTION TIME");
      break;
    case v1::AGENDA_ITEM_KIND_KEY_DECISIONS:
      item.set_title("POLICE AND CRIME COMMISSIONER KEY DECISIONS");
      item.set_description(
          "To consider the key decisions published by the Police and Crime Commissioner since "
          "the last meeting.");
      break;
    case v1::AGENDA_ITEM_KIND_WORK_PROGRAMME:
      item.set_title("WORK PROGRAMME");
      break;
    case v1::AGENDA_ITEM_KIND_URGENT_BUSINESS:
      item.set_title("URGENT BUSINESS");
      // R-MTG-08.
      item.set_description(
          "To consider any items of business by reason of special circumstances (to be "
          "specified) that in the opinion of the Chair are matters of urgency.");
      break;
    case v1::AGENDA_ITEM_KIND_ANNUAL_REPORT_REVIEW:
      item.set_title("POLICE AND CRIME COMMISSIONER ANNUAL REPORT");
      item.set_statutory(true);
      break;
    default:
      item.set_title(absl::AsciiStrToUpper(v1::AgendaItemKind_Name(kind).substr(17)));
      break;
  }
  return item;
}

}  // namespace moot::scheduling
