// The action tracker's rules, independent of gRPC (domain.md §3.5): actions keyed by minute and
// clause (R-ACT-04), flagged when the reference does not resolve (§8 A1, A3), programmed for a
// meeting (R-ACT-05) with related actions (R-ACT-06) and recurrence (R-ACT-07), an update log,
// completion only by an officer with a note (R-ACT-02), and the tracker report of a meeting's
// agenda (R-ACT-01).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/actions.pb.h"
#include "moot/decisions/v1/minutes.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

// The actions a resolution creates (R-ACT-04): one per REQUEST clause (owner the Commissioner)
// and per WRITE_LETTER clause (owner the Panel Chair), keyed by the clause's display reference.
// `meeting_date` is the minutes' meeting date. Returns (action id, action) pairs with names set.
// Used by MinutesLogic inside its transaction.
std::vector<std::pair<std::string, v1::Action>> ActionsFromResolution(
    const v1::MinuteEntry& entry, const std::string& meeting, const std::string& meeting_date);

class ActionLogic {
 public:
  // None are owned; all must outlive the logic.
  ActionLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
              ids::IdGenerator& ids, const api::PageTokens& page_tokens,
              SchedulingDirectory& scheduling);

  // Applies the schema migrations (actions; MinutesLogic::Migrate applies the rest).
  absl::Status Migrate();

  // OFFICER. ALREADY_EXISTS when the body already has an action with that reference.
  absl::StatusOr<v1::Action> CreateAction(const auth::Principal& principal,
                                          const v1::CreateActionRequest& request);
  // OFFICER or MEMBER of the tenant.
  absl::StatusOr<v1::Action> GetAction(const auth::Principal& principal,
                                       const v1::GetActionRequest& request);
  absl::StatusOr<v1::ListActionsResponse> ListActions(const auth::Principal& principal,
                                                      const v1::ListActionsRequest& request);
  // OFFICER. Appends a note; may reprogramme. Emits `action.updated`.
  absl::StatusOr<v1::Action> UpdateAction(const auth::Principal& principal,
                                          const v1::UpdateActionRequest& request);
  // OFFICER. OUTSTANDING -> COMPLETED with a note (ACTION_ALREADY_COMPLETED otherwise). Emits
  // `action.completed`.
  absl::StatusOr<v1::Action> CompleteAction(const auth::Principal& principal,
                                            const v1::CompleteActionRequest& request);
  // OFFICER or MEMBER of the tenant.
  absl::StatusOr<v1::ActionTrackerReport> TrackerReport(const auth::Principal& principal,
                                                        const v1::TrackerReportRequest& request);

 private:
  // Applies `apply` to the stored action and records the change; a retry of `request` with the
  // same request_id returns the first result.
  absl::StatusOr<v1::Action> Change(const auth::Principal& principal, const std::string& name,
                                    const std::string& etag, absl::string_view method,
                                    const google::protobuf::Message& request,
                                    const std::string& request_id,
                                    const std::function<absl::Status(v1::Action&)>& apply);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  SchedulingDirectory& scheduling_;
};

// The tracker as an accessible HTML fragment: a heading, and one table per section with a
// caption and scoped column headers ("Minute/ Action No.", "Meeting Date", "Action",
// "Update/ Notes"), text escaped.
std::string RenderTrackerHtml(const v1::ActionTrackerReport& report, const std::string& title);

}  // namespace moot::decisions
