// The documents service's rules, independent of gRPC: validation, who may read what
// (Local Government Act 1972 Sch.12A), hashing and storing uploads content-addressed, verified
// downloads, idempotent uploads and the `document.uploaded` event.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/documents/v1/documents.pb.h"
#include "services/documents/chunk_stream.h"

namespace moot::documents {

struct DocumentLimits {
  // The largest upload; more is RESOURCE_EXHAUSTED (reason UPLOAD_TOO_LARGE).
  int64_t max_upload_bytes = int64_t{64} << 20;
  // The largest chunk message of an upload; more is INVALID_ARGUMENT naming "chunk".
  size_t max_chunk_bytes = size_t{1} << 20;
  // The size of the rows content is stored in, and of the chunks a download sends.
  size_t stored_chunk_bytes = size_t{256} << 10;
};

class DocumentLogic {
 public:
  // None are owned; all must outlive the logic.
  DocumentLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                ids::IdGenerator& ids, const api::PageTokens& page_tokens,
                DocumentLimits limits = {});

  // Applies the schema migrations (documents, request log, outbox).
  absl::Status Migrate();

  // OFFICER of the tenant. Checks access and the metadata before reading any chunk, then reads
  // the chunks from `chunks`, hashes them and stores the content only when the hash equals
  // metadata.expected_sha256 (INVALID_ARGUMENT reason CHECKSUM_MISMATCH naming
  // "expected_sha256" otherwise; nothing is stored). Emits `document.uploaded` (public only for
  // a PUBLIC document). A retry with the same request_id returns the first document.
  absl::StatusOr<v1::Document> UploadDocument(const auth::Principal& principal,
                                              const v1::UploadDocumentRequest::Metadata& metadata,
                                              ChunkSource& chunks);

  // Sends the document, then its content, to `sink`, hashing on the way: the last chunk is
  // only sent once the whole content matched its SHA-256 (DATA_LOSS otherwise). NOT_FOUND for
  // a document the caller may not read, as for one that does not exist.
  absl::Status DownloadDocument(const auth::Principal& principal,
                                const v1::DownloadDocumentRequest& request, DownloadSink& sink);

  // The document's metadata; NOT_FOUND when the caller may not read it.
  absl::StatusOr<v1::Document> GetDocument(const auth::Principal& principal,
                                           const v1::GetDocumentRequest& request);

  // The documents the caller may read, ordered by name, paged.
  absl::StatusOr<v1::ListDocumentsResponse> ListDocuments(const auth::Principal& principal,
                                                          const v1::ListDocumentsRequest& request);

 private:
  // The document if `principal` may read it, else NOT_FOUND (after the tenant check).
  absl::StatusOr<v1::Document> ReadableDocument(const auth::Principal& principal,
                                                const std::string& name);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  DocumentLimits limits_;
};

}  // namespace moot::documents
