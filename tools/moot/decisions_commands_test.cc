// `moot minutes|audit|decisions ...` against in-process fakes of the decisions services.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/decisions/v1/actions.grpc.pb.h"
#include "moot/decisions/v1/decisions.grpc.pb.h"
#include "moot/decisions/v1/hearings.grpc.pb.h"
#include "moot/decisions/v1/minutes.grpc.pb.h"
#include "moot/decisions/v1/votes.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace dec = moot::decisions::v1;

constexpr char kSep[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";

class FakeMinutes final : public dec::MinutesService::Service {
 public:
  dec::AddMinuteEntryRequest last_add;
  dec::RecordResolutionRequest last_resolution;
  std::string last_transition;

  grpc::Status GetMinutes(grpc::ServerContext*, const dec::GetMinutesRequest* request,
                          dec::Minutes* response) override {
    if (request->name() != std::string(kSep) + "/minutes") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    }
    response->set_name(request->name());
    response->set_state(dec::MINUTES_STATE_CONFIRMED);
    response->set_first_number("746");
    response->set_last_number("755");
    response->set_entry_count(10);
    response->set_confirmed_by_ref("756");
    return grpc::Status::OK;
  }
  grpc::Status AddMinuteEntry(grpc::ServerContext*, const dec::AddMinuteEntryRequest* request,
                              dec::MinuteEntry* response) override {
    last_add = *request;
    response->set_name(request->parent() + "/entries/756");
    response->set_number(request->override_number() > 0 ? request->override_number() : 756);
    response->set_display_number(std::to_string(response->number()));
    response->set_title(request->entry().title());
    response->set_number_overridden(request->override_number() > 0);
    return grpc::Status::OK;
  }
  grpc::Status ListMinuteEntries(grpc::ServerContext*, const dec::ListMinuteEntriesRequest*,
                                 dec::ListMinuteEntriesResponse* response) override {
    auto* e = response->add_entries();
    e->set_display_number("751");
    e->set_title("PUBLIC QUESTION TIME");
    auto* c = e->add_resolutions();
    c->set_display_ref("751 ii");
    c->set_kind(dec::RESOLUTION_KIND_REQUEST);
    response->set_next_page_token("next");
    return grpc::Status::OK;
  }
  grpc::Status RecordResolution(grpc::ServerContext*, const dec::RecordResolutionRequest* request,
                                dec::MinuteEntry* response) override {
    last_resolution = *request;
    if (request->clauses_size() > 0 &&
        request->clauses(0).kind() == dec::RESOLUTION_KIND_CONFIRM_MINUTES &&
        request->clauses(0).confirms_meetings_size() == 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "clauses[0].confirms_meetings: name at least one meeting");
    }
    response->set_name(request->entry());
    *response->mutable_resolutions() = request->clauses();
    return grpc::Status::OK;
  }
  dec::CreateMinutesRequest last_create;
  dec::UpdateMinutesRequest last_update;
  grpc::Status CreateMinutes(grpc::ServerContext*, const dec::CreateMinutesRequest* request,
                             dec::Minutes* response) override {
    last_create = *request;
    response->set_name(request->parent() + "/minutes");
    response->set_minutes_style(request->minutes_style());
    response->set_confirmation_wording(request->confirmation_wording());
    response->set_webcast_url(request->webcast_url());
    return grpc::Status::OK;
  }
  grpc::Status UpdateMinutes(grpc::ServerContext*, const dec::UpdateMinutesRequest* request,
                             dec::Minutes* response) override {
    last_update = *request;
    response->set_name(request->name());
    response->set_webcast_url(request->webcast_url());
    return grpc::Status::OK;
  }
  grpc::Status RenderMinutes(grpc::ServerContext*, const dec::RenderMinutesRequest* request,
                             dec::RenderedMinutes* response) override {
    response->mutable_minutes()->set_name(request->name());
    response->set_html("<article class=\"minutes\"></article>\n");
    return grpc::Status::OK;
  }
  grpc::Status PublishMinutes(grpc::ServerContext*, const dec::MinutesTransitionRequest* request,
                              dec::Minutes* response) override {
    last_transition = "publish " + request->name();
    response->set_state(dec::MINUTES_STATE_PUBLISHED);
    return grpc::Status::OK;
  }
  grpc::Status SignMinutes(grpc::ServerContext*, const dec::MinutesTransitionRequest* request,
                           dec::Minutes*) override {
    last_transition = "sign " + request->name();
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "MINUTES_NOT_CONFIRMED");
  }
};

class FakeAudit final : public dec::AuditService::Service {
 public:
  bool broken = false;
  grpc::Status VerifyAuditChain(grpc::ServerContext*, const dec::VerifyAuditChainRequest* request,
                                dec::AuditVerification* response) override {
    if (request->parent() != "tenants/wm") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "TENANT_MISMATCH");
    }
    response->set_rows_checked(42);
    if (broken) {
      response->set_first_bad_seq(17);
      response->set_problem("HASH_MISMATCH");
    } else {
      response->set_ok(true);
      response->set_head_hash("ab12");
    }
    return grpc::Status::OK;
  }
};

class FakeActions final : public dec::ActionService::Service {
 public:
  dec::CompleteActionRequest last_complete;
  dec::ListActionsRequest last_list;
  grpc::Status ListActions(grpc::ServerContext*, const dec::ListActionsRequest* request,
                           dec::ListActionsResponse* response) override {
    last_list = *request;
    auto* a = response->add_actions();
    a->set_ref("754iii");
    a->set_meeting_month("2023-09");
    a->set_status(dec::ACTION_STATUS_OUTSTANDING);
    a->add_flags("ACTION_REF_UNRESOLVED");
    a->set_text("The Chair write to the Secretaries of State.");
    return grpc::Status::OK;
  }
  grpc::Status CompleteAction(grpc::ServerContext*, const dec::CompleteActionRequest* request,
                              dec::Action* response) override {
    last_complete = *request;
    response->set_name(request->name());
    response->set_status(dec::ACTION_STATUS_COMPLETED);
    response->set_completion_date(request->completion_date());
    if (request->members_size() > 0) {
      response->set_type(dec::ACTION_TYPE_MEMBERSHIP);
      response->set_minimum_members(3);
      *response->mutable_members() = request->members();
    }
    return grpc::Status::OK;
  }
  dec::CreateActionRequest last_create;
  grpc::Status CreateAction(grpc::ServerContext*, const dec::CreateActionRequest* request,
                            dec::Action* response) override {
    last_create = *request;
    *response = request->action();
    return grpc::Status::OK;
  }
  grpc::Status TrackerReport(grpc::ServerContext*, const dec::TrackerReportRequest* request,
                             dec::ActionTrackerReport* response) override {
    response->set_meeting(request->meeting());
    response->set_outstanding_count(1);
    response->set_outstanding_summary("There is currently 1 outstanding action.");
    auto* a = response->add_outstanding();
    a->set_ref("620");
    a->set_text("The OPCC to feedback.");
    a->add_updates()->set_note("Programmed for November 2023");
    a = response->add_completed();
    a->set_ref("687 iii a");
    a->set_text("Headcount breakdown.");
    response->set_html("<section class=\"action-tracker\"></section>\n");
    return grpc::Status::OK;
  }
};

class FakeVotes final : public dec::VoteService::Service {
 public:
  dec::RecordVoteRequest last_record;
  grpc::Status RecordVote(grpc::ServerContext*, const dec::RecordVoteRequest* request,
                          dec::Vote* response) override {
    last_record = *request;
    *response = request->vote();
    response->set_outcome(dec::VOTE_OUTCOME_LOST);
    response->set_outcome_reason("10 for of 16 members; 11 required");
    return grpc::Status::OK;
  }
  grpc::Status GetVote(grpc::ServerContext*, const dec::GetVoteRequest* request,
                       dec::Vote* response) override {
    response->set_name(request->name());
    response->set_rule(dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
    response->set_outcome(dec::VOTE_OUTCOME_CARRIED);
    response->set_outcome_reason("11 for of 16 members; 11 required");
    response->set_member_count(16);
    return grpc::Status::OK;
  }
};

class FakeDecisions final : public dec::DecisionService::Service {
 public:
  dec::DecideAccessRequestRequest last_decide;
  dec::ListKeyDecisionsRequest last_list;
  grpc::Status ListKeyDecisions(grpc::ServerContext*, const dec::ListKeyDecisionsRequest* request,
                                dec::ListKeyDecisionsResponse* response) override {
    last_list = *request;
    auto* d = response->add_key_decisions();
    d->set_reference("004-2019");
    d->set_decision_date("2019-02-08");
    d->set_title("2019-20 Revenue budget and precept");
    d->set_precept_year(request->precept_year());
    return grpc::Status::OK;
  }
  grpc::Status MarkPreceptDecision(grpc::ServerContext*,
                                   const dec::MarkPreceptDecisionRequest* request,
                                   dec::KeyDecision* response) override {
    if (request->precept_year() == "2019-20" &&
        request->name() != "tenants/wm/decisions/004-2019") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "PRECEPT_DECISION_EXISTS");
    }
    response->set_name(request->name());
    response->set_precept_year(request->precept_year());
    return grpc::Status::OK;
  }
  grpc::Status GetKeyDecision(grpc::ServerContext*, const dec::GetKeyDecisionRequest* request,
                              dec::KeyDecision* response) override {
    response->set_name(request->name());
    response->set_precept_year("2019-20");
    response->add_flags("REPORT_DOCUMENT_MISSING");
    return grpc::Status::OK;
  }
  grpc::Status CreateAccessRequest(grpc::ServerContext*,
                                   const dec::CreateAccessRequestRequest* request,
                                   dec::AccessRequest* response) override {
    if (request->access_request().reason().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "access_request.reason");
    }
    response->set_name(request->parent() + "/accessRequests/r1");
    return grpc::Status::OK;
  }
  grpc::Status DecideAccessRequest(grpc::ServerContext*,
                                   const dec::DecideAccessRequestRequest* request,
                                   dec::AccessRequest* response) override {
    last_decide = *request;
    response->set_name(request->name());
    response->set_outcome(request->outcome());
    return grpc::Status::OK;
  }
};

class FakeHearings final : public dec::HearingService::Service {
 public:
  dec::CreateHearingRequest last_create;
  dec::RecordRecommendationRequest last_recommend;
  dec::RecordPccResponseRequest last_respond;
  grpc::Status CreateHearing(grpc::ServerContext*, const dec::CreateHearingRequest* request,
                             dec::ConfirmationHearing* response) override {
    last_create = *request;
    *response = request->hearing();
    response->set_name(request->parent() + "/hearings/" + request->hearing_id());
    response->set_report_due_date("2024-12-15");
    return grpc::Status::OK;
  }
  grpc::Status RecordRecommendation(grpc::ServerContext*,
                                    const dec::RecordRecommendationRequest* request,
                                    dec::ConfirmationHearing* response) override {
    last_recommend = *request;
    if (request->recommendation() == dec::HEARING_RECOMMENDATION_VETO &&
        request->name() != "tenants/wm/hearings/cc") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "VETO_NOT_AVAILABLE_FOR_POST");
    }
    response->set_name(request->name());
    response->set_recommendation(request->recommendation());
    return grpc::Status::OK;
  }
  grpc::Status PublishRecommendation(grpc::ServerContext*,
                                     const dec::PublishRecommendationRequest* request,
                                     dec::ConfirmationHearing* response) override {
    response->set_name(request->name());
    response->set_recommendation(dec::HEARING_RECOMMENDATION_SUPPORT);
    response->set_recommendation_published(true);
    response->set_report_date(request->report_date());
    if (!request->late_reason().empty()) {
      response->add_flags("REPORT_LATE");
    }
    return grpc::Status::OK;
  }
  grpc::Status RecordPccResponse(grpc::ServerContext*, const dec::RecordPccResponseRequest* request,
                                 dec::ConfirmationHearing* response) override {
    last_respond = *request;
    response->set_name(request->name());
    response->set_pcc_response(request->response());
    response->set_pcc_response_date(request->response_date());
    return grpc::Status::OK;
  }
};

class DecisionsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&minutes_);
    builder.RegisterService(&audit_);
    builder.RegisterService(&actions_);
    builder.RegisterService(&votes_);
    builder.RegisterService(&decisions_);
    builder.RegisterService(&hearings_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  int RunArgs(const std::vector<std::string>& argv, std::string* out) {
    Options options;
    std::ostringstream parse_err;
    EXPECT_TRUE(
        ParseArgs(argv, {{"MOOT_ADDR", "127.0.0.1:" + std::to_string(port_)}}, &options, parse_err))
        << parse_err.str();
    std::ostringstream o;
    std::ostringstream e;
    int code = cli::Run(options, o, e);
    *out = o.str() + e.str();
    return code;
  }

  FakeMinutes minutes_;
  FakeAudit audit_;
  FakeActions actions_;
  FakeVotes votes_;
  FakeDecisions decisions_;
  FakeHearings hearings_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(DecisionsCommandsTest, MinutesGetAcceptsTheMeetingName) {
  std::string out;
  ASSERT_EQ(RunArgs({"minutes", "get", kSep}, &out), kOk) << out;
  EXPECT_NE(out.find("746-755 (10)"), std::string::npos) << out;
  EXPECT_NE(out.find("CONFIRMED"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"--json", "minutes", "get", std::string(kSep) + "/minutes"}, &out), kOk);
  EXPECT_NE(out.find("\"firstNumber\": \"746\""), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"minutes", "get", "tenants/wm/bodies/pcp/meetings/x"}, &out), kNotFound);
}

TEST_F(DecisionsCommandsTest, MinutesAddPassesTheOverride) {
  std::string out;
  ASSERT_EQ(
      RunArgs({"minutes", "add", kSep, "NOTICE OF RECORDING", "--number=746",
               "--reason=paper register", "--agenda-item=" + std::string(kSep) + "/agendaItems/1"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(minutes_.last_add.override_number(), 746);
  EXPECT_EQ(minutes_.last_add.override_reason(), "paper register");
  EXPECT_EQ(minutes_.last_add.parent(), std::string(kSep) + "/minutes");
  EXPECT_NE(out.find("746 (override)"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"minutes", "add", kSep, "X", "--number=abc"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"minutes", "add", kSep}, &out), kUsage);
}

TEST_F(DecisionsCommandsTest, MinutesResolveParsesClauses) {
  std::string out;
  ASSERT_EQ(RunArgs({"minutes", "resolve", std::string(kSep) + "/minutes/entries/751",
                     "i:NOTE:That the question be received and noted.",
                     "ii:request:That the PCC be requested to report: soon."},
                    &out),
            kOk)
      << out;
  ASSERT_EQ(minutes_.last_resolution.clauses_size(), 2);
  EXPECT_EQ(minutes_.last_resolution.clauses(0).clause(), "i");
  EXPECT_EQ(minutes_.last_resolution.clauses(1).kind(), dec::RESOLUTION_KIND_REQUEST);
  EXPECT_EQ(minutes_.last_resolution.clauses(1).text(),
            "That the PCC be requested to report: soon.");
  ASSERT_EQ(RunArgs({"minutes", "resolve", "e", "CONFIRM_MINUTES:Confirmed: a correct record.",
                     "--confirms=m1,m2"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(minutes_.last_resolution.clauses(0).clause(), "");
  EXPECT_EQ(minutes_.last_resolution.clauses(0).text(), "Confirmed: a correct record.");
  EXPECT_EQ(minutes_.last_resolution.clauses(0).confirms_meetings_size(), 2);
  EXPECT_EQ(RunArgs({"minutes", "resolve", "e", "CONFIRM_MINUTES:Confirmed."}, &out), kInvalid);
  EXPECT_EQ(RunArgs({"minutes", "resolve", "e", "BOGUS:text"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"minutes", "resolve", "e", "no kind"}, &out), kUsage);
}

TEST_F(DecisionsCommandsTest, MinutesListPublishAndSign) {
  std::string out;
  ASSERT_EQ(RunArgs({"minutes", "list", kSep}, &out), kOk) << out;
  EXPECT_NE(out.find("751 ii REQUEST"), std::string::npos) << out;
  EXPECT_NE(out.find("--page-token=next"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"minutes", "publish", kSep}, &out), kOk) << out;
  EXPECT_EQ(minutes_.last_transition, "publish " + std::string(kSep) + "/minutes");
  EXPECT_EQ(RunArgs({"minutes", "sign", kSep}, &out), kRuleBroken) << out;
}

TEST_F(DecisionsCommandsTest, MinutesStyleWordingAndWebcast) {
  std::string out;
  const std::string spcb = "tenants/wm/bodies/spcb/meetings/2023-01-24";
  ASSERT_EQ(RunArgs({"minutes", "create", spcb, "--style=summary", "--wording=accepted",
                     "--webcast=https://example.org/webcast"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(minutes_.last_create.minutes_style(), dec::MINUTES_STYLE_SUMMARY);
  EXPECT_EQ(minutes_.last_create.confirmation_wording(), dec::CONFIRMATION_WORDING_ACCEPTED);
  EXPECT_NE(out.find("SUMMARY"), std::string::npos) << out;
  EXPECT_NE(out.find("https://example.org/webcast"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"minutes", "create", spcb, "--style=verbatim"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"minutes", "create", spcb, "--wording=noted"}, &out), kUsage);
  ASSERT_EQ(RunArgs({"minutes", "update", spcb, "--wording=approved", "--etag=3"}, &out), kOk)
      << out;
  EXPECT_EQ(minutes_.last_update.name(), spcb + "/minutes");
  EXPECT_EQ(minutes_.last_update.confirmation_wording(), dec::CONFIRMATION_WORDING_APPROVED);
  EXPECT_EQ(minutes_.last_update.etag(), "3");
  ASSERT_EQ(RunArgs({"minutes", "render", spcb}, &out), kOk) << out;
  EXPECT_EQ(out, "<article class=\"minutes\"></article>\n");
}

TEST_F(DecisionsCommandsTest, AuditVerifyExitCodes) {
  std::string out;
  ASSERT_EQ(RunArgs({"audit", "verify", "tenants/wm"}, &out), kOk) << out;
  EXPECT_NE(out.find("audit chain OK: 42 rows"), std::string::npos) << out;
  audit_.broken = true;
  EXPECT_EQ(RunArgs({"audit", "verify", "tenants/wm"}, &out), kRuleBroken);
  EXPECT_NE(out.find("BROKEN at row 17: HASH_MISMATCH"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"--json", "audit", "verify", "tenants/wm"}, &out), kRuleBroken);
  EXPECT_NE(out.find("\"firstBadSeq\""), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"audit", "verify", "tenants/ny"}, &out), kDenied);
}

TEST_F(DecisionsCommandsTest, ActionsListCompleteAndTracker) {
  std::string out;
  ASSERT_EQ(RunArgs({"actions", "list", "tenants/wm/bodies/pcp", "--status=outstanding"}, &out),
            kOk)
      << out;
  EXPECT_EQ(actions_.last_list.status(), dec::ACTION_STATUS_OUTSTANDING);
  EXPECT_NE(out.find("ACTION_REF_UNRESOLVED"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"actions", "list", "tenants/wm/bodies/pcp", "--status=done"}, &out), kUsage);
  ASSERT_EQ(RunArgs({"actions", "complete", "tenants/wm/bodies/pcp/actions/620", "Report presented",
                     "--date=2023-11-13"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(actions_.last_complete.note(), "Report presented");
  EXPECT_EQ(actions_.last_complete.completion_date(), "2023-11-13");
  EXPECT_NE(out.find("COMPLETED"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"actions", "tracker", "tenants/wm/bodies/pcp/meetings/2023-11-13"}, &out),
            kOk);
  EXPECT_NE(out.find("1. Outstanding Actions"), std::string::npos) << out;
  EXPECT_NE(out.find("Programmed for November 2023"), std::string::npos) << out;
  EXPECT_NE(out.find("687 iii a"), std::string::npos) << out;
  ASSERT_EQ(
      RunArgs({"actions", "tracker", "tenants/wm/bodies/pcp/meetings/2023-11-13", "--format=html"},
              &out),
      kOk);
  EXPECT_EQ(out, "<section class=\"action-tracker\"></section>\n");
}

TEST_F(DecisionsCommandsTest, ActionTypesAndCounts) {
  std::string out;
  ASSERT_EQ(RunArgs({"actions", "create", "tenants/wm/bodies/agb",
                     "This information was not available.", "--type=written-response",
                     "--requested-by=The Commissioner", "--respondent=The Chief Constable"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(actions_.last_create.action().type(), dec::ACTION_TYPE_WRITTEN_RESPONSE);
  EXPECT_NE(out.find("The Chief Constable to The Commissioner"), std::string::npos) << out;
  ASSERT_EQ(
      RunArgs({"actions", "create", "tenants/wm/bodies/agb", "Confirm this.", "--type=undertaking",
               "--given-by=The Chief Constable", "--given-to=APCC Tom McNeil"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(actions_.last_create.action().given_to(), "APCC Tom McNeil");
  ASSERT_EQ(RunArgs({"actions", "create", "tenants/wm/bodies/pcp", "Volunteers sought.",
                     "--type=membership", "--minimum=3"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(actions_.last_create.action().minimum_members(), 3);
  EXPECT_EQ(RunArgs({"actions", "create", "b", "x", "--type=chore"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"actions", "create", "b", "x", "--minimum=three"}, &out), kUsage);
  ASSERT_EQ(RunArgs({"actions", "complete", "tenants/wm/bodies/pcp/actions/674", "Finalised",
                     "--members=Hussain, Feeney,Jaspal,Murphy"},
                    &out),
            kOk)
      << out;
  ASSERT_EQ(actions_.last_complete.members_size(), 4);
  EXPECT_EQ(actions_.last_complete.members(1), "Feeney");
  EXPECT_NE(out.find("Hussain, Feeney, Jaspal, Murphy"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"actions", "tracker", "tenants/wm/bodies/pcp/meetings/2023-11-13"}, &out),
            kOk);
  EXPECT_NE(out.find("There is currently 1 outstanding action."), std::string::npos) << out;
}

TEST_F(DecisionsCommandsTest, VotesGetShowsTheComputedOutcome) {
  std::string out;
  ASSERT_EQ(RunArgs({"votes", "get", "tenants/wm/bodies/pcp/meetings/2024-02-05/votes/veto"}, &out),
            kOk)
      << out;
  EXPECT_NE(out.find("CARRIED"), std::string::npos) << out;
  EXPECT_NE(out.find("TWO_THIRDS_OF_MEMBERS"), std::string::npos) << out;
  EXPECT_NE(out.find("11 for of 16 members"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"votes", "get"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"votes", "record", "tenants/wm/bodies/pcp/meetings/2024-02-05", "veto",
                     "tenants/wm/people/a=for", "tenants/wm/people/b=ABSENT", "--rule=two-thirds",
                     "--item=tenants/wm/bodies/pcp/meetings/2024-02-05/agendaItems/6",
                     "--motion=That the Panel vetoes the precept."},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(votes_.last_record.vote().rule(), dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
  ASSERT_EQ(votes_.last_record.vote().ballots_size(), 2);
  EXPECT_EQ(votes_.last_record.vote().ballots(1).choice(), dec::BALLOT_CHOICE_ABSENT);
  EXPECT_EQ(votes_.last_record.vote_id(), "veto");
  EXPECT_NE(out.find("LOST"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"votes", "record", "m", "v", "tenants/wm/people/a=maybe"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"votes", "record", "m", "v", "p=FOR", "--rule=most"}, &out), kUsage);
}

TEST_F(DecisionsCommandsTest, DecisionsByPreceptYear) {
  std::string out;
  ASSERT_EQ(RunArgs({"decisions", "list", "tenants/wm", "--precept-year=2019-20"}, &out), kOk)
      << out;
  EXPECT_EQ(decisions_.last_list.precept_year(), "2019-20");
  EXPECT_NE(out.find("004-2019"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"decisions", "get", "tenants/wm/decisions/004-2019"}, &out), kOk) << out;
  EXPECT_NE(out.find("2019-20"), std::string::npos) << out;
  EXPECT_NE(out.find("REPORT_DOCUMENT_MISSING"), std::string::npos) << out;
  ASSERT_EQ(
      RunArgs({"decisions", "mark-precept", "tenants/wm/decisions/004-2019", "2019-20"}, &out), kOk)
      << out;
  EXPECT_EQ(out, "tenants/wm/decisions/004-2019 is the 2019-20 budget-and-precept decision\n");
  EXPECT_EQ(
      RunArgs({"decisions", "mark-precept", "tenants/wm/decisions/001-2019", "2019-20"}, &out),
      kRuleBroken);
  EXPECT_EQ(RunArgs({"decisions", "mark-precept", "tenants/wm/decisions/001-2019"}, &out), kUsage);
}

TEST_F(DecisionsCommandsTest, AccessRequestsAreRecordedAndDecided) {
  std::string out;
  ASSERT_EQ(RunArgs({"decisions", "request-access", "tenants/wm/decisions/024-2023",
                     "Panel Members", "--reason=To scrutinise the purchase"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(out, "tenants/wm/decisions/024-2023/accessRequests/r1\n");
  EXPECT_EQ(
      RunArgs({"decisions", "request-access", "tenants/wm/decisions/024-2023", "Panel"}, &out),
      kInvalid);
  ASSERT_EQ(
      RunArgs({"decisions", "decide-access", "tenants/wm/decisions/024-2023/accessRequests/r1",
               "refused", "--reason=Estates Strategy decisions are not shared"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(decisions_.last_decide.outcome(), dec::ACCESS_OUTCOME_REFUSED);
  EXPECT_NE(out.find("REFUSED"), std::string::npos);
  EXPECT_EQ(RunArgs({"decisions", "decide-access", "x", "maybe"}, &out), kUsage);
}

TEST_F(DecisionsCommandsTest, HearingsCreateRecommendPublishAndRespond) {
  std::string out;
  ASSERT_EQ(RunArgs({"hearings", "create", "tenants/wm", "cc", "chief-constable", "Craig Guildford",
                     "--meeting=tenants/wm/bodies/pcp/meetings/2024-12-09-hearing",
                     "--received=2024-11-25", "--reappointment=true", "--effective=2024-12-16"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(hearings_.last_create.hearing().post(), dec::HEARING_POST_CHIEF_CONSTABLE);
  EXPECT_TRUE(hearings_.last_create.hearing().reappointment());
  EXPECT_EQ(hearings_.last_create.hearing().effective_date(), "2024-12-16");
  EXPECT_NE(out.find("2024-12-15"), std::string::npos) << out;
  EXPECT_NE(out.find("Craig Guildford (re-appointment)"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"hearings", "create", "tenants/wm", "x", "constable", "A"}, &out), kUsage);
  EXPECT_EQ(
      RunArgs({"hearings", "create", "tenants/wm", "x", "deputy-pcc", "A", "--reappointment=yes"},
              &out),
      kUsage);

  ASSERT_EQ(RunArgs({"hearings", "recommend", "tenants/wm/hearings/cc", "veto",
                     "That the Panel vetoes the appointment.",
                     "--vote=tenants/wm/bodies/pcp/meetings/2024-12-09-hearing/votes/veto"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(hearings_.last_recommend.recommendation(), dec::HEARING_RECOMMENDATION_VETO);
  EXPECT_EQ(hearings_.last_recommend.veto_vote(),
            "tenants/wm/bodies/pcp/meetings/2024-12-09-hearing/votes/veto");
  EXPECT_EQ(RunArgs({"hearings", "recommend", "tenants/wm/hearings/cfo", "veto", "No."}, &out),
            kRuleBroken);
  ASSERT_EQ(
      RunArgs({"hearings", "recommend", "tenants/wm/hearings/cfo", "do-not-support", "No."}, &out),
      kOk);
  EXPECT_EQ(hearings_.last_recommend.recommendation(), dec::HEARING_RECOMMENDATION_DO_NOT_SUPPORT);
  EXPECT_EQ(RunArgs({"hearings", "recommend", "tenants/wm/hearings/cfo", "maybe", "x"}, &out),
            kUsage);

  ASSERT_EQ(RunArgs({"hearings", "publish", "tenants/wm/hearings/cc", "--late-reason=Snow",
                     "--date=2024-12-16"},
                    &out),
            kOk);
  EXPECT_NE(out.find("REPORT_LATE"), std::string::npos) << out;
  EXPECT_NE(out.find("SUPPORT (published 2024-12-16)"), std::string::npos) << out;

  ASSERT_EQ(
      RunArgs({"hearings", "respond", "tenants/wm/hearings/cc", "accepted", "--date=2024-12-17"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(hearings_.last_respond.response(), dec::PCC_HEARING_RESPONSE_ACCEPTED);
  EXPECT_NE(out.find("ACCEPTED 2024-12-17"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"hearings", "respond", "tenants/wm/hearings/cc", "unspecified"}, &out),
            kUsage);
}

}  // namespace
}  // namespace moot::cli
