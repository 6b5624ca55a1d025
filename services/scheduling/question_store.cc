#include "services/scheduling/question_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {
namespace {

// " AND status IN ($n, $n+1, ...)" for `statuses`, appending them to `params`.
std::string StatusClause(const std::vector<int>& statuses, sql::Params& params) {
  if (statuses.empty()) {
    return " AND 1 = 0";
  }
  std::string clause = " AND status IN (";
  for (size_t i = 0; i < statuses.size(); ++i) {
    params.push_back(static_cast<int64_t>(statuses[i]));
    absl::StrAppend(&clause, i == 0 ? "" : ", ", "$", params.size());
  }
  absl::StrAppend(&clause, ")");
  return clause;
}

}  // namespace

std::vector<sql::Migration> QuestionStore::Migrations() {
  return {
      {.version = 1,
       .name = "public questions",
       .sql = "CREATE TABLE public_questions ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " question_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " status BIGINT NOT NULL,"
              " contact_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, question_id));"
              "CREATE INDEX public_questions_by_sort ON public_questions"
              " (tenant_id, body_id, meeting_id, sort_key);"
              "CREATE INDEX public_questions_by_contact ON public_questions"
              " (tenant_id, body_id, meeting_id, contact_key);"
              "CREATE TABLE no_questions_records ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id));"},
  };
}

absl::Status QuestionStore::InsertQuestion(sql::Connection& tx, const MeetingRef& meeting,
                                           const std::string& question_id,
                                           const std::string& sort_key,
                                           const std::string& contact_key,
                                           const v1::PublicQuestion& question) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO public_questions (tenant_id, body_id, meeting_id, question_id,"
                 " sort_key, status, contact_key, data, version)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
                 {meeting.tenant, meeting.body_id, meeting.meeting_id, question_id, sort_key,
                  static_cast<int64_t>(question.status()), contact_key,
                  sql::Bytes{question.SerializeAsString()}})
          .status(),
      question.name());
}

absl::Status QuestionStore::UpdateQuestion(sql::Connection& tx, const MeetingRef& meeting,
                                           const std::string& question_id,
                                           const v1::PublicQuestion& question,
                                           int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE public_questions SET status = $1, data = $2, version = $3"
                 " WHERE tenant_id = $4 AND body_id = $5 AND meeting_id = $6 AND"
                 " question_id = $7 AND version = $8",
                 {static_cast<int64_t>(question.status()), sql::Bytes{question.SerializeAsString()},
                  expected_version + 1, meeting.tenant, meeting.body_id, meeting.meeting_id,
                  question_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(question.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::PublicQuestion, int64_t>> QuestionStore::GetQuestion(
    sql::Connection& conn, const MeetingRef& meeting, const std::string& question_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM public_questions WHERE tenant_id = $1 AND"
                   " body_id = $2 AND meeting_id = $3 AND question_id = $4",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id, question_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::PublicQuestion question,
                        api::Decode<v1::PublicQuestion>(result.rows[0], 0));
  return std::make_pair(std::move(question), result.rows[0].Int(1));
}

absl::StatusOr<api::Page<v1::PublicQuestion>> QuestionStore::ListQuestions(
    sql::Connection& conn, const MeetingRef& meeting, const std::vector<int>& statuses,
    const std::string& after_key, int limit) {
  sql::Params params = {meeting.tenant, meeting.body_id, meeting.meeting_id, after_key};
  std::string query =
      "SELECT sort_key, data FROM public_questions WHERE tenant_id = $1 AND body_id = $2 AND"
      " meeting_id = $3 AND sort_key > $4";
  absl::StrAppend(&query, StatusClause(statuses, params));
  params.push_back(static_cast<int64_t>(limit) + 1);
  absl::StrAppend(&query, " ORDER BY sort_key LIMIT $", params.size());
  MOOT_ASSIGN_OR_RETURN(sql::Result result, conn.Execute(query, params));
  return api::ReadPage<v1::PublicQuestion>(result, limit);
}

absl::StatusOr<int64_t> QuestionStore::CountQuestions(sql::Connection& conn,
                                                      const MeetingRef& meeting,
                                                      const std::vector<int>& statuses,
                                                      const std::string& contact_key) {
  sql::Params params = {meeting.tenant, meeting.body_id, meeting.meeting_id};
  std::string query =
      "SELECT COUNT(*) FROM public_questions WHERE tenant_id = $1 AND body_id = $2 AND"
      " meeting_id = $3";
  if (!contact_key.empty()) {
    params.push_back(contact_key);
    absl::StrAppend(&query, " AND contact_key = $", params.size());
  }
  absl::StrAppend(&query, StatusClause(statuses, params));
  MOOT_ASSIGN_OR_RETURN(sql::Result result, conn.Execute(query, params));
  return result.rows.empty() ? 0 : result.rows[0].Int(0);
}

absl::StatusOr<std::optional<v1::NoQuestionsRecord>> QuestionStore::GetNoQuestions(
    sql::Connection& conn, const MeetingRef& meeting) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM no_questions_records WHERE tenant_id = $1 AND body_id = $2"
                   " AND meeting_id = $3",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id}));
  if (result.rows.empty()) {
    return std::optional<v1::NoQuestionsRecord>();
  }
  MOOT_ASSIGN_OR_RETURN(v1::NoQuestionsRecord record,
                        api::Decode<v1::NoQuestionsRecord>(result.rows[0], 0));
  return std::optional<v1::NoQuestionsRecord>(std::move(record));
}

absl::Status QuestionStore::PutNoQuestions(sql::Connection& tx, const MeetingRef& meeting,
                                           const v1::NoQuestionsRecord& record) {
  return tx
      .Execute(
          "INSERT INTO no_questions_records (tenant_id, body_id, meeting_id, data)"
          " VALUES ($1, $2, $3, $4)",
          {meeting.tenant, meeting.body_id, meeting.meeting_id,
           sql::Bytes{record.SerializeAsString()}})
      .status();
}

absl::Status QuestionStore::ClearNoQuestions(sql::Connection& tx, const MeetingRef& meeting) {
  return tx
      .Execute(
          "DELETE FROM no_questions_records WHERE tenant_id = $1 AND body_id = $2 AND"
          " meeting_id = $3",
          {meeting.tenant, meeting.body_id, meeting.meeting_id})
      .status();
}

}  // namespace moot::scheduling
