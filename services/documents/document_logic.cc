#include "services/documents/document_logic.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/documents/document_store.h"
#include "services/documents/sha256_hasher.h"

namespace moot::documents {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kDocumentPattern[] = "tenants/{tenant}/documents/{document}";

// Visibility ranks, nested: a caller who may read a rank may read every lower one.
constexpr int64_t kPublicRank = 1;
constexpr int64_t kExemptRank = 2;
constexpr int64_t kConfidentialRank = 3;

int64_t RankOf(v1::Classification classification) {
  switch (classification) {
    case v1::CLASSIFICATION_EXEMPT:
      return kExemptRank;
    case v1::CLASSIFICATION_CONFIDENTIAL:
      return kConfidentialRank;
    default:
      return kPublicRank;
  }
}

// PUBLIC: anyone. EXEMPT (Sch.12A): officers and members of the tenant. CONFIDENTIAL:
// officers of the tenant.
int64_t MaxReadableRank(const auth::Principal& p, const std::string& tenant) {
  if (p.IsAnonymous() || p.tenant != tenant) {
    return kPublicRank;
  }
  if (p.HasRole(auth::Role::kOfficer)) {
    return kConfidentialRank;
  }
  if (p.HasRole(auth::Role::kMember)) {
    return kExemptRank;
  }
  return kPublicRank;
}

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (value.empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// "type/subtype" with printable, space-free ASCII (parameters after ';' allowed).
bool IsMediaType(absl::string_view media_type) {
  const size_t slash = media_type.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == media_type.size()) {
    return false;
  }
  for (char c : media_type.substr(0, media_type.find(';'))) {
    if (c <= ' ' || c >= 127) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateMetadata(const v1::UploadDocumentRequest::Metadata& metadata,
                              const std::string& tenant) {
  const v1::Document& in = metadata.document();
  MOOT_RETURN_IF_ERROR(RequireText("document.title", in.title(), 300));
  if (!v1::Classification_IsValid(in.classification())) {
    return status::InvalidArgument("document.classification", "is not a known classification");
  }
  if (in.classification() == v1::CLASSIFICATION_EXEMPT) {
    // Local Government Act 1972 Sch.12A Part 1: paragraphs 1 to 7 describe exempt information.
    if (in.exempt_paragraph() < 1 || in.exempt_paragraph() > 7) {
      return status::InvalidArgument("document.exempt_paragraph",
                                     "an EXEMPT document needs its Schedule 12A paragraph (1..7)");
    }
  } else if (in.exempt_paragraph() != 0) {
    return status::InvalidArgument("document.exempt_paragraph",
                                   "is only allowed for an EXEMPT document");
  }
  MOOT_RETURN_IF_ERROR(RequireText("document.media_type", in.media_type(), 255));
  if (!IsMediaType(in.media_type())) {
    return status::InvalidArgument("document.media_type",
                                   "must be a media type such as application/pdf");
  }
  if (!in.related_resource().empty()) {
    if (in.related_resource().size() > 1000 || api::TenantOf(in.related_resource()) != tenant) {
      return status::InvalidArgument("document.related_resource",
                                     "must be a resource name of the same tenant");
    }
  }
  if (!IsSha256Hex(absl::AsciiStrToLower(metadata.expected_sha256()))) {
    return status::InvalidArgument("expected_sha256",
                                   "must be the content's SHA-256 as 64 hex characters");
  }
  if (metadata.request_id().size() > 200) {
    return status::InvalidArgument("request_id", "must be at most 200 characters");
  }
  return absl::OkStatus();
}

}  // namespace

DocumentLogic::DocumentLogic(sql::Database& db, const events::Outbox& outbox,
                             const time::Clock& clock, ids::IdGenerator& ids,
                             const api::PageTokens& page_tokens, DocumentLimits limits)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      limits_(limits) {}

absl::Status DocumentLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("documents", DocumentStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Document> DocumentLogic::UploadDocument(
    const auth::Principal& principal, const v1::UploadDocumentRequest::Metadata& metadata,
    ChunkSource& chunks) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, metadata.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, metadata.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidateMetadata(metadata, parent.tenant()));

  // Read and hash every byte: the client's hash is only ever compared, never trusted.
  Sha256Hasher hasher;
  std::string content;
  std::string chunk;
  while (true) {
    MOOT_ASSIGN_OR_RETURN(bool more, chunks.Next(&chunk));
    if (!more) {
      break;
    }
    if (chunk.size() > limits_.max_chunk_bytes) {
      return status::InvalidArgument(
          "chunk", absl::StrCat("must be at most ", limits_.max_chunk_bytes, " bytes"));
    }
    if (static_cast<int64_t>(content.size() + chunk.size()) > limits_.max_upload_bytes) {
      return status::WithReason(absl::ResourceExhaustedError(absl::StrCat(
                                    "the upload exceeds the limit of ", limits_.max_upload_bytes,
                                    " bytes (MOOT_DOCUMENTS_MAX_UPLOAD_BYTES)")),
                                "UPLOAD_TOO_LARGE",
                                {{"limit_bytes", absl::StrCat(limits_.max_upload_bytes)}});
    }
    hasher.Update(chunk);
    content.append(chunk);
  }
  const std::string sha256 = hasher.HexDigest();
  if (sha256.empty()) {
    return absl::InternalError("SHA-256 is unavailable");
  }
  if (sha256 != absl::AsciiStrToLower(metadata.expected_sha256())) {
    return status::InvalidArgument(
        "expected_sha256",
        absl::StrCat("does not match the uploaded bytes, whose SHA-256 is ", sha256),
        "CHECKSUM_MISMATCH");
  }

  const std::string document_id = absl::AsciiStrToLower(ids_.NewId());
  v1::Document document = metadata.document();
  document.set_name(api::FormatName(kDocumentPattern, {parent.tenant(), document_id}));
  if (document.classification() == v1::CLASSIFICATION_UNSPECIFIED) {
    document.set_classification(v1::CLASSIFICATION_PUBLIC);
  }
  document.set_size_bytes(static_cast<int64_t>(content.size()));
  document.set_sha256(sha256);
  *document.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
  const bool is_public = document.classification() == v1::CLASSIFICATION_PUBLIC;

  v1::Document result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "UploadDocument",
                                                  metadata.request_id(), metadata, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        DocumentStore::PutBlob(tx, parent.tenant(), sha256, content, limits_.stored_chunk_bytes));
    MOOT_RETURN_IF_ERROR(DocumentStore::InsertDocument(
        tx, parent.tenant(), document_id, RankOf(document.classification()), document));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "documents", "document.uploaded", parent.tenant(),
                              document.name(), document, is_public)));
    result = document;
    return api::RequestLog::Record(tx, parent.tenant(), "UploadDocument", metadata.request_id(),
                                   metadata, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Document> DocumentLogic::ReadableDocument(const auth::Principal& principal,
                                                             const std::string& name_text) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, name_text, auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kDocumentPattern, name_text, "name"));
  v1::Document document;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        document, DocumentStore::GetDocument(conn, name.tenant(), name.Get("document"), name_text));
    return absl::OkStatus();
  }));
  // Not merely forbidden: a caller who may not read it cannot tell that it exists.
  if (RankOf(document.classification()) > MaxReadableRank(principal, name.tenant())) {
    return status::NotFound(name_text);
  }
  return document;
}

absl::StatusOr<v1::Document> DocumentLogic::GetDocument(const auth::Principal& principal,
                                                        const v1::GetDocumentRequest& request) {
  return ReadableDocument(principal, request.name());
}

absl::Status DocumentLogic::DownloadDocument(const auth::Principal& principal,
                                             const v1::DownloadDocumentRequest& request,
                                             DownloadSink& sink) {
  MOOT_ASSIGN_OR_RETURN(v1::Document document, ReadableDocument(principal, request.name()));
  const std::string tenant = api::TenantOf(document.name());
  int64_t chunk_count = 0;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(chunk_count,
                          DocumentStore::BlobChunkCount(conn, tenant, document.sha256()));
    return absl::OkStatus();
  }));
  MOOT_RETURN_IF_ERROR(sink.SendDocument(document));

  // One chunk is held back until the next has been read, so the last one goes out only after
  // the whole content matched its hash: a client never completes a corrupt download.
  Sha256Hasher hasher;
  int64_t size = 0;
  std::string pending;
  bool has_pending = false;
  for (int64_t seq = 0; seq < chunk_count; ++seq) {
    std::string chunk;
    // A connection per chunk: a slow client does not hold one for the whole download.
    MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
      MOOT_ASSIGN_OR_RETURN(chunk, DocumentStore::BlobChunk(conn, tenant, document.sha256(), seq));
      return absl::OkStatus();
    }));
    hasher.Update(chunk);
    size += static_cast<int64_t>(chunk.size());
    if (has_pending) {
      MOOT_RETURN_IF_ERROR(sink.SendChunk(std::move(pending)));
    }
    pending = std::move(chunk);
    has_pending = true;
  }
  if (hasher.HexDigest() != document.sha256() || size != document.size_bytes()) {
    return absl::DataLossError(
        absl::StrCat("the stored content of ", document.name(), " does not match its SHA-256"));
  }
  if (has_pending) {
    MOOT_RETURN_IF_ERROR(sink.SendChunk(std::move(pending)));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListDocumentsResponse> DocumentLogic::ListDocuments(
    const auth::Principal& principal, const v1::ListDocumentsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const int64_t max_rank = MaxReadableRank(principal, parent.tenant());
  // Bound to what the caller may see, so a token never carries over to a wider view.
  const std::string binding =
      absl::StrCat("documents.ListDocuments|", request.parent(), "|", max_rank);
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListDocumentsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto page, DocumentStore::ListDocuments(conn, parent.tenant(), after, page_size, max_rank));
    for (auto& document : page.items) {
      *response.add_documents() = std::move(document);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::documents
