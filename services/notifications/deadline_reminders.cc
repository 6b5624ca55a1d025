#include "services/notifications/deadline_reminders.h"

#include <optional>

#include "absl/algorithm/container.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_name.h"
#include "libs/log/logger.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/notifications/notifications_store.h"

namespace moot::notifications {
namespace {

using budget::v1::PreceptState;
using budget::v1::TimetableStep;
using google::protobuf::util::TimeUtil;

constexpr char kBefore[] = "before";
constexpr char kOnDay[] = "on_day";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// 09:00 Europe/London on `day`.
absl::Time NineAm(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0),
                         time::London());
}

// What a precept event says about the year: its state and whether a veto stands.
struct PreceptFacts {
  std::string year;
  PreceptState state = budget::v1::PRECEPT_STATE_UNSPECIFIED;
  bool vetoed = false;
  std::string name;  // The precept's own name when the payload has one.
};

bool IsVeto(budget::v1::PanelOutcome outcome) {
  return outcome == budget::v1::PANEL_OUTCOME_VETOED_TOO_HIGH ||
         outcome == budget::v1::PANEL_OUTCOME_VETOED_TOO_LOW;
}

PreceptFacts FromPrecept(const budget::v1::Precept& precept) {
  PreceptFacts facts{.year = precept.year(), .state = precept.state(), .name = precept.name()};
  facts.vetoed = precept.state() == budget::v1::PRECEPT_STATE_REVISED_PROPOSED ||
                 precept.state() == budget::v1::PRECEPT_STATE_SECOND_REPORT ||
                 (precept.state() == budget::v1::PRECEPT_STATE_PANEL_REVIEWED &&
                  IsVeto(precept.report().outcome()) && !precept.report().veto_lapsed());
  return facts;
}

// The payload of `precept.created` is the Precept, of `precept.vetoed`/`precept.not_vetoed` a
// PreceptOutcome, of the others a PreceptChanged. Empty for anything else.
std::optional<PreceptFacts> ReadFacts(const events::v1::Event& event) {
  const google::protobuf::Any& any = event.payload();
  if (any.Is<budget::v1::PreceptChanged>()) {
    budget::v1::PreceptChanged changed;
    if (!any.UnpackTo(&changed) || !changed.has_precept()) {
      return std::nullopt;
    }
    return FromPrecept(changed.precept());
  }
  if (any.Is<budget::v1::Precept>()) {
    budget::v1::Precept precept;
    if (!any.UnpackTo(&precept)) {
      return std::nullopt;
    }
    return FromPrecept(precept);
  }
  if (any.Is<budget::v1::PreceptOutcome>()) {
    budget::v1::PreceptOutcome outcome;
    if (!any.UnpackTo(&outcome) ||
        (!outcome.tenant().empty() && outcome.tenant() != event.tenant())) {
      return std::nullopt;
    }
    if (outcome.outcome() == budget::v1::PreceptOutcome::OUTCOME_UNSPECIFIED) {
      return std::nullopt;
    }
    return PreceptFacts{.year = outcome.precept_year(),
                        .state = budget::v1::PRECEPT_STATE_PANEL_REVIEWED,
                        .vetoed = outcome.outcome() == budget::v1::PreceptOutcome::OUTCOME_VETOED};
  }
  return std::nullopt;
}

// Whether `step` is still to be done in `facts`' state (SI 2012/2271 regs 3-5; Sch.5 paras 2-5).
bool StillToDo(const PreceptFacts& facts, TimetableStep step) {
  int done = 0;  // Steps 1..done are done.
  switch (facts.state) {
    case budget::v1::PRECEPT_STATE_PROPOSED:
      done = budget::v1::TIMETABLE_STEP_PCC_NOTIFY;
      break;
    case budget::v1::PRECEPT_STATE_PANEL_REVIEWED:
      done = budget::v1::TIMETABLE_STEP_PANEL_REPORT;
      break;
    case budget::v1::PRECEPT_STATE_REVISED_PROPOSED:
      done = budget::v1::TIMETABLE_STEP_REVISED_PRECEPT;
      break;
    case budget::v1::PRECEPT_STATE_SECOND_REPORT:
      done = budget::v1::TIMETABLE_STEP_SECOND_REPORT;
      break;
    case budget::v1::PRECEPT_STATE_ISSUED:
      done = budget::v1::TIMETABLE_STEP_ISSUE;
      break;
    default:
      break;
  }
  if (static_cast<int>(step) <= done) {
    return false;
  }
  // The revised precept (reg 5) and the second report follow only a veto that stands.
  if (step == budget::v1::TIMETABLE_STEP_REVISED_PRECEPT ||
      step == budget::v1::TIMETABLE_STEP_SECOND_REPORT) {
    return facts.vetoed;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<StatutoryDeadline>> StatutoryDeadlines(absl::string_view year,
                                                                  absl::string_view field) {
  int first = 0;
  int second = 0;
  if (year.size() != 7 || year[4] != '-' ||
      !absl::c_all_of(year.substr(0, 4), absl::ascii_isdigit) ||
      !absl::c_all_of(year.substr(5), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(year.substr(0, 4), &first) || !absl::SimpleAtoi(year.substr(5), &second)) {
    return status::InvalidArgument(field, "must be a year \"YYYY-YY\", e.g. \"2024-25\"");
  }
  if (first < 2012 || (first + 1) % 100 != second) {
    return status::InvalidArgument(
        field, "must be a financial year from 2012-13 on, the second part the first plus one");
  }
  // PRSRA 2011 Sch.5; SI 2012/2271 reg 3 (1 February), reg 4(1) (8 February), reg 5
  // (15 February); the second report by 22 February and the precept by 1 March (domain.md
  // §3.7), all in the relevant financial year: the calendar year `first`.
  return std::vector<StatutoryDeadline>{
      {budget::v1::TIMETABLE_STEP_PCC_NOTIFY, absl::CivilDay(first, 2, 1)},
      {budget::v1::TIMETABLE_STEP_PANEL_REPORT, absl::CivilDay(first, 2, 8)},
      {budget::v1::TIMETABLE_STEP_REVISED_PRECEPT, absl::CivilDay(first, 2, 15)},
      {budget::v1::TIMETABLE_STEP_SECOND_REPORT, absl::CivilDay(first, 2, 22)},
      {budget::v1::TIMETABLE_STEP_ISSUE, absl::CivilDay(first, 3, 1)},
  };
}

DeadlineReminders::DeadlineReminders(NotificationsLogic& logic, sql::Database& db,
                                     const events::Outbox& outbox, const time::Clock& clock,
                                     ids::IdGenerator& ids, DeadlineReminderOptions options)
    : logic_(logic),
      db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      options_(options),
      applied_(db, kRemindersConsumerGroup, clock) {}

DeadlineReminders::~DeadlineReminders() { Stop(); }

absl::Status DeadlineReminders::Handle(const events::v1::Event& event) {
  if (!absl::StartsWith(event.type(), "precept.") || event.id().empty()) {
    return absl::OkStatus();
  }
  return db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool marked, applied_.MarkApplied(tx, event.id()));
    if (!marked) {
      return absl::OkStatus();  // Applied before: no second effect.
    }
    return Recompute(tx, event);
  });
}

absl::Status DeadlineReminders::Recompute(sql::Connection& tx, const events::v1::Event& event) {
  const auto ignore = [&](absl::string_view why) {
    log::Warning("precept event ignored by reminders",
                 {{"event_id", event.id()}, {"type", event.type()}, {"why", std::string(why)}});
    return absl::OkStatus();
  };
  if (!api::IsValidId(event.tenant())) {
    return ignore("no valid tenant");
  }
  std::optional<PreceptFacts> facts = ReadFacts(event);
  if (!facts.has_value()) {
    return ignore("payload is not a precept");
  }
  absl::StatusOr<std::vector<StatutoryDeadline>> deadlines = StatutoryDeadlines(facts->year);
  if (!deadlines.ok()) {
    return ignore(deadlines.status().message());
  }
  const std::string precept = absl::StrCat("tenants/", event.tenant(), "/precepts/", facts->year);
  if (!facts->name.empty() && facts->name != precept) {
    return ignore("precept name does not match the tenant and year");
  }
  // Events of one precept reach the stream in order; an older one redelivered after a newer
  // one (a claimed pending entry) must not bring back reminders of steps since done.
  MOOT_ASSIGN_OR_RETURN(bool latest, NotificationsStore::AdvanceReminderPrecept(
                                         tx, event.tenant(), precept,
                                         TimeUtil::TimestampToMicroseconds(event.time())));
  if (!latest) {
    return ignore("a later event of the precept was applied");
  }
  MOOT_RETURN_IF_ERROR(NotificationsStore::DeletePendingReminders(tx, event.tenant(), precept));
  const absl::Time now = clock_.Now();
  for (const StatutoryDeadline& deadline : *deadlines) {
    if (!StillToDo(*facts, deadline.step)) {
      continue;
    }
    std::vector<std::pair<const char*, absl::Time>> times;
    if (options_.days_before > 0) {
      times.emplace_back(kBefore, NineAm(deadline.day - options_.days_before));
    }
    times.emplace_back(kOnDay, NineAm(deadline.day));
    for (const auto& [kind, at] : times) {
      if (at < now) {
        continue;  // Its moment has passed; a later one (or none) still reminds.
      }
      MOOT_RETURN_IF_ERROR(NotificationsStore::InsertReminder(
                               tx, {.tenant = event.tenant(),
                                    .precept = precept,
                                    .step = static_cast<int64_t>(deadline.step),
                                    .kind = kind,
                                    .deadline_date = absl::FormatCivilTime(deadline.day),
                                    .remind_at = at})
                               .status());
    }
  }
  return absl::OkStatus();
}

std::unique_ptr<events::StreamConsumer> DeadlineReminders::MakeStreamConsumer(
    redis::RedisClient& redis, const std::string& consumer_name, std::string stream,
    events::StreamConsumerOptions options) {
  options.stream = std::move(stream);
  options.group = kRemindersConsumerGroup;
  options.consumer = consumer_name;
  // Dedupe happens inside Handle's transaction, so the stream consumer needs no AppliedEvents.
  return std::make_unique<events::StreamConsumer>(
      redis, std::move(options),
      events::StreamConsumer::Handler(
          [this](const events::v1::Event& event) { return Handle(event); }));
}

absl::StatusOr<int> DeadlineReminders::Sweep() {
  const absl::Time now = clock_.Now();
  std::vector<DeadlineReminder> due;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(due, NotificationsStore::DueReminders(conn, now, options_.sweep_batch));
    return absl::OkStatus();
  }));
  int delivered = 0;
  for (const DeadlineReminder& reminder : due) {
    bool marked = false;
    MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
      MOOT_ASSIGN_OR_RETURN(marked, NotificationsStore::MarkReminderDelivered(tx, reminder, now));
      if (!marked) {
        return absl::OkStatus();  // Another sweeper delivered it.
      }
      absl::CivilDay day;
      if (!absl::ParseCivilTime(reminder.deadline_date, &day)) {
        return absl::DataLossError("stored reminder has an unreadable deadline date");
      }
      budget::v1::TimetableEntry entry;
      entry.set_step(static_cast<TimetableStep>(reminder.step));
      entry.set_deadline_date(reminder.deadline_date);
      // The end of the deadline day in Europe/London, as the budget timetable has it.
      *entry.mutable_deadline() =
          ToProto(absl::FromCivil(day + 1, time::London()) - absl::Microseconds(1));
      events::v1::Event event;
      event.set_id(ids_.NewId());
      event.set_type(kPreceptDeadlineReminder);
      event.set_tenant(reminder.tenant);
      event.set_subject(reminder.precept);
      *event.mutable_time() = ToProto(now);
      event.mutable_payload()->PackFrom(entry);
      event.set_source("notifications");
      event.set_public_(false);  // For officers and members, not the public feed.
      MOOT_RETURN_IF_ERROR(logic_.DeliverEvent(tx, event).status());
      return outbox_.Append(tx, event);
    }));
    delivered += marked ? 1 : 0;
  }
  return delivered;
}

void DeadlineReminders::Start(absl::Duration period) {
  sweeper_ = std::thread([this, period] {
    do {
      if (absl::StatusOr<int> swept = Sweep(); !swept.ok()) {
        log::Warning("deadline reminder sweep failed", {{"status", swept.status().ToString()}});
      }
    } while (!stop_.WaitForNotificationWithTimeout(period));
  });
}

void DeadlineReminders::Stop() {
  if (!stop_.HasBeenNotified()) {
    stop_.Notify();
  }
  if (sweeper_.joinable()) {
    sweeper_.join();
  }
}

}  // namespace moot::notifications
