#include "services/scheduling/question_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Partner(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "apikey:partner", .roles = {auth::Role::kPartner}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

// A civil time in Europe/London.
absl::Time London(int y, int m, int d, int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), time::London());
}

constexpr char kPanelMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";
constexpr char kBoardMeeting[] = "tenants/wm/bodies/spcb/meetings/2023-02-28";

struct OutboxEvent {
  std::string type;
  bool is_public;
  events::v1::Event event;
};

class QuestionLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<QuestionLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    // Created before the meetings' deadlines.
    clock_.Set(London(2023, 1, 2, 9, 0));
    AddBody("pcp", v1::BODY_KIND_PANEL);
    AddBody("spcb", v1::BODY_KIND_BOARD);
    AddMeeting("pcp", "2023-11-13", London(2023, 11, 13, 14, 0));
    AddMeeting("spcb", "2023-02-28", London(2023, 2, 28, 10, 0));
  }

  void AddBody(const std::string& id, v1::BodyKind kind) {
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id(id);
    body.mutable_body()->set_display_name(id);
    body.mutable_body()->set_kind(kind);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  }

  void AddMeeting(const std::string& body, const std::string& id, absl::Time start) {
    v1::CreateMeetingRequest meeting;
    meeting.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    meeting.set_meeting_id(id);
    meeting.mutable_meeting()->set_title("Meeting");
    *meeting.mutable_meeting()->mutable_start_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
    ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  }

  static v1::PublicQuestion Question(const std::string& email = "asker@example.org") {
    v1::PublicQuestion q;
    q.set_text("What is the Commissioner doing about road safety?");
    q.mutable_asker()->set_display_name("Jo Public");
    q.mutable_asker()->set_email(email);
    q.mutable_asker()->set_lives_in_area(true);
    return q;
  }

  static v1::SubmitQuestionRequest Submit(const std::string& meeting,
                                          const v1::PublicQuestion& q = Question()) {
    v1::SubmitQuestionRequest request;
    request.set_parent(meeting);
    *request.mutable_question() = q;
    return request;
  }

  static v1::RecordQuestionRequest Record(const std::string& meeting, absl::Time received,
                                          const v1::PublicQuestion& q = Question()) {
    v1::RecordQuestionRequest request;
    request.set_parent(meeting);
    *request.mutable_question() = q;
    *request.mutable_received_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(received));
    return request;
  }

  // A RECEIVED question of the Panel meeting, submitted before its deadline.
  v1::PublicQuestion Received(const std::string& email = "asker@example.org") {
    clock_.Set(London(2023, 11, 1, 12, 0));
    auto q = logic_->SubmitQuestion(auth::Principal::Anonymous(),
                                    Submit(kPanelMeeting, Question(email)));
    EXPECT_TRUE(q.ok()) << q.status();
    return q.ok() ? *q : v1::PublicQuestion();
  }

  v1::PublicQuestion Accepted(const std::string& email = "asker@example.org") {
    v1::AcceptQuestionRequest accept;
    accept.set_name(Received(email).name());
    auto q = logic_->AcceptQuestion(Officer(), accept);
    EXPECT_TRUE(q.ok()) << q.status();
    return q.ok() ? *q : v1::PublicQuestion();
  }

  std::vector<OutboxEvent> Events() {
    std::vector<OutboxEvent> out;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type, payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       OutboxEvent e;
                       e.type = row.String(0);
                       auto bytes = row.GetBytes(1);
                       EXPECT_TRUE(bytes.ok() && e.event.ParseFromString(*bytes));
                       e.is_public = e.event.public_();
                       out.push_back(std::move(e));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  std::vector<OutboxEvent> EventsOf(absl::string_view prefix) {
    std::vector<OutboxEvent> out;
    for (auto& e : Events()) {
      if (absl::StartsWith(e.type, prefix)) {
        out.push_back(std::move(e));
      }
    }
    return out;
  }

  int64_t StoredQuestions() {
    int64_t n = -1;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT COUNT(*) FROM public_questions");
                     if (!r.ok()) {
                       return r.status();
                     }
                     n = r->rows[0].Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_;
  ids::SequentialIdGenerator ids_{"q"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<QuestionLogic> logic_;
};

// R-PQ-01 (Panel, 4 calendar days, by 23:59) and R-PQ-02 (Board, 7 working days), judged at
// the moment of receipt on the server clock; the worked examples of domain.md §3.2 and §7.9.
TEST_F(QuestionLogicTest, DeadlineIsCheckedAtReceiptOnTheServerClock) {
  struct Case {
    const char* what;
    const char* meeting;
    absl::Time now;
    bool accepted;
    const char* deadline_date;
    const char* deadline;
  };
  const Case cases[] = {
      {"panel, the day before the deadline", kPanelMeeting, London(2023, 11, 8, 12, 0), true,
       "2023-11-09", "2023-11-09T23:59:00Z"},
      {"panel, a minute before the cut-off", kPanelMeeting, London(2023, 11, 9, 23, 58), true,
       "2023-11-09", ""},
      {"panel, at the cut-off", kPanelMeeting, London(2023, 11, 9, 23, 59), true, "2023-11-09", ""},
      {"panel, 30 s after the cut-off", kPanelMeeting, London(2023, 11, 9, 23, 59, 30), false,
       "2023-11-09", "2023-11-09T23:59:00Z"},
      {"panel, Fri 10 Nov (3 days before, §7.9)", kPanelMeeting, London(2023, 11, 10, 10, 0), false,
       "2023-11-09", "2023-11-09T23:59:00Z"},
      {"board, Fri 17 Feb (the 7th working day)", kBoardMeeting, London(2023, 2, 17, 17, 0), true,
       "2023-02-17", ""},
      {"board, Mon 20 Feb (§7.9)", kBoardMeeting, London(2023, 2, 20, 9, 0), false, "2023-02-17",
       "2023-02-17T23:59:00Z"},
  };
  int n = 0;
  for (const Case& c : cases) {
    clock_.Set(c.now);
    v1::PublicQuestion q = Question(absl::StrCat("asker", ++n, "@example.org"));
    // A client-sent receive time is ignored: only the server clock counts.
    *q.mutable_receive_time() = TimeUtil::SecondsToTimestamp(0);
    const int64_t before = StoredQuestions();
    auto result = logic_->SubmitQuestion(auth::Principal::Anonymous(), Submit(c.meeting, q));
    if (c.accepted) {
      ASSERT_TRUE(result.ok()) << c.what << ": " << result.status();
      EXPECT_EQ(result->status(), v1::QUESTION_STATUS_RECEIVED) << c.what;
      EXPECT_EQ(absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(result->receive_time())),
                c.now)
          << c.what;
      EXPECT_EQ(StoredQuestions(), before + 1) << c.what;
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << c.what;
      EXPECT_EQ(Reason(result.status()), "QUESTION_DEADLINE_PASSED") << c.what;
      auto details = status::Details(result.status());
      EXPECT_EQ(details.metadata["deadline_date"], c.deadline_date) << c.what;
      EXPECT_EQ(details.metadata["deadline"], c.deadline) << c.what;
      EXPECT_EQ(StoredQuestions(), before) << c.what << ": a refused question is not stored";
    }
  }
}

// R-PQ-01/02: lives, works or studies in the area, and not a police officer or staff member.
TEST_F(QuestionLogicTest, EligibilityTable) {
  struct Case {
    const char* what;
    bool lives, works, studies, police;
    bool ok;
  };
  const Case cases[] = {
      {"lives", true, false, false, false, true},
      {"works", false, true, false, false, true},
      {"studies", false, false, true, false, true},
      {"none of the three", false, false, false, false, false},
      {"police officer or staff", true, true, false, true, false},
  };
  clock_.Set(London(2023, 11, 1, 12, 0));
  int n = 0;
  for (const Case& c : cases) {
    v1::PublicQuestion q = Question(absl::StrCat("e", ++n, "@example.org"));
    q.mutable_asker()->set_lives_in_area(c.lives);
    q.mutable_asker()->set_works_in_area(c.works);
    q.mutable_asker()->set_studies_in_area(c.studies);
    q.mutable_asker()->set_police_officer_or_staff(c.police);
    auto result = logic_->SubmitQuestion(auth::Principal::Anonymous(), Submit(kPanelMeeting, q));
    if (c.ok) {
      EXPECT_TRUE(result.ok()) << c.what << ": " << result.status();
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << c.what;
      EXPECT_EQ(Reason(result.status()), "QUESTION_ASKER_INELIGIBLE") << c.what;
    }
  }
}

TEST_F(QuestionLogicTest, BadInputNamesTheField) {
  clock_.Set(London(2023, 11, 1, 12, 0));
  struct Case {
    const char* what;
    std::function<void(v1::PublicQuestion&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"no text", [](v1::PublicQuestion& q) { q.set_text(""); }, "question.text"},
      {"blank text", [](v1::PublicQuestion& q) { q.set_text("   "); }, "question.text"},
      {"4001 characters", [](v1::PublicQuestion& q) { q.set_text(std::string(4001, 'a')); },
       "question.text"},
      {"invalid UTF-8", [](v1::PublicQuestion& q) { q.set_text("caf\xc3"); }, "question.text"},
      {"no name", [](v1::PublicQuestion& q) { q.mutable_asker()->clear_display_name(); },
       "question.asker.display_name"},
      {"no contact", [](v1::PublicQuestion& q) { q.mutable_asker()->clear_email(); },
       "question.asker.email"},
      {"not an e-mail", [](v1::PublicQuestion& q) { q.mutable_asker()->set_email("jo at home"); },
       "question.asker.email"},
  };
  for (const Case& c : cases) {
    v1::PublicQuestion q = Question();
    c.edit(q);
    auto result = logic_->SubmitQuestion(auth::Principal::Anonymous(), Submit(kPanelMeeting, q));
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(Field(result.status()), c.field) << c.what;
    // The error never quotes contact details.
    EXPECT_THAT(std::string(result.status().message()), ::testing::Not(::testing::HasSubstr("@")))
        << c.what;
  }
  v1::GetQuestionRequest get;
  get.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
  EXPECT_EQ(Field(logic_->GetQuestion(Officer(), get).status()), "name");
  EXPECT_EQ(
      Field(logic_->SubmitQuestion(auth::Principal::Anonymous(), Submit("tenants/wm/bodies/pcp"))
                .status()),
      "parent");
  // 4000 characters of two bytes each are allowed (characters, not bytes); a postal address
  // alone is a contact.
  v1::PublicQuestion long_text = Question("");
  std::string text;
  for (int i = 0; i < 4000; ++i) {
    text += "\xc3\xa9";
  }
  long_text.set_text(text);
  long_text.mutable_asker()->set_postal_address("1 High Street, Solihull, B91 3QB");
  EXPECT_TRUE(
      logic_->SubmitQuestion(auth::Principal::Anonymous(), Submit(kPanelMeeting, long_text)).ok());
}

TEST(NormalisedContactTest, EmailThenPostalAddress) {
  v1::QuestionAsker a;
  a.set_email("  Jo.Public@Example.ORG ");
  EXPECT_EQ(NormalisedContact(a), "email:jo.public@example.org");
  v1::QuestionAsker b;
  b.set_postal_address("1 High Street,\n Solihull  B91 3QB");
  v1::QuestionAsker c;
  c.set_postal_address("1 high street solihull b91 3qb");
  EXPECT_EQ(NormalisedContact(b), NormalisedContact(c));
  EXPECT_EQ(NormalisedContact(v1::QuestionAsker()), "");
}

// R-PQ-02: one question per person per meeting where the body says so (the Board by default);
// identity is the normalised contact.
TEST_F(QuestionLogicTest, OneQuestionPerPersonWhereTheBodySaysSo) {
  clock_.Set(London(2023, 2, 10, 12, 0));
  ASSERT_TRUE(logic_
                  ->SubmitQuestion(auth::Principal::Anonymous(),
                                   Submit(kBoardMeeting, Question("jo@example.org")))
                  .ok());
  auto second = logic_->SubmitQuestion(auth::Principal::Anonymous(),
                                       Submit(kBoardMeeting, Question(" JO@Example.org ")));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(second.status()), "QUESTION_LIMIT_REACHED");
  EXPECT_TRUE(logic_
                  ->SubmitQuestion(auth::Principal::Anonymous(),
                                   Submit(kBoardMeeting, Question("someone.else@example.org")))
                  .ok());
  // The Panel sets no limit (domain.md §2.9 "limit —").
  clock_.Set(London(2023, 11, 1, 12, 0));
  EXPECT_TRUE(logic_
                  ->SubmitQuestion(auth::Principal::Anonymous(),
                                   Submit(kPanelMeeting, Question("jo@example.org")))
                  .ok());
  EXPECT_TRUE(logic_
                  ->SubmitQuestion(auth::Principal::Anonymous(),
                                   Submit(kPanelMeeting, Question("jo@example.org")))
                  .ok());
}

// The officer path keeps what the public path refuses, as REJECTED with the reason.
TEST_F(QuestionLogicTest, RecordedQuestionsAreJudgedAtTheirReceivedTime) {
  clock_.Set(London(2023, 3, 1, 9, 0));
  struct Case {
    const char* what;
    absl::Time received;
    bool police;
    const char* email;
    v1::QuestionStatus status;
    v1::QuestionRejectionReason reason;
  };
  const Case cases[] = {
      {"in time", London(2023, 2, 16, 9, 0), false, "a@example.org", v1::QUESTION_STATUS_RECEIVED,
       v1::QUESTION_REJECTION_REASON_UNSPECIFIED},
      {"late (§7.9: 20 Feb for 28 Feb)", London(2023, 2, 20, 9, 0), false, "b@example.org",
       v1::QUESTION_STATUS_REJECTED, v1::QUESTION_REJECTION_REASON_LATE},
      {"ineligible", London(2023, 2, 16, 9, 0), true, "c@example.org", v1::QUESTION_STATUS_REJECTED,
       v1::QUESTION_REJECTION_REASON_INELIGIBLE},
      {"second from the same person", London(2023, 2, 16, 10, 0), false, "A@example.org",
       v1::QUESTION_STATUS_REJECTED, v1::QUESTION_REJECTION_REASON_DUPLICATE},
  };
  for (const Case& c : cases) {
    v1::PublicQuestion q = Question(c.email);
    q.mutable_asker()->set_police_officer_or_staff(c.police);
    auto result = logic_->RecordQuestion(Officer(), Record(kBoardMeeting, c.received, q));
    ASSERT_TRUE(result.ok()) << c.what << ": " << result.status();
    EXPECT_EQ(result->status(), c.status) << c.what;
    EXPECT_EQ(result->rejection_reason(), c.reason) << c.what;
    EXPECT_EQ(result->channel(), v1::QUESTION_CHANNEL_EMAIL) << c.what;
  }
  EXPECT_EQ(EventsOf("question.received").size(), 4u);
  // An officer may choose the id (data loaded from files names its questions).
  auto named = Record(kBoardMeeting, London(2023, 2, 16, 9, 0), Question("d@example.org"));
  named.set_question_id("kathryn-thomas");
  auto with_id = logic_->RecordQuestion(Officer(), named);
  ASSERT_TRUE(with_id.ok()) << with_id.status();
  EXPECT_EQ(with_id->name(), "tenants/wm/bodies/spcb/meetings/2023-02-28/questions/kathryn-thomas");
  EXPECT_EQ(logic_->RecordQuestion(Officer(), named).status().code(),
            absl::StatusCode::kAlreadyExists);
  named.set_question_id("Kathryn Thomas");
  EXPECT_EQ(Field(logic_->RecordQuestion(Officer(), named).status()), "question_id");
  EXPECT_EQ(EventsOf("question.rejected").size(), 3u);

  auto future = logic_->RecordQuestion(Officer(), Record(kBoardMeeting, London(2023, 3, 2, 9, 0)));
  EXPECT_EQ(Field(future.status()), "received_time");
  auto missing = Record(kBoardMeeting, London(2023, 2, 16, 9, 0));
  missing.clear_received_time();
  EXPECT_EQ(Field(logic_->RecordQuestion(Officer(), missing).status()), "received_time");
}

// The allowed transitions, every pair tested.
TEST(QuestionTransitionTest, Table) {
  using S = v1::QuestionStatus;
  const S all[] = {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_ACCEPTED,
                   v1::QUESTION_STATUS_REJECTED, v1::QUESTION_STATUS_REDIRECTED,
                   v1::QUESTION_STATUS_ANSWERED};
  const std::set<std::pair<S, S>> allowed = {
      {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_ACCEPTED},
      {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_REJECTED},
      {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_REDIRECTED},
      {v1::QUESTION_STATUS_ACCEPTED, v1::QUESTION_STATUS_ANSWERED},
      {v1::QUESTION_STATUS_ACCEPTED, v1::QUESTION_STATUS_REJECTED},
      {v1::QUESTION_STATUS_ACCEPTED, v1::QUESTION_STATUS_REDIRECTED},
  };
  for (S from : all) {
    for (S to : all) {
      EXPECT_EQ(QuestionTransitionAllowed(from, to), allowed.count({from, to}) == 1)
          << v1::QuestionStatus_Name(from) << " -> " << v1::QuestionStatus_Name(to);
    }
  }
}

TEST_F(QuestionLogicTest, TransitionsFollowTheTable) {
  v1::PublicQuestion q = Received();
  v1::AnswerQuestionRequest answer;
  answer.set_name(q.name());
  answer.set_answer("The Commissioner funds the Safer Roads Partnership.");
  auto early = logic_->AnswerQuestion(Officer(), answer);
  EXPECT_EQ(Reason(early.status()), "QUESTION_TRANSITION_NOT_ALLOWED");

  v1::AcceptQuestionRequest accept;
  accept.set_name(q.name());
  accept.set_etag("99");
  EXPECT_EQ(Reason(logic_->AcceptQuestion(Officer(), accept).status()), "ETAG_MISMATCH");
  accept.set_etag(q.etag());
  auto accepted = logic_->AcceptQuestion(Officer(), accept);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->status(), v1::QUESTION_STATUS_ACCEPTED);
  EXPECT_NE(accepted->etag(), q.etag());
  accept.clear_etag();
  EXPECT_EQ(Reason(logic_->AcceptQuestion(Officer(), accept).status()),
            "QUESTION_TRANSITION_NOT_ALLOWED");

  // R-PQ-04: answered, read out on the asker's behalf.
  answer.set_answered_by("Simon Foster, Police and Crime Commissioner");
  answer.set_read_out_by("the Chair");
  answer.set_request_id("answer-1");
  auto answered = logic_->AnswerQuestion(Officer(), answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->status(), v1::QUESTION_STATUS_ANSWERED);
  EXPECT_EQ(answered->read_out_by(), "the Chair");
  // A retry with the same request_id returns the first result.
  auto again = logic_->AnswerQuestion(Officer(), answer);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), answered->etag());

  v1::RejectQuestionRequest reject;
  reject.set_name(q.name());
  reject.set_reason(v1::QUESTION_REJECTION_REASON_LATE);
  EXPECT_EQ(Reason(logic_->RejectQuestion(Officer(), reject).status()),
            "QUESTION_TRANSITION_NOT_ALLOWED");
}

TEST_F(QuestionLogicTest, RejectNeedsAReasonAndOutOfScopeATest) {
  v1::PublicQuestion q = Received();
  v1::RejectQuestionRequest reject;
  reject.set_name(q.name());
  EXPECT_EQ(Field(logic_->RejectQuestion(Officer(), reject).status()), "reason");
  reject.set_reason(v1::QUESTION_REJECTION_REASON_OUT_OF_SCOPE);
  EXPECT_EQ(Field(logic_->RejectQuestion(Officer(), reject).status()), "detail");
  reject.set_detail("Operational policing is for the Chief Constable (R-KD-06).");
  auto rejected = logic_->RejectQuestion(Officer(), reject);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->status(), v1::QUESTION_STATUS_REJECTED);
  EXPECT_EQ(rejected->rejection_reason(), v1::QUESTION_REJECTION_REASON_OUT_OF_SCOPE);
  auto events = EventsOf("question.rejected");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].is_public);
}

// The public sees accepted and answered questions only, and of them only the public fields;
// members see every question without contact details; officers see everything.
TEST_F(QuestionLogicTest, WhoSeesWhat) {
  v1::PublicQuestion accepted = Accepted("accepted@example.org");
  v1::PublicQuestion received = Received("received@example.org");

  v1::ListQuestionsRequest list;
  list.set_parent(kPanelMeeting);
  for (const auth::Principal& p :
       {auth::Principal::Anonymous(), Partner(),
        auth::Principal{
            .tenant = "wm", .subject = "user:admin", .roles = {auth::Role::kTenantAdmin}}}) {
    auto page = logic_->ListQuestions(p, list);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->questions_size(), 1) << p.DebugString();
    const v1::PublicQuestion& q = page->questions(0);
    EXPECT_EQ(q.name(), accepted.name());
    EXPECT_EQ(q.asker().display_name(), "Jo Public");
    EXPECT_EQ(q.asker().email(), "");
    EXPECT_FALSE(q.asker().lives_in_area());
    EXPECT_EQ(q.text(), accepted.text());
    v1::GetQuestionRequest get;
    get.set_name(received.name());
    EXPECT_EQ(logic_->GetQuestion(p, get).status().code(), absl::StatusCode::kNotFound);
  }
  auto members = logic_->ListQuestions(Member(), list);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->questions_size(), 2);
  for (const auto& q : members->questions()) {
    EXPECT_EQ(q.asker().email(), "");
    EXPECT_TRUE(q.asker().lives_in_area());
  }
  auto officers = logic_->ListQuestions(Officer(), list);
  ASSERT_TRUE(officers.ok());
  ASSERT_EQ(officers->questions_size(), 2);
  EXPECT_EQ(officers->questions(0).asker().email(), "accepted@example.org");

  list.set_status(v1::QUESTION_STATUS_RECEIVED);
  auto none = logic_->ListQuestions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->questions_size(), 0);
}

TEST_F(QuestionLogicTest, ListPagesAndBindsTheToken) {
  for (int i = 0; i < 3; ++i) {
    Accepted(absl::StrCat("p", i, "@example.org"));
    clock_.Advance(absl::Minutes(1));
  }
  v1::ListQuestionsRequest list;
  list.set_parent(kPanelMeeting);
  list.set_page_size(2);
  auto first = logic_->ListQuestions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->questions_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  auto second = logic_->ListQuestions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->questions_size(), 1);
  EXPECT_TRUE(second->next_page_token().empty());
  // The token was issued for the anonymous view: an officer cannot reuse it.
  EXPECT_EQ(Field(logic_->ListQuestions(Officer(), list).status()), "page_token");
  list.set_page_size(5000);
  EXPECT_EQ(Field(logic_->ListQuestions(Officer(), list).status()), "page_size");
}

// question.received is private and never carries contact details; accepted and answered are
// public with the public view only.
TEST_F(QuestionLogicTest, EventsCarryNoContactDetails) {
  v1::PublicQuestion q = Accepted("private@example.org");
  v1::AnswerQuestionRequest answer;
  answer.set_name(q.name());
  answer.set_answer("Answered.");
  ASSERT_TRUE(logic_->AnswerQuestion(Officer(), answer).ok());
  auto events = EventsOf("question.");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "question.received");
  EXPECT_FALSE(events[0].is_public);
  EXPECT_EQ(events[1].type, "question.accepted");
  EXPECT_TRUE(events[1].is_public);
  EXPECT_EQ(events[2].type, "question.answered");
  EXPECT_TRUE(events[2].is_public);
  for (const auto& e : events) {
    EXPECT_EQ(e.event.subject(), q.name());
    EXPECT_THAT(e.event.payload().value(), ::testing::Not(::testing::HasSubstr("private@")));
    v1::QuestionChanged payload;
    ASSERT_TRUE(e.event.payload().UnpackTo(&payload));
    EXPECT_EQ(payload.meeting(), kPanelMeeting);
  }
  v1::QuestionChanged accepted;
  ASSERT_TRUE(events[1].event.payload().UnpackTo(&accepted));
  EXPECT_EQ(accepted.previous_status(), v1::QUESTION_STATUS_RECEIVED);
  EXPECT_FALSE(accepted.question().asker().lives_in_area());
}

// R-PQ-03, §9 item 10: within the tenant the record names the receiving body; another tenant
// receives a referral event instead of a shared record.
TEST_F(QuestionLogicTest, RedirectWithinTheTenantAndAsAReferral) {
  v1::PublicQuestion q = Received("referred@example.org");
  v1::RedirectQuestionRequest redirect;
  redirect.set_name(q.name());
  redirect.set_target_body("tenants/wm/bodies/pcp");
  EXPECT_EQ(Field(logic_->RedirectQuestion(Officer(), redirect).status()), "target_body");
  redirect.set_target_body("tenants/wm/bodies/nope");
  EXPECT_EQ(logic_->RedirectQuestion(Officer(), redirect).status().code(),
            absl::StatusCode::kNotFound);
  redirect.set_target_body("wm/bodies/spcb");
  EXPECT_EQ(Field(logic_->RedirectQuestion(Officer(), redirect).status()), "target_body");
  redirect.set_target_body("tenants/wm/bodies/spcb");
  auto moved = logic_->RedirectQuestion(Officer(), redirect);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->status(), v1::QUESTION_STATUS_REDIRECTED);
  EXPECT_EQ(moved->redirected_to(), "tenants/wm/bodies/spcb");
  EXPECT_TRUE(EventsOf("question.referral").empty());

  v1::PublicQuestion other = Received("other@example.org");
  redirect.set_name(other.name());
  redirect.set_target_body("tenants/staffs/bodies/pcp");
  redirect.set_note("About Staffordshire's precept.");
  auto referred = logic_->RedirectQuestion(Officer(), redirect);
  ASSERT_TRUE(referred.ok()) << referred.status();
  auto referrals = EventsOf("question.referral");
  ASSERT_EQ(referrals.size(), 1u);
  EXPECT_EQ(referrals[0].event.tenant(), "staffs");
  EXPECT_FALSE(referrals[0].is_public);
  v1::QuestionReferral referral;
  ASSERT_TRUE(referrals[0].event.payload().UnpackTo(&referral));
  EXPECT_EQ(referral.question(), other.name());
  EXPECT_EQ(referral.text(), other.text());
  EXPECT_EQ(referral.note(), "About Staffordshire's precept.");
  EXPECT_THAT(referrals[0].event.payload().value(),
              ::testing::Not(::testing::HasSubstr("other@example.org")));
  auto redirected = EventsOf("question.redirected");
  ASSERT_EQ(redirected.size(), 2u);
  EXPECT_FALSE(redirected[1].is_public);
}

// R-PQ-07: "There are no questions from members of the public."
TEST_F(QuestionLogicTest, NoQuestionsReceivedIsRecorded) {
  v1::MarkNoQuestionsRequest mark;
  mark.set_name(kBoardMeeting);
  auto record = logic_->MarkNoQuestions(Officer(), mark);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->meeting(), kBoardMeeting);
  auto again = logic_->MarkNoQuestions(Officer(), mark);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(EventsOf("question_time.no_questions").size(), 1u);
  EXPECT_TRUE(EventsOf("question_time.no_questions")[0].is_public);

  v1::ListQuestionsRequest list;
  list.set_parent(kBoardMeeting);
  auto page = logic_->ListQuestions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->no_questions_received());

  // A question recorded afterwards clears the flag; then the meeting cannot be marked again.
  clock_.Set(London(2023, 2, 2, 9, 0));
  ASSERT_TRUE(
      logic_->RecordQuestion(Officer(), Record(kBoardMeeting, London(2023, 2, 1, 9, 0))).ok());
  page = logic_->ListQuestions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->no_questions_received());
  EXPECT_EQ(Reason(logic_->MarkNoQuestions(Officer(), mark).status()), "QUESTIONS_RECEIVED");
  mark.set_name("tenants/wm/bodies/spcb/meetings/nope");
  EXPECT_EQ(logic_->MarkNoQuestions(Officer(), mark).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(QuestionLogicTest, SubmitIsIdempotentWithARequestId) {
  clock_.Set(London(2023, 11, 1, 12, 0));
  auto request = Submit(kPanelMeeting);
  request.set_request_id("web-form-1");
  auto first = logic_->SubmitQuestion(auth::Principal::Anonymous(), request);
  auto second = logic_->SubmitQuestion(auth::Principal::Anonymous(), request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(StoredQuestions(), 1);
  EXPECT_EQ(first->asker().email(), "asker@example.org");
}

TEST_F(QuestionLogicTest, UnknownOrDraftMeetingIsNotFound) {
  clock_.Set(London(2023, 11, 1, 12, 0));
  EXPECT_EQ(logic_
                ->SubmitQuestion(auth::Principal::Anonymous(),
                                 Submit("tenants/wm/bodies/pcp/meetings/nope"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// Every RPC: a caller of another tenant is denied before any lookup, and a caller without the
// role is refused.
TEST_F(QuestionLogicTest, EveryRpcChecksTenantAndRole) {
  v1::PublicQuestion q = Received();
  const std::string name = q.name();
  using Call = std::function<absl::Status(const auth::Principal&)>;
  struct Rpc {
    const char* what;
    Call call;
    bool officer_only;
  };
  const std::vector<Rpc> rpcs = {
      {"SubmitQuestion",
       [&](const auth::Principal& p) {
         return logic_->SubmitQuestion(p, Submit(kPanelMeeting, Question("x@example.org")))
             .status();
       },
       false},
      {"RecordQuestion",
       [&](const auth::Principal& p) {
         return logic_->RecordQuestion(p, Record(kPanelMeeting, London(2023, 11, 1, 9, 0)))
             .status();
       },
       true},
      {"GetQuestion",
       [&](const auth::Principal& p) {
         v1::GetQuestionRequest r;
         r.set_name(name);
         return logic_->GetQuestion(p, r).status();
       },
       false},
      {"ListQuestions",
       [&](const auth::Principal& p) {
         v1::ListQuestionsRequest r;
         r.set_parent(kPanelMeeting);
         return logic_->ListQuestions(p, r).status();
       },
       false},
      {"AcceptQuestion",
       [&](const auth::Principal& p) {
         v1::AcceptQuestionRequest r;
         r.set_name(name);
         return logic_->AcceptQuestion(p, r).status();
       },
       true},
      {"RejectQuestion",
       [&](const auth::Principal& p) {
         v1::RejectQuestionRequest r;
         r.set_name(name);
         r.set_reason(v1::QUESTION_REJECTION_REASON_LATE);
         return logic_->RejectQuestion(p, r).status();
       },
       true},
      {"RedirectQuestion",
       [&](const auth::Principal& p) {
         v1::RedirectQuestionRequest r;
         r.set_name(name);
         r.set_target_body("tenants/wm/bodies/spcb");
         return logic_->RedirectQuestion(p, r).status();
       },
       true},
      {"AnswerQuestion",
       [&](const auth::Principal& p) {
         v1::AnswerQuestionRequest r;
         r.set_name(name);
         r.set_answer("x");
         return logic_->AnswerQuestion(p, r).status();
       },
       true},
      {"MarkNoQuestions",
       [&](const auth::Principal& p) {
         v1::MarkNoQuestionsRequest r;
         r.set_name(kPanelMeeting);
         return logic_->MarkNoQuestions(p, r).status();
       },
       true},
  };
  for (const Rpc& rpc : rpcs) {
    absl::Status other = rpc.call(Officer("north-shire"));
    EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied) << rpc.what;
    EXPECT_EQ(Reason(other), "TENANT_MISMATCH") << rpc.what;
    if (rpc.officer_only) {
      EXPECT_EQ(Reason(rpc.call(Member())), "ROLE_NOT_ALLOWED") << rpc.what;
      EXPECT_EQ(Reason(rpc.call(Partner())), "ROLE_NOT_ALLOWED") << rpc.what;
      EXPECT_EQ(rpc.call(auth::Principal::Anonymous()).code(), absl::StatusCode::kUnauthenticated)
          << rpc.what;
    } else {
      // Public methods: every role of the tenant, and anonymous callers, get an answer.
      EXPECT_NE(rpc.call(Partner()).code(), absl::StatusCode::kPermissionDenied) << rpc.what;
    }
  }
  // Nothing above changed the question.
  v1::GetQuestionRequest get;
  get.set_name(name);
  auto after = logic_->GetQuestion(Officer(), get);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status(), v1::QUESTION_STATUS_RECEIVED);
}

// A draft meeting's questions are as invisible as the meeting: only officers, tenant admins and the
// body's own members (body_access.h) list them; a member of another body gets NOT_FOUND.
TEST_F(QuestionLogicTest, DraftMeetingQuestionsOnlyForThoseWhoMaySeeTheDraft) {
  PeopleLogic people(*db_, outbox_, clock_, ids_, tokens_);
  ASSERT_TRUE(people.Migrate().ok());
  for (const auto& [person, body] : std::vector<std::pair<std::string, std::string>>{
           {"panel-member", "pcp"}, {"board-member", "spcb"}}) {
    v1::CreatePersonRequest create;
    create.set_parent("tenants/wm");
    create.set_person_id(person);
    create.mutable_person()->set_display_name(person);
    create.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    create.mutable_person()->set_user_subject(absl::StrCat("user:", person));
    ASSERT_TRUE(people.CreatePerson(Officer(), create).ok());
    v1::CreateMembershipRequest seat;
    seat.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    seat.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", person));
    seat.mutable_membership()->set_start_date("2022-05-01");
    ASSERT_TRUE(people.CreateMembership(Officer(), seat).ok());
  }
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("draft");
  meeting.mutable_meeting()->set_title("Meeting");
  meeting.mutable_meeting()->set_status(v1::MEETING_STATUS_DRAFT);
  *meeting.mutable_meeting()->mutable_start_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(London(2023, 12, 11, 14, 0)));
  ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());

  auto member_as = [](const std::string& subject) {
    return auth::Principal{.tenant = "wm", .subject = subject, .roles = {auth::Role::kMember}};
  };
  struct Case {
    std::string label;
    auth::Principal principal;
    bool visible;
  };
  const std::vector<Case> cases = {
      {"Officer", Officer(), true},
      {"MemberOfTheBody", member_as("user:panel-member"), true},
      {"MemberOfAnotherBody", member_as("user:board-member"), false},
      {"MemberWithoutLinkedPerson", Member(), false},
      {"Anonymous", auth::Principal::Anonymous(), false},
  };
  for (const Case& c : cases) {
    v1::ListQuestionsRequest list;
    list.set_parent("tenants/wm/bodies/pcp/meetings/draft");
    auto listed = logic_->ListQuestions(c.principal, list);
    if (c.visible) {
      EXPECT_TRUE(listed.ok()) << c.label << ": " << listed.status();
    } else {
      EXPECT_EQ(listed.status().code(), absl::StatusCode::kNotFound) << c.label;
    }
  }
}

// R-PQ-05: the outcome minuted for a question ("received and noted") and the resolutions and
// actions it led to; names of the same tenant only.
TEST_F(QuestionLogicTest, RecordQuestionOutcomeValidatesNames) {
  struct Case {
    std::string outcome;
    std::vector<std::string> resolutions;
    std::vector<std::string> actions;
    std::string field;  // Empty: accepted.
  };
  const std::string res = "tenants/wm/bodies/pcp/minutes/2023-11-13/resolutions/751";
  const std::string act = "tenants/wm/actions/a-17";
  const std::vector<Case> cases = {
      {"received and noted", {res}, {act}, ""},
      {"received and noted", {}, {}, ""},
      {"", {res}, {}, ""},
      {"", {}, {act}, ""},
      {"", {"tenants/wm/bodies/pcp/meetings/2023-09-11/minutes/entries/751"}, {}, ""},
      {"", {}, {}, "outcome"},
      {"  ", {}, {}, "outcome"},
      {std::string(1001, 'o'), {}, {}, "outcome"},
      {"", {"tenants/other/actions/a-1"}, {}, "resolutions"},
      {"", {"tenants/wm"}, {}, "resolutions"},
      {"", {"tenants/wm/actions"}, {}, "resolutions"},
      {"", {"tenants/wm/actions/"}, {}, "resolutions"},
      {"", {"tenants/wm/actions/a 1"}, {}, "resolutions"},
      {"", {"resolutions/751"}, {}, "resolutions"},
      {"", {}, {"tenants/wmx/actions/a-1"}, "actions"},
      {"", {}, {absl::StrCat("tenants/wm/actions/", std::string(500, 'a'))}, "actions"},
      {"", std::vector<std::string>(21, res), {}, "resolutions"},
  };
  const v1::PublicQuestion q = Accepted();
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(n++);
    v1::RecordQuestionOutcomeRequest request;
    request.set_name(q.name());
    request.set_outcome(c.outcome);
    for (const auto& r : c.resolutions) {
      request.add_resolutions(r);
    }
    for (const auto& a : c.actions) {
      request.add_actions(a);
    }
    auto result = logic_->RecordQuestionOutcome(Officer(), request);
    if (c.field.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->outcome(), c.outcome);
      EXPECT_EQ(result->resolutions_size(), static_cast<int>(c.resolutions.size()));
      EXPECT_EQ(result->status(), v1::QUESTION_STATUS_ACCEPTED);  // The status stays.
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(result.status()), c.field);
    }
  }
}

TEST_F(QuestionLogicTest, RecordQuestionOutcomeStatusAccessAndVisibility) {
  const std::string res = "tenants/wm/bodies/pcp/minutes/2023-11-13/resolutions/751";
  auto outcome = [&](const std::string& name, const auth::Principal& who = Officer()) {
    v1::RecordQuestionOutcomeRequest request;
    request.set_name(name);
    request.set_outcome("received and noted");
    request.add_resolutions(res);
    request.add_actions("tenants/wm/actions/a-17");
    return logic_->RecordQuestionOutcome(who, request);
  };
  // Only an accepted or answered question has an outcome.
  const v1::PublicQuestion received = Received("r@example.org");
  EXPECT_EQ(Reason(outcome(received.name()).status()), "QUESTION_OUTCOME_NOT_ALLOWED");
  const v1::PublicQuestion accepted = Accepted("a@example.org");
  // Wrong tenant, wrong role.
  EXPECT_EQ(Reason(outcome(accepted.name(), Officer("other")).status()), "TENANT_MISMATCH");
  EXPECT_EQ(outcome(accepted.name(), Member()).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto recorded = outcome(accepted.name());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  // The public sees it with the question, and the event is public without contact details.
  v1::GetQuestionRequest get;
  get.set_name(accepted.name());
  auto seen = logic_->GetQuestion(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->outcome(), "received and noted");
  ASSERT_EQ(seen->resolutions_size(), 1);
  EXPECT_EQ(seen->resolutions(0), res);
  EXPECT_EQ(seen->actions(0), "tenants/wm/actions/a-17");
  auto events = EventsOf("question.outcome_recorded");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].is_public);
  v1::QuestionChanged payload;
  ASSERT_TRUE(events[0].event.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.question().resolutions(0), res);
  EXPECT_EQ(payload.question().asker().email(), "");
  // Once rejected the question, and so its outcome, is no longer public; no new outcome.
  v1::RejectQuestionRequest reject;
  reject.set_name(accepted.name());
  reject.set_reason(v1::QUESTION_REJECTION_REASON_INELIGIBLE);
  ASSERT_TRUE(logic_->RejectQuestion(Officer(), reject).ok());
  EXPECT_EQ(logic_->GetQuestion(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Reason(outcome(accepted.name()).status()), "QUESTION_OUTCOME_NOT_ALLOWED");
}

}  // namespace
}  // namespace moot::scheduling
