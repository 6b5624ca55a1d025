#include "services/scheduling/precept_listener.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_name.h"
#include "libs/log/logger.h"
#include "libs/status/macros.h"
#include "libs/time/clock.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";

enum class Action { kNone, kConfirm, kCancel };

Action ActionFor(const std::string& type, const v1::PreceptOutcome& outcome) {
  if (type == "precept.vetoed") {
    return Action::kConfirm;
  }
  if (type == "precept.not_vetoed" || type == "precept.supported") {
    return Action::kCancel;
  }
  if (type == "precept.issued") {
    // Issued after a veto (the revised precept): the confirmed meeting stands.
    return outcome.outcome() == v1::PRECEPT_OUTCOME_KIND_VETOED ? Action::kNone : Action::kCancel;
  }
  return Action::kNone;
}

// The last day of the veto cycle's window: the end of February of the precept year's second
// calendar year ("2024-25" -> 2024-02-29), or of the decision's year when the year is not given.
absl::CivilDay WindowEnd(const v1::PreceptOutcome& outcome, absl::Time decided_at) {
  int year = 0;
  if (outcome.precept_year().size() >= 4 &&
      absl::SimpleAtoi(outcome.precept_year().substr(0, 4), &year)) {
    // "2024-25": the precept for 2024/25 is set in February 2024.
  } else {
    year = static_cast<int>(absl::ToCivilDay(decided_at, time::London()).year());
  }
  return absl::CivilDay(year, 3, 1) - 1;
}

}  // namespace

PreceptListener::PreceptListener(SchedulingLogic& logic, sql::Database& db,
                                 const time::Clock& clock)
    : logic_(logic), db_(db), applied_(db, kPreceptConsumerGroup, clock) {}

absl::Status PreceptListener::Migrate(sql::Database& db) {
  return events::AppliedEvents::Migrate(db);
}

absl::StatusOr<int> PreceptListener::Handle(sql::Connection& tx, const events::v1::Event& event) {
  if (!absl::StartsWith(event.type(), "precept.")) {
    return 0;
  }
  // The budget service sends its own wire-compatible moot.budget.v1.PreceptOutcome (same field
  // numbers and types), so the payload is accepted by message name, not by package.
  v1::PreceptOutcome outcome;
  const bool is_outcome = absl::EndsWith(event.payload().type_url(), ".PreceptOutcome") &&
                          outcome.ParseFromString(event.payload().value());
  if (!is_outcome) {
    // The budget service's other precept.* events carry a PreceptChanged payload: not ours.
    if (event.type() != "precept.vetoed" && event.type() != "precept.not_vetoed") {
      return 0;
    }
    log::Warning("precept event without a PreceptOutcome payload ignored",
                 {{"event_id", event.id()}, {"type", event.type()}});
    return 0;
  }
  const Action action = ActionFor(event.type(), outcome);
  if (action == Action::kNone) {
    return 0;
  }
  const std::string tenant = outcome.tenant().empty() ? event.tenant() : outcome.tenant();
  if (tenant != event.tenant() || tenant.empty()) {
    // Never act on another tenant's meetings.
    log::Warning("precept event for another tenant ignored",
                 {{"event_id", event.id()}, {"tenant", event.tenant()}});
    return 0;
  }
  const absl::Time decided_at =
      outcome.has_decided_at()
          ? absl::FromUnixMicros(
                google::protobuf::util::TimeUtil::TimestampToMicroseconds(outcome.decided_at()))
          : absl::FromUnixMicros(
                google::protobuf::util::TimeUtil::TimestampToMicroseconds(event.time()));
  const std::string window_end = absl::FormatCivilTime(WindowEnd(outcome, decided_at));

  std::vector<std::string> bodies;
  if (!outcome.body().empty()) {
    auto body = api::ResourceName::Parse(kBodyPattern, outcome.body(), "body");
    if (!body.ok() || body->tenant() != tenant) {
      log::Warning("precept event naming a bad body ignored",
                   {{"event_id", event.id()}, {"body", outcome.body()}});
      return 0;
    }
    bodies.push_back(body->Get("body"));
  } else {
    std::string after;
    while (true) {
      MOOT_ASSIGN_OR_RETURN(auto page, SchedulingStore::ListBodies(tx, tenant, after, 200));
      for (const v1::Body& b : page.items) {
        if (b.kind() == v1::BODY_KIND_PANEL) {
          bodies.push_back(b.name().substr(b.name().rfind('/') + 1));
        }
      }
      if (page.last_key.empty()) {
        break;
      }
      after = page.last_key;
    }
  }

  const std::string decided_text = absl::FormatTime("%Y-%m-%d", decided_at, time::London());
  const std::string reason =
      action == Action::kConfirm
          ? absl::StrCat(event.type(), ": the Panel vetoed the proposed precept",
                         outcome.precept_year().empty() ? "" : " for ", outcome.precept_year(),
                         " on ", decided_text, " (R-MTG-07, event ", event.id(), ")")
          : absl::StrCat(event.type(), ": the proposed precept",
                         outcome.precept_year().empty() ? "" : " for ", outcome.precept_year(),
                         " was not vetoed (", decided_text, "), so the provisional meeting is ",
                         "not needed (R-MTG-07, event ", event.id(), ")");
  int changed = 0;
  for (const std::string& body_id : bodies) {
    MOOT_ASSIGN_OR_RETURN(
        auto meetings,
        SchedulingStore::MeetingsOfBody(tx, tenant, body_id, {v1::MEETING_STATUS_PROVISIONAL}));
    for (const auto& [meeting, version] : meetings) {
      const absl::Time start = absl::FromUnixSeconds(meeting.start_time().seconds());
      if (start <= decided_at || meeting.local_date() > window_end) {
        continue;
      }
      const std::string meeting_id = meeting.name().substr(meeting.name().rfind('/') + 1);
      MOOT_RETURN_IF_ERROR(logic_
                               .ApplyTransition(tx, tenant, body_id, meeting_id,
                                                action == Action::kConfirm
                                                    ? v1::MEETING_STATUS_SCHEDULED
                                                    : v1::MEETING_STATUS_CANCELLED,
                                                reason)
                               .status());
      ++changed;
    }
  }
  return changed;
}

absl::Status PreceptListener::HandleOnce(const events::v1::Event& event) {
  return db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool fresh, applied_.MarkApplied(tx, event.id()));
    if (!fresh) {
      return absl::OkStatus();
    }
    return Handle(tx, event).status();
  });
}

std::unique_ptr<events::StreamConsumer> PreceptListener::MakeStreamConsumer(
    redis::RedisClient& redis, const std::string& stream, const std::string& consumer_name) {
  events::StreamConsumerOptions options;
  options.stream = stream;
  options.group = kPreceptConsumerGroup;
  options.consumer = consumer_name;
  return std::make_unique<events::StreamConsumer>(
      redis, std::move(options),
      events::StreamConsumer::TxHandler([this](sql::Connection& tx, const events::v1::Event& event)
                                            -> absl::Status { return Handle(tx, event).status(); }),
      applied_);
}

}  // namespace moot::scheduling
