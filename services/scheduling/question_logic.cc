#include "services/scheduling/question_logic.h"

#include "services/scheduling/calendar_store.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/body_access.h"
#include "services/scheduling/meeting_deadlines.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/question_store.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kQuestionPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/questions/{question}";
constexpr size_t kMaxTextChars = 4000;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(ts));
}

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// The number of code points of valid UTF-8 `text`, or -1 when it is not valid UTF-8.
int64_t Utf8Length(const std::string& text) {
  if (status::Utf8Safe(text) != text) {
    return -1;
  }
  int64_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

// A plausible e-mail address: one '@' with text either side, a dot in the domain, no spaces.
// The error never quotes the address (contact details stay out of errors and logs).
bool IsEmail(absl::string_view email) {
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0 || email.find('@', at + 1) != email.npos) {
    return false;
  }
  absl::string_view domain = email.substr(at + 1);
  if (domain.size() < 3 || !absl::StrContains(domain, '.') || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  for (char c : email) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || absl::ascii_iscntrl(c)) {
      return false;
    }
  }
  return true;
}

// Request-intrinsic checks of a new question (INVALID_ARGUMENT naming the field).
absl::Status ValidateQuestion(const v1::PublicQuestion& in) {
  const int64_t length = Utf8Length(in.text());
  if (length < 0) {
    return status::InvalidArgument("question.text", "must be valid UTF-8");
  }
  if (length == 0 || absl::StripAsciiWhitespace(in.text()).empty()) {
    return status::InvalidArgument("question.text", "is required");
  }
  if (length > static_cast<int64_t>(kMaxTextChars)) {
    return status::InvalidArgument("question.text",
                                   absl::StrCat("must be at most ", kMaxTextChars, " characters"));
  }
  const v1::QuestionAsker& asker = in.asker();
  if (absl::StripAsciiWhitespace(asker.display_name()).empty()) {
    return status::InvalidArgument("question.asker.display_name", "is required");
  }
  MOOT_RETURN_IF_ERROR(LimitText("question.asker.display_name", asker.display_name(), 200));
  MOOT_RETURN_IF_ERROR(LimitText("question.asker.affiliation", asker.affiliation(), 500));
  MOOT_RETURN_IF_ERROR(LimitText("question.asker.email", asker.email(), 320));
  MOOT_RETURN_IF_ERROR(LimitText("question.asker.postal_address", asker.postal_address(), 1000));
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{
                                         "question.asker.display_name", &asker.display_name()},
                                     {"question.asker.affiliation", &asker.affiliation()},
                                     {"question.asker.email", &asker.email()},
                                     {"question.asker.postal_address", &asker.postal_address()}}) {
    if (Utf8Length(*value) < 0) {
      return status::InvalidArgument(field, "must be valid UTF-8");
    }
  }
  if (!asker.email().empty() && !IsEmail(absl::StripAsciiWhitespace(asker.email()))) {
    return status::InvalidArgument("question.asker.email", "is not an e-mail address");
  }
  if (NormalisedContact(asker).empty()) {
    return status::InvalidArgument("question.asker.email",
                                   "an e-mail or a postal address is required");
  }
  return absl::OkStatus();
}

// R-PQ-01/02: who may ask. Empty when eligible, else why not.
std::string Ineligibility(const v1::QuestionAsker& asker) {
  if (asker.police_officer_or_staff()) {
    return "police officers and police staff may not ask public questions";
  }
  if (!asker.lives_in_area() && !asker.works_in_area() && !asker.studies_in_area()) {
    return "the asker must live, work or study in the area";
  }
  return "";
}

QuestionAudience AudienceOf(const auth::Principal& p, const std::string& tenant) {
  if (p.tenant != tenant) {
    return QuestionAudience::kPublic;
  }
  if (p.HasRole(auth::Role::kOfficer)) {
    return QuestionAudience::kOfficer;
  }
  if (p.HasRole(auth::Role::kMember)) {
    return QuestionAudience::kMember;
  }
  return QuestionAudience::kPublic;
}

bool IsPublicStatus(v1::QuestionStatus s) {
  return s == v1::QUESTION_STATUS_ACCEPTED || s == v1::QUESTION_STATUS_ANSWERED;
}

// The statuses an audience may list.
std::vector<int> VisibleStatuses(QuestionAudience audience) {
  if (audience == QuestionAudience::kPublic) {
    return {v1::QUESTION_STATUS_ACCEPTED, v1::QUESTION_STATUS_ANSWERED};
  }
  return {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_ACCEPTED, v1::QUESTION_STATUS_REJECTED,
          v1::QUESTION_STATUS_REDIRECTED, v1::QUESTION_STATUS_ANSWERED};
}

// Questions that count towards "one per person" and against "no questions received": every
// question not rejected or redirected away.
const std::vector<int>& LiveStatuses() {
  static const std::vector<int> kLive = {v1::QUESTION_STATUS_RECEIVED, v1::QUESTION_STATUS_ACCEPTED,
                                         v1::QUESTION_STATUS_ANSWERED};
  return kLive;
}

// Draft meetings are invisible to all but officers, tenant admins and the body's own members
// (body_access.h, as SchedulingLogic::GetMeeting decides).
absl::StatusOr<bool> MaySeeMeeting(sql::Connection& conn, const auth::Principal& p,
                                   const std::string& tenant, const std::string& body_id,
                                   const v1::Meeting& meeting, absl::Time now) {
  if (meeting.status() != v1::MEETING_STATUS_DRAFT) {
    return true;
  }
  return MaySeeDrafts(conn, p, tenant, body_id, LondonToday(now));
}

// One question per person per meeting where the body says so (R-PQ-02). A body created without
// rules takes its kind's defaults (meeting_deadlines.h).
bool OneQuestionPerPerson(const v1::Body& body) {
  return body.has_rules() ? body.rules().one_question_per_person()
                          : DefaultRules(body.kind()).one_question_per_person();
}

std::string LondonTime(absl::Time t) {
  // "%e" pads single-digit days with a space: "Thursday  9 November".
  return absl::StrReplaceAll(absl::FormatTime("%A %e %B %Y %H:%M %Z", t, time::London()),
                             {{"  ", " "}});
}

// The sort key of a question: receipt time (fixed width) then id.
std::string SortKey(absl::Time received, const std::string& id) {
  return absl::StrCat(absl::StrFormat("%020d", absl::ToUnixMicros(received)), "|", id);
}

MeetingRef RefOf(const api::ResourceName& name) {
  return {name.tenant(), name.Get("body"), name.Get("meeting")};
}

absl::Status CheckEtag(const std::string& wanted, const v1::PublicQuestion& current) {
  if (!wanted.empty() && wanted != current.etag()) {
    // FAILED_PRECONDITION, not ABORTED: an aborted transaction is retried, and a stale etag
    // never becomes fresh.
    return status::FailedPrecondition(
        "ETAG_MISMATCH", current.name(),
        absl::StrCat("the resource has changed (etag ", current.etag(), "); read it again"));
  }
  return absl::OkStatus();
}

}  // namespace

bool QuestionTransitionAllowed(v1::QuestionStatus from, v1::QuestionStatus to) {
  switch (from) {
    case v1::QUESTION_STATUS_RECEIVED:
      return to == v1::QUESTION_STATUS_ACCEPTED || to == v1::QUESTION_STATUS_REJECTED ||
             to == v1::QUESTION_STATUS_REDIRECTED;
    case v1::QUESTION_STATUS_ACCEPTED:
      return to == v1::QUESTION_STATUS_ANSWERED || to == v1::QUESTION_STATUS_REJECTED ||
             to == v1::QUESTION_STATUS_REDIRECTED;
    default:
      return false;
  }
}

std::string NormalisedContact(const v1::QuestionAsker& asker) {
  const std::string email = absl::AsciiStrToLower(absl::StripAsciiWhitespace(asker.email()));
  if (!email.empty()) {
    return absl::StrCat("email:", email);
  }
  std::string post;
  for (char c : asker.postal_address()) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || (c & 0x80) != 0) {
      post.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return post.empty() ? "" : absl::StrCat("post:", post);
}

// R-PQ-05: a resolution or action name of `tenant`: "tenants/{tenant}/" then at least two
// non-empty segments without spaces (collections and ids; singletons such as ".../minutes/entries/
// 751" of the decisions service included).
absl::Status ValidateOutcomeNames(absl::string_view field,
                                  const google::protobuf::RepeatedPtrField<std::string>& names,
                                  int max, const std::string& tenant) {
  if (names.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must hold at most ", max, " names"));
  }
  const std::string prefix = absl::StrCat("tenants/", tenant, "/");
  for (int i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    const std::vector<absl::string_view> parts = absl::StrSplit(n, '/');
    bool ok = n.size() <= 500 && absl::StartsWith(n, prefix) && parts.size() >= 4;
    for (absl::string_view part : parts) {
      ok = ok && !part.empty() &&
           std::none_of(part.begin(), part.end(), [](char c) { return absl::ascii_isspace(c); });
    }
    if (!ok) {
      return status::InvalidArgument(
          field, absl::StrCat("entry ", i, " (\"", n.substr(0, 100),
                              "\") must be a resource name of this tenant, ", prefix,
                              "{collection}/{id}/..."));
    }
  }
  return absl::OkStatus();
}

v1::PublicQuestion QuestionView(const v1::PublicQuestion& question, QuestionAudience audience) {
  if (audience == QuestionAudience::kOfficer) {
    return question;
  }
  if (audience == QuestionAudience::kMember) {
    v1::PublicQuestion view = question;
    view.mutable_asker()->clear_email();
    view.mutable_asker()->clear_postal_address();
    return view;
  }
  // The public view is built from an allow-list so that a field added later stays private.
  v1::PublicQuestion view;
  view.set_name(question.name());
  view.set_text(question.text());
  view.mutable_asker()->set_display_name(question.asker().display_name());
  view.mutable_asker()->set_affiliation(question.asker().affiliation());
  view.set_status(question.status());
  *view.mutable_receive_time() = question.receive_time();
  *view.mutable_deadline() = question.deadline();
  view.set_answer(question.answer());
  view.set_answered_by(question.answered_by());
  view.set_read_out_by(question.read_out_by());
  // R-PQ-05: the minuted outcome of a public question.
  view.set_outcome(question.outcome());
  *view.mutable_resolutions() = question.resolutions();
  *view.mutable_actions() = question.actions();
  *view.mutable_create_time() = question.create_time();
  *view.mutable_update_time() = question.update_time();
  view.set_etag(question.etag());
  return view;
}

QuestionLogic::QuestionLogic(sql::Database& db, const events::Outbox& outbox,
                             const time::Clock& clock, ids::IdGenerator& ids,
                             const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status QuestionLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_questions", QuestionStore::Migrations()));
  // The tenant's closure days count in question deadlines (CalendarFor).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_calendar", CalendarStore::Migrations()));
  // Who sees a draft meeting's questions: people and memberships (body_access.h).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_people", PeopleStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<calendar::HolidayCalendar> QuestionLogic::CalendarFor(
    sql::Connection& conn, const std::string& tenant) const {
  // §9 item 3: England and Wales bank holidays plus the tenant's closure days.
  return CalendarStore::TenantCalendar(conn, tenant);
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::SubmitQuestion(
    const auth::Principal& principal, const v1::SubmitQuestionRequest& request) {
  // Anonymous callers may submit (the gateway lets them through); another tenant's users may not.
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  // R-PQ-01/02 at the moment of receipt on the server clock, never a client-supplied time.
  return Receive(principal, request.parent(), request.question(), "SubmitQuestion",
                 request.request_id(), request, /*officer_path=*/false, clock_.Now(),
                 v1::QUESTION_CHANNEL_ONLINE, /*question_id=*/"");
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::RecordQuestion(
    const auth::Principal& principal, const v1::RecordQuestionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  if (!request.has_received_time()) {
    return status::InvalidArgument("received_time", "is required");
  }
  const auto& ts = request.received_time();
  if (ts.seconds() < TimeUtil::kTimestampMinSeconds ||
      ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 || ts.nanos() > 999999999) {
    return status::InvalidArgument("received_time", "is not a valid timestamp");
  }
  const absl::Time received = FromProto(request.received_time());
  if (received > clock_.Now()) {
    return status::InvalidArgument("received_time", "must not be in the future");
  }
  v1::QuestionChannel channel = request.channel();
  if (channel == v1::QUESTION_CHANNEL_UNSPECIFIED) {
    channel = v1::QUESTION_CHANNEL_EMAIL;
  }
  if (channel != v1::QUESTION_CHANNEL_EMAIL && channel != v1::QUESTION_CHANNEL_POST) {
    return status::InvalidArgument("channel", "must be EMAIL or POST");
  }
  return Receive(principal, request.parent(), request.question(), "RecordQuestion",
                 request.request_id(), request, /*officer_path=*/true, received, channel,
                 request.question_id());
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::Receive(
    const auth::Principal& principal, const std::string& parent_name, const v1::PublicQuestion& in,
    absl::string_view method, const std::string& request_id,
    const google::protobuf::Message& request, bool officer_path, absl::Time received,
    v1::QuestionChannel channel, const std::string& wanted_id) {
  if (!wanted_id.empty()) {
    MOOT_RETURN_IF_ERROR(api::ValidateId("question_id", wanted_id));
  }
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, parent_name, "parent"));
  MOOT_RETURN_IF_ERROR(ValidateQuestion(in));
  const std::string ineligible = Ineligibility(in.asker());
  if (!officer_path && !ineligible.empty()) {
    return status::FailedPrecondition("QUESTION_ASKER_INELIGIBLE", parent_name, ineligible);
  }
  const MeetingRef ref = RefOf(parent);
  const std::string contact = NormalisedContact(in.asker());

  v1::PublicQuestion result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed, api::RequestLog::Replay(tx, parent.tenant(), method,
                                                                 request_id, request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto meeting, SchedulingStore::GetMeeting(tx, ref.tenant, ref.body_id,
                                                                    ref.meeting_id, parent_name));
    MOOT_ASSIGN_OR_RETURN(bool visible, MaySeeMeeting(tx, principal, ref.tenant, ref.body_id,
                                                      meeting.first, clock_.Now()));
    if (!visible) {
      return status::NotFound(parent_name);
    }
    if (meeting.first.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", parent_name,
                                        "the meeting is cancelled; it takes no questions");
    }
    const std::string body_name = api::FormatName(kBodyPattern, {ref.tenant, ref.body_id});
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, ref.tenant, ref.body_id, body_name));
    // R-PQ-01 / R-PQ-02, §9 item 1: the body's rule applied to the meeting date, on the
    // working-day calendar.
    v1::Meeting with_deadlines = meeting.first;
    MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal, CalendarFor(tx, ref.tenant));
    MOOT_RETURN_IF_ERROR(FillMeetingDeadlines(cal, body, with_deadlines));
    const absl::Time deadline = FromProto(with_deadlines.question_deadline());
    const bool late = received > deadline;
    const std::string deadline_text = LondonTime(deadline);
    if (!officer_path && late) {
      return status::FailedPrecondition(
          "QUESTION_DEADLINE_PASSED", parent_name,
          absl::StrCat("questions for this meeting had to arrive by ", deadline_text),
          {{"deadline", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", deadline, absl::UTCTimeZone())},
           {"deadline_date", with_deadlines.question_deadline_date()}});
    }
    bool duplicate = false;
    if (OneQuestionPerPerson(body)) {
      MOOT_ASSIGN_OR_RETURN(int64_t mine,
                            QuestionStore::CountQuestions(tx, ref, LiveStatuses(), contact));
      duplicate = mine > 0;
    }
    if (!officer_path && duplicate) {
      return status::FailedPrecondition(
          "QUESTION_LIMIT_REACHED", parent_name,
          "the body takes one question per person per meeting, and this asker has one already");
    }

    const std::string question_id =
        wanted_id.empty() ? absl::AsciiStrToLower(ids_.NewId()) : wanted_id;
    v1::PublicQuestion question;
    question.set_name(
        api::FormatName(kQuestionPattern, {ref.tenant, ref.body_id, ref.meeting_id, question_id}));
    question.set_text(in.text());
    *question.mutable_asker() = in.asker();
    question.mutable_asker()->set_email(
        std::string(absl::StripAsciiWhitespace(in.asker().email())));
    question.set_channel(channel);
    *question.mutable_receive_time() = ToProto(received);
    *question.mutable_deadline() = with_deadlines.question_deadline();
    question.set_read_out_by(officer_path ? in.read_out_by() : "");
    MOOT_RETURN_IF_ERROR(LimitText("question.read_out_by", question.read_out_by(), 200));
    const auto now = ToProto(clock_.Now());
    *question.mutable_create_time() = now;
    *question.mutable_update_time() = now;
    question.set_etag("1");
    // The officer path stores what the public path refuses, as REJECTED with the reason.
    question.set_status(v1::QUESTION_STATUS_RECEIVED);
    if (!ineligible.empty()) {
      question.set_rejection_reason(v1::QUESTION_REJECTION_REASON_INELIGIBLE);
      question.set_rejection_detail(ineligible);
    } else if (late) {
      question.set_rejection_reason(v1::QUESTION_REJECTION_REASON_LATE);
      question.set_rejection_detail(absl::StrCat("received after the deadline of ", deadline_text));
    } else if (duplicate) {
      question.set_rejection_reason(v1::QUESTION_REJECTION_REASON_DUPLICATE);
      question.set_rejection_detail("the asker already has a question for this meeting");
    }
    if (question.rejection_reason() != v1::QUESTION_REJECTION_REASON_UNSPECIFIED) {
      question.set_status(v1::QUESTION_STATUS_REJECTED);
    }
    MOOT_RETURN_IF_ERROR(QuestionStore::InsertQuestion(
        tx, ref, question_id, SortKey(received, question_id), contact, question));
    MOOT_RETURN_IF_ERROR(QuestionStore::ClearNoQuestions(tx, ref));

    // question.received is never public and never carries contact details.
    v1::QuestionChanged payload;
    payload.set_meeting(parent_name);
    *payload.mutable_question() = QuestionView(question, QuestionAudience::kMember);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "question.received", ref.tenant,
                              question.name(), payload, /*is_public=*/false)));
    if (question.status() == v1::QUESTION_STATUS_REJECTED) {
      payload.set_previous_status(v1::QUESTION_STATUS_RECEIVED);
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, service::NewEvent(ids_, clock_, "scheduling", "question.rejected", ref.tenant,
                                question.name(), payload, /*is_public=*/false)));
    }
    // The submitter gets back what they sent, with the outcome.
    result = question;
    return api::RequestLog::Record(tx, ref.tenant, method, request_id, request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::GetQuestion(
    const auth::Principal& principal, const v1::GetQuestionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kQuestionPattern, request.name(), "name"));
  const MeetingRef ref = RefOf(name);
  const QuestionAudience audience = AudienceOf(principal, ref.tenant);
  v1::PublicQuestion question;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto found, QuestionStore::GetQuestion(conn, ref, name.Get("question"), request.name()));
    question = std::move(found.first);
    return absl::OkStatus();
  }));
  // A question the caller may not see is invisible, not forbidden.
  if (audience == QuestionAudience::kPublic && !IsPublicStatus(question.status())) {
    return status::NotFound(request.name());
  }
  return QuestionView(question, audience);
}

absl::StatusOr<v1::ListQuestionsResponse> QuestionLogic::ListQuestions(
    const auth::Principal& principal, const v1::ListQuestionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  if (!v1::QuestionStatus_IsValid(request.status())) {
    return status::InvalidArgument("status", "is not a known question status");
  }
  const MeetingRef ref = RefOf(parent);
  const QuestionAudience audience = AudienceOf(principal, ref.tenant);
  std::vector<int> statuses = VisibleStatuses(audience);
  if (request.status() != v1::QUESTION_STATUS_UNSPECIFIED) {
    std::vector<int> wanted;
    for (int s : statuses) {
      if (s == request.status()) {
        wanted.push_back(s);
      }
    }
    statuses = std::move(wanted);
  }
  const std::string binding =
      absl::StrCat("ListQuestions|", request.parent(), "|", static_cast<int>(audience), "|",
                   static_cast<int>(request.status()));
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListQuestionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto meeting,
                          SchedulingStore::GetMeeting(conn, ref.tenant, ref.body_id, ref.meeting_id,
                                                      request.parent()));
    MOOT_ASSIGN_OR_RETURN(bool visible, MaySeeMeeting(conn, principal, ref.tenant, ref.body_id,
                                                      meeting.first, clock_.Now()));
    if (!visible) {
      return status::NotFound(request.parent());
    }
    MOOT_ASSIGN_OR_RETURN(auto page,
                          QuestionStore::ListQuestions(conn, ref, statuses, after, page_size));
    for (const auto& question : page.items) {
      *response.add_questions() = QuestionView(question, audience);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    MOOT_ASSIGN_OR_RETURN(auto none, QuestionStore::GetNoQuestions(conn, ref));
    response.set_no_questions_received(none.has_value());
    return absl::OkStatus();
  }));
  return response;
}

template <typename Request, typename Change>
absl::StatusOr<v1::PublicQuestion> QuestionLogic::Transition(
    const auth::Principal& principal, const Request& request, absl::string_view method,
    v1::QuestionStatus to, absl::string_view event_type, Change change) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kQuestionPattern, request.name(), "name"));
  const MeetingRef ref = RefOf(name);
  v1::PublicQuestion result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        bool replayed,
        api::RequestLog::Replay(tx, ref.tenant, method, request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found, QuestionStore::GetQuestion(tx, ref, name.Get("question"), request.name()));
    v1::PublicQuestion question = std::move(found.first);
    MOOT_RETURN_IF_ERROR(CheckEtag(request.etag(), question));
    const v1::QuestionStatus from = question.status();
    if (!QuestionTransitionAllowed(from, to)) {
      return status::FailedPrecondition(
          "QUESTION_TRANSITION_NOT_ALLOWED", request.name(),
          absl::StrCat("a question cannot go from ", v1::QuestionStatus_Name(from), " to ",
                       v1::QuestionStatus_Name(to)),
          {{"from", v1::QuestionStatus_Name(from)}, {"to", v1::QuestionStatus_Name(to)}});
    }
    MOOT_RETURN_IF_ERROR(change(tx, ref, question));
    question.set_status(to);
    *question.mutable_update_time() = ToProto(clock_.Now());
    question.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        QuestionStore::UpdateQuestion(tx, ref, name.Get("question"), question, found.second));
    // Public only when the question becomes public (accepted or answered), and then only its
    // public view; never contact details.
    const bool is_public = IsPublicStatus(to);
    v1::QuestionChanged payload;
    payload.set_meeting(
        api::FormatName(kMeetingPattern, {ref.tenant, ref.body_id, ref.meeting_id}));
    *payload.mutable_question() =
        QuestionView(question, is_public ? QuestionAudience::kPublic : QuestionAudience::kMember);
    payload.set_previous_status(from);
    MOOT_RETURN_IF_ERROR(
        outbox_.Append(tx, service::NewEvent(ids_, clock_, "scheduling", event_type, ref.tenant,
                                             question.name(), payload, is_public)));
    result = question;
    return api::RequestLog::Record(tx, ref.tenant, method, request.request_id(), request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::AcceptQuestion(
    const auth::Principal& principal, const v1::AcceptQuestionRequest& request) {
  return Transition(
      principal, request, "AcceptQuestion", v1::QUESTION_STATUS_ACCEPTED, "question.accepted",
      [](sql::Connection&, const MeetingRef&, v1::PublicQuestion&) { return absl::OkStatus(); });
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::RejectQuestion(
    const auth::Principal& principal, const v1::RejectQuestionRequest& request) {
  // Who may act is checked before what they sent (quality.md S3: a refusal says nothing else).
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  if (request.reason() == v1::QUESTION_REJECTION_REASON_UNSPECIFIED ||
      !v1::QuestionRejectionReason_IsValid(request.reason())) {
    return status::InvalidArgument("reason",
                                   "is required (LATE, INELIGIBLE, DUPLICATE, OUT_OF_SCOPE)");
  }
  if (request.reason() == v1::QUESTION_REJECTION_REASON_OUT_OF_SCOPE &&
      absl::StripAsciiWhitespace(request.detail()).empty()) {
    return status::InvalidArgument("detail", "is required for OUT_OF_SCOPE: say why");
  }
  MOOT_RETURN_IF_ERROR(LimitText("detail", request.detail(), 2000));
  return Transition(principal, request, "RejectQuestion", v1::QUESTION_STATUS_REJECTED,
                    "question.rejected",
                    [&](sql::Connection&, const MeetingRef&, v1::PublicQuestion& q) {
                      q.set_rejection_reason(request.reason());
                      q.set_rejection_detail(request.detail());
                      return absl::OkStatus();
                    });
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::RedirectQuestion(
    const auth::Principal& principal, const v1::RedirectQuestionRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(
      auto target, api::ResourceName::Parse(kBodyPattern, request.target_body(), "target_body"));
  MOOT_RETURN_IF_ERROR(LimitText("note", request.note(), 2000));
  return Transition(
      principal, request, "RedirectQuestion", v1::QUESTION_STATUS_REDIRECTED, "question.redirected",
      [&](sql::Connection& tx, const MeetingRef& ref, v1::PublicQuestion& q) -> absl::Status {
        const std::string from_body = api::FormatName(kBodyPattern, {ref.tenant, ref.body_id});
        if (request.target_body() == from_body) {
          return status::InvalidArgument("target_body", "must be another body");
        }
        q.set_redirected_to(request.target_body());
        q.set_redirect_note(request.note());
        if (target.tenant() == ref.tenant) {
          // R-PQ-03 within the tenant: the receiving body must exist; the record is shared.
          return SchedulingStore::GetBody(tx, ref.tenant, target.Get("body"), request.target_body())
              .status();
        }
        // §9 item 10: another tenant receives a referral, not a shared record, and never the
        // asker's contact details.
        v1::QuestionReferral referral;
        referral.set_question(q.name());
        referral.set_target_body(request.target_body());
        referral.set_from_body(from_body);
        referral.set_text(q.text());
        referral.set_asker_display_name(q.asker().display_name());
        referral.set_asker_affiliation(q.asker().affiliation());
        referral.set_note(request.note());
        *referral.mutable_receive_time() = q.receive_time();
        return outbox_.Append(
            tx, service::NewEvent(ids_, clock_, "scheduling", "question.referral", target.tenant(),
                                  request.target_body(), referral,
                                  /*is_public=*/false));
      });
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::AnswerQuestion(
    const auth::Principal& principal, const v1::AnswerQuestionRequest& request) {
  // Who may act is checked before what they sent (quality.md S3: a refusal says nothing else).
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  if (absl::StripAsciiWhitespace(request.answer()).empty()) {
    return status::InvalidArgument("answer", "is required");
  }
  MOOT_RETURN_IF_ERROR(LimitText("answer", request.answer(), 20000));
  MOOT_RETURN_IF_ERROR(LimitText("answered_by", request.answered_by(), 200));
  MOOT_RETURN_IF_ERROR(LimitText("read_out_by", request.read_out_by(), 200));
  if (Utf8Length(request.answer()) < 0) {
    return status::InvalidArgument("answer", "must be valid UTF-8");
  }
  // R-PQ-04: the answer, who gave it, and who read the question out for an absent asker.
  return Transition(principal, request, "AnswerQuestion", v1::QUESTION_STATUS_ANSWERED,
                    "question.answered",
                    [&](sql::Connection&, const MeetingRef&, v1::PublicQuestion& q) {
                      q.set_answer(request.answer());
                      q.set_answered_by(request.answered_by());
                      if (!request.read_out_by().empty()) {
                        q.set_read_out_by(request.read_out_by());
                      }
                      return absl::OkStatus();
                    });
}

absl::StatusOr<v1::NoQuestionsRecord> QuestionLogic::MarkNoQuestions(
    const auth::Principal& principal, const v1::MarkNoQuestionsRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  const MeetingRef ref = RefOf(name);
  v1::NoQuestionsRecord result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, ref.tenant, "MarkNoQuestions",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetMeeting(tx, ref.tenant, ref.body_id, ref.meeting_id, request.name())
            .status());
    // R-PQ-07: "There are no questions from members of the public." Only true when none is
    // live (received, accepted or answered).
    MOOT_ASSIGN_OR_RETURN(int64_t live, QuestionStore::CountQuestions(tx, ref, LiveStatuses(), ""));
    if (live > 0) {
      return status::FailedPrecondition(
          "QUESTIONS_RECEIVED", request.name(),
          absl::StrCat("the meeting has ", live, " question(s) received, accepted or answered"));
    }
    MOOT_ASSIGN_OR_RETURN(auto existing, QuestionStore::GetNoQuestions(tx, ref));
    if (existing.has_value()) {
      // Already recorded: the same record, no second event.
      result = *existing;
    } else {
      result.set_meeting(request.name());
      *result.mutable_record_time() = ToProto(clock_.Now());
      MOOT_RETURN_IF_ERROR(QuestionStore::PutNoQuestions(tx, ref, result));
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, service::NewEvent(ids_, clock_, "scheduling", "question_time.no_questions",
                                ref.tenant, request.name(), result, /*is_public=*/true)));
    }
    return api::RequestLog::Record(tx, ref.tenant, "MarkNoQuestions", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::PublicQuestion> QuestionLogic::RecordQuestionOutcome(
    const auth::Principal& principal, const v1::RecordQuestionOutcomeRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kQuestionPattern, request.name(), "name"));
  const MeetingRef ref = RefOf(name);
  // R-PQ-05: "That the public question ... be received and noted", and the actions it created.
  MOOT_RETURN_IF_ERROR(LimitText("outcome", request.outcome(), 1000));
  MOOT_RETURN_IF_ERROR(ValidateOutcomeNames("resolutions", request.resolutions(), 20, ref.tenant));
  MOOT_RETURN_IF_ERROR(ValidateOutcomeNames("actions", request.actions(), 50, ref.tenant));
  if (absl::StripAsciiWhitespace(request.outcome()).empty() && request.resolutions().empty() &&
      request.actions().empty()) {
    return status::InvalidArgument("outcome",
                                   "give the outcome, a resolution or an action (R-PQ-05)");
  }
  v1::PublicQuestion result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, ref.tenant, "RecordQuestionOutcome",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found, QuestionStore::GetQuestion(tx, ref, name.Get("question"), request.name()));
    v1::PublicQuestion question = std::move(found.first);
    MOOT_RETURN_IF_ERROR(CheckEtag(request.etag(), question));
    if (!IsPublicStatus(question.status())) {
      return status::FailedPrecondition(
          "QUESTION_OUTCOME_NOT_ALLOWED", request.name(),
          absl::StrCat("only an accepted or answered question has a minuted outcome; this one is ",
                       v1::QuestionStatus_Name(question.status())));
    }
    question.set_outcome(request.outcome());
    *question.mutable_resolutions() = request.resolutions();
    *question.mutable_actions() = request.actions();
    *question.mutable_update_time() = ToProto(clock_.Now());
    question.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        QuestionStore::UpdateQuestion(tx, ref, name.Get("question"), question, found.second));
    v1::QuestionChanged payload;
    payload.set_meeting(
        api::FormatName(kMeetingPattern, {ref.tenant, ref.body_id, ref.meeting_id}));
    *payload.mutable_question() = QuestionView(question, QuestionAudience::kPublic);
    payload.set_previous_status(question.status());
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "question.outcome_recorded", ref.tenant,
                              question.name(), payload, /*is_public=*/true)));
    result = question;
    return api::RequestLog::Record(tx, ref.tenant, "RecordQuestionOutcome", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

}  // namespace moot::scheduling
