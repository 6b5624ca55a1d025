// Storage of documents and their content for the documents service, over libs/sql (SQLite or
// PostgreSQL). Every query is scoped by tenant.
//
// Content is stored content-addressed: one `blobs` row per (tenant, SHA-256) and the bytes in
// `blob_chunks` rows of at most a chunk size each (so no row grows large), shared by every
// document of the tenant with the same content. Documents keep their metadata as a serialized
// proto beside the visibility rank that listing filters on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/documents/v1/documents.pb.h"

namespace moot::documents {

// Methods that take a Connection run inside the caller's transaction (or connection).
class DocumentStore {
 public:
  // Schema migrations, component "documents".
  static std::vector<sql::Migration> Migrations();

  // Stores `content` under its (already verified) SHA-256 hex `sha256` in chunks of
  // `chunk_bytes`, unless the tenant already has that content (then nothing is written).
  static absl::Status PutBlob(sql::Connection& tx, const std::string& tenant,
                              const std::string& sha256, absl::string_view content,
                              size_t chunk_bytes);
  // The number of chunks of a stored blob; DATA_LOSS when the blob is missing.
  static absl::StatusOr<int64_t> BlobChunkCount(sql::Connection& conn, const std::string& tenant,
                                                const std::string& sha256);
  // Chunk `seq` (0-based) of a blob; DATA_LOSS when missing.
  static absl::StatusOr<std::string> BlobChunk(sql::Connection& conn, const std::string& tenant,
                                               const std::string& sha256, int64_t seq);

  // `visibility` is the rank listing filters on (see DocumentLogic). ALREADY_EXISTS naming the
  // document when its id is taken.
  static absl::Status InsertDocument(sql::Connection& tx, const std::string& tenant,
                                     const std::string& document_id, int64_t visibility,
                                     const v1::Document& document);
  // The document; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::Document> GetDocument(sql::Connection& conn, const std::string& tenant,
                                                  const std::string& document_id,
                                                  const std::string& name);
  // Documents whose visibility is at most `max_visibility`, ordered by id, after `after_key`.
  static absl::StatusOr<api::Page<v1::Document>> ListDocuments(sql::Connection& conn,
                                                               const std::string& tenant,
                                                               const std::string& after_key,
                                                               int limit, int64_t max_visibility);
};

}  // namespace moot::documents
