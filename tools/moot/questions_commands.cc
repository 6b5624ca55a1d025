// `moot questions ...`: public questions to a meeting (submit, record, list, accept, reject,
// redirect, answer, none).
#include <algorithm>
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "moot/scheduling/v1/petitions.grpc.pb.h"
#include "moot/scheduling/v1/questions.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

// "accepted", "ACCEPTED" or "QUESTION_STATUS_ACCEPTED" (and dashes for underscores) -> the
// enum value's number; -1 when unknown.
int ParseEnum(const google::protobuf::EnumDescriptor* type, absl::string_view prefix,
              const std::string& text) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  const auto* value = type->FindValueByName(upper);
  if (value == nullptr) {
    value = type->FindValueByName(absl::StrCat(prefix, upper));
  }
  return value == nullptr ? -1 : value->number();
}

std::string Short(const google::protobuf::EnumValueDescriptor* value, absl::string_view prefix) {
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
}

std::string Clip(const std::string& text, size_t max) {
  return text.size() <= max ? text : absl::StrCat(text.substr(0, max - 3), "...");
}

int UsageError(std::ostream& err, absl::string_view message) {
  err << "error: " << message << "\n";
  return kUsage;
}

std::vector<std::string> QuestionRow(const sched::PublicQuestion& q) {
  std::string status =
      Short(sched::QuestionStatus_descriptor()->FindValueByNumber(q.status()), "QUESTION_STATUS_");
  if (q.rejection_reason() != sched::QUESTION_REJECTION_REASON_UNSPECIFIED) {
    absl::StrAppend(
        &status, " (",
        Short(sched::QuestionRejectionReason_descriptor()->FindValueByNumber(q.rejection_reason()),
              "QUESTION_REJECTION_REASON_"),
        ")");
  }
  return {q.name(), status, q.asker().display_name(), Time(q.receive_time()), Clip(q.text(), 60)};
}

int PrintQuestion(const Session& s, const sched::PublicQuestion& q, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(q) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {{"name", q.name()},
                                                {"status", QuestionRow(q)[1]},
                                                {"asker", q.asker().display_name()},
                                                {"received", Time(q.receive_time())},
                                                {"deadline", Time(q.deadline())},
                                                {"text", q.text()}};
  if (!q.rejection_detail().empty()) {
    rows.push_back({"rejection", q.rejection_detail()});
  }
  if (!q.redirected_to().empty()) {
    rows.push_back({"redirected to", q.redirected_to()});
  }
  if (!q.answer().empty()) {
    rows.push_back({"answer", q.answer()});
    rows.push_back({"answered by", q.answered_by()});
  }
  if (!q.read_out_by().empty()) {
    rows.push_back({"read out by", q.read_out_by()});
  }
  // R-PQ-05.
  if (!q.outcome().empty()) {
    rows.push_back({"outcome", q.outcome()});
  }
  for (const std::string& r : q.resolutions()) {
    rows.push_back({"resolution", r});
  }
  for (const std::string& a : q.actions()) {
    rows.push_back({"action", a});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

// Submits (SubmitQuestion) or, with --received, records an e-mailed or posted question
// (RecordQuestion, officers).
int Submit(const Session& s, const std::string& meeting, std::ostream& out, std::ostream& err) {
  const Options& o = s.options();
  sched::PublicQuestion q;
  q.set_text(Flag(o, "text", ""));
  sched::QuestionAsker* asker = q.mutable_asker();
  asker->set_display_name(Flag(o, "asker", ""));
  asker->set_email(Flag(o, "email", ""));
  asker->set_postal_address(Flag(o, "postal-address", ""));
  asker->set_affiliation(Flag(o, "affiliation", ""));
  for (absl::string_view part : absl::StrSplit(Flag(o, "in-area", ""), ',', absl::SkipEmpty())) {
    part = absl::StripAsciiWhitespace(part);
    if (part == "lives") {
      asker->set_lives_in_area(true);
    } else if (part == "works") {
      asker->set_works_in_area(true);
    } else if (part == "studies") {
      asker->set_studies_in_area(true);
    } else {
      return UsageError(err,
                        "--in-area takes lives, works and/or studies, e.g. --in-area=lives,works");
    }
  }
  const std::string police = Flag(o, "police-or-staff", "no");
  if (police != "yes" && police != "no") {
    return UsageError(err, "--police-or-staff must be yes or no");
  }
  asker->set_police_officer_or_staff(police == "yes");
  q.set_read_out_by(Flag(o, "read-out-by", ""));
  auto stub = sched::QuestionService::NewStub(s.channel());
  sched::PublicQuestion response;
  auto context = s.Context();
  grpc::Status status;
  const std::string received = Flag(o, "received", "");
  if (received.empty()) {
    sched::SubmitQuestionRequest request;
    request.set_parent(meeting);
    *request.mutable_question() = q;
    request.set_request_id(Flag(o, "request-id", ""));
    status = stub->SubmitQuestion(context.get(), request, &response);
  } else {
    absl::Time t;
    std::string why;
    if (!absl::ParseTime(absl::RFC3339_full, received, &t, &why)) {
      return UsageError(err, "--received must be an RFC 3339 time, e.g. 2023-09-06T12:00:00+01:00");
    }
    sched::RecordQuestionRequest request;
    request.set_parent(meeting);
    *request.mutable_question() = q;
    request.mutable_received_time()->set_seconds(absl::ToUnixSeconds(t));
    const std::string channel = Flag(o, "channel", "email");
    const int value = ParseEnum(sched::QuestionChannel_descriptor(), "QUESTION_CHANNEL_", channel);
    if (value != sched::QUESTION_CHANNEL_EMAIL && value != sched::QUESTION_CHANNEL_POST) {
      return UsageError(err, "--channel must be email or post");
    }
    request.set_channel(static_cast<sched::QuestionChannel>(value));
    request.set_request_id(Flag(o, "request-id", ""));
    request.set_question_id(Flag(o, "id", ""));
    status = stub->RecordQuestion(context.get(), request, &response);
  }
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintQuestion(s, response, out);
}

int List(const Session& s, const std::string& meeting, std::ostream& out, std::ostream& err) {
  sched::ListQuestionsRequest request;
  request.set_parent(meeting);
  SetPage(s.options(), request);
  const std::string wanted = Flag(s.options(), "status", "");
  if (!wanted.empty()) {
    const int value = ParseEnum(sched::QuestionStatus_descriptor(), "QUESTION_STATUS_", wanted);
    if (value <= 0) {
      return UsageError(err,
                        "--status must be received, accepted, rejected, redirected or answered");
    }
    request.set_status(static_cast<sched::QuestionStatus>(value));
  }
  auto stub = sched::QuestionService::NewStub(s.channel());
  sched::ListQuestionsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListQuestions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& q : response.questions()) {
    rows.push_back(QuestionRow(q));
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"NAME", "STATUS", "ASKER", "RECEIVED", "TEXT"}, rows);
  if (!s.options().json && response.no_questions_received()) {
    out << "no questions received (recorded)\n";
  }
  return kOk;
}

// The officer transitions share the output.
int Finish(const Session& s, const grpc::Status& status, const sched::PublicQuestion& q,
           std::ostream& out, std::ostream& err) {
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintQuestion(s, q, out);
}

int Accept(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  sched::AcceptQuestionRequest request;
  request.set_name(name);
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::PublicQuestion response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->AcceptQuestion(context.get(), request, &response);
  return Finish(s, status, response, out, err);
}

int Reject(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  const int reason = ParseEnum(sched::QuestionRejectionReason_descriptor(),
                               "QUESTION_REJECTION_REASON_", Flag(s.options(), "reason", ""));
  if (reason <= 0) {
    return UsageError(err, "--reason must be late, ineligible, duplicate or out-of-scope");
  }
  sched::RejectQuestionRequest request;
  request.set_name(name);
  request.set_reason(static_cast<sched::QuestionRejectionReason>(reason));
  request.set_detail(Flag(s.options(), "detail", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::PublicQuestion response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->RejectQuestion(context.get(), request, &response);
  return Finish(s, status, response, out, err);
}

int Redirect(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  const std::string to = Flag(s.options(), "to", "");
  if (to.empty()) {
    return UsageError(err, "--to=BODY is required, e.g. --to=tenants/west-midlands/bodies/pcp");
  }
  sched::RedirectQuestionRequest request;
  request.set_name(name);
  request.set_target_body(to);
  request.set_note(Flag(s.options(), "note", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::PublicQuestion response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->RedirectQuestion(context.get(), request, &response);
  return Finish(s, status, response, out, err);
}

int Answer(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  sched::AnswerQuestionRequest request;
  request.set_name(name);
  request.set_answer(Flag(s.options(), "answer", ""));
  request.set_answered_by(Flag(s.options(), "answered-by", ""));
  request.set_read_out_by(Flag(s.options(), "read-out-by", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::PublicQuestion response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->AnswerQuestion(context.get(), request, &response);
  return Finish(s, status, response, out, err);
}

// R-PQ-05: the outcome minuted for the question and the resolutions and actions it led to.
int Outcome(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  const Options& o = s.options();
  sched::RecordQuestionOutcomeRequest request;
  request.set_name(name);
  request.set_outcome(Flag(o, "outcome", ""));
  for (absl::string_view r : absl::StrSplit(Flag(o, "resolutions", ""), ',', absl::SkipEmpty())) {
    request.add_resolutions(std::string(absl::StripAsciiWhitespace(r)));
  }
  for (absl::string_view a : absl::StrSplit(Flag(o, "actions", ""), ',', absl::SkipEmpty())) {
    request.add_actions(std::string(absl::StripAsciiWhitespace(a)));
  }
  request.set_etag(Flag(o, "etag", ""));
  request.set_request_id(Flag(o, "request-id", ""));
  sched::PublicQuestion response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->RecordQuestionOutcome(context.get(), request, &response);
  return Finish(s, status, response, out, err);
}

int None(const Session& s, const std::string& meeting, std::ostream& out, std::ostream& err) {
  sched::MarkNoQuestionsRequest request;
  request.set_name(meeting);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::NoQuestionsRecord response;
  auto context = s.Context();
  auto status = sched::QuestionService::NewStub(s.channel())
                    ->MarkNoQuestions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else {
    out << response.meeting() << ": no questions received (recorded "
        << Time(response.record_time()) << ")\n";
  }
  return kOk;
}

// Petitions to a body (R-PQ-06).
int PrintPetition(const Session& s, const sched::Petition& p, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(p) << "\n";
    return kOk;
  }
  std::string status = sched::PetitionStatus_Name(p.status());
  absl::StrReplaceAll({{"PETITION_STATUS_", ""}}, &status);
  std::vector<std::vector<std::string>> rows = {
      {"name", p.name()},
      {"status", status},
      {"title", p.title()},
      {"prayer", p.prayer()},
      {"lead petitioner", p.lead_petitioner().display_name()},
      {"signatures", absl::StrCat(p.signature_count())},
      {"received", Time(p.receive_time())},
      {"response due", p.response_due_date().empty() ? "-" : p.response_due_date()}};
  if (!p.lead_petitioner().email().empty()) {
    rows.push_back({"e-mail", p.lead_petitioner().email()});
  }
  if (!p.lead_petitioner().postal_address().empty()) {
    rows.push_back({"postal address", p.lead_petitioner().postal_address()});
  }
  if (!p.rejection_reason().empty()) {
    rows.push_back({"rejection", p.rejection_reason()});
  }
  if (!p.response().empty()) {
    rows.push_back({"response", p.response()});
    rows.push_back({"responded by", p.responded_by()});
  }
  rows.push_back({"etag", p.etag()});
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

int PetitionDone(const Session& s, const grpc::Status& status, const sched::Petition& p,
                 std::ostream& out, std::ostream& err) {
  return status.ok() ? PrintPetition(s, p, out) : Fail(status, err);
}

int PetitionSubmit(const Session& s, const std::string& body, std::ostream& out,
                   std::ostream& err) {
  const Options& o = s.options();
  sched::SubmitPetitionRequest request;
  request.set_parent(body);
  request.set_request_id(Flag(o, "request-id", ""));
  sched::Petition* p = request.mutable_petition();
  p->set_title(Flag(o, "title", ""));
  p->set_prayer(Flag(o, "prayer", ""));
  p->mutable_lead_petitioner()->set_display_name(Flag(o, "petitioner", ""));
  p->mutable_lead_petitioner()->set_email(Flag(o, "email", ""));
  p->mutable_lead_petitioner()->set_postal_address(Flag(o, "postal-address", ""));
  int signatures = 0;
  if (!absl::SimpleAtoi(Flag(o, "signatures", ""), &signatures)) {
    return UsageError(err, "--signatures must be a whole number");
  }
  p->set_signature_count(signatures);
  sched::Petition response;
  auto context = s.Context();
  auto status = sched::PetitionService::NewStub(s.channel())
                    ->SubmitPetition(context.get(), request, &response);
  return PetitionDone(s, status, response, out, err);
}

int PetitionList(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::ListPetitionsRequest request;
  request.set_parent(body);
  SetPage(s.options(), request);
  if (const std::string wanted = Flag(s.options(), "status", ""); !wanted.empty()) {
    const int value = ParseEnum(sched::PetitionStatus_descriptor(), "PETITION_STATUS_", wanted);
    if (value <= 0) {
      return UsageError(err, "--status must be received, accepted, rejected or responded");
    }
    request.set_status(static_cast<sched::PetitionStatus>(value));
  }
  sched::ListPetitionsResponse response;
  auto context = s.Context();
  auto status = sched::PetitionService::NewStub(s.channel())
                    ->ListPetitions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : response.petitions()) {
    std::string st = sched::PetitionStatus_Name(p.status());
    absl::StrReplaceAll({{"PETITION_STATUS_", ""}}, &st);
    rows.push_back({p.name(), st, absl::StrCat(p.signature_count()), p.title()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"NAME", "STATUS", "SIGNATURES", "TITLE"},
            rows);
  return kOk;
}

int PetitionGet(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  sched::GetPetitionRequest request;
  request.set_name(name);
  sched::Petition response;
  auto context = s.Context();
  auto status =
      sched::PetitionService::NewStub(s.channel())->GetPetition(context.get(), request, &response);
  return PetitionDone(s, status, response, out, err);
}

int PetitionDecide(const Session& s, const std::string& name, const std::string& what,
                   std::ostream& out, std::ostream& err) {
  const Options& o = s.options();
  auto stub = sched::PetitionService::NewStub(s.channel());
  sched::Petition response;
  auto context = s.Context();
  grpc::Status status;
  if (what == "accept") {
    sched::AcceptPetitionRequest r;
    r.set_name(name);
    r.set_etag(Flag(o, "etag", ""));
    r.set_request_id(Flag(o, "request-id", ""));
    status = stub->AcceptPetition(context.get(), r, &response);
  } else if (what == "reject") {
    sched::RejectPetitionRequest r;
    r.set_name(name);
    r.set_reason(Flag(o, "reason", ""));
    r.set_etag(Flag(o, "etag", ""));
    r.set_request_id(Flag(o, "request-id", ""));
    status = stub->RejectPetition(context.get(), r, &response);
  } else {
    sched::RespondToPetitionRequest r;
    r.set_name(name);
    r.set_response(Flag(o, "response", ""));
    r.set_responded_by(Flag(o, "responded-by", ""));
    r.set_etag(Flag(o, "etag", ""));
    r.set_request_id(Flag(o, "request-id", ""));
    status = stub->RespondToPetition(context.get(), r, &response);
  }
  return PetitionDone(s, status, response, out, err);
}

}  // namespace

std::vector<Command> QuestionsCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"questions submit",
       "MEETING",
       "submit a public question (no account needed); with --received=TIME an officer records "
       "one that came by e-mail or post",
       1,
       {"text", "asker", "email", "postal-address", "affiliation", "in-area", "police-or-staff",
        "received", "channel", "read-out-by", "id"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Submit(s, a[0], o, e);
       }},
      {"questions list",
       "MEETING",
       "the meeting's questions you may see (the public: accepted and answered)",
       1,
       {"status"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return List(s, a[0], o, e);
       }},
      {"questions accept",
       "QUESTION",
       "accept a received question for question time",
       1,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Accept(s, a[0], o, e);
       }},
      {"questions reject",
       "QUESTION",
       "reject with --reason=late|ineligible|duplicate|out-of-scope (--detail says why)",
       1,
       {"reason", "detail", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Reject(s, a[0], o, e);
       }},
      {"questions redirect",
       "QUESTION",
       "pass the question to --to=BODY (another tenant's body gets a referral)",
       1,
       {"to", "note", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Redirect(s, a[0], o, e);
       }},
      {"questions answer",
       "QUESTION",
       "record the --answer (--answered-by, --read-out-by)",
       1,
       {"answer", "answered-by", "read-out-by", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Answer(s, a[0], o, e);
       }},
      {"questions outcome",
       "QUESTION",
       "the minuted --outcome (\"received and noted\"), --resolutions=NAME,.. and "
       "--actions=NAME,.. "
       "it led to (R-PQ-05)",
       1,
       {"outcome", "resolutions", "actions", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Outcome(s, a[0], o, e);
       }},
      {"petitions submit",
       "BODY",
       "submit a petition (no account needed): --title --prayer --petitioner=NAME --email or "
       "--postal-address --signatures=N (R-PQ-06)",
       1,
       {"title", "prayer", "petitioner", "email", "postal-address", "signatures"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionSubmit(s, a[0], o, e);
       }},
      {"petitions list",
       "BODY",
       "the body's petitions the caller may see (--status=accepted ...)",
       1,
       {"status"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionList(s, a[0], o, e);
       }},
      {"petitions get",
       "PETITION",
       "one petition",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionGet(s, a[0], o, e);
       }},
      {"petitions accept",
       "PETITION",
       "accept a received petition (officers)",
       1,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionDecide(s, a[0], "accept", o, e);
       }},
      {"petitions reject",
       "PETITION",
       "reject a received petition with --reason (officers)",
       1,
       {"reason", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionDecide(s, a[0], "reject", o, e);
       }},
      {"petitions respond",
       "PETITION",
       "record the body's --response (--responded-by) to an accepted petition (officers)",
       1,
       {"response", "responded-by", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PetitionDecide(s, a[0], "respond", o, e);
       }},
      {"questions none",
       "MEETING",
       "record that no questions were received for the meeting",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return None(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
