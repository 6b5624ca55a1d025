#include "services/documents/document_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::documents {

std::vector<sql::Migration> DocumentStore::Migrations() {
  return {
      {.version = 1,
       .name = "documents and content-addressed blobs",
       .sql = "CREATE TABLE blobs ("
              " tenant_id TEXT NOT NULL,"
              " sha256 TEXT NOT NULL,"
              " size_bytes BIGINT NOT NULL,"
              " chunk_count BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, sha256));"
              "CREATE TABLE blob_chunks ("
              " tenant_id TEXT NOT NULL,"
              " sha256 TEXT NOT NULL,"
              " seq BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, sha256, seq));"
              "CREATE TABLE documents ("
              " tenant_id TEXT NOT NULL,"
              " document_id TEXT NOT NULL,"
              " visibility BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, document_id));"},
  };
}

absl::Status DocumentStore::PutBlob(sql::Connection& tx, const std::string& tenant,
                                    const std::string& sha256, absl::string_view content,
                                    size_t chunk_bytes) {
  chunk_bytes = std::max<size_t>(chunk_bytes, 1);
  const int64_t chunk_count =
      static_cast<int64_t>((content.size() + chunk_bytes - 1) / chunk_bytes);
  MOOT_ASSIGN_OR_RETURN(
      sql::Result inserted,
      tx.Execute("INSERT INTO blobs (tenant_id, sha256, size_bytes, chunk_count)"
                 " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                 {tenant, sha256, static_cast<int64_t>(content.size()), chunk_count}));
  if (inserted.rows_affected == 0) {
    return absl::OkStatus();  // The tenant already holds this content.
  }
  for (int64_t seq = 0; seq < chunk_count; ++seq) {
    const absl::string_view part =
        content.substr(static_cast<size_t>(seq) * chunk_bytes, chunk_bytes);
    MOOT_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO blob_chunks (tenant_id, sha256, seq, data) VALUES ($1, $2, $3, $4)",
                   {tenant, sha256, seq, sql::Bytes{std::string(part)}})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> DocumentStore::BlobChunkCount(sql::Connection& conn,
                                                      const std::string& tenant,
                                                      const std::string& sha256) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT chunk_count FROM blobs WHERE tenant_id = $1 AND sha256 = $2",
                   {tenant, sha256}));
  if (result.rows.empty()) {
    return absl::DataLossError(absl::StrCat("content ", sha256, " is missing"));
  }
  return result.rows[0].GetInt(0);
}

absl::StatusOr<std::string> DocumentStore::BlobChunk(sql::Connection& conn,
                                                     const std::string& tenant,
                                                     const std::string& sha256, int64_t seq) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data FROM blob_chunks WHERE tenant_id = $1 AND"
                                     " sha256 = $2 AND seq = $3",
                                     {tenant, sha256, seq}));
  if (result.rows.empty()) {
    return absl::DataLossError(absl::StrCat("chunk ", seq, " of content ", sha256, " is missing"));
  }
  return result.rows[0].GetBytes(0);
}

absl::Status DocumentStore::InsertDocument(sql::Connection& tx, const std::string& tenant,
                                           const std::string& document_id, int64_t visibility,
                                           const v1::Document& document) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO documents (tenant_id, document_id, visibility, data)"
                 " VALUES ($1, $2, $3, $4)",
                 {tenant, document_id, visibility, sql::Bytes{document.SerializeAsString()}})
          .status(),
      document.name());
}

absl::StatusOr<v1::Document> DocumentStore::GetDocument(sql::Connection& conn,
                                                        const std::string& tenant,
                                                        const std::string& document_id,
                                                        const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM documents WHERE tenant_id = $1 AND document_id = $2",
                   {tenant, document_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Document>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::Document>> DocumentStore::ListDocuments(sql::Connection& conn,
                                                                     const std::string& tenant,
                                                                     const std::string& after_key,
                                                                     int limit,
                                                                     int64_t max_visibility) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT document_id, data FROM documents WHERE tenant_id = $1"
                   " AND document_id > $2 AND visibility <= $3 ORDER BY document_id LIMIT $4",
                   {tenant, after_key, max_visibility, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Document>(result, limit);
}

}  // namespace moot::documents
