#include "services/budget/grpc_meeting_directory.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/server_auth.h"
#include "libs/testing/test_database.h"
#include "libs/time/clock.h"
#include "services/budget/precept_logic.h"
#include "services/budget/precept_service.h"

namespace moot::budget {
namespace {

namespace sched = moot::scheduling::v1;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-budget";

sched::Meeting Meeting(const std::string& id, const std::string& date,
                       sched::MeetingKind kind = sched::MEETING_KIND_ORDINARY,
                       sched::MeetingStatus status = sched::MEETING_STATUS_SCHEDULED) {
  sched::Meeting m;
  m.set_name("tenants/wm/bodies/pcp/meetings/" + id);
  m.set_local_date(date);
  m.set_kind(kind);
  m.set_status(status);
  return m;
}

TEST(GrpcMeetingDirectoryTest, MapsSchedulingsMeeting) {
  struct Case {
    sched::MeetingKind kind;
    sched::MeetingStatus status;
    std::string date;
    bool kept;
    bool provisional;
  };
  const Case cases[] = {
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_SCHEDULED, "2024-02-05", true, false},
      {sched::MEETING_KIND_PROVISIONAL, sched::MEETING_STATUS_SCHEDULED, "2024-02-19", true, true},
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_PROVISIONAL, "2024-02-19", true, true},
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_HELD, "2024-02-05", true, false},
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_CANCELLED, "2024-02-05", false, false},
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_POSTPONED, "2024-02-05", false, false},
      {sched::MEETING_KIND_ORDINARY, sched::MEETING_STATUS_SCHEDULED, "", false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(sched::MeetingKind_Name(c.kind), " ",
                              sched::MeetingStatus_Name(c.status), " ", c.date));
    BodyMeeting out;
    EXPECT_EQ(GrpcMeetingDirectory::FromMeeting(Meeting("m", c.date, c.kind, c.status), &out),
              c.kept);
    if (c.kept) {
      EXPECT_EQ(out.name, "tenants/wm/bodies/pcp/meetings/m");
      EXPECT_EQ(absl::FormatCivilTime(out.date), c.date);
      EXPECT_EQ(out.provisional, c.provisional);
    }
  }
}

// Scheduling's MeetingService, in process: two pages of the body's meetings; it records the
// authorization each call carried.
class FakeMeetings final : public sched::MeetingService::Service {
 public:
  grpc::Status ListMeetings(grpc::ServerContext* context, const sched::ListMeetingsRequest* request,
                            sched::ListMeetingsResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      auto it = context->client_metadata().find("authorization");
      authorizations_.push_back(it == context->client_metadata().end()
                                    ? "-"
                                    : std::string(it->second.data(), it->second.size()));
      parents_.push_back(request->parent());
    }
    if (request->parent() != "tenants/wm/bodies/pcp") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->parent() + " not found");
    }
    if (request->page_token().empty()) {
      *response->add_meetings() = Meeting("2023-11-20", "2023-11-20");  // before the window
      *response->add_meetings() = Meeting("2024-01-15", "2024-01-15");
      *response->add_meetings() = Meeting("2024-02-05", "2024-02-05");
      response->set_next_page_token("page2");
    } else {
      *response->add_meetings() = Meeting("2024-02-12", "2024-02-12", sched::MEETING_KIND_ORDINARY,
                                          sched::MEETING_STATUS_CANCELLED);
      *response->add_meetings() =
          Meeting("2024-02-19", "2024-02-19", sched::MEETING_KIND_PROVISIONAL,
                  sched::MEETING_STATUS_PROVISIONAL);
      *response->add_meetings() = Meeting("2024-06-10", "2024-06-10");  // after it
    }
    return grpc::Status::OK;
  }
  std::vector<std::string> authorizations() {
    absl::MutexLock lock(&mu_);
    return authorizations_;
  }
  std::vector<std::string> parents() {
    absl::MutexLock lock(&mu_);
    return parents_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> parents_ ABSL_GUARDED_BY(mu_);
};

std::unique_ptr<grpc::Server> Serve(grpc::Service* service, int* port,
                                    auth::ServerAuth* server_auth = nullptr) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  if (server_auth != nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
    f.push_back(server_auth->InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(f));
  }
  return builder.BuildAndStart();
}

TEST(GrpcMeetingDirectoryTest, PagesThroughTheBodysMeetingsInTheWindow) {
  FakeMeetings fake;
  int port = 0;
  auto server = Serve(&fake, &port);
  ASSERT_NE(server, nullptr);
  GrpcMeetingDirectory directory(absl::StrCat("127.0.0.1:", port), nullptr);
  const auth::Principal officer{.tenant = "wm", .subject = "u", .roles = {auth::Role::kOfficer}};
  auto meetings = directory.ListMeetings(officer, "tenants/wm/bodies/pcp", MeetingWindowStart(2024),
                                         MeetingWindowEnd(2024));
  ASSERT_TRUE(meetings.ok()) << meetings.status();
  std::vector<std::string> names;
  for (const auto& m : *meetings) {
    names.push_back(m.name.substr(m.name.rfind('/') + 1));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"2024-01-15", "2024-02-05", "2024-02-19"}));
  EXPECT_TRUE(meetings->back().provisional);
  EXPECT_EQ(fake.parents().size(), 2u);  // both pages
  // Without a forwarded caller no credentials are sent.
  EXPECT_EQ(fake.authorizations(), (std::vector<std::string>{"-", "-"}));
  EXPECT_EQ(directory
                .ListMeetings(officer, "tenants/wm/bodies/other", MeetingWindowStart(2024),
                              MeetingWindowEnd(2024))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  server->Shutdown();
  GrpcMeetingDirectory nowhere("127.0.0.1:1", nullptr);
  EXPECT_EQ(nowhere
                .ListMeetings(officer, "tenants/wm/bodies/pcp", MeetingWindowStart(2024),
                              MeetingWindowEnd(2024))
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

// End to end: a caller asks the budget service (over gRPC, authenticated) for the timetable; the
// budget service asks scheduling with the caller's own authorization and checks the deadlines
// against scheduling's meetings.
TEST(GrpcMeetingDirectoryTest, TimetableReadsSchedulingAsTheCaller) {
  FakeMeetings scheduling;
  int scheduling_port = 0;
  auto scheduling_server = Serve(&scheduling, &scheduling_port);
  ASSERT_NE(scheduling_server, nullptr);
  GrpcMeetingDirectory directory(absl::StrCat("127.0.0.1:", scheduling_port), nullptr);

  auto db = moot::testing::OpenTestDatabase();
  ASSERT_TRUE(db.ok()) << db.status();
  time::FakeClock clock(absl::FromUnixSeconds(1705000000));  // January 2024
  ids::SequentialIdGenerator ids("ev");
  api::PageTokens tokens("test-secret");
  events::Outbox outbox;
  UnverifiableVoteLookup votes;
  PreceptLogic logic(**db, outbox, clock, ids, tokens, votes, &directory);
  ASSERT_TRUE(logic.Migrate().ok());
  v1::CreatePreceptRequest create;
  create.set_parent("tenants/wm");
  create.set_precept_id("2024-25");
  create.mutable_precept()->set_body("tenants/wm/bodies/pcp");
  create.mutable_precept()->set_council_tax_requirement_pence(19946300000);
  create.mutable_precept()->set_tax_base_hundredths(85723341);
  const auth::Principal finance{
      .tenant = "wm", .subject = "user:f", .roles = {auth::Role::kFinanceOfficer}};
  ASSERT_TRUE(logic.CreatePrecept(finance, create).ok());

  auth::JwtVerifierOptions options;
  options.hs256_secret = kSecret;
  options.algorithms = {"HS256"};
  options.clock = &clock;
  auto verifier = auth::JwtVerifier::Create(options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auto signer = auth::JwtSigner::Hs256(kSecret);
  ASSERT_TRUE(signer.ok()) << signer.status();
  auth::Authenticator authenticator(verifier->get(), nullptr);
  auth::ServerAuth server_auth(&authenticator);
  PreceptService service(logic, server_auth);
  int budget_port = 0;
  auto budget_server = Serve(&service, &budget_port, &server_auth);
  ASSERT_NE(budget_server, nullptr);
  auto stub = v1::PreceptService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", budget_port), grpc::InsecureChannelCredentials()));

  auto token = (*signer)->SignToken(
      {.principal = {"wm", "user:member", {auth::Role::kMember}}, .issued_at = clock.Now()});
  ASSERT_TRUE(token.ok()) << token.status();
  const std::string bearer = absl::StrCat("Bearer ", *token);
  grpc::ClientContext context;
  context.AddMetadata("authorization", bearer);
  v1::GetPreceptTimetableRequest request;
  request.set_name("tenants/wm/precepts/2024-25");
  v1::PreceptTimetable timetable;
  grpc::Status status = stub->GetPreceptTimetable(&context, request, &timetable);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(timetable.meeting_source(), v1::MEETING_SOURCE_SCHEDULING);
  EXPECT_EQ(timetable.entries(1).planned_meeting().meeting(),
            "tenants/wm/bodies/pcp/meetings/2024-02-05");
  EXPECT_EQ(timetable.entries(1).check(), v1::MEETING_CHECK_IN_TIME);
  EXPECT_EQ(timetable.entries(3).planned_meeting().meeting(),
            "tenants/wm/bodies/pcp/meetings/2024-02-19");
  EXPECT_EQ(scheduling.authorizations(), (std::vector<std::string>{bearer, bearer}));

  // The stored planned meetings (none here) when asked for explicitly; scheduling is not asked.
  grpc::ClientContext stored_context;
  stored_context.AddMetadata("authorization", bearer);
  request.set_meeting_source(v1::MEETING_SOURCE_STORED);
  ASSERT_TRUE(stub->GetPreceptTimetable(&stored_context, request, &timetable).ok());
  EXPECT_EQ(timetable.meeting_source(), v1::MEETING_SOURCE_STORED);
  EXPECT_EQ(timetable.entries(1).check(), v1::MEETING_CHECK_NO_MEETING);
  EXPECT_EQ(scheduling.authorizations().size(), 2u);
  budget_server->Shutdown();
  scheduling_server->Shutdown();
}

}  // namespace
}  // namespace moot::budget
