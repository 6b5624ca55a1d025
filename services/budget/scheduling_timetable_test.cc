// The precept timetable against a real scheduling service in process: the scheduling logic and
// its MeetingService over gRPC with authentication, and the budget service's GrpcMeetingDirectory
// asking it as the caller (issue 5 point 6).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/server_auth.h"
#include "libs/testing/test_database.h"
#include "libs/time/clock.h"
#include "services/budget/grpc_meeting_directory.h"
#include "services/budget/precept_logic.h"
#include "services/budget/precept_service.h"
#include "services/scheduling/meeting_service.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::budget {
namespace {

namespace sched = moot::scheduling::v1;
using google::protobuf::util::TimeUtil;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-timetable";

absl::Time London(int y, int m, int d, int h = 14) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), time::London());
}

class SchedulingTimetableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::JwtVerifierOptions options;
    options.hs256_secret = kSecret;
    options.algorithms = {"HS256"};
    options.clock = &clock_;
    auto verifier = auth::JwtVerifier::Create(options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::move(*verifier);
    auto signer = auth::JwtSigner::Hs256(kSecret);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = std::move(*signer);
    authenticator_ = std::make_unique<auth::Authenticator>(verifier_.get(), nullptr);
    server_auth_ = std::make_unique<auth::ServerAuth>(authenticator_.get());

    // Scheduling, with its own database.
    auto sdb = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(sdb.ok()) << sdb.status();
    scheduling_db_ = std::move(*sdb);
    scheduling_ = std::make_unique<scheduling::SchedulingLogic>(*scheduling_db_, outbox_, clock_,
                                                                ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    meeting_service_ = std::make_unique<scheduling::MeetingService>(*scheduling_, *server_auth_);
    scheduling_server_ = Serve(meeting_service_.get(), &scheduling_port_);
    ASSERT_NE(scheduling_server_, nullptr);
    directory_ = std::make_unique<GrpcMeetingDirectory>(
        absl::StrCat("127.0.0.1:", scheduling_port_), nullptr);

    // Budget, with its own database, reading meetings from scheduling.
    auto bdb = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(bdb.ok()) << bdb.status();
    budget_db_ = std::move(*bdb);
    precepts_ = std::make_unique<PreceptLogic>(*budget_db_, outbox_, clock_, ids_, tokens_, votes_,
                                               directory_.get());
    ASSERT_TRUE(precepts_->Migrate().ok());
    precept_service_ = std::make_unique<PreceptService>(*precepts_, *server_auth_);
    budget_server_ = Serve(precept_service_.get(), &budget_port_);
    ASSERT_NE(budget_server_, nullptr);
    stub_ = v1::PreceptService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", budget_port_), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (budget_server_) budget_server_->Shutdown();
    if (scheduling_server_) scheduling_server_->Shutdown();
  }

  std::unique_ptr<grpc::Server> Serve(grpc::Service* service, int* port) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
    builder.RegisterService(service);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
    f.push_back(server_auth_->InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(f));
    return builder.BuildAndStart();
  }

  std::string Bearer(auth::Role role) {
    auto token =
        signer_->SignToken({.principal = {"wm", "user:test", {role}}, .issued_at = clock_.Now()});
    EXPECT_TRUE(token.ok()) << token.status();
    return absl::StrCat("Bearer ", token.value_or(""));
  }

  // A meeting of the panel in scheduling, moved to `status` unless created so.
  void Meeting(const std::string& id, absl::Time start, sched::MeetingKind kind,
               sched::MeetingStatus status) {
    const auth::Principal officer{.tenant = "wm", .subject = "u", .roles = {auth::Role::kOfficer}};
    sched::CreateMeetingRequest create;
    create.set_parent("tenants/wm/bodies/pcp");
    create.set_meeting_id(id);
    create.mutable_meeting()->set_title("Police and Crime Panel");
    create.mutable_meeting()->set_kind(kind);
    *create.mutable_meeting()->mutable_start_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
    auto created = scheduling_->CreateMeeting(officer, create);
    ASSERT_TRUE(created.ok()) << created.status();
    if (created->status() != status) {
      sched::TransitionMeetingRequest move;
      move.set_name(created->name());
      move.set_status(status);
      move.set_reason("planned");
      auto moved = scheduling_->TransitionMeeting(officer, move);
      ASSERT_TRUE(moved.ok()) << moved.status();
    }
  }

  time::FakeClock clock_{London(2023, 12, 1)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  UnverifiableVoteLookup votes_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ServerAuth> server_auth_;
  std::unique_ptr<sql::Database> scheduling_db_;
  std::unique_ptr<scheduling::SchedulingLogic> scheduling_;
  std::unique_ptr<scheduling::MeetingService> meeting_service_;
  std::unique_ptr<grpc::Server> scheduling_server_;
  int scheduling_port_ = 0;
  std::unique_ptr<GrpcMeetingDirectory> directory_;
  std::unique_ptr<sql::Database> budget_db_;
  std::unique_ptr<PreceptLogic> precepts_;
  std::unique_ptr<PreceptService> precept_service_;
  std::unique_ptr<grpc::Server> budget_server_;
  int budget_port_ = 0;
  std::unique_ptr<v1::PreceptService::Stub> stub_;
};

TEST_F(SchedulingTimetableTest, TimetableChecksTheBodysMeetingsInScheduling) {
  const auth::Principal officer{.tenant = "wm", .subject = "u", .roles = {auth::Role::kOfficer}};
  sched::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("pcp");
  body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
  body.mutable_body()->set_kind(sched::BODY_KIND_PANEL);
  ASSERT_TRUE(scheduling_->CreateBody(officer, body).ok());
  // The 2024-25 cycle of the West Midlands demo: the January draft meeting (R-PR-04), the
  // February formal review (R-PR-05), the provisional meeting after a veto (R-PR-06), and a
  // cancelled meeting that must not count.
  Meeting("2024-01-15", London(2024, 1, 15), sched::MEETING_KIND_ORDINARY,
          sched::MEETING_STATUS_SCHEDULED);
  Meeting("2024-02-01", London(2024, 2, 1), sched::MEETING_KIND_ORDINARY,
          sched::MEETING_STATUS_CANCELLED);
  Meeting("2024-02-05", London(2024, 2, 5), sched::MEETING_KIND_ORDINARY,
          sched::MEETING_STATUS_SCHEDULED);
  Meeting("2024-02-19", London(2024, 2, 19), sched::MEETING_KIND_PROVISIONAL,
          sched::MEETING_STATUS_PROVISIONAL);

  v1::CreatePreceptRequest create;
  create.set_parent("tenants/wm");
  create.set_precept_id("2024-25");
  create.mutable_precept()->set_body("tenants/wm/bodies/pcp");
  create.mutable_precept()->set_council_tax_requirement_pence(19946300000);
  create.mutable_precept()->set_tax_base_hundredths(85723341);
  // A stale stored plan, which scheduling's meetings replace.
  auto* stored = create.mutable_precept()->add_planned_meetings();
  stored->set_step(v1::TIMETABLE_STEP_PANEL_REPORT);
  stored->set_date("2024-02-12");
  const auth::Principal finance{
      .tenant = "wm", .subject = "user:f", .roles = {auth::Role::kFinanceOfficer}};
  ASSERT_TRUE(precepts_->CreatePrecept(finance, create).ok());

  grpc::ClientContext context;
  context.AddMetadata("authorization", Bearer(auth::Role::kMember));
  v1::GetPreceptTimetableRequest request;
  request.set_name("tenants/wm/precepts/2024-25");
  v1::PreceptTimetable timetable;
  grpc::Status status = stub_->GetPreceptTimetable(&context, request, &timetable);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(timetable.meeting_source(), v1::MEETING_SOURCE_SCHEDULING);
  ASSERT_EQ(timetable.entries_size(), 5);
  const auto& report = timetable.entries(1);
  EXPECT_EQ(report.planned_meeting().meeting(), "tenants/wm/bodies/pcp/meetings/2024-02-05");
  EXPECT_EQ(report.planned_meeting().date(), "2024-02-05");
  EXPECT_EQ(report.check(), v1::MEETING_CHECK_IN_TIME);
  EXPECT_EQ(report.slack_days(), 3);
  const auto& second = timetable.entries(3);
  EXPECT_EQ(second.planned_meeting().meeting(), "tenants/wm/bodies/pcp/meetings/2024-02-19");
  EXPECT_TRUE(second.planned_meeting().provisional());
  EXPECT_EQ(second.check(), v1::MEETING_CHECK_IN_TIME);

  // The stored plan on request: the 12 February meeting is too late.
  grpc::ClientContext stored_context;
  stored_context.AddMetadata("authorization", Bearer(auth::Role::kMember));
  request.set_meeting_source(v1::MEETING_SOURCE_STORED);
  ASSERT_TRUE(stub_->GetPreceptTimetable(&stored_context, request, &timetable).ok());
  EXPECT_EQ(timetable.meeting_source(), v1::MEETING_SOURCE_STORED);
  EXPECT_EQ(timetable.entries(1).check(), v1::MEETING_CHECK_TOO_LATE);
}

}  // namespace
}  // namespace moot::budget
