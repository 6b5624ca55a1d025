#include "services/scheduling/meeting_deadlines.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "libs/time/clock.h"

namespace moot::scheduling {
namespace {

v1::DeadlineRule Rule(int days, v1::DayUnit unit) {
  v1::DeadlineRule rule;
  rule.set_days(days);
  rule.set_unit(unit);
  rule.set_cutoff_time("23:59");
  return rule;
}

// Parses "HH:MM" (empty = 23:59).
bool ParseCutoff(absl::string_view text, calendar::TimeOfDay* out) {
  if (text.empty()) {
    *out = calendar::TimeOfDay{};
    return true;
  }
  if (text.size() != 5 || text[2] != ':') {
    return false;
  }
  int hour = 0;
  int minute = 0;
  if (!absl::SimpleAtoi(text.substr(0, 2), &hour) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minute)) {
    return false;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return false;
  }
  *out = calendar::TimeOfDay{hour, minute};
  return true;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace

v1::BodyRules DefaultRules(v1::BodyKind kind) {
  v1::BodyRules rules;
  const bool board = kind == v1::BODY_KIND_BOARD;
  // R-PQ-01 ("4 days before the meeting") for panels; R-PQ-02 ("at least seven working days",
  // "one question per meeting") for boards. §9 item 1.
  *rules.mutable_public_question_deadline() =
      board ? Rule(7, v1::DAY_UNIT_WORKING) : Rule(4, v1::DAY_UNIT_CALENDAR);
  rules.set_one_question_per_person(board);
  // R-MTG-09, §9 item 2: five clear working days.
  *rules.mutable_agenda_publication() = Rule(5, v1::DAY_UNIT_CLEAR);
  // §9 item 6.
  rules.set_minute_numbering(board ? v1::MINUTE_NUMBERING_SEQ_PER_YEAR
                                   : v1::MINUTE_NUMBERING_RUNNING_INT);
  if (kind == v1::BODY_KIND_PANEL) {
    // domain.md §2.4 standing_item_kind; R-MTG-03 puts the notice of recording first.
    for (v1::AgendaItemKind k :
         {v1::AGENDA_ITEM_KIND_NOTICE_OF_RECORDING, v1::AGENDA_ITEM_KIND_APOLOGIES,
          v1::AGENDA_ITEM_KIND_DECLARATIONS, v1::AGENDA_ITEM_KIND_MINUTES,
          v1::AGENDA_ITEM_KIND_ACTION_TRACKER, v1::AGENDA_ITEM_KIND_PUBLIC_QUESTIONS,
          v1::AGENDA_ITEM_KIND_KEY_DECISIONS, v1::AGENDA_ITEM_KIND_WORK_PROGRAMME,
          v1::AGENDA_ITEM_KIND_URGENT_BUSINESS}) {
      rules.add_standing_agenda(k);
    }
  } else if (board) {
    // The SPCB agenda of 28 Feb 2023 (domain.md §7.5).
    for (v1::AgendaItemKind k :
         {v1::AGENDA_ITEM_KIND_APOLOGIES, v1::AGENDA_ITEM_KIND_MINUTES,
          v1::AGENDA_ITEM_KIND_PUBLIC_QUESTIONS, v1::AGENDA_ITEM_KIND_WORK_PROGRAMME}) {
      rules.add_standing_agenda(k);
    }
  }
  rules.set_public_may_speak(true);
  return rules;
}

v1::BodyRules WithDefaults(v1::BodyKind kind, const v1::BodyRules& rules) {
  v1::BodyRules out = rules;
  const v1::BodyRules defaults = DefaultRules(kind);
  if (rules.public_question_deadline().unit() == v1::DAY_UNIT_UNSPECIFIED) {
    *out.mutable_public_question_deadline() = defaults.public_question_deadline();
  }
  if (rules.agenda_publication().unit() == v1::DAY_UNIT_UNSPECIFIED) {
    *out.mutable_agenda_publication() = defaults.agenda_publication();
  }
  if (rules.minute_numbering() == v1::MINUTE_NUMBERING_UNSPECIFIED) {
    out.set_minute_numbering(defaults.minute_numbering());
  }
  for (v1::DeadlineRule* rule :
       {out.mutable_public_question_deadline(), out.mutable_agenda_publication()}) {
    if (rule->cutoff_time().empty()) {
      rule->set_cutoff_time("23:59");
    }
  }
  return out;
}

absl::Status ValidateDeadlineRule(const v1::DeadlineRule& rule, absl::string_view field) {
  if (rule.days() < 0 || rule.days() > calendar::kMaxDays) {
    return status::InvalidArgument(absl::StrCat(field, ".days"),
                                   absl::StrCat("must be 0..", calendar::kMaxDays));
  }
  if (rule.unit() == v1::DAY_UNIT_UNSPECIFIED || !v1::DayUnit_IsValid(rule.unit())) {
    return status::InvalidArgument(absl::StrCat(field, ".unit"),
                                   "must be DAY_UNIT_CALENDAR, DAY_UNIT_WORKING or DAY_UNIT_CLEAR");
  }
  calendar::TimeOfDay cutoff;
  if (!ParseCutoff(rule.cutoff_time(), &cutoff)) {
    return status::InvalidArgument(absl::StrCat(field, ".cutoff_time"),
                                   "must be HH:MM (00:00-23:59) or empty");
  }
  return absl::OkStatus();
}

calendar::DayUnit ToDayUnit(v1::DayUnit unit) {
  switch (unit) {
    case v1::DAY_UNIT_WORKING:
      return calendar::DayUnit::kWorking;
    case v1::DAY_UNIT_CLEAR:
      return calendar::DayUnit::kClear;
    default:
      return calendar::DayUnit::kCalendar;
  }
}

absl::StatusOr<Deadline> ComputeDeadline(const calendar::HolidayCalendar& calendar,
                                         absl::CivilDay meeting_day, const v1::DeadlineRule& rule) {
  MOOT_RETURN_IF_ERROR(ValidateDeadlineRule(rule, "rule"));
  calendar::TimeOfDay cutoff;
  ParseCutoff(rule.cutoff_time(), &cutoff);
  MOOT_ASSIGN_OR_RETURN(absl::CivilDay day, calendar::DayBefore(calendar, meeting_day, rule.days(),
                                                                ToDayUnit(rule.unit())));
  MOOT_ASSIGN_OR_RETURN(
      absl::Time time,
      calendar::DeadlineBefore(calendar, meeting_day, rule.days(), ToDayUnit(rule.unit()), cutoff));
  return Deadline{day, time};
}

absl::Status FillMeetingDeadlines(const calendar::HolidayCalendar& calendar, const v1::Body& body,
                                  v1::Meeting& meeting) {
  const v1::BodyRules rules = WithDefaults(body.kind(), body.rules());
  const absl::CivilDay meeting_day =
      absl::ToCivilDay(absl::FromUnixSeconds(meeting.start_time().seconds()), time::London());
  MOOT_ASSIGN_OR_RETURN(Deadline publication,
                        ComputeDeadline(calendar, meeting_day, rules.agenda_publication()));
  MOOT_ASSIGN_OR_RETURN(Deadline question,
                        ComputeDeadline(calendar, meeting_day, rules.public_question_deadline()));
  *meeting.mutable_publication_deadline() = ToProto(publication.time);
  meeting.set_publication_deadline_date(DayText(publication.day));
  *meeting.mutable_question_deadline() = ToProto(question.time);
  meeting.set_question_deadline_date(DayText(question.day));
  return absl::OkStatus();
}

}  // namespace moot::scheduling
