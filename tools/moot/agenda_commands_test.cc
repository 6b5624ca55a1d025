// `moot agenda ...` against in-process fakes of AgendaService and MeetingService.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

sched::AgendaVersion SupplementVersion() {
  sched::AgendaVersion v;
  v.set_name(std::string(kMeeting) + "/agendaVersions/2");
  v.set_version(2);
  v.set_supplement(true);
  v.set_late(true);
  v.set_published_by("user:demo-officer");
  auto* item = v.add_agenda_items();
  item->set_number(14);
  item->set_title("CHIEF CONSTABLE VACANCY");
  item->set_kind(sched::AGENDA_ITEM_KIND_URGENT_BUSINESS);
  item->set_chair_approved_by("Cllr Jasbir Jaspal (Chair)");
  item = v.add_agenda_items();
  item->set_number(8);
  item->set_title("POLICE AND CRIME COMMISSIONER ANNUAL REPORT 2022-23");
  v.mutable_diff()->set_from_version(1);
  v.mutable_diff()->add_added(14);
  v.mutable_diff()->add_removed(9);
  auto* change = v.mutable_diff()->add_changed();
  change->set_number(8);
  change->add_fields("title");
  change->add_fields("approximate_time");
  v.add_warnings("AGENDA_TIME_AFTER_END: item 14 (16:45) is after the meeting's end (16:30)");
  return v;
}

class FakeAgenda final : public sched::AgendaService::Service {
 public:
  sched::CreateAgendaItemRequest last_create;

  grpc::Status ListAgendaItems(grpc::ServerContext*, const sched::ListAgendaItemsRequest* request,
                               sched::ListAgendaItemsResponse* response) override {
    if (request->parent() != kMeeting) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->parent());
    }
    auto* item = response->add_agenda_items();
    item->set_number(1);
    item->set_title("NOTICE OF RECORDING");
    item->set_kind(sched::AGENDA_ITEM_KIND_NOTICE_OF_RECORDING);
    item->set_approximate_time("14:00");
    response->add_warnings("AGENDA_TIME_NOT_INCREASING: item 3 (10:05) is not after item 2");
    return grpc::Status::OK;
  }
  grpc::Status CreateAgendaItem(grpc::ServerContext*, const sched::CreateAgendaItemRequest* request,
                                sched::AgendaItem* response) override {
    last_create = *request;
    if (request->agenda_item().exempt_paragraph() > 7) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "agenda_item.exempt_paragraph: a paragraph 1..7 of Schedule 12A");
    }
    *response = request->agenda_item();
    response->set_name(std::string(kMeeting) + "/agendaItems/" +
                       std::to_string(request->agenda_item().number()));
    return grpc::Status::OK;
  }
  grpc::Status CreateAgendaFromTemplate(
      grpc::ServerContext*, const sched::CreateAgendaFromTemplateRequest*,
      sched::CreateAgendaFromTemplateResponse* response) override {
    for (auto kind :
         {sched::AGENDA_ITEM_KIND_NOTICE_OF_RECORDING, sched::AGENDA_ITEM_KIND_APOLOGIES}) {
      auto* item = response->add_agenda_items();
      item->set_number(response->agenda_items_size());
      item->set_kind(kind);
      item->set_title(kind == sched::AGENDA_ITEM_KIND_APOLOGIES ? "APOLOGIES"
                                                                : "NOTICE OF RECORDING");
    }
    response->set_created(templates_++ == 0);
    return grpc::Status::OK;
  }
  grpc::Status ListAgendaVersions(grpc::ServerContext*, const sched::ListAgendaVersionsRequest*,
                                  sched::ListAgendaVersionsResponse* response) override {
    auto* first = response->add_agenda_versions();
    first->set_version(1);
    first->set_historical(true);
    first->mutable_diff()->add_added(1);
    auto* second = response->add_agenda_versions();
    *second = SupplementVersion();
    second->clear_agenda_items();
    return grpc::Status::OK;
  }
  grpc::Status GetAgendaVersion(grpc::ServerContext*, const sched::GetAgendaVersionRequest* request,
                                sched::AgendaVersion* response) override {
    if (request->name() != std::string(kMeeting) + "/agendaVersions/2") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    }
    *response = SupplementVersion();
    return grpc::Status::OK;
  }

 private:
  int templates_ = 0;
};

class FakeMeetings final : public sched::MeetingService::Service {
 public:
  bool refuse = false;
  grpc::Status PublishAgenda(grpc::ServerContext*, const sched::PublishAgendaRequest* request,
                             sched::Meeting* response) override {
    if (refuse) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the agenda publication deadline has passed");
    }
    response->set_name(request->name());
    response->set_agenda_version(2);
    return grpc::Status::OK;
  }
};

class AgendaCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&agenda_);
    builder.RegisterService(&meetings_);
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

  FakeAgenda agenda_;
  FakeMeetings meetings_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

bool Has(const std::string& out, const std::string& text) {
  return out.find(text) != std::string::npos;
}

TEST_F(AgendaCommandsTest, ListPrintsItemsAndWarnings) {
  std::string out;
  ASSERT_EQ(RunArgs({"agenda", "list", kMeeting}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "NOTICE_OF_RECORDING")) << out;
  EXPECT_TRUE(Has(out, "warning: AGENDA_TIME_NOT_INCREASING")) << out;
  ASSERT_EQ(RunArgs({"--json", "agenda", "list", kMeeting}, &out), kOk);
  EXPECT_TRUE(Has(out, "\"warnings\"")) << out;
  EXPECT_EQ(RunArgs({"agenda", "list", "tenants/wm/bodies/pcp/meetings/nope"}, &out), kNotFound);
}

TEST_F(AgendaCommandsTest, PublishPrintsTheSupplementsChanges) {
  std::string out;
  ASSERT_EQ(RunArgs({"agenda", "publish", kMeeting}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "published supplement, version 2 of " + std::string(kMeeting))) << out;
  EXPECT_TRUE(Has(out, "(late: urgent business)")) << out;
  EXPECT_TRUE(Has(out, "added 14; removed 9; changed 8 (title, approximate_time)")) << out;
  EXPECT_TRUE(Has(out, "warning: AGENDA_TIME_AFTER_END")) << out;
  meetings_.refuse = true;
  EXPECT_EQ(RunArgs({"agenda", "publish", kMeeting}, &out), kRuleBroken);
  EXPECT_TRUE(Has(out, "deadline")) << out;
}

TEST_F(AgendaCommandsTest, VersionsAndDiff) {
  std::string out;
  ASSERT_EQ(RunArgs({"agenda", "versions", kMeeting}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "historical")) << out;
  EXPECT_TRUE(Has(out, "supplement")) << out;
  EXPECT_TRUE(Has(out, "late")) << out;
  ASSERT_EQ(RunArgs({"agenda", "diff", kMeeting, "2"}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "version 2 against version 1")) << out;
  EXPECT_TRUE(Has(out, "CHIEF CONSTABLE VACANCY")) << out;
  EXPECT_TRUE(Has(out, "removed")) << out;
  EXPECT_TRUE(Has(out, "title, approximate_time")) << out;
  EXPECT_EQ(RunArgs({"agenda", "diff", kMeeting, "1"}, &out), kNotFound);
  EXPECT_EQ(RunArgs({"agenda", "diff", kMeeting, "two"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"agenda", "diff", kMeeting}, &out), kUsage);
}

TEST_F(AgendaCommandsTest, AddItemSendsEveryFlag) {
  std::string out;
  ASSERT_EQ(
      RunArgs(
          {"agenda", "add-item", kMeeting, "--number=6", "--title=Criminal Justice System",
           "--kind=REPORT", "--format=VERBAL_UPDATE", "--time=11:10",
           "--presenters=Tash Cullen – 2nd Chances Charter; Nat Wilks – Peer Hearing",
           "--documents=tenants/wm/documents/cjs,tenants/wm/documents/cjs-annex",
           "--exempt-paragraph=3", "--public-interest-reason=Commercial terms", "--request-id=r1"},
          &out),
      kOk)
      << out;
  const auto& item = agenda_.last_create.agenda_item();
  EXPECT_EQ(agenda_.last_create.parent(), kMeeting);
  EXPECT_EQ(agenda_.last_create.request_id(), "r1");
  EXPECT_EQ(item.number(), 6);
  EXPECT_EQ(item.kind(), sched::AGENDA_ITEM_KIND_REPORT);
  EXPECT_EQ(item.format(), sched::AGENDA_ITEM_FORMAT_VERBAL_UPDATE);
  EXPECT_EQ(item.approximate_time(), "11:10");
  ASSERT_EQ(item.presenters_size(), 2);
  EXPECT_EQ(item.presenters(1), "Nat Wilks – Peer Hearing");
  EXPECT_EQ(item.documents_size(), 2);
  EXPECT_TRUE(item.exempt());
  EXPECT_EQ(item.exempt_paragraph(), 3);
  EXPECT_TRUE(Has(out, "created " + std::string(kMeeting) + "/agendaItems/6")) << out;

  EXPECT_EQ(RunArgs({"agenda", "add-item", kMeeting, "--title=X"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"agenda", "add-item", kMeeting, "--number=1", "--kind=BOGUS"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"agenda", "add-item", kMeeting, "--number=1", "--exempt-paragraph=9"}, &out),
            kInvalid);
}

TEST_F(AgendaCommandsTest, FromTemplateSaysWhetherItCreated) {
  std::string out;
  ASSERT_EQ(RunArgs({"agenda", "from-template", kMeeting}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "created 2 standing items")) << out;
  EXPECT_TRUE(Has(out, "APOLOGIES")) << out;
  ASSERT_EQ(RunArgs({"agenda", "from-template", kMeeting}, &out), kOk) << out;
  EXPECT_TRUE(Has(out, "already in place: 2 standing items")) << out;
}

}  // namespace
}  // namespace moot::cli
