// The rules of public questions (domain.md §2.9, §3.2 R-PQ-01..07), independent of gRPC:
// validation, access, the deadline at receipt, the status table, and the events they emit.
// question_service.cc only converts.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/calendar/calendar.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/questions.pb.h"

namespace moot::scheduling {

// Whether a question may move from `from` to `to` (see QuestionStatus in questions.proto).
bool QuestionTransitionAllowed(v1::QuestionStatus from, v1::QuestionStatus to);

// The asker's identity for "one question per person per meeting" (R-PQ-02): the e-mail address
// in lower case without surrounding space, else the postal address in lower case with only
// letters and digits kept. Empty when neither is given.
std::string NormalisedContact(const v1::QuestionAsker& asker);

// Who sees what of a question.
enum class QuestionAudience {
  kPublic,   // Anonymous callers, other roles: ACCEPTED and ANSWERED only, public fields only.
  kMember,   // Members of the tenant: every question, without contact details.
  kOfficer,  // Officers of the tenant: everything.
};

// `question` as `audience` may see it. For kPublic: name, text, the asker's name and
// affiliation, status, times, answer, answered_by and read_out_by; nothing else.
v1::PublicQuestion QuestionView(const v1::PublicQuestion& question, QuestionAudience audience);

class QuestionLogic {
 public:
  // None are owned; all must outlive the logic.
  QuestionLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_questions, request log, outbox). The meetings and
  // bodies live in SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // Anyone, anonymous included (kPublicRead: an authenticated caller of another tenant is
  // denied). Checked at receipt on the server clock against the body's deadline (R-PQ-01/02).
  absl::StatusOr<v1::PublicQuestion> SubmitQuestion(const auth::Principal& principal,
                                                    const v1::SubmitQuestionRequest& request);
  // OFFICER: a question that arrived by e-mail or post, judged at its received_time.
  absl::StatusOr<v1::PublicQuestion> RecordQuestion(const auth::Principal& principal,
                                                    const v1::RecordQuestionRequest& request);
  absl::StatusOr<v1::PublicQuestion> GetQuestion(const auth::Principal& principal,
                                                 const v1::GetQuestionRequest& request);
  absl::StatusOr<v1::ListQuestionsResponse> ListQuestions(const auth::Principal& principal,
                                                          const v1::ListQuestionsRequest& request);
  // OFFICER transitions.
  absl::StatusOr<v1::PublicQuestion> AcceptQuestion(const auth::Principal& principal,
                                                    const v1::AcceptQuestionRequest& request);
  absl::StatusOr<v1::PublicQuestion> RejectQuestion(const auth::Principal& principal,
                                                    const v1::RejectQuestionRequest& request);
  absl::StatusOr<v1::PublicQuestion> RedirectQuestion(const auth::Principal& principal,
                                                      const v1::RedirectQuestionRequest& request);
  absl::StatusOr<v1::PublicQuestion> AnswerQuestion(const auth::Principal& principal,
                                                    const v1::AnswerQuestionRequest& request);
  // OFFICER: R-PQ-05, the minuted outcome, resolutions and actions of an accepted or answered
  // question.
  absl::StatusOr<v1::PublicQuestion> RecordQuestionOutcome(
      const auth::Principal& principal, const v1::RecordQuestionOutcomeRequest& request);
  // OFFICER: R-PQ-07.
  absl::StatusOr<v1::NoQuestionsRecord> MarkNoQuestions(const auth::Principal& principal,
                                                        const v1::MarkNoQuestionsRequest& request);

 private:
  // The working-day calendar deadlines are counted on for `tenant`: the national bank holidays
  // plus the tenant's closure days (CalendarService).
  absl::StatusOr<calendar::HolidayCalendar> CalendarFor(sql::Connection& conn,
                                                        const std::string& tenant) const;

  // Shared by SubmitQuestion and RecordQuestion.
  absl::StatusOr<v1::PublicQuestion> Receive(
      const auth::Principal& principal, const std::string& parent, const v1::PublicQuestion& in,
      absl::string_view method, const std::string& request_id,
      const google::protobuf::Message& request, bool officer_path, absl::Time received,
      v1::QuestionChannel channel, const std::string& question_id);

  // Shared by the officer transitions: checks access and the etag, moves the question to `to`
  // after `change` edits it, and emits `event_type`.
  template <typename Request, typename Change>
  absl::StatusOr<v1::PublicQuestion> Transition(const auth::Principal& principal,
                                                const Request& request, absl::string_view method,
                                                v1::QuestionStatus to, absl::string_view event_type,
                                                Change change);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
