// `moot` commands for a body's life and its meetings' life cycle: bodies get|create|update|check,
// meetings create|update|reschedule|cancel|postpone|confirm|held.
//
// Times (--start, --end) are "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM" in Europe/London, or
// RFC 3339 with an offset ("2024-02-19T14:00:00Z").
#include <algorithm>
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

bool Has(const Options& o, const std::string& flag) { return o.flags.count(flag) > 0; }

absl::TimeZone London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) {
    tz = absl::UTCTimeZone();
  }
  return tz;
}

bool ParseWhen(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error) ||
      absl::ParseTime("%Y-%m-%d %H:%M", text, London(), &t, &error) ||
      absl::ParseTime("%Y-%m-%dT%H:%M", text, London(), &t, &error)) {
    out->set_seconds(absl::ToUnixSeconds(t));
    out->set_nanos(0);
    return true;
  }
  return false;
}

// "panel" -> BODY_KIND_PANEL (also the full enum name).
template <typename Enum>
bool ParseEnum(const std::string& prefix, const std::string& text,
               bool (*parse)(const std::string&, Enum*), Enum* out) {
  std::string upper = absl::AsciiStrToUpper(text);
  absl::StrReplaceAll({{"-", "_"}}, &upper);
  return parse(upper, out) || parse(absl::StrCat(prefix, upper), out);
}

// "third Tuesday at 10:00 (180 min), months 1,3", or "-".
std::string PatternText(const sched::BodyRules& r) {
  if (!r.has_meeting_pattern()) {
    return "-";
  }
  const auto& p = r.meeting_pattern();
  static const char* kOrdinals[] = {"?", "first", "second", "third", "fourth"};
  std::string weekday = sched::Weekday_Name(p.weekday());
  absl::StrReplaceAll({{"WEEKDAY_", ""}}, &weekday);
  std::string text = absl::StrCat(
      p.ordinal() == -1 ? "last"
                        : kOrdinals[p.ordinal() >= 1 && p.ordinal() <= 4 ? p.ordinal() : 0],
      " ", absl::AsciiStrToLower(weekday), " at ", p.start_time());
  if (p.duration_minutes() > 0) {
    absl::StrAppend(&text, " (", p.duration_minutes(), " min)");
  }
  if (!p.months().empty()) {
    absl::StrAppend(&text, ", months ", absl::StrJoin(p.months(), ","));
  }
  if (!p.venue().empty()) {
    absl::StrAppend(&text, ", ", p.venue());
  }
  return text;
}

int PrintBody(const Session& s, const sched::Body& b, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(b) << "\n";
    return kOk;
  }
  const auto& r = b.rules();
  auto rule = [](const sched::DeadlineRule& d) {
    std::string unit = sched::DayUnit_Name(d.unit());
    absl::StrReplaceAll({{"DAY_UNIT_", ""}}, &unit);
    return absl::StrCat(d.days(), " ", absl::AsciiStrToLower(unit), " days, by ",
                        d.cutoff_time().empty() ? "23:59" : d.cutoff_time());
  };
  std::vector<std::vector<std::string>> rows = {
      {"name", b.name()},
      {"display name", b.display_name()},
      {"kind", sched::BodyKind_Name(b.kind())},
      {"host authority", b.host_authority()},
      {"website", b.website()},
      {"contact", b.contact()},
      {"question deadline", rule(r.public_question_deadline())},
      {"one question per person", r.one_question_per_person() ? "yes" : "no"},
      {"agenda publication", rule(r.agenda_publication())},
      {"quorum", r.quorum() == 0 ? "-" : absl::StrCat(r.quorum())},
      {"minute numbering", sched::MinuteNumbering_Name(r.minute_numbering())},
      {"default venue", r.default_venue()},
      {"default webcast", r.default_webcast_provider()},
      {"public meetings webcast", r.public_meetings_webcast() ? "yes" : "no"},
      {"meeting pattern", PatternText(r)},
      {"etag", b.etag()},
  };
  if (b.kind() == sched::BODY_KIND_SUB_GROUP) {
    rows.push_back({"parent body", b.parent_body()});
    rows.push_back({"terms of reference", b.terms_of_reference()});
    rows.push_back({"end date", b.end_date()});
    rows.push_back({"reports to", b.reports_to()});
    rows.push_back({"meeting window",
                    b.meeting_window_start().empty()
                        ? "-"
                        : absl::StrCat(b.meeting_window_start(), " to ", b.meeting_window_end())});
    for (const std::string& m : b.report_meetings()) {
      rows.push_back({"reports at", m});
    }
    rows.push_back({"cost centre", b.cost_centre()});
    for (const std::string& c : b.role_clauses()) {
      rows.push_back({"role", c});
    }
  }
  for (const std::string& w : b.warnings()) {
    rows.push_back({"warning", w});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

int PrintMeetingDetail(const Session& s, const sched::Meeting& m, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(m) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", m.name()},
      {"title", m.title()},
      {"kind", sched::MeetingKind_Name(m.kind())},
      {"status", sched::MeetingStatus_Name(m.status())},
      {"status reason", m.status_reason()},
      {"starts", Time(m.start_time())},
      {"ends", Time(m.end_time())},
      {"ended", m.actual_end_local_time().empty() ? "-" : m.actual_end_local_time()},
      {"venue", m.venue()},
      {"webcast", m.webcast_provider()},
      {"webcast url", m.webcast_url()},
      {"question deadline", Time(m.question_deadline())},
      {"publication deadline", Time(m.publication_deadline())},
      {"sequence", absl::StrCat(m.sequence())},
      {"etag", m.etag()}};
  for (const std::string& w : m.warnings()) {
    rows.push_back({"warning", w});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

// R-MTG-05: the municipal year's meetings from the body's pattern, proposed or created.
int MeetingsPropose(const Session& s, const std::string& body, std::ostream& out,
                    std::ostream& err) {
  const Options& o = s.options();
  sched::ProposeMeetingsRequest request;
  request.set_parent(body);
  request.set_municipal_year(Flag(o, "year", ""));
  request.set_create(Flag(o, "create", "false") == "true");
  request.set_request_id(Flag(o, "request-id", ""));
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::ProposeMeetingsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ProposeMeetings(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (o.json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : response.meetings()) {
    rows.push_back({m.local_date(), Time(m.start_time()), m.title(), m.venue(),
                    response.created() ? m.name() : "(proposed)"});
  }
  for (const auto& skipped : response.skipped()) {
    rows.push_back({skipped.date(), "-", "skipped: " + skipped.reason(), "", ""});
  }
  std::sort(rows.begin(), rows.end());
  PrintTable(out, {"DATE", "STARTS", "TITLE", "VENUE", "MEETING"}, rows);
  return kOk;
}

// R-MTG-05: --pattern-weekday=tuesday --pattern-ordinal=3|last --pattern-time=10:00
// [--pattern-duration=180 --pattern-months=1,3 --pattern-venue --pattern-title] set the body's
// whole meeting pattern; --pattern-weekday=none removes it.
bool PatternFromFlags(const Options& o, sched::BodyRules* rules, std::vector<std::string>* paths,
                      std::ostream& err) {
  static const std::vector<std::string> kFlags = {
      "pattern-weekday", "pattern-ordinal", "pattern-time", "pattern-duration",
      "pattern-months",  "pattern-venue",   "pattern-title"};
  if (std::none_of(kFlags.begin(), kFlags.end(), [&](const auto& f) { return Has(o, f); })) {
    return true;
  }
  paths->push_back("rules.meeting_pattern");
  if (Flag(o, "pattern-weekday", "") == "none") {
    rules->clear_meeting_pattern();
    return true;
  }
  sched::MeetingPattern* p = rules->mutable_meeting_pattern();
  sched::Weekday weekday;
  if (!ParseEnum<sched::Weekday>("WEEKDAY_", Flag(o, "pattern-weekday", ""), &sched::Weekday_Parse,
                                 &weekday)) {
    err << "error: --pattern-weekday must be monday..sunday (or none)\n";
    return false;
  }
  p->set_weekday(weekday);
  const std::string ordinal = absl::AsciiStrToLower(Flag(o, "pattern-ordinal", ""));
  int n = 0;
  if (ordinal == "last") {
    n = -1;
  } else if (!absl::SimpleAtoi(ordinal, &n)) {
    err << "error: --pattern-ordinal must be 1..4 or last\n";
    return false;
  }
  p->set_ordinal(n);
  p->set_start_time(Flag(o, "pattern-time", ""));
  if (Has(o, "pattern-duration")) {
    int minutes = 0;
    if (!absl::SimpleAtoi(Flag(o, "pattern-duration", ""), &minutes)) {
      err << "error: --pattern-duration must be a number of minutes\n";
      return false;
    }
    p->set_duration_minutes(minutes);
  }
  for (absl::string_view part :
       absl::StrSplit(Flag(o, "pattern-months", ""), ',', absl::SkipWhitespace())) {
    int month = 0;
    if (!absl::SimpleAtoi(part, &month)) {
      err << "error: --pattern-months must be month numbers, e.g. 1,3,6\n";
      return false;
    }
    p->add_months(month);
  }
  p->set_venue(Flag(o, "pattern-venue", ""));
  p->set_title(Flag(o, "pattern-title", ""));
  return true;
}

// Applies the rule flags to `rules`; adds the mask paths; false with a message on bad values.
bool RulesFromFlags(const Options& o, sched::BodyRules* rules, std::vector<std::string>* paths,
                    std::ostream& err) {
  for (const auto& [prefix, field] :
       {std::pair<std::string, std::string>{"question", "public_question_deadline"},
        {"publication", "agenda_publication"}}) {
    if (!Has(o, prefix + "-days") && !Has(o, prefix + "-unit")) {
      continue;
    }
    sched::DeadlineRule* rule = field == "agenda_publication"
                                    ? rules->mutable_agenda_publication()
                                    : rules->mutable_public_question_deadline();
    int days = 0;
    if (!absl::SimpleAtoi(Flag(o, prefix + "-days", ""), &days)) {
      err << "error: --" << prefix << "-days must be a whole number\n";
      return false;
    }
    rule->set_days(days);
    sched::DayUnit unit;
    if (!ParseEnum<sched::DayUnit>("DAY_UNIT_", Flag(o, prefix + "-unit", ""),
                                   &sched::DayUnit_Parse, &unit)) {
      err << "error: --" << prefix << "-unit must be calendar, working or clear\n";
      return false;
    }
    rule->set_unit(unit);
    paths->push_back("rules." + field);
  }
  if (Has(o, "quorum")) {
    int quorum = 0;
    if (!absl::SimpleAtoi(Flag(o, "quorum", ""), &quorum)) {
      err << "error: --quorum must be a whole number\n";
      return false;
    }
    rules->set_quorum(quorum);
    paths->push_back("rules.quorum");
  }
  if (Has(o, "one-question")) {
    rules->set_one_question_per_person(Flag(o, "one-question", "") == "true");
    paths->push_back("rules.one_question_per_person");
  }
  if (Has(o, "default-venue")) {
    rules->set_default_venue(Flag(o, "default-venue", ""));
    paths->push_back("rules.default_venue");
  }
  if (Has(o, "default-webcast-provider")) {
    rules->set_default_webcast_provider(Flag(o, "default-webcast-provider", ""));
    paths->push_back("rules.default_webcast_provider");
  }
  if (Has(o, "webcast-public")) {
    // R-MTG-06: the body's public meetings are webcast.
    rules->set_public_meetings_webcast(Flag(o, "webcast-public", "") == "true");
    paths->push_back("rules.public_meetings_webcast");
  }
  return PatternFromFlags(o, rules, paths, err);
}

// The plain text fields of a body shared by create and update, with their mask paths.
void BodyFieldsFromFlags(const Options& o, sched::Body* body, std::vector<std::string>* paths) {
  const std::vector<std::pair<std::string, std::string*>> fields = {
      {"display-name", body->mutable_display_name()},
      {"description", body->mutable_description()},
      {"terms-of-reference", body->mutable_terms_of_reference()},
      {"end-date", body->mutable_end_date()},
      {"reports-to", body->mutable_reports_to()},
      {"host-authority", body->mutable_host_authority()},
      {"website", body->mutable_website()},
      {"contact", body->mutable_contact()},
      {"cost-centre", body->mutable_cost_centre()},
  };
  for (const auto& [flag, field] : fields) {
    if (Has(o, flag)) {
      *field = Flag(o, flag, "");
      std::string path = flag;
      absl::StrReplaceAll({{"-", "_"}}, &path);
      paths->push_back(path);
    }
  }
  // R-SG-05: the window and the parent's meetings it reports to; R-SG-07: the role clauses.
  if (Has(o, "window-start") || Has(o, "window-end")) {
    body->set_meeting_window_start(Flag(o, "window-start", ""));
    body->set_meeting_window_end(Flag(o, "window-end", ""));
    paths->push_back("meeting_window_start");
    paths->push_back("meeting_window_end");
  }
  if (Has(o, "report-meetings")) {
    for (absl::string_view m :
         absl::StrSplit(Flag(o, "report-meetings", ""), ',', absl::SkipWhitespace())) {
      body->add_report_meetings(std::string(absl::StripAsciiWhitespace(m)));
    }
    paths->push_back("report_meetings");
  }
  if (Has(o, "role-clauses")) {
    for (absl::string_view c :
         absl::StrSplit(Flag(o, "role-clauses", ""), '|', absl::SkipWhitespace())) {
      body->add_role_clauses(std::string(absl::StripAsciiWhitespace(c)));
    }
    paths->push_back("role_clauses");
  }
}

int BodiesGet(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::GetBodyRequest request;
  request.set_name(name);
  sched::Body body;
  auto context = s.Context();
  grpc::Status status = stub->GetBody(context.get(), request, &body);
  return status.ok() ? PrintBody(s, body, out) : Fail(status, err);
}

int BodiesCreate(const Session& s, const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err) {
  const Options& o = s.options();
  sched::CreateBodyRequest request;
  request.set_parent(args[0]);
  request.set_body_id(args[1]);
  request.set_request_id(Flag(o, "request-id", ""));
  sched::Body* body = request.mutable_body();
  std::vector<std::string> paths;
  BodyFieldsFromFlags(o, body, &paths);
  sched::BodyKind kind = sched::BODY_KIND_UNSPECIFIED;
  if (!ParseEnum<sched::BodyKind>("BODY_KIND_", Flag(o, "kind", ""), &sched::BodyKind_Parse,
                                  &kind)) {
    err << "error: --kind must be panel, board, sub-group or committee\n";
    return kUsage;
  }
  body->set_kind(kind);
  body->set_parent_body(Flag(o, "parent-body", ""));
  if (!RulesFromFlags(o, body->mutable_rules(), &paths, err)) {
    return kUsage;
  }
  if (!body->has_rules() || body->rules().ByteSizeLong() == 0) {
    body->clear_rules();  // Defaults by kind.
  }
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::Body created;
  auto context = s.Context();
  grpc::Status status = stub->CreateBody(context.get(), request, &created);
  return status.ok() ? PrintBody(s, created, out) : Fail(status, err);
}

int BodiesUpdate(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  const Options& o = s.options();
  sched::UpdateBodyRequest request;
  request.set_request_id(Flag(o, "request-id", ""));
  sched::Body* body = request.mutable_body();
  body->set_name(name);
  body->set_etag(Flag(o, "etag", ""));
  std::vector<std::string> paths;
  BodyFieldsFromFlags(o, body, &paths);
  if (!RulesFromFlags(o, body->mutable_rules(), &paths, err)) {
    return kUsage;
  }
  if (paths.empty()) {
    err << "error: nothing to change (give e.g. --display-name, --quorum, --question-days)\n";
    return kUsage;
  }
  for (const std::string& p : paths) {
    request.mutable_update_mask()->add_paths(p);
  }
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::Body updated;
  auto context = s.Context();
  grpc::Status status = stub->UpdateBody(context.get(), request, &updated);
  return status.ok() ? PrintBody(s, updated, out) : Fail(status, err);
}

int BodiesCheck(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::CheckSubGroupRequest request;
  request.set_name(name);
  request.set_date(Flag(s.options(), "date", ""));
  sched::SubGroupCheck check;
  auto context = s.Context();
  grpc::Status status = stub->CheckSubGroup(context.get(), request, &check);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(check) << "\n";
    return kOk;
  }
  out << check.body() << " on " << check.date() << ": " << check.members_size() << " members\n";
  for (const std::string& m : check.members()) {
    out << "member: " << m << "\n";
  }
  for (const std::string& w : check.warnings()) {
    out << "warning: " << w << "\n";
  }
  return kOk;
}

int MeetingsCreate(const Session& s, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  const Options& o = s.options();
  sched::CreateMeetingRequest request;
  request.set_parent(args[0]);
  request.set_meeting_id(args[1]);
  request.set_request_id(Flag(o, "request-id", ""));
  sched::Meeting* m = request.mutable_meeting();
  m->set_title(Flag(o, "title", ""));
  if (!ParseWhen(Flag(o, "start", ""), m->mutable_start_time())) {
    err << "error: --start must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
    return kUsage;
  }
  if (Has(o, "end") && !ParseWhen(Flag(o, "end", ""), m->mutable_end_time())) {
    err << "error: --end must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
    return kUsage;
  }
  if (Has(o, "kind")) {
    sched::MeetingKind kind;
    if (!ParseEnum<sched::MeetingKind>("MEETING_KIND_", Flag(o, "kind", ""),
                                       &sched::MeetingKind_Parse, &kind)) {
      err << "error: --kind must be ordinary, agm, extraordinary, confirmation-hearing or "
             "provisional\n";
      return kUsage;
    }
    m->set_kind(kind);
  }
  m->set_venue(Flag(o, "venue", ""));
  m->set_webcast_provider(Flag(o, "webcast-provider", ""));
  m->set_webcast_url(Flag(o, "webcast-url", ""));
  if (Flag(o, "draft", "false") == "true") {
    m->set_status(sched::MEETING_STATUS_DRAFT);
  }
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::Meeting created;
  auto context = s.Context();
  grpc::Status status = stub->CreateMeeting(context.get(), request, &created);
  return status.ok() ? PrintMeetingDetail(s, created, out) : Fail(status, err);
}

int MeetingsUpdate(const Session& s, const std::string& name, std::ostream& out,
                   std::ostream& err) {
  const Options& o = s.options();
  sched::UpdateMeetingRequest request;
  request.set_request_id(Flag(o, "request-id", ""));
  sched::Meeting* m = request.mutable_meeting();
  m->set_name(name);
  m->set_etag(Flag(o, "etag", ""));
  const std::vector<std::pair<std::string, std::string*>> fields = {
      {"title", m->mutable_title()},
      {"venue", m->mutable_venue()},
      {"webcast-provider", m->mutable_webcast_provider()},
      {"webcast-url", m->mutable_webcast_url()},
  };
  for (const auto& [flag, field] : fields) {
    if (Has(o, flag)) {
      *field = Flag(o, flag, "");
      std::string path = flag;
      absl::StrReplaceAll({{"-", "_"}}, &path);
      request.mutable_update_mask()->add_paths(path);
    }
  }
  if (Has(o, "end")) {
    if (!ParseWhen(Flag(o, "end", ""), m->mutable_end_time())) {
      err << "error: --end must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
      return kUsage;
    }
    request.mutable_update_mask()->add_paths("end_time");
  }
  if (Has(o, "ended")) {
    if (!ParseWhen(Flag(o, "ended", ""), m->mutable_actual_end_time())) {
      err << "error: --ended must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
      return kUsage;
    }
    request.mutable_update_mask()->add_paths("actual_end_time");
  }
  if (request.update_mask().paths().empty()) {
    err << "error: nothing to change (give --title, --venue, --webcast-provider, --webcast-url, "
           "--end or --ended)\n";
    return kUsage;
  }
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::Meeting updated;
  auto context = s.Context();
  grpc::Status status = stub->UpdateMeeting(context.get(), request, &updated);
  return status.ok() ? PrintMeetingDetail(s, updated, out) : Fail(status, err);
}

int MeetingsReschedule(const Session& s, const std::string& name, std::ostream& out,
                       std::ostream& err) {
  const Options& o = s.options();
  sched::RescheduleMeetingRequest request;
  request.set_name(name);
  request.set_reason(Flag(o, "reason", ""));
  request.set_request_id(Flag(o, "request-id", ""));
  if (!ParseWhen(Flag(o, "start", ""), request.mutable_start_time())) {
    err << "error: --start must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
    return kUsage;
  }
  if (Has(o, "end") && !ParseWhen(Flag(o, "end", ""), request.mutable_end_time())) {
    err << "error: --end must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
    return kUsage;
  }
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::Meeting meeting;
  auto context = s.Context();
  grpc::Status status = stub->RescheduleMeeting(context.get(), request, &meeting);
  return status.ok() ? PrintMeetingDetail(s, meeting, out) : Fail(status, err);
}

int MeetingsTransition(const Session& s, const std::string& name, sched::MeetingStatus to,
                       std::ostream& out, std::ostream& err) {
  sched::TransitionMeetingRequest request;
  request.set_name(name);
  request.set_status(to);
  request.set_reason(Flag(s.options(), "reason", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  // R-MTG-11: "The meeting ended at 16:21 hours".
  if (Has(s.options(), "ended") &&
      !ParseWhen(Flag(s.options(), "ended", ""), request.mutable_actual_end_time())) {
    err << "error: --ended must be \"YYYY-MM-DD HH:MM\" (London) or RFC 3339\n";
    return kUsage;
  }
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::Meeting meeting;
  auto context = s.Context();
  grpc::Status status = stub->TransitionMeeting(context.get(), request, &meeting);
  return status.ok() ? PrintMeetingDetail(s, meeting, out) : Fail(status, err);
}

}  // namespace

std::vector<Command> MeetingsCommands() {
  using Args = const std::vector<std::string>&;
  const std::vector<std::string> body_flags = {"display-name",
                                               "kind",
                                               "parent-body",
                                               "description",
                                               "terms-of-reference",
                                               "end-date",
                                               "reports-to",
                                               "host-authority",
                                               "website",
                                               "contact",
                                               "quorum",
                                               "question-days",
                                               "question-unit",
                                               "publication-days",
                                               "publication-unit",
                                               "one-question",
                                               "default-venue",
                                               "default-webcast-provider",
                                               "webcast-public",
                                               "pattern-weekday",
                                               "pattern-ordinal",
                                               "pattern-time",
                                               "pattern-duration",
                                               "pattern-months",
                                               "pattern-venue",
                                               "pattern-title",
                                               "window-start",
                                               "window-end",
                                               "report-meetings",
                                               "cost-centre",
                                               "role-clauses"};
  std::vector<std::string> update_flags = body_flags;
  update_flags.push_back("etag");
  return {
      {"bodies get",
       "BODY",
       "one body with its rules (and a sub-group's warnings)",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return BodiesGet(s, a[0], o, e);
       }},
      {"bodies create", "TENANT BODY_ID",
       "--display-name=.. --kind=panel|board|sub-group|committee [sub-group: --parent-body "
       "--terms-of-reference --end-date --reports-to] [rules: --question-days/--question-unit, "
       "--quorum, ...]",
       2, body_flags,
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return BodiesCreate(s, a, o, e);
       }},
      {"bodies update", "BODY",
       "change the fields given (--display-name, --website, --quorum, --question-days, ...; "
       "--etag to guard)",
       1, update_flags,
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return BodiesUpdate(s, a[0], o, e);
       }},
      {"bodies check",
       "SUB_GROUP",
       "a sub-group's members on --date=YYYY-MM-DD (R-SG-03/04)",
       1,
       {"date"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return BodiesCheck(s, a[0], o, e);
       }},
      {"meetings create",
       "BODY MEETING_ID",
       "--title=.. --start=\"YYYY-MM-DD HH:MM\" [--end --kind --venue --webcast-provider "
       "--webcast-url --draft=true]",
       2,
       {"title", "start", "end", "kind", "venue", "webcast-provider", "webcast-url", "draft"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsCreate(s, a, o, e);
       }},
      {"meetings update",
       "MEETING",
       "change --title, --venue, --webcast-provider, --webcast-url, --end or --ended (a held "
       "meeting's actual end, R-MTG-11) (--etag to guard)",
       1,
       {"title", "venue", "webcast-provider", "webcast-url", "end", "ended", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsUpdate(s, a[0], o, e);
       }},
      {"meetings reschedule",
       "MEETING",
       "--start=\"YYYY-MM-DD HH:MM\" [--end] --reason=TEXT",
       1,
       {"start", "end", "reason"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsReschedule(s, a[0], o, e);
       }},
      {"meetings cancel",
       "MEETING",
       "--reason=TEXT",
       1,
       {"reason"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsTransition(s, a[0], sched::MEETING_STATUS_CANCELLED, o, e);
       }},
      {"meetings postpone",
       "MEETING",
       "--reason=TEXT (a new date later with reschedule)",
       1,
       {"reason"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsTransition(s, a[0], sched::MEETING_STATUS_POSTPONED, o, e);
       }},
      {"meetings confirm",
       "MEETING",
       "schedule a draft, or confirm a provisional meeting (--reason=TEXT, R-MTG-07)",
       1,
       {"reason"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsTransition(s, a[0], sched::MEETING_STATUS_SCHEDULED, o, e);
       }},
      {"meetings propose",
       "BODY",
       "--year=YYYY/YY [--create=true]: the municipal year's meetings from the body's pattern "
       "(R-MTG-05), skipping bank holidays, closure days and days already taken; --create "
       "stores them as DRAFT",
       1,
       {"year", "create"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsPropose(s, a[0], o, e);
       }},
      {"meetings held",
       "MEETING",
       "mark a meeting as held (once it has started); --ended=\"YYYY-MM-DD HH:MM\" records when "
       "it ended (R-MTG-11)",
       1,
       {"ended"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsTransition(s, a[0], sched::MEETING_STATUS_HELD, o, e);
       }},
  };
}

}  // namespace moot::cli
