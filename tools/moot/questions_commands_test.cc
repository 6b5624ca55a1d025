// `moot questions ...` and `moot workprogramme ...` against in-process fake services.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/petitions.grpc.pb.h"
#include "moot/scheduling/v1/questions.grpc.pb.h"
#include "moot/scheduling/v1/work_programme.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";
constexpr char kQuestion[] = "tenants/wm/bodies/pcp/meetings/2023-09-11/questions/q1";

class FakeQuestions final : public sched::QuestionService::Service {
 public:
  sched::SubmitQuestionRequest submitted;
  sched::RecordQuestionRequest recorded;
  sched::ListQuestionsRequest listed;
  sched::RejectQuestionRequest rejected;
  sched::RedirectQuestionRequest redirected;
  sched::AnswerQuestionRequest answered;

  grpc::Status SubmitQuestion(grpc::ServerContext*, const sched::SubmitQuestionRequest* request,
                              sched::PublicQuestion* response) override {
    submitted = *request;
    if (request->question().asker().police_officer_or_staff()) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "ineligible");
    }
    *response = request->question();
    response->set_name(kQuestion);
    response->set_status(sched::QUESTION_STATUS_RECEIVED);
    return grpc::Status::OK;
  }
  grpc::Status RecordQuestion(grpc::ServerContext*, const sched::RecordQuestionRequest* request,
                              sched::PublicQuestion* response) override {
    recorded = *request;
    *response = request->question();
    response->set_name(kQuestion);
    response->set_status(sched::QUESTION_STATUS_REJECTED);
    response->set_rejection_reason(sched::QUESTION_REJECTION_REASON_LATE);
    response->set_rejection_detail("received after the deadline");
    return grpc::Status::OK;
  }
  grpc::Status ListQuestions(grpc::ServerContext*, const sched::ListQuestionsRequest* request,
                             sched::ListQuestionsResponse* response) override {
    listed = *request;
    auto* q = response->add_questions();
    q->set_name(kQuestion);
    q->set_status(sched::QUESTION_STATUS_ANSWERED);
    q->set_text("Kathryn Thomas's question on PCSO numbers");
    q->mutable_asker()->set_display_name("Councillor Kathryn Thomas");
    response->set_next_page_token("next");
    return grpc::Status::OK;
  }
  grpc::Status AcceptQuestion(grpc::ServerContext*, const sched::AcceptQuestionRequest* request,
                              sched::PublicQuestion* response) override {
    if (request->etag() == "stale") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "etag");
    }
    response->set_name(request->name());
    response->set_status(sched::QUESTION_STATUS_ACCEPTED);
    return grpc::Status::OK;
  }
  grpc::Status RejectQuestion(grpc::ServerContext*, const sched::RejectQuestionRequest* request,
                              sched::PublicQuestion* response) override {
    rejected = *request;
    response->set_name(request->name());
    response->set_status(sched::QUESTION_STATUS_REJECTED);
    response->set_rejection_reason(request->reason());
    return grpc::Status::OK;
  }
  grpc::Status RedirectQuestion(grpc::ServerContext*, const sched::RedirectQuestionRequest* request,
                                sched::PublicQuestion* response) override {
    redirected = *request;
    response->set_name(request->name());
    response->set_status(sched::QUESTION_STATUS_REDIRECTED);
    response->set_redirected_to(request->target_body());
    return grpc::Status::OK;
  }
  grpc::Status AnswerQuestion(grpc::ServerContext*, const sched::AnswerQuestionRequest* request,
                              sched::PublicQuestion* response) override {
    answered = *request;
    response->set_name(request->name());
    response->set_status(sched::QUESTION_STATUS_ANSWERED);
    response->set_answer(request->answer());
    response->set_read_out_by(request->read_out_by());
    return grpc::Status::OK;
  }
  sched::RecordQuestionOutcomeRequest outcome;
  grpc::Status RecordQuestionOutcome(grpc::ServerContext*,
                                     const sched::RecordQuestionOutcomeRequest* request,
                                     sched::PublicQuestion* response) override {
    outcome = *request;
    response->set_name(request->name());
    response->set_status(sched::QUESTION_STATUS_ANSWERED);
    response->set_outcome(request->outcome());
    *response->mutable_resolutions() = request->resolutions();
    *response->mutable_actions() = request->actions();
    return grpc::Status::OK;
  }
  grpc::Status MarkNoQuestions(grpc::ServerContext*, const sched::MarkNoQuestionsRequest* request,
                               sched::NoQuestionsRecord* response) override {
    response->set_meeting(request->name());
    return grpc::Status::OK;
  }
};

class FakePetitions final : public sched::PetitionService::Service {
 public:
  sched::SubmitPetitionRequest submitted;
  sched::RejectPetitionRequest rejected;
  sched::RespondToPetitionRequest responded;
  grpc::Status SubmitPetition(grpc::ServerContext*, const sched::SubmitPetitionRequest* request,
                              sched::Petition* response) override {
    submitted = *request;
    *response = request->petition();
    response->set_name(request->parent() + "/petitions/p1");
    response->set_status(sched::PETITION_STATUS_RECEIVED);
    return grpc::Status::OK;
  }
  grpc::Status ListPetitions(grpc::ServerContext*, const sched::ListPetitionsRequest* request,
                             sched::ListPetitionsResponse* response) override {
    auto* p = response->add_petitions();
    p->set_name(request->parent() + "/petitions/p1");
    p->set_status(sched::PETITION_STATUS_ACCEPTED);
    p->set_signature_count(1250);
    p->set_title("More neighbourhood officers");
    return grpc::Status::OK;
  }
  grpc::Status RejectPetition(grpc::ServerContext*, const sched::RejectPetitionRequest* request,
                              sched::Petition* response) override {
    rejected = *request;
    response->set_name(request->name());
    response->set_status(sched::PETITION_STATUS_REJECTED);
    response->set_rejection_reason(request->reason());
    return grpc::Status::OK;
  }
  grpc::Status RespondToPetition(grpc::ServerContext*,
                                 const sched::RespondToPetitionRequest* request,
                                 sched::Petition* response) override {
    responded = *request;
    response->set_name(request->name());
    response->set_status(sched::PETITION_STATUS_RESPONDED);
    response->set_response(request->response());
    return grpc::Status::OK;
  }
};

class FakeWorkProgramme final : public sched::WorkProgrammeService::Service {
 public:
  sched::ListWorkProgrammeItemsRequest listed;
  sched::CreateWorkProgrammeItemRequest created;
  sched::UpdateWorkProgrammeItemRequest updated;
  sched::SeedStatutoryItemsRequest seeded;

  grpc::Status ListWorkProgrammeItems(grpc::ServerContext*,
                                      const sched::ListWorkProgrammeItemsRequest* request,
                                      sched::ListWorkProgrammeItemsResponse* response) override {
    listed = *request;
    auto* item = response->add_items();
    item->set_name("tenants/wm/bodies/pcp/workProgrammeItems/statutory-2023-24-precept");
    item->set_topic("PCC Proposed Policing Precept for 2024/25 and PCC budget");
    item->set_target_meeting("tenants/wm/bodies/pcp/meetings/2024-02-05");
    item->set_status(sched::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
    item->set_statutory(true);
    item = response->add_items();
    item->set_name("tenants/wm/bodies/pcp/workProgrammeItems/menu-1");
    item->set_topic("Youth violence");
    item->set_status(sched::WORK_PROGRAMME_ITEM_STATUS_PLANNED);
    return grpc::Status::OK;
  }
  grpc::Status CreateWorkProgrammeItem(grpc::ServerContext*,
                                       const sched::CreateWorkProgrammeItemRequest* request,
                                       sched::WorkProgrammeItem* response) override {
    created = *request;
    *response = request->item();
    response->set_name("tenants/wm/bodies/pcp/workProgrammeItems/road-safety");
    return grpc::Status::OK;
  }
  grpc::Status UpdateWorkProgrammeItem(grpc::ServerContext*,
                                       const sched::UpdateWorkProgrammeItemRequest* request,
                                       sched::WorkProgrammeItem* response) override {
    updated = *request;
    *response = request->item();
    return grpc::Status::OK;
  }
  grpc::Status SeedStatutoryItems(grpc::ServerContext*,
                                  const sched::SeedStatutoryItemsRequest* request,
                                  sched::SeedStatutoryItemsResponse* response) override {
    seeded = *request;
    if (request->municipal_year() == "2023/25") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "municipal_year");
    }
    auto* item = response->add_created();
    item->set_name("tenants/wm/bodies/pcp/workProgrammeItems/statutory-2023-24-complaints");
    item->set_topic("Complaints received by the Panel");
    item->set_planned_month("2024-03");
    response->add_existing("tenants/wm/bodies/pcp/workProgrammeItems/statutory-2023-24-precept");
    return grpc::Status::OK;
  }
};

class QuestionsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&questions_);
    builder.RegisterService(&work_programme_);
    builder.RegisterService(&petitions_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  int RunArgs(const std::vector<std::string>& argv, std::string* out) {
    Options options;
    std::ostringstream parse_err;
    if (!ParseArgs(argv, {{"MOOT_ADDR", "127.0.0.1:" + std::to_string(port_)}}, &options,
                   parse_err)) {
      *out = parse_err.str();
      return kUsage;
    }
    std::ostringstream o;
    std::ostringstream e;
    int code = cli::Run(options, o, e);
    *out = o.str() + e.str();
    return code;
  }

  FakeQuestions questions_;
  FakePetitions petitions_;
  FakeWorkProgramme work_programme_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(QuestionsCommandsTest, SubmitSendsTheAskerAndEligibility) {
  std::string out;
  ASSERT_EQ(RunArgs({"questions", "submit", kMeeting, "--text=How many PCSOs?", "--asker=Jo Public",
                     "--email=jo@example.org", "--in-area=lives,studies", "--request-id=form-1"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(questions_.submitted.parent(), kMeeting);
  EXPECT_EQ(questions_.submitted.question().text(), "How many PCSOs?");
  EXPECT_EQ(questions_.submitted.question().asker().email(), "jo@example.org");
  EXPECT_TRUE(questions_.submitted.question().asker().lives_in_area());
  EXPECT_FALSE(questions_.submitted.question().asker().works_in_area());
  EXPECT_TRUE(questions_.submitted.question().asker().studies_in_area());
  EXPECT_EQ(questions_.submitted.request_id(), "form-1");
  EXPECT_NE(out.find(kQuestion), std::string::npos) << out;
  EXPECT_NE(out.find("RECEIVED"), std::string::npos) << out;

  EXPECT_EQ(RunArgs({"questions", "submit", kMeeting, "--in-area=nearby"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"questions", "submit", kMeeting, "--police-or-staff=maybe"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"questions", "submit", kMeeting, "--police-or-staff=yes"}, &out), kRuleBroken);
  EXPECT_EQ(RunArgs({"questions", "submit"}, &out), kUsage);
}

TEST_F(QuestionsCommandsTest, SubmitWithReceivedRecordsForAnOfficer) {
  std::string out;
  ASSERT_EQ(RunArgs({"questions", "submit", kMeeting, "--text=Q", "--asker=Cllr Kathryn Thomas",
                     "--postal-address=Solihull", "--in-area=lives",
                     "--received=2023-09-06T12:00:00+01:00", "--channel=post",
                     "--read-out-by=the Chair", "--id=kathryn-thomas"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(questions_.recorded.received_time().seconds(), 1693998000);
  EXPECT_EQ(questions_.recorded.channel(), sched::QUESTION_CHANNEL_POST);
  EXPECT_EQ(questions_.recorded.question_id(), "kathryn-thomas");
  EXPECT_EQ(questions_.recorded.question().read_out_by(), "the Chair");
  EXPECT_NE(out.find("REJECTED (LATE)"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"questions", "submit", kMeeting, "--received=yesterday"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"questions", "submit", kMeeting, "--received=2023-09-06T12:00:00Z",
                     "--channel=pigeon"},
                    &out),
            kUsage);
}

TEST_F(QuestionsCommandsTest, ListFiltersByStatus) {
  std::string out;
  ASSERT_EQ(RunArgs({"questions", "list", kMeeting, "--status=answered", "--page-size=5"}, &out),
            kOk)
      << out;
  EXPECT_EQ(questions_.listed.status(), sched::QUESTION_STATUS_ANSWERED);
  EXPECT_EQ(questions_.listed.page_size(), 5);
  EXPECT_NE(out.find("Councillor Kathryn Thomas"), std::string::npos) << out;
  EXPECT_NE(out.find("more: --page-token=next"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"--json", "questions", "list", kMeeting}, &out), kOk);
  EXPECT_NE(out.find("\"questions\""), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"questions", "list", kMeeting, "--status=pending"}, &out), kUsage);
}

TEST_F(QuestionsCommandsTest, OfficerTransitions) {
  std::string out;
  ASSERT_EQ(RunArgs({"questions", "accept", kQuestion}, &out), kOk) << out;
  EXPECT_NE(out.find("ACCEPTED"), std::string::npos);
  EXPECT_EQ(RunArgs({"questions", "accept", kQuestion, "--etag=stale"}, &out), kRuleBroken);

  ASSERT_EQ(
      RunArgs({"questions", "reject", kQuestion, "--reason=out-of-scope", "--detail=Operational"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(questions_.rejected.reason(), sched::QUESTION_REJECTION_REASON_OUT_OF_SCOPE);
  EXPECT_EQ(questions_.rejected.detail(), "Operational");
  EXPECT_EQ(RunArgs({"questions", "reject", kQuestion}, &out), kUsage);
  EXPECT_EQ(RunArgs({"questions", "reject", kQuestion, "--reason=boring"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"questions", "redirect", kQuestion, "--to=tenants/other/bodies/pcp",
                     "--note=theirs"},
                    &out),
            kOk);
  EXPECT_EQ(questions_.redirected.target_body(), "tenants/other/bodies/pcp");
  EXPECT_EQ(questions_.redirected.note(), "theirs");
  EXPECT_EQ(RunArgs({"questions", "redirect", kQuestion}, &out), kUsage);

  ASSERT_EQ(RunArgs({"questions", "answer", kQuestion, "--answer=Received and noted.",
                     "--answered-by=The Chair", "--read-out-by=the Chair"},
                    &out),
            kOk);
  EXPECT_EQ(questions_.answered.answer(), "Received and noted.");
  EXPECT_EQ(questions_.answered.answered_by(), "The Chair");
  EXPECT_NE(out.find("read out by"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"questions", "none", kMeeting}, &out), kOk);
  EXPECT_NE(out.find("no questions received"), std::string::npos) << out;
  // Flags belong to their command.
  EXPECT_EQ(RunArgs({"questions", "accept", kQuestion, "--answer=x"}, &out), kUsage);
}

// R-PQ-05: `questions outcome` sends the outcome, resolutions and actions.
TEST_F(QuestionsCommandsTest, OutcomeSendsResolutionsAndActions) {
  std::string out;
  ASSERT_EQ(RunArgs({"questions", "outcome", kQuestion, "--outcome=received and noted",
                     "--resolutions=tenants/wm/bodies/pcp/minutes/m/resolutions/751",
                     "--actions=tenants/wm/actions/a-1, tenants/wm/actions/a-2"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(questions_.outcome.outcome(), "received and noted");
  ASSERT_EQ(questions_.outcome.resolutions_size(), 1);
  ASSERT_EQ(questions_.outcome.actions_size(), 2);
  EXPECT_EQ(questions_.outcome.actions(1), "tenants/wm/actions/a-2");
  EXPECT_NE(out.find("received and noted"), std::string::npos) << out;
  EXPECT_NE(out.find("resolutions/751"), std::string::npos) << out;
  EXPECT_NE(out.find("actions/a-2"), std::string::npos) << out;
}

// R-PQ-06: `moot petitions ...`.
TEST_F(QuestionsCommandsTest, PetitionCommands) {
  std::string out;
  ASSERT_EQ(RunArgs({"petitions", "submit", "tenants/wm/bodies/spcb",
                     "--title=More neighbourhood officers", "--prayer=We ask the Board ...",
                     "--petitioner=Jo Public", "--email=jo@example.org", "--signatures=1250"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(petitions_.submitted.petition().signature_count(), 1250);
  EXPECT_EQ(petitions_.submitted.petition().lead_petitioner().display_name(), "Jo Public");
  EXPECT_EQ(petitions_.submitted.petition().lead_petitioner().email(), "jo@example.org");
  EXPECT_NE(out.find("RECEIVED"), std::string::npos) << out;
  EXPECT_EQ(
      RunArgs({"petitions", "submit", "tenants/wm/bodies/spcb", "--title=x", "--signatures=many"},
              &out),
      kUsage);

  ASSERT_EQ(RunArgs({"petitions", "list", "tenants/wm/bodies/spcb", "--status=accepted"}, &out),
            kOk)
      << out;
  EXPECT_NE(out.find("More neighbourhood officers"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"petitions", "list", "tenants/wm/bodies/spcb", "--status=lost"}, &out),
            kUsage);

  const std::string p = "tenants/wm/bodies/spcb/petitions/p1";
  ASSERT_EQ(RunArgs({"petitions", "reject", p, "--reason=Duplicate"}, &out), kOk) << out;
  EXPECT_EQ(petitions_.rejected.reason(), "Duplicate");
  ASSERT_EQ(RunArgs({"petitions", "respond", p, "--response=A report in April",
                     "--responded-by=The Board"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(petitions_.responded.responded_by(), "The Board");
  EXPECT_NE(out.find("A report in April"), std::string::npos) << out;
}

TEST_F(QuestionsCommandsTest, WorkProgrammeListAddUpdateSeed) {
  std::string out;
  ASSERT_EQ(RunArgs({"workprogramme", "list", "tenants/wm/bodies/pcp", "--year=2023/24",
                     "--status=scheduled"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(work_programme_.listed.municipal_year(), "2023/24");
  EXPECT_EQ(work_programme_.listed.status(), sched::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
  EXPECT_NE(out.find("statutory-2023-24-precept"), std::string::npos) << out;
  EXPECT_NE(out.find("2024-02-05"), std::string::npos) << out;
  EXPECT_NE(out.find("menu of options"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"workprogramme", "list", "tenants/wm/bodies/pcp", "--menu=yes"}, &out), kOk);
  EXPECT_TRUE(work_programme_.listed.menu_of_options());
  EXPECT_EQ(RunArgs({"workprogramme", "list", "tenants/wm/bodies/pcp", "--status=maybe"}, &out),
            kUsage);

  ASSERT_EQ(RunArgs({"workprogramme", "add", "tenants/wm/bodies/pcp", "--id=road-safety",
                     "--topic=Road Safety", "--year=2023/24", "--aims=Understand | Challenge",
                     "--target=tenants/wm/bodies/pcp/meetings/2023-09-11", "--statutory=no"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(work_programme_.created.item_id(), "road-safety");
  ASSERT_EQ(work_programme_.created.item().aims_size(), 2);
  EXPECT_EQ(work_programme_.created.item().aims(1), "Challenge");
  EXPECT_EQ(work_programme_.created.item().target_meeting(),
            "tenants/wm/bodies/pcp/meetings/2023-09-11");
  EXPECT_EQ(RunArgs({"workprogramme", "add", "tenants/wm/bodies/pcp", "--statutory=maybe"}, &out),
            kUsage);

  const std::string item = "tenants/wm/bodies/pcp/workProgrammeItems/road-safety";
  ASSERT_EQ(RunArgs({"workprogramme", "update", item, "--status=held",
                     "--outcome=Considered on 11 September 2023", "--etag=3"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(work_programme_.updated.item().name(), item);
  EXPECT_EQ(work_programme_.updated.etag(), "3");
  EXPECT_EQ(work_programme_.updated.item().status(), sched::WORK_PROGRAMME_ITEM_STATUS_HELD);
  ASSERT_EQ(work_programme_.updated.update_mask().paths_size(), 2);
  EXPECT_EQ(work_programme_.updated.update_mask().paths(0), "outcome");
  EXPECT_EQ(work_programme_.updated.update_mask().paths(1), "status");
  EXPECT_EQ(RunArgs({"workprogramme", "update", item}, &out), kUsage);

  ASSERT_EQ(RunArgs({"workprogramme", "seed", "tenants/wm/bodies/pcp", "--year=2023/24"}, &out),
            kOk)
      << out;
  EXPECT_EQ(work_programme_.seeded.municipal_year(), "2023/24");
  EXPECT_NE(out.find("1 created, 1 already there"), std::string::npos) << out;
  EXPECT_NE(out.find("2024-03"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"workprogramme", "seed", "tenants/wm/bodies/pcp"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"workprogramme", "seed", "tenants/wm/bodies/pcp", "--year=2023/25"}, &out),
            kInvalid);
}

}  // namespace
}  // namespace moot::cli
