// Storage of public questions for the scheduling service, over libs/sql (SQLite or PostgreSQL).
// Every query is scoped by tenant; rows keep the question as a serialized proto beside the
// columns that queries filter and sort on (as SchedulingStore does).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/questions.pb.h"

namespace moot::scheduling {

// Where a question lives: its meeting's keys.
struct MeetingRef {
  std::string tenant;
  std::string body_id;
  std::string meeting_id;
};

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class QuestionStore {
 public:
  // Schema migrations, component "scheduling_questions".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the question when its id is taken. `sort_key` orders the meeting's
  // questions (receipt time, then id); `contact_key` is the asker's normalised contact
  // (R-PQ-02 identity).
  static absl::Status InsertQuestion(sql::Connection& tx, const MeetingRef& meeting,
                                     const std::string& question_id, const std::string& sort_key,
                                     const std::string& contact_key,
                                     const v1::PublicQuestion& question);
  // Replaces a question whose stored version is `expected_version` (ABORTED otherwise).
  static absl::Status UpdateQuestion(sql::Connection& tx, const MeetingRef& meeting,
                                     const std::string& question_id,
                                     const v1::PublicQuestion& question, int64_t expected_version);
  // The question and its stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::PublicQuestion, int64_t>> GetQuestion(
      sql::Connection& conn, const MeetingRef& meeting, const std::string& question_id,
      const std::string& name);
  // The meeting's questions whose status is one of `statuses`, in receipt order, after
  // `after_key` (exclusive).
  static absl::StatusOr<api::Page<v1::PublicQuestion>> ListQuestions(
      sql::Connection& conn, const MeetingRef& meeting, const std::vector<int>& statuses,
      const std::string& after_key, int limit);
  // How many of the meeting's questions are in one of `statuses`; with a non-empty
  // `contact_key`, only that asker's.
  static absl::StatusOr<int64_t> CountQuestions(sql::Connection& conn, const MeetingRef& meeting,
                                                const std::vector<int>& statuses,
                                                const std::string& contact_key);

  // R-PQ-07: the meeting's "no questions received" record, if any.
  static absl::StatusOr<std::optional<v1::NoQuestionsRecord>> GetNoQuestions(
      sql::Connection& conn, const MeetingRef& meeting);
  static absl::Status PutNoQuestions(sql::Connection& tx, const MeetingRef& meeting,
                                     const v1::NoQuestionsRecord& record);
  // Removes the record (a question arrived after all); no-op when there is none.
  static absl::Status ClearNoQuestions(sql::Connection& tx, const MeetingRef& meeting);
};

}  // namespace moot::scheduling
