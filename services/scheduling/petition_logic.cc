#include "services/scheduling/petition_logic.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/petition_store.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kPetitionPattern[] = "tenants/{tenant}/bodies/{body}/petitions/{petition}";
constexpr int kMaxSignatures = 10000000;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status MaxText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

bool IsPublicStatus(v1::PetitionStatus s) {
  return s == v1::PETITION_STATUS_ACCEPTED || s == v1::PETITION_STATUS_RESPONDED;
}

PetitionAudience AudienceOf(const auth::Principal& p, const std::string& tenant) {
  if (p.tenant != tenant) {
    return PetitionAudience::kPublic;
  }
  if (p.HasRole(auth::Role::kOfficer)) {
    return PetitionAudience::kOfficer;
  }
  if (p.HasRole(auth::Role::kMember)) {
    return PetitionAudience::kMember;
  }
  return PetitionAudience::kPublic;
}

absl::Status ValidatePetition(const v1::Petition& in) {
  MOOT_RETURN_IF_ERROR(RequireText("petition.title", in.title(), 200));
  MOOT_RETURN_IF_ERROR(RequireText("petition.prayer", in.prayer(), 4000));
  const v1::LeadPetitioner& lead = in.lead_petitioner();
  MOOT_RETURN_IF_ERROR(
      RequireText("petition.lead_petitioner.display_name", lead.display_name(), 200));
  MOOT_RETURN_IF_ERROR(MaxText("petition.lead_petitioner.email", lead.email(), 320));
  MOOT_RETURN_IF_ERROR(
      MaxText("petition.lead_petitioner.postal_address", lead.postal_address(), 1000));
  if (absl::StripAsciiWhitespace(lead.email()).empty() &&
      absl::StripAsciiWhitespace(lead.postal_address()).empty()) {
    return status::InvalidArgument("petition.lead_petitioner.email",
                                   "an e-mail or postal address is required to reply");
  }
  if (!lead.email().empty() && (lead.email().find('@') == std::string::npos ||
                                lead.email().find(' ') != std::string::npos)) {
    return status::InvalidArgument("petition.lead_petitioner.email", "is not an e-mail address");
  }
  if (in.signature_count() < 1 || in.signature_count() > kMaxSignatures) {
    return status::InvalidArgument("petition.signature_count",
                                   absl::StrCat("must be 1..", kMaxSignatures));
  }
  return absl::OkStatus();
}

v1::PetitionChanged Changed(const std::string& body, const v1::Petition& petition,
                            v1::PetitionStatus previous, bool is_public) {
  v1::PetitionChanged payload;
  payload.set_body(body);
  *payload.mutable_petition() =
      PetitionView(petition, is_public ? PetitionAudience::kPublic : PetitionAudience::kMember);
  payload.set_previous_status(previous);
  return payload;
}

}  // namespace

v1::Petition PetitionView(const v1::Petition& petition, PetitionAudience audience) {
  if (audience == PetitionAudience::kOfficer) {
    return petition;
  }
  if (audience == PetitionAudience::kMember) {
    v1::Petition view = petition;
    view.mutable_lead_petitioner()->clear_email();
    view.mutable_lead_petitioner()->clear_postal_address();
    return view;
  }
  // An allow-list, so that a field added later stays private.
  v1::Petition view;
  view.set_name(petition.name());
  view.set_title(petition.title());
  view.set_prayer(petition.prayer());
  view.mutable_lead_petitioner()->set_display_name(petition.lead_petitioner().display_name());
  view.set_signature_count(petition.signature_count());
  view.set_status(petition.status());
  view.set_response(petition.response());
  view.set_responded_by(petition.responded_by());
  *view.mutable_receive_time() = petition.receive_time();
  view.set_response_due_date(petition.response_due_date());
  *view.mutable_create_time() = petition.create_time();
  *view.mutable_update_time() = petition.update_time();
  view.set_etag(petition.etag());
  return view;
}

PetitionLogic::PetitionLogic(sql::Database& db, const events::Outbox& outbox,
                             const time::Clock& clock, ids::IdGenerator& ids,
                             const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status PetitionLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_petitions", PetitionStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Petition> PetitionLogic::SubmitPetition(
    const auth::Principal& principal, const v1::SubmitPetitionRequest& request) {
  // R-PQ-06: like a public question, no account is needed.
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidatePetition(request.petition()));
  const std::string& tenant = parent.tenant();
  const std::string& body_id = parent.Get("body");
  v1::Petition result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        bool replayed, api::RequestLog::Replay(tx, tenant, "SubmitPetition", request.request_id(),
                                               request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, tenant, body_id, request.parent()));
    const std::string petition_id = absl::AsciiStrToLower(ids_.NewId());
    const absl::Time now = clock_.Now();
    v1::Petition petition;
    petition.set_name(api::FormatName(kPetitionPattern, {tenant, body_id, petition_id}));
    petition.set_title(request.petition().title());
    petition.set_prayer(request.petition().prayer());
    *petition.mutable_lead_petitioner() = request.petition().lead_petitioner();
    petition.set_signature_count(request.petition().signature_count());
    petition.set_status(v1::PETITION_STATUS_RECEIVED);
    *petition.mutable_receive_time() = ToProto(now);
    // §9 item 13: "recorded like public questions, with a configurable response deadline".
    if (body.rules().petition_response_days() > 0) {
      const absl::CivilDay received = absl::ToCivilDay(now, time::London());
      petition.set_response_due_date(
          absl::FormatCivilTime(received + body.rules().petition_response_days()));
    }
    *petition.mutable_create_time() = ToProto(now);
    *petition.mutable_update_time() = ToProto(now);
    petition.set_etag("1");
    MOOT_RETURN_IF_ERROR(PetitionStore::InsertPetition(
        tx, tenant, body_id, petition_id,
        absl::StrFormat("%020d|%s", absl::ToUnixMicros(now), petition_id), petition));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx,
        service::NewEvent(ids_, clock_, "scheduling", "petition.received", tenant, petition.name(),
                          Changed(request.parent(), petition, v1::PETITION_STATUS_UNSPECIFIED,
                                  /*is_public=*/false),
                          /*is_public=*/false)));
    // The submitter sees what they sent; officers see everything.
    result = PetitionView(petition, AudienceOf(principal, tenant) == PetitionAudience::kOfficer
                                        ? PetitionAudience::kOfficer
                                        : PetitionAudience::kMember);
    return api::RequestLog::Record(tx, tenant, "SubmitPetition", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Petition> PetitionLogic::GetPetition(const auth::Principal& principal,
                                                        const v1::GetPetitionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kPetitionPattern, request.name(), "name"));
  const PetitionAudience audience = AudienceOf(principal, name.tenant());
  v1::Petition petition;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found,
                          PetitionStore::GetPetition(conn, name.tenant(), name.Get("body"),
                                                     name.Get("petition"), request.name()));
    petition = std::move(found.first);
    return absl::OkStatus();
  }));
  // The public does not learn that a received or rejected petition exists.
  if (audience == PetitionAudience::kPublic && !IsPublicStatus(petition.status())) {
    return status::NotFound(request.name());
  }
  return PetitionView(petition, audience);
}

absl::StatusOr<v1::ListPetitionsResponse> PetitionLogic::ListPetitions(
    const auth::Principal& principal, const v1::ListPetitionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  if (!v1::PetitionStatus_IsValid(request.status())) {
    return status::InvalidArgument("status", "is not a known status");
  }
  const PetitionAudience audience = AudienceOf(principal, parent.tenant());
  std::vector<int> statuses;
  for (int s : {v1::PETITION_STATUS_RECEIVED, v1::PETITION_STATUS_ACCEPTED,
                v1::PETITION_STATUS_REJECTED, v1::PETITION_STATUS_RESPONDED}) {
    const bool visible =
        audience != PetitionAudience::kPublic || IsPublicStatus(static_cast<v1::PetitionStatus>(s));
    if (visible && (request.status() == v1::PETITION_STATUS_UNSPECIFIED || request.status() == s)) {
      statuses.push_back(s);
    }
  }
  const std::string binding =
      absl::StrCat("ListPetitions|", request.parent(), "|", request.status());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListPetitionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(conn, parent.tenant(), parent.Get("body"), request.parent())
            .status());
    MOOT_ASSIGN_OR_RETURN(
        auto page, PetitionStore::ListPetitions(conn, parent.tenant(), parent.Get("body"), statuses,
                                                after, page_size));
    for (const auto& petition : page.items) {
      *response.add_petitions() = PetitionView(petition, audience);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

template <typename Request, typename Change>
absl::StatusOr<v1::Petition> PetitionLogic::Transition(
    const auth::Principal& principal, const Request& request, absl::string_view method,
    v1::PetitionStatus from, v1::PetitionStatus to, absl::string_view event_type, Change change) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kPetitionPattern, request.name(), "name"));
  const std::string& tenant = name.tenant();
  const std::string& body_id = name.Get("body");
  v1::Petition result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        bool replayed,
        api::RequestLog::Replay(tx, tenant, method, request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found,
        PetitionStore::GetPetition(tx, tenant, body_id, name.Get("petition"), request.name()));
    v1::Petition petition = std::move(found.first);
    if (!request.etag().empty() && request.etag() != petition.etag()) {
      return status::FailedPrecondition(
          "ETAG_MISMATCH", petition.name(),
          absl::StrCat("the petition has etag ", petition.etag(), "; read it again"));
    }
    const v1::PetitionStatus previous = petition.status();
    if (previous != from) {
      return status::FailedPrecondition(
          "PETITION_TRANSITION_NOT_ALLOWED", petition.name(),
          absl::StrCat("a petition cannot go from ", v1::PetitionStatus_Name(previous), " to ",
                       v1::PetitionStatus_Name(to)));
    }
    change(petition);
    petition.set_status(to);
    *petition.mutable_update_time() = ToProto(clock_.Now());
    petition.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(PetitionStore::UpdatePetition(tx, tenant, body_id, name.Get("petition"),
                                                       petition, found.second));
    const bool is_public = IsPublicStatus(to);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", event_type, tenant, petition.name(),
                              Changed(api::FormatName(kBodyPattern, {tenant, body_id}), petition,
                                      previous, is_public),
                              is_public)));
    result = petition;
    return api::RequestLog::Record(tx, tenant, method, request.request_id(), request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Petition> PetitionLogic::AcceptPetition(
    const auth::Principal& principal, const v1::AcceptPetitionRequest& request) {
  return Transition(principal, request, "AcceptPetition", v1::PETITION_STATUS_RECEIVED,
                    v1::PETITION_STATUS_ACCEPTED, "petition.accepted", [](v1::Petition&) {});
}

absl::StatusOr<v1::Petition> PetitionLogic::RejectPetition(
    const auth::Principal& principal, const v1::RejectPetitionRequest& request) {
  // Who may, before what is asked (refusals come before input errors).
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_RETURN_IF_ERROR(RequireText("reason", request.reason(), 2000));
  return Transition(principal, request, "RejectPetition", v1::PETITION_STATUS_RECEIVED,
                    v1::PETITION_STATUS_REJECTED, "petition.rejected",
                    [&](v1::Petition& p) { p.set_rejection_reason(request.reason()); });
}

absl::StatusOr<v1::Petition> PetitionLogic::RespondToPetition(
    const auth::Principal& principal, const v1::RespondToPetitionRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_RETURN_IF_ERROR(RequireText("response", request.response(), 20000));
  MOOT_RETURN_IF_ERROR(MaxText("responded_by", request.responded_by(), 200));
  return Transition(principal, request, "RespondToPetition", v1::PETITION_STATUS_ACCEPTED,
                    v1::PETITION_STATUS_RESPONDED, "petition.responded", [&](v1::Petition& p) {
                      p.set_response(request.response());
                      p.set_responded_by(request.responded_by());
                    });
}

}  // namespace moot::scheduling
