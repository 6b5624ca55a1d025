// The people, members, attendance, declarations and voters commands, run in-process against
// fake scheduling services.
#include <gtest/gtest.h>

#include <sstream>

#include "grpcpp/grpcpp.h"
#include "moot/scheduling/v1/attendance.grpc.pb.h"
#include "moot/scheduling/v1/people.grpc.pb.h"
#include "tools/moot/cli.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

class FakePeople final : public sched::PersonService::Service {
 public:
  sched::CreatePersonRequest created;
  grpc::Status CreatePerson(grpc::ServerContext*, const sched::CreatePersonRequest* request,
                            sched::Person* response) override {
    created = *request;
    *response = request->person();
    response->set_name(request->parent() + "/people/" + request->person_id());
    return grpc::Status::OK;
  }
  grpc::Status GetPerson(grpc::ServerContext*, const sched::GetPersonRequest* request,
                         sched::Person* response) override {
    if (request->name() != "tenants/wm/people/kristina-murphy") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    }
    response->set_name(request->name());
    response->set_display_name("Kristina Murphy");
    response->set_member_type(sched::MEMBER_TYPE_INDEPENDENT);
    return grpc::Status::OK;
  }
  sched::SetPersonUserSubjectRequest linked;
  grpc::Status SetPersonUserSubject(grpc::ServerContext*,
                                    const sched::SetPersonUserSubjectRequest* request,
                                    sched::Person* response) override {
    linked = *request;
    response->set_name(request->name());
    response->set_user_subject(request->user_subject());
    return grpc::Status::OK;
  }
  grpc::Status ListPeople(grpc::ServerContext*, const sched::ListPeopleRequest*,
                          sched::ListPeopleResponse* response) override {
    auto* p = response->add_people();
    p->set_name("tenants/wm/people/raqeeb-aziz");
    p->set_display_name("Cllr Raqeeb Aziz");
    p->set_member_type(sched::MEMBER_TYPE_COUNCILLOR);
    p->set_appointing_authority("Birmingham City Council");
    response->set_next_page_token("next");
    return grpc::Status::OK;
  }
};

class FakeMemberships final : public sched::MembershipService::Service {
 public:
  sched::CreateMembershipRequest created;
  sched::EndMembershipRequest ended;
  grpc::Status CreateMembership(grpc::ServerContext*, const sched::CreateMembershipRequest* request,
                                sched::Membership* response) override {
    created = *request;
    *response = request->membership();
    response->set_name(request->parent() + "/memberships/m1");
    return grpc::Status::OK;
  }
  grpc::Status EndMembership(grpc::ServerContext*, const sched::EndMembershipRequest* request,
                             sched::Membership* response) override {
    ended = *request;
    if (request->name().ends_with("/ended")) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "already ended");
    }
    response->set_name(request->name());
    response->set_person("tenants/wm/people/derek-francis");
    response->set_start_date("2023-05-22");
    response->set_end_date(request->end_date());
    return grpc::Status::OK;
  }
};

class FakeAttendance final : public sched::AttendanceService::Service {
 public:
  sched::RecordAttendanceRequest recorded;
  sched::CreateDeclarationRequest declared;
  sched::ListDeclarationsRequest listed;
  sched::ListEligibleVotersRequest voters;
  grpc::Status RecordAttendance(grpc::ServerContext*, const sched::RecordAttendanceRequest* request,
                                sched::Attendance* response) override {
    recorded = *request;
    *response = request->attendance();
    return grpc::Status::OK;
  }
  grpc::Status ListAttendance(grpc::ServerContext*, const sched::ListAttendanceRequest*,
                              sched::ListAttendanceResponse* response) override {
    auto* a = response->add_attendance();
    a->set_person("tenants/wm/people/raqeeb-aziz");
    a->set_kind(sched::ATTENDANCE_KIND_PRESENT);
    a = response->add_attendance();
    a->set_person("tenants/wm/people/bano");
    a->set_kind(sched::ATTENDANCE_KIND_APOLOGIES);
    response->set_present_count(12);
    response->set_quorum(5);
    response->set_quorate(true);
    return grpc::Status::OK;
  }
  grpc::Status CreateDeclaration(grpc::ServerContext*,
                                 const sched::CreateDeclarationRequest* request,
                                 sched::Declaration* response) override {
    declared = *request;
    *response = request->declaration();
    response->set_name(request->parent() + "/declarations/d1");
    return grpc::Status::OK;
  }
  grpc::Status ListDeclarations(grpc::ServerContext*, const sched::ListDeclarationsRequest* request,
                                sched::ListDeclarationsResponse* response) override {
    listed = *request;
    if (!request->agenda_item().empty()) {
      return grpc::Status::OK;  // Nothing on that item.
    }
    auto* d = response->add_declarations();
    d->set_person("tenants/wm/people/gareth-moore");
    d->set_agenda_item(request->parent() + "/agendaItems/7");
    d->set_kind(sched::INTEREST_KIND_SENSITIVE);
    d->set_nature_withheld(true);
    return grpc::Status::OK;
  }
  grpc::Status ListEligibleVoters(grpc::ServerContext*,
                                  const sched::ListEligibleVotersRequest* request,
                                  sched::ListEligibleVotersResponse* response) override {
    voters = *request;
    auto* e = response->add_members();
    e->set_person("tenants/wm/people/raqeeb-aziz");
    e->set_eligible(true);
    e = response->add_members();
    e->set_person("tenants/wm/people/sabina-ditta");
    e->set_reason("INTEREST_WITHOUT_DISPENSATION");
    response->set_member_count(16);
    response->set_eligible_count(11);
    response->set_present_count(12);
    return grpc::Status::OK;
  }
};

class AttendanceCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&people_);
    builder.RegisterService(&members_);
    builder.RegisterService(&attendance_);
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

  FakePeople people_;
  FakeMemberships members_;
  FakeAttendance attendance_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";

TEST_F(AttendanceCommandsTest, PeopleCreateGetList) {
  std::string out;
  ASSERT_EQ(RunArgs({"people", "create", "tenants/wm", "adele-brown", "--display-name=Adele Brown",
                     "--type=independent", "--party=None"},
                    &out),
            kOk)
      << out;
  EXPECT_EQ(people_.created.person_id(), "adele-brown");
  EXPECT_EQ(people_.created.person().member_type(), sched::MEMBER_TYPE_INDEPENDENT);
  EXPECT_EQ(people_.created.person().party(), "None");
  EXPECT_NE(out.find("tenants/wm/people/adele-brown"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"people", "create", "tenants/wm", "x", "--type=co-opted"}, &out), kOk);
  EXPECT_EQ(people_.created.person().member_type(), sched::MEMBER_TYPE_CO_OPTED);
  EXPECT_EQ(RunArgs({"people", "create", "tenants/wm", "x", "--type=mayor"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"people", "get", "tenants/wm/people/kristina-murphy"}, &out), kOk);
  EXPECT_NE(out.find("Kristina Murphy"), std::string::npos) << out;
  EXPECT_NE(out.find("INDEPENDENT"), std::string::npos);
  EXPECT_EQ(RunArgs({"people", "get", "tenants/wm/people/nobody"}, &out), kNotFound);

  ASSERT_EQ(RunArgs({"people", "list", "tenants/wm"}, &out), kOk);
  EXPECT_NE(out.find("Birmingham City Council"), std::string::npos) << out;
  EXPECT_NE(out.find("more: --page-token=next"), std::string::npos);
  ASSERT_EQ(RunArgs({"--json", "people", "list", "tenants/wm"}, &out), kOk);
  EXPECT_NE(out.find("\"appointingAuthority\""), std::string::npos) << out;
}

TEST_F(AttendanceCommandsTest, PeopleLinkSetsTheUserSubject) {
  std::string out;
  ASSERT_EQ(
      RunArgs({"people", "link", "tenants/wm/people/raqeeb-aziz", "user:demo-member", "--etag=7"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(people_.linked.name(), "tenants/wm/people/raqeeb-aziz");
  EXPECT_EQ(people_.linked.user_subject(), "user:demo-member");
  EXPECT_EQ(people_.linked.etag(), "7");
  EXPECT_NE(out.find("user:demo-member"), std::string::npos);
  EXPECT_EQ(RunArgs({"people", "link", "tenants/wm/people/raqeeb-aziz"}, &out), kUsage);
}

TEST_F(AttendanceCommandsTest, MembersAddAndEnd) {
  std::string out;
  ASSERT_EQ(RunArgs({"members", "add", "tenants/wm/bodies/pcp", "sub-a", "2023-05-22",
                     "--role=substitute", "--voting=no", "--to=2024-05-19"},
                    &out),
            kOk)
      << out;
  const auto& m = members_.created.membership();
  EXPECT_EQ(m.person(), "tenants/wm/people/sub-a");
  EXPECT_EQ(m.role(), sched::MEMBERSHIP_ROLE_SUBSTITUTE);
  EXPECT_FALSE(m.voting());
  EXPECT_EQ(m.start_date(), "2023-05-22");
  EXPECT_EQ(m.end_date(), "2024-05-19");
  ASSERT_EQ(RunArgs({"members", "add", "tenants/wm/bodies/pcp", "tenants/wm/people/x", "2023-05-22",
                     "--role=vice-chair"},
                    &out),
            kOk);
  EXPECT_EQ(members_.created.membership().role(), sched::MEMBERSHIP_ROLE_VICE_CHAIR);
  EXPECT_TRUE(members_.created.membership().voting());
  EXPECT_EQ(
      RunArgs({"members", "add", "tenants/wm/bodies/pcp", "x", "2023-05-22", "--role=boss"}, &out),
      kUsage);
  EXPECT_EQ(RunArgs({"members", "add", "tenants/wm/bodies/pcp", "x"}, &out), kUsage);

  ASSERT_EQ(
      RunArgs({"members", "end", "tenants/wm/bodies/pcp/memberships/m1", "2024-05-19", "--etag=3"},
              &out),
      kOk)
      << out;
  EXPECT_EQ(members_.ended.end_date(), "2024-05-19");
  EXPECT_EQ(members_.ended.etag(), "3");
  EXPECT_NE(out.find("2024-05-19"), std::string::npos);
  EXPECT_EQ(
      RunArgs({"members", "end", "tenants/wm/bodies/pcp/memberships/ended", "2024-05-19"}, &out),
      kRuleBroken);
}

TEST_F(AttendanceCommandsTest, AttendanceRecordAndList) {
  std::string out;
  ASSERT_EQ(RunArgs({"attendance", "record", kMeeting, "sub-a", "substitute", "--on-behalf-of=bano",
                     "--arrived=14:20"},
                    &out),
            kOk)
      << out;
  const auto& a = attendance_.recorded.attendance();
  EXPECT_EQ(attendance_.recorded.parent(), kMeeting);
  EXPECT_EQ(a.person(), "tenants/wm/people/sub-a");
  EXPECT_EQ(a.kind(), sched::ATTENDANCE_KIND_SUBSTITUTE);
  EXPECT_EQ(a.on_behalf_of(), "tenants/wm/people/bano");
  EXPECT_EQ(a.arrived_at(), "14:20");
  EXPECT_NE(out.find("for tenants/wm/people/bano"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"attendance", "record", kMeeting, "simon-foster", "also-present",
                     "--capacity=Police and Crime Commissioner"},
                    &out),
            kOk);
  EXPECT_EQ(attendance_.recorded.attendance().kind(), sched::ATTENDANCE_KIND_ALSO_PRESENT);
  EXPECT_EQ(RunArgs({"attendance", "record", kMeeting, "x", "asleep"}, &out), kUsage);
  EXPECT_EQ(RunArgs({"attendance", "record", kMeeting, "x", "present", "--nature=x"}, &out),
            kUsage);

  ASSERT_EQ(RunArgs({"attendance", "list", kMeeting}, &out), kOk);
  EXPECT_NE(out.find("APOLOGIES"), std::string::npos) << out;
  EXPECT_NE(out.find("present: 12, quorum: 5 (quorate)"), std::string::npos) << out;
}

TEST_F(AttendanceCommandsTest, DeclarationsAddAndList) {
  std::string out;
  ASSERT_EQ(RunArgs({"declarations", "add", kMeeting, "gareth-moore", "7", "dpi",
                     "--nature=Shareholder", "--dispensation=Monitoring Officer, 4 Sep 2023"},
                    &out),
            kOk)
      << out;
  const auto& d = attendance_.declared.declaration();
  EXPECT_EQ(d.agenda_item(), std::string(kMeeting) + "/agendaItems/7");
  EXPECT_EQ(d.kind(), sched::INTEREST_KIND_DISCLOSABLE_PECUNIARY);
  EXPECT_TRUE(d.dispensation());
  EXPECT_EQ(d.dispensation_detail(), "Monitoring Officer, 4 Sep 2023");
  ASSERT_EQ(RunArgs({"declarations", "add", kMeeting, "x", "7", "sensitive"}, &out), kOk);
  EXPECT_EQ(attendance_.declared.declaration().kind(), sched::INTEREST_KIND_SENSITIVE);
  EXPECT_FALSE(attendance_.declared.declaration().dispensation());
  ASSERT_EQ(
      RunArgs({"declarations", "add", kMeeting, "x", "7", "other", "--nature=Governor"}, &out),
      kOk);
  EXPECT_EQ(attendance_.declared.declaration().kind(), sched::INTEREST_KIND_OTHER_REGISTERABLE);
  EXPECT_EQ(RunArgs({"declarations", "add", kMeeting, "x", "7", "hobby"}, &out), kUsage);

  ASSERT_EQ(RunArgs({"declarations", "list", kMeeting}, &out), kOk);
  EXPECT_NE(out.find("(withheld)"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"declarations", "list", kMeeting, "--item=2"}, &out), kOk);
  EXPECT_EQ(attendance_.listed.agenda_item(), std::string(kMeeting) + "/agendaItems/2");
  EXPECT_EQ(out, "None declared.\n");
}

TEST_F(AttendanceCommandsTest, VotersAtALocalTime) {
  std::string out;
  const std::string item = std::string(kMeeting) + "/agendaItems/8";
  ASSERT_EQ(RunArgs({"voters", item, "--at=2023-09-11T15:00"}, &out), kOk) << out;
  EXPECT_EQ(attendance_.voters.agenda_item(), item);
  EXPECT_EQ(attendance_.voters.vote_time().seconds(), 1694440800);  // 14:00 UTC (BST)
  EXPECT_NE(out.find("INTEREST_WITHOUT_DISPENSATION"), std::string::npos) << out;
  EXPECT_NE(out.find("members (N): 16, eligible: 11"), std::string::npos) << out;
  ASSERT_EQ(RunArgs({"voters", item, "--at=2023-11-13T14:30:00Z"}, &out), kOk);
  EXPECT_EQ(attendance_.voters.vote_time().seconds(), 1699885800);
  ASSERT_EQ(RunArgs({"voters", item}, &out), kOk);
  EXPECT_FALSE(attendance_.voters.has_vote_time());
  EXPECT_EQ(RunArgs({"voters", item, "--at=half past two"}, &out), kUsage);
}

}  // namespace
}  // namespace moot::cli
