// `moot precept ...` and `moot plan ...` against in-process fakes of the budget services.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace budget = moot::budget::v1;

budget::PreceptStatement Statement() {
  budget::PreceptStatement s;
  s.set_net_budget_requirement_pence(56985000000);
  auto* line = s.add_funding_lines();
  line->set_id("police-grant");
  line->set_title("Police grant");
  line->set_amount_pence(25270000000);
  s.set_gross_precept_pence(10986000000);
  s.set_collection_fund_pence(107000000);
  s.set_council_tax_requirement_pence(10879000000);
  s.set_population(2864925);
  s.set_has_band_d(true);
  s.set_band_d_pence(20255);
  auto* band = s.add_bands();
  band->set_band("A");
  band->set_ninths(6);
  band->set_amount_pence(13503);
  auto* ph = s.add_per_head();
  ph->set_id("council-tax-requirement");
  ph->set_title("Council tax requirement");
  ph->set_per_head_pence(3797);
  s.set_average_cost_per_person_pence(19853);
  return s;
}

class FakePrecepts final : public budget::PreceptService::Service {
 public:
  budget::CreatePreceptRequest last_create;
  budget::ImportPreceptCsvRequest last_import;
  budget::GetPreceptTimetableRequest last_timetable;

  grpc::Status GetPrecept(grpc::ServerContext*, const budget::GetPreceptRequest* request,
                          budget::Precept* response) override {
    if (request->name() != "tenants/wm/precepts/2019-20") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    }
    response->set_name(request->name());
    response->set_year("2019-20");
    response->set_state(budget::PRECEPT_STATE_ISSUED);
    *response->mutable_statement() = Statement();
    return grpc::Status::OK;
  }
  grpc::Status CreatePrecept(grpc::ServerContext*, const budget::CreatePreceptRequest* request,
                             budget::Precept* response) override {
    last_create = *request;
    response->set_name(request->parent() + "/precepts/" + request->precept_id());
    *response->mutable_statement() = Statement();
    return grpc::Status::OK;
  }
  grpc::Status GetPreceptTimetable(grpc::ServerContext*,
                                   const budget::GetPreceptTimetableRequest* request,
                                   budget::PreceptTimetable* response) override {
    last_timetable = *request;
    response->set_precept(request->name());
    response->set_meeting_source(request->meeting_source() == budget::MEETING_SOURCE_STORED
                                     ? budget::MEETING_SOURCE_STORED
                                     : budget::MEETING_SOURCE_SCHEDULING);
    response->set_meeting_source_note("2 meeting(s) of tenants/wm/bodies/pcp");
    response->set_relevant_financial_year("2023-24");
    auto* e = response->add_entries();
    e->set_step(budget::TIMETABLE_STEP_PANEL_REPORT);
    e->set_deadline_date("2024-02-08");
    e->set_weekday("Thursday");
    e->mutable_planned_meeting()->set_date("2024-02-05");
    e->set_check(budget::MEETING_CHECK_IN_TIME);
    e->set_slack_days(3);
    return grpc::Status::OK;
  }
  grpc::Status ImportPreceptCsv(grpc::ServerContext*,
                                const budget::ImportPreceptCsvRequest* request,
                                budget::Precept* response) override {
    last_import = *request;
    if (request->csv().find("bad") != std::string::npos) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "csv: line 2: bad");
    }
    response->set_name(request->name());
    return grpc::Status::OK;
  }
  grpc::Status ExportPrecept(grpc::ServerContext*, const budget::ExportPreceptRequest* request,
                             budget::ExportPreceptResponse* response) override {
    response->set_content("format=" + request->format() + "\n");
    return grpc::Status::OK;
  }
  budget::SetInformationRequestRequest last_info;
  grpc::Status SetInformationRequest(grpc::ServerContext*,
                                     const budget::SetInformationRequestRequest* request,
                                     budget::Precept* response) override {
    last_info = *request;
    response->set_name(request->name());
    *response->add_information_requests() = request->information_request();
    return grpc::Status::OK;
  }
  budget::RecordPanelReportRequest last_report;
  budget::IssuePreceptRequest last_issue;
  grpc::Status RecordPanelReport(grpc::ServerContext*,
                                 const budget::RecordPanelReportRequest* request,
                                 budget::Precept* response) override {
    last_report = *request;
    if (request->report().outcome() == budget::PANEL_OUTCOME_VETOED_TOO_HIGH &&
        request->report().vote().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "report.vote: is required");
    }
    response->set_name(request->name());
    response->set_state(budget::PRECEPT_STATE_PANEL_REVIEWED);
    *response->mutable_report() = request->report();
    return grpc::Status::OK;
  }
  grpc::Status IssuePrecept(grpc::ServerContext*, const budget::IssuePreceptRequest* request,
                            budget::Precept* response) override {
    last_issue = *request;
    if (request->band_d_pence() > 21755) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "above the referendum limit");
    }
    response->set_name(request->name());
    response->set_state(budget::PRECEPT_STATE_ISSUED);
    response->set_issued_band_d_pence(request->band_d_pence());
    response->set_pcc_decision_reference(request->pcc_decision_reference());
    return grpc::Status::OK;
  }
  grpc::Status GetPreceptCharts(grpc::ServerContext*, const budget::GetPreceptChartsRequest*,
                                budget::Charts* response) override {
    auto* series = response->add_series();
    series->set_id("bands");
    series->set_title("Police precept by council tax band");
    auto* p = series->add_points();
    p->set_label("Band A");
    p->set_value_pence(13503);
    return grpc::Status::OK;
  }
};

class FakeScenarios final : public budget::ScenarioService::Service {
 public:
  budget::CompareScenariosRequest last_compare;
  grpc::Status CompareScenarios(grpc::ServerContext*,
                                const budget::CompareScenariosRequest* request,
                                budget::CompareScenariosResponse* response) override {
    last_compare = *request;
    for (const auto& n : request->names()) response->add_names(n);
    auto* row = response->add_rows();
    row->set_figure("band_d");
    row->add_values_pence(20255);
    row->add_values_pence(20136);
    row->add_differences_pence(0);
    row->add_differences_pence(-119);
    auto* s = response->add_sensitivities();
    s->set_scenario(request->names(0));
    s->set_variable("tax_base");
    s->set_change_bp(-100);
    s->set_band_d_pence(20460);
    s->set_band_d_difference_pence(205);
    return grpc::Status::OK;
  }
};

class FakePlans final : public budget::PlanService::Service {
 public:
  grpc::Status GetPlan(grpc::ServerContext*, const budget::GetPlanRequest* request,
                       budget::Plan* response) override {
    response->set_name(request->name());
    response->set_display_name("MTFP");
    auto* y = response->add_plan_years();
    y->set_year("2024-25");
    y->set_gap_pence(2048500);
    y->set_reserves_closing_pence(2500000);
    auto* w = y->add_warnings();
    w->set_code("RESERVES_BELOW_MINIMUM");
    w->set_message("reserves fall below the minimum");
    return grpc::Status::OK;
  }
};

class BudgetCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&precepts_);
    builder.RegisterService(&scenarios_);
    builder.RegisterService(&plans_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }
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
  static std::string TempFile(const std::string& name, const std::string& content) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  FakePrecepts precepts_;
  FakeScenarios scenarios_;
  FakePlans plans_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(BudgetCommandsTest, ShowPrintsAlignedStatementTables) {
  std::string out;
  ASSERT_EQ(RunArgs({"precept", "show", "tenants/wm/precepts/2019-20"}, &out), kOk) << out;
  EXPECT_NE(out.find("PRECEPT_STATE_ISSUED"), std::string::npos) << out;
  EXPECT_NE(out.find("Gross precept                  109,860,000.00\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Police grant                   -252,700,000.00\n"), std::string::npos) << out;
  EXPECT_NE(out.find("A     6/9    135.03\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Average cost per person  198.53\n"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"--json", "precept", "show", "tenants/wm/precepts/2019-20"}, &out), kOk);
  EXPECT_NE(out.find("\"grossPrecept"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "show", "tenants/wm/precepts/2030-31"}, &out), kNotFound);
  EXPECT_EQ(RunArgs({"precept", "show"}, &out), kUsage);
}

TEST_F(BudgetCommandsTest, ComputeSendsTheInputsFile) {
  const std::string inputs =
      TempFile("inputs.json",
               R"({"netBudgetRequirementPence": "56985000000", "population": "2864925",
          "fundingLines": [{"id": "police-grant", "amountPence": "25270000000"}]})");
  std::string out;
  ASSERT_EQ(RunArgs({"precept", "compute", "tenants/wm", "2019-20", "--inputs=" + inputs}, &out),
            kOk)
      << out;
  EXPECT_EQ(precepts_.last_create.parent(), "tenants/wm");
  EXPECT_EQ(precepts_.last_create.precept_id(), "2019-20");
  EXPECT_EQ(precepts_.last_create.precept().inputs().net_budget_requirement_pence(), 56985000000);
  EXPECT_NE(out.find("Council tax requirement"), std::string::npos);
  EXPECT_EQ(RunArgs({"precept", "compute", "tenants/wm", "2019-20"}, &out), kUsage);
  const std::string bad = TempFile("bad.json", "{not json");
  EXPECT_EQ(RunArgs({"precept", "compute", "tenants/wm", "2019-20", "--inputs=" + bad}, &out),
            kUsage);
}

TEST_F(BudgetCommandsTest, CompareTimetableImportExportChartsAndPlan) {
  std::string out;
  ASSERT_EQ(
      RunArgs({"precept", "compare", "tenants/wm/precepts/2023-24/scenarios/proposed",
               "tenants/wm/precepts/2023-24/scenarios/alt", "--tax-base=-100,100", "--grants=200"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(scenarios_.last_compare.tax_base_changes_bp_size(), 2);
  EXPECT_EQ(scenarios_.last_compare.grant_changes_bp(0), 200);
  EXPECT_NE(out.find("band_d  202.55    201.36  -1.19\n"), std::string::npos) << out;
  EXPECT_NE(out.find("-1.00%"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "compare", "a", "b", "--tax-base=x"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"precept", "timetable", "tenants/wm/precepts/2024-25"}, &out), kOk);
  EXPECT_NE(out.find("PANEL_REPORT  2024-02-08 Thu"), std::string::npos) << out;
  EXPECT_NE(out.find("IN_TIME"), std::string::npos) << out;
  // Issue 5 point 6: the meetings' source is chosen by --source and shown.
  EXPECT_EQ(precepts_.last_timetable.meeting_source(), budget::MEETING_SOURCE_UNSPECIFIED);
  EXPECT_NE(out.find("meetings from scheduling: 2 meeting(s) of tenants/wm/bodies/pcp"),
            std::string::npos)
      << out;
  ASSERT_EQ(
      RunArgs({"precept", "timetable", "tenants/wm/precepts/2024-25", "--source=stored"}, &out),
      kOk);
  EXPECT_EQ(precepts_.last_timetable.meeting_source(), budget::MEETING_SOURCE_STORED);
  EXPECT_NE(out.find("meetings from stored"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "timetable", "tenants/wm/precepts/2024-25", "--source=x"}, &out),
            kUsage);

  const std::string csv = TempFile("bases.csv", "id,title,tax_base,collection_fund\na,A,1,0\n");
  ASSERT_EQ(RunArgs({"precept", "import", "tenants/wm/precepts/2024-25", "tax_bases", csv}, &out),
            kOk)
      << out;
  EXPECT_EQ(precepts_.last_import.kind(), "tax_bases");
  EXPECT_NE(precepts_.last_import.csv().find("a,A,1,0"), std::string::npos);
  const std::string bad = TempFile("bad.csv", "bad");
  EXPECT_EQ(RunArgs({"precept", "import", "tenants/wm/precepts/2024-25", "tax_bases", bad}, &out),
            kInvalid);
  EXPECT_NE(out.find("line 2"), std::string::npos);

  ASSERT_EQ(RunArgs({"precept", "export", "tenants/wm/precepts/2019-20"}, &out), kOk);
  EXPECT_EQ(out, "format=csv\n");
  ASSERT_EQ(RunArgs({"precept", "export", "tenants/wm/precepts/2019-20", "--format=json"}, &out),
            kOk);
  EXPECT_EQ(out, "format=json\n");

  ASSERT_EQ(RunArgs({"precept", "charts", "tenants/wm/precepts/2019-20"}, &out), kOk);
  EXPECT_NE(out.find("Band A  135.03\n"), std::string::npos) << out;

  ASSERT_EQ(RunArgs({"plan", "show", "tenants/wm/plans/mtfp"}, &out), kOk);
  EXPECT_NE(out.find("2024-25"), std::string::npos) << out;
  EXPECT_NE(out.find("20,485.00"), std::string::npos) << out;
  EXPECT_NE(out.find("warning: 2024-25: RESERVES_BELOW_MINIMUM"), std::string::npos) << out;
}

TEST_F(BudgetCommandsTest, CycleStepsSendBandDInPence) {
  std::string out;
  const std::string name = "tenants/wm/precepts/2024-25";
  ASSERT_EQ(RunArgs({"precept", "report", name, "VETOED_TOO_HIGH",
                     "--vote=tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(precepts_.last_report.report().outcome(), budget::PANEL_OUTCOME_VETOED_TOO_HIGH);
  EXPECT_EQ(precepts_.last_report.report().vote(),
            "tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1");
  EXPECT_NE(out.find("PANEL_OUTCOME_VETOED_TOO_HIGH"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "report", name, "VETOED_TOO_HIGH"}, &out), kInvalid);
  EXPECT_EQ(RunArgs({"precept", "report", name, "MAYBE"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"precept", "report", name}, &out), kUsage);
  ASSERT_EQ(RunArgs({"precept", "issue", name, "--band-d=212.55"}, &out), kOk) << out;
  EXPECT_EQ(precepts_.last_issue.band_d_pence(), 21255);
  EXPECT_NE(out.find("212.55"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "issue", name, "--band-d=222.55"}, &out), kRuleBroken);
  EXPECT_EQ(RunArgs({"precept", "issue", name, "--band-d=1.234"}, &out), kUsage);
}

// R-PR-10, R-PR-03/12, R-PR-07, R-PR-11 and R-KD-08 are reachable from the CLI.
TEST_F(BudgetCommandsTest, PanelReviewFlagsInformationRequestsAndDecision) {
  std::string out;
  const std::string name = "tenants/wm/precepts/2024-25";
  ASSERT_EQ(RunArgs({"precept", "report", name, "SUPPORTED", "--equality-notes=EIA considered",
                     "--budget-doc=tenants/wm/documents/budget",
                     "--capital-doc=tenants/wm/documents/capital",
                     "--reserves-doc=tenants/wm/documents/reserves",
                     "--sub-committee=tenants/wm/bodies/budget-sub-group",
                     "--report-back=tenants/wm/bodies/pcp/meetings/2024-02-05",
                     "--sub-scenarios=" + name + "/scenarios/a," + name + "/scenarios/b",
                     "--findings=Consistent with the reserves strategy"},
                    &out),
            kOk)
      << out;
  const budget::PanelReport& r = precepts_.last_report.report();
  EXPECT_TRUE(r.equality_duty().due_regard());
  EXPECT_EQ(r.equality_duty().notes(), "EIA considered");
  EXPECT_EQ(r.scope().budget_document(), "tenants/wm/documents/budget");
  EXPECT_EQ(r.scope().capital_programme_document(), "tenants/wm/documents/capital");
  EXPECT_EQ(r.scope().reserves_strategy_document(), "tenants/wm/documents/reserves");
  EXPECT_EQ(r.sub_committee().body(), "tenants/wm/bodies/budget-sub-group");
  EXPECT_EQ(r.sub_committee().report_back_meeting(), "tenants/wm/bodies/pcp/meetings/2024-02-05");
  ASSERT_EQ(r.sub_committee().scenarios_size(), 2);
  EXPECT_EQ(r.sub_committee().scenarios(1), name + "/scenarios/b");
  EXPECT_NE(out.find("equality duty: due regard had: EIA considered"), std::string::npos) << out;
  EXPECT_NE(out.find("sub-committee: tenants/wm/bodies/budget-sub-group"), std::string::npos)
      << out;

  ASSERT_EQ(RunArgs({"precept", "info-request", name, "comparators", "COMPARATORS", "OPEN",
                     "--question=Most similar forces?"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(precepts_.last_info.information_request().topic(),
            budget::INFORMATION_TOPIC_COMPARATORS);
  EXPECT_EQ(precepts_.last_info.information_request().status(),
            budget::INFORMATION_REQUEST_STATUS_OPEN);
  EXPECT_NE(out.find("comparators  COMPARATORS  OPEN"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"precept", "info-request", name, "x", "WEATHER", "OPEN"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"precept", "info-request", name, "x", "RESERVES", "MAYBE"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"precept", "issue", name, "--band-d=212.55", "--decision=004-2019"}, &out),
            kOk)
      << out;
  EXPECT_EQ(precepts_.last_issue.pcc_decision_reference(), "004-2019");
  EXPECT_NE(out.find("004-2019"), std::string::npos) << out;
}

}  // namespace
}  // namespace moot::cli
