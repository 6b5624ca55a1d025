// `moot` commands for who sits on bodies and who attended: people, members (memberships),
// attendance, declarations of interest, and who may vote on an item.
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "moot/scheduling/v1/attendance.grpc.pb.h"
#include "moot/scheduling/v1/people.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

// "VICE_CHAIR" for MEMBERSHIP_ROLE_VICE_CHAIR: an enum value's name without its prefix.
std::string Short(const std::string& name, absl::string_view prefix) {
  absl::string_view v = name;
  absl::ConsumePrefix(&v, prefix);
  return std::string(v);
}

// Parses "vice-chair" / "VICE_CHAIR" / "MEMBERSHIP_ROLE_VICE_CHAIR" into an enum of `parse`.
template <typename Enum, typename Parse>
bool ParseEnum(const std::string& text, const std::string& prefix, Parse parse, Enum* out) {
  std::string upper = absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}}));
  if (!absl::StartsWith(upper, prefix)) {
    upper = prefix + upper;
  }
  return parse(upper, out);
}

// A person's resource name from an id or a full name, within the tenant of `context_name`.
std::string PersonName(const std::string& person, const std::string& context_name) {
  if (absl::StartsWith(person, "tenants/")) {
    return person;
  }
  const std::string tenant = context_name.substr(0, context_name.find('/', 8));
  return absl::StrCat(tenant, "/people/", person);
}

int PeopleList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::PersonService::NewStub(s.channel());
  sched::ListPeopleRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  sched::ListPeopleResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListPeople(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : response.people()) {
    rows.push_back({p.name(), Short(sched::MemberType_Name(p.member_type()), "MEMBER_TYPE_"),
                    p.display_name(), p.appointing_authority(), p.party()});
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"NAME", "TYPE", "DISPLAY NAME", "APPOINTED BY", "PARTY"}, rows);
  return kOk;
}

int PrintPerson(const Session& s, const sched::Person& p, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(p) << "\n";
    return kOk;
  }
  PrintTable(out, {"FIELD", "VALUE"},
             {{"name", p.name()},
              {"display name", p.display_name()},
              {"honorific", p.honorific()},
              {"type", Short(sched::MemberType_Name(p.member_type()), "MEMBER_TYPE_")},
              {"appointed by", p.appointing_authority()},
              {"party", p.party()},
              {"account (user subject)", p.user_subject().empty() ? "-" : p.user_subject()},
              {"created", Time(p.create_time())}});
  return kOk;
}

int PeopleGet(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = sched::PersonService::NewStub(s.channel());
  sched::GetPersonRequest request;
  request.set_name(name);
  sched::Person person;
  auto context = s.Context();
  grpc::Status status = stub->GetPerson(context.get(), request, &person);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintPerson(s, person, out);
}

// Links a person to the account whose JWT subject is `subject` ("" unlinks): members see the
// drafts of the bodies they belong to through that link.
int PeopleLink(const Session& s, const std::string& name, const std::string& subject,
               std::ostream& out, std::ostream& err) {
  auto stub = sched::PersonService::NewStub(s.channel());
  sched::SetPersonUserSubjectRequest request;
  request.set_name(name);
  request.set_user_subject(subject);
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Person person;
  auto context = s.Context();
  grpc::Status status = stub->SetPersonUserSubject(context.get(), request, &person);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintPerson(s, person, out);
}

int PeopleCreate(const Session& s, const std::vector<std::string>& a, std::ostream& out,
                 std::ostream& err) {
  sched::CreatePersonRequest request;
  request.set_parent(a[0]);
  request.set_person_id(a[1]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Person* p = request.mutable_person();
  p->set_display_name(Flag(s.options(), "display-name", ""));
  p->set_honorific(Flag(s.options(), "honorific", ""));
  p->set_appointing_authority(Flag(s.options(), "authority", ""));
  p->set_party(Flag(s.options(), "party", ""));
  sched::MemberType type = sched::MEMBER_TYPE_UNSPECIFIED;
  if (!ParseEnum(Flag(s.options(), "type", ""), "MEMBER_TYPE_", &sched::MemberType_Parse, &type)) {
    err << "error: --type must be councillor, independent, co-opted or officer\n";
    return kUsage;
  }
  p->set_member_type(type);
  auto stub = sched::PersonService::NewStub(s.channel());
  sched::Person person;
  auto context = s.Context();
  grpc::Status status = stub->CreatePerson(context.get(), request, &person);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintPerson(s, person, out);
}

std::vector<std::string> MembershipRow(const sched::Membership& m) {
  return {m.name(),
          m.person(),
          sched::MembershipRole_Name(m.role()),
          m.voting() ? "yes" : "no",
          m.start_date(),
          m.end_date().empty() ? "-" : m.end_date()};
}
const std::vector<std::string>& MembershipHeader() {
  static const auto* header =
      new std::vector<std::string>{"NAME", "PERSON", "ROLE", "VOTING", "FROM", "TO"};
  return *header;
}

// Memberships of a body: every one (ListMemberships), or those in force on --at=YYYY-MM-DD
// (ListMembersAt).
int MembersList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::MembershipService::NewStub(s.channel());
  auto context = s.Context();
  const std::string at = Flag(s.options(), "at", "");
  std::vector<std::vector<std::string>> rows;
  if (!at.empty()) {
    sched::ListMembersAtRequest request;
    request.set_parent(parent);
    request.set_date(at);
    sched::ListMembersAtResponse response;
    grpc::Status status = stub->ListMembersAt(context.get(), request, &response);
    if (!status.ok()) {
      return Fail(status, err);
    }
    for (const auto& m : response.memberships()) {
      rows.push_back(MembershipRow(m));
    }
    PrintPage(s, response, "", out, MembershipHeader(), rows);
    return kOk;
  }
  sched::ListMembershipsRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  sched::ListMembershipsResponse response;
  grpc::Status status = stub->ListMemberships(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  for (const auto& m : response.memberships()) {
    rows.push_back(MembershipRow(m));
  }
  PrintPage(s, response, response.next_page_token(), out, MembershipHeader(), rows);
  return kOk;
}

int PrintMembership(const Session& s, const sched::Membership& m, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(m) << "\n";
    return kOk;
  }
  PrintTable(out, MembershipHeader(), {MembershipRow(m)});
  return kOk;
}

// members add BODY PERSON FROM [--to=] [--role=] [--voting=yes|no] [--id=]
int MembersAdd(const Session& s, const std::vector<std::string>& a, std::ostream& out,
               std::ostream& err) {
  sched::CreateMembershipRequest request;
  request.set_parent(a[0]);
  request.set_membership_id(Flag(s.options(), "id", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Membership* m = request.mutable_membership();
  m->set_person(PersonName(a[1], a[0]));
  m->set_start_date(a[2]);
  m->set_end_date(Flag(s.options(), "to", ""));
  sched::MembershipRole role = sched::MEMBERSHIP_ROLE_MEMBER;
  if (!ParseEnum(Flag(s.options(), "role", "member"), "MEMBERSHIP_ROLE_",
                 &sched::MembershipRole_Parse, &role)) {
    err << "error: --role must be chair, vice-chair, member or substitute\n";
    return kUsage;
  }
  m->set_role(role);
  const std::string voting = Flag(s.options(), "voting", "yes");
  if (voting != "yes" && voting != "no") {
    err << "error: --voting must be yes or no\n";
    return kUsage;
  }
  m->set_voting(voting == "yes");
  auto stub = sched::MembershipService::NewStub(s.channel());
  sched::Membership membership;
  auto context = s.Context();
  grpc::Status status = stub->CreateMembership(context.get(), request, &membership);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintMembership(s, membership, out);
}

// members end MEMBERSHIP DATE [--etag=]
int MembersEnd(const Session& s, const std::vector<std::string>& a, std::ostream& out,
               std::ostream& err) {
  sched::EndMembershipRequest request;
  request.set_name(a[0]);
  request.set_end_date(a[1]);
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  auto stub = sched::MembershipService::NewStub(s.channel());
  sched::Membership membership;
  auto context = s.Context();
  grpc::Status status = stub->EndMembership(context.get(), request, &membership);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintMembership(s, membership, out);
}

std::vector<std::string> AttendanceRow(const sched::Attendance& a) {
  std::string note = a.reason();
  if (!a.on_behalf_of().empty()) {
    note = absl::StrCat("for ", a.on_behalf_of());
  } else if (!a.capacity().empty()) {
    note = a.capacity();
  }
  return {a.person(), Short(sched::AttendanceKind_Name(a.kind()), "ATTENDANCE_KIND_"),
          a.arrived_at().empty() ? "-" : a.arrived_at(), a.left_at().empty() ? "-" : a.left_at(),
          note};
}

// attendance record MEETING PERSON KIND [--reason= --on-behalf-of= --capacity= --arrived=
// --left= --etag=]
int AttendanceRecord(const Session& s, const std::vector<std::string>& a, std::ostream& out,
                     std::ostream& err) {
  sched::RecordAttendanceRequest request;
  request.set_parent(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Attendance* row = request.mutable_attendance();
  row->set_person(PersonName(a[1], a[0]));
  sched::AttendanceKind kind = sched::ATTENDANCE_KIND_UNSPECIFIED;
  if (!ParseEnum(a[2], "ATTENDANCE_KIND_", &sched::AttendanceKind_Parse, &kind)) {
    err << "error: KIND must be present, apologies, substitute, also-present or absent\n";
    return kUsage;
  }
  row->set_kind(kind);
  row->set_reason(Flag(s.options(), "reason", ""));
  const std::string on_behalf_of = Flag(s.options(), "on-behalf-of", "");
  if (!on_behalf_of.empty()) {
    row->set_on_behalf_of(PersonName(on_behalf_of, a[0]));
  }
  row->set_capacity(Flag(s.options(), "capacity", ""));
  row->set_arrived_at(Flag(s.options(), "arrived", ""));
  row->set_left_at(Flag(s.options(), "left", ""));
  row->set_etag(Flag(s.options(), "etag", ""));
  auto stub = sched::AttendanceService::NewStub(s.channel());
  sched::Attendance recorded;
  auto context = s.Context();
  grpc::Status status = stub->RecordAttendance(context.get(), request, &recorded);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(recorded) << "\n";
    return kOk;
  }
  PrintTable(out, {"PERSON", "KIND", "ARRIVED", "LEFT", "NOTE"}, {AttendanceRow(recorded)});
  return kOk;
}

int AttendanceList(const Session& s, const std::string& parent, std::ostream& out,
                   std::ostream& err) {
  auto stub = sched::AttendanceService::NewStub(s.channel());
  sched::ListAttendanceRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  sched::ListAttendanceResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAttendance(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : response.attendance()) {
    rows.push_back(AttendanceRow(row));
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"PERSON", "KIND", "ARRIVED", "LEFT", "NOTE"}, rows);
  if (!s.options().json) {
    out << "present: " << response.present_count() << ", quorum: "
        << (response.quorum() == 0 ? std::string("none set") : absl::StrCat(response.quorum()))
        << (response.quorate() ? " (quorate)" : " (NOT quorate)") << "\n";
  }
  return kOk;
}

// The agenda item from a number ("2") or a resource name.
std::string ItemName(const std::string& item, const std::string& meeting) {
  return absl::StartsWith(item, "tenants/") ? item : absl::StrCat(meeting, "/agendaItems/", item);
}

std::vector<std::string> DeclarationRow(const sched::Declaration& d) {
  std::string nature = d.nature_withheld() ? "(withheld)" : d.nature();
  return {d.agenda_item().substr(d.agenda_item().rfind('/') + 1), d.person(),
          Short(sched::InterestKind_Name(d.kind()), "INTEREST_KIND_"), nature,
          d.dispensation() ? d.dispensation_detail() : "-"};
}

// declarations add MEETING PERSON ITEM KIND [--nature=] [--dispensation=DETAIL]
int DeclarationsAdd(const Session& s, const std::vector<std::string>& a, std::ostream& out,
                    std::ostream& err) {
  sched::CreateDeclarationRequest request;
  request.set_parent(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Declaration* d = request.mutable_declaration();
  d->set_person(PersonName(a[1], a[0]));
  d->set_agenda_item(ItemName(a[2], a[0]));
  std::string kind_text = absl::AsciiStrToLower(a[3]);
  if (kind_text == "dpi") {
    kind_text = "disclosable-pecuniary";
  } else if (kind_text == "other") {
    kind_text = "other-registerable";
  }
  sched::InterestKind kind = sched::INTEREST_KIND_UNSPECIFIED;
  if (!ParseEnum(kind_text, "INTEREST_KIND_", &sched::InterestKind_Parse, &kind)) {
    err << "error: KIND must be dpi, other, sensitive or non-registerable\n";
    return kUsage;
  }
  d->set_kind(kind);
  d->set_nature(Flag(s.options(), "nature", ""));
  const std::string dispensation = Flag(s.options(), "dispensation", "");
  d->set_dispensation(!dispensation.empty());
  d->set_dispensation_detail(dispensation);
  auto stub = sched::AttendanceService::NewStub(s.channel());
  sched::Declaration created;
  auto context = s.Context();
  grpc::Status status = stub->CreateDeclaration(context.get(), request, &created);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(created) << "\n";
    return kOk;
  }
  PrintTable(out, {"ITEM", "PERSON", "KIND", "NATURE", "DISPENSATION"}, {DeclarationRow(created)});
  out << "name: " << created.name() << "\n";
  return kOk;
}

int DeclarationsList(const Session& s, const std::string& parent, std::ostream& out,
                     std::ostream& err) {
  auto stub = sched::AttendanceService::NewStub(s.channel());
  sched::ListDeclarationsRequest request;
  request.set_parent(parent);
  const std::string item = Flag(s.options(), "item", "");
  if (!item.empty()) {
    request.set_agenda_item(ItemName(item, parent));
  }
  SetPage(s.options(), request);
  sched::ListDeclarationsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListDeclarations(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.declarations()) {
    rows.push_back(DeclarationRow(d));
  }
  if (rows.empty() && !s.options().json) {
    out << "None declared.\n";
    return kOk;
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"ITEM", "PERSON", "KIND", "NATURE", "DISPENSATION"}, rows);
  return kOk;
}

// voters ITEM [--at=TIME]: TIME is RFC 3339 or "YYYY-MM-DDTHH:MM" in Europe/London.
int Voters(const Session& s, const std::string& item, std::ostream& out, std::ostream& err) {
  sched::ListEligibleVotersRequest request;
  request.set_agenda_item(item);
  const std::string at = Flag(s.options(), "at", "");
  if (!at.empty()) {
    absl::Time t;
    std::string why;
    absl::TimeZone london;
    if (!absl::LoadTimeZone("Europe/London", &london)) {
      london = absl::UTCTimeZone();
    }
    if (!absl::ParseTime(absl::RFC3339_full, at, &t, &why) &&
        !absl::ParseTime("%Y-%m-%dT%H:%M", at, london, &t, &why)) {
      err << "error: --at must be RFC 3339 or YYYY-MM-DDTHH:MM (Europe/London), got " << at << "\n";
      return kUsage;
    }
    request.mutable_vote_time()->set_seconds(absl::ToUnixSeconds(t));
  }
  auto stub = sched::AttendanceService::NewStub(s.channel());
  sched::ListEligibleVotersResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListEligibleVoters(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.members()) {
    rows.push_back({e.person(), e.eligible() ? "yes" : "no", e.reason().empty() ? "-" : e.reason(),
                    e.on_behalf_of().empty() ? "-" : e.on_behalf_of()});
  }
  PrintTable(out, {"PERSON", "MAY VOTE", "REASON", "IN PLACE OF"}, rows);
  out << "members (N): " << response.member_count() << ", eligible: " << response.eligible_count()
      << ", present: " << response.present_count() << ", quorum: "
      << (response.quorum() == 0 ? std::string("none set") : absl::StrCat(response.quorum()))
      << (response.quorate() ? " (quorate)" : " (NOT quorate)") << "\n";
  return kOk;
}

}  // namespace

std::vector<Command> AttendanceCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"people list",
       "TENANT",
       "e.g. moot people list tenants/west-midlands",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PeopleList(s, a[0], o, e);
       }},
      {"people get",
       "PERSON",
       "one person by resource name",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PeopleGet(s, a[0], o, e);
       }},
      {"people link",
       "PERSON SUBJECT",
       "link a person to an account's JWT subject (\"\" unlinks); members see their bodies' drafts",
       2,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PeopleLink(s, a[0], a[1], o, e);
       }},
      {"people create",
       "TENANT PERSON_ID",
       "--display-name=... --type=councillor|independent|co-opted|officer",
       2,
       {"display-name", "type", "honorific", "authority", "party"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PeopleCreate(s, a, o, e);
       }},
      {"members list",
       "BODY",
       "a body's memberships (those in force on a date with --at=YYYY-MM-DD)",
       1,
       {"at"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MembersList(s, a[0], o, e);
       }},
      {"members add",
       "BODY PERSON FROM",
       "a membership from YYYY-MM-DD [--to= --role=chair|vice-chair|member|substitute]",
       3,
       {"to", "role", "voting", "id"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MembersAdd(s, a, o, e);
       }},
      {"members end",
       "MEMBERSHIP DATE",
       "end a membership on YYYY-MM-DD (kept in the history)",
       2,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MembersEnd(s, a, o, e);
       }},
      {"attendance record",
       "MEETING PERSON KIND",
       "KIND present|apologies|substitute|also-present|absent",
       3,
       {"reason", "on-behalf-of", "capacity", "arrived", "left", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return AttendanceRecord(s, a, o, e);
       }},
      {"attendance list",
       "MEETING",
       "who attended, with the quorum check",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return AttendanceList(s, a[0], o, e);
       }},
      {"declarations add",
       "MEETING PERSON ITEM KIND",
       "KIND dpi|other|sensitive|non-registerable; --nature=, --dispensation=DETAIL",
       4,
       {"nature", "dispensation"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return DeclarationsAdd(s, a, o, e);
       }},
      {"declarations list",
       "MEETING",
       "declarations of interest (one item with --item=N)",
       1,
       {"item"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return DeclarationsList(s, a[0], o, e);
       }},
      {"voters",
       "ITEM",
       "who may vote on an agenda item (--at=YYYY-MM-DDTHH:MM, default the start)",
       1,
       {"at"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Voters(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
