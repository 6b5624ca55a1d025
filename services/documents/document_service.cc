#include "services/documents/document_service.h"

#include <exception>
#include <utility>

#include "libs/log/logger.h"
#include "libs/rpc/unary.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"

namespace moot::documents {
namespace {

// Converts a streaming handler's outcome once, logging what only a bug or corruption causes.
grpc::Status Finish(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss || status.code() == absl::StatusCode::kUnknown) {
    log::Error("internal error", {{"status", status.ToString()}});
  }
  return status::ToGrpcStatus(status);
}

class ReaderChunkSource final : public ChunkSource {
 public:
  explicit ReaderChunkSource(grpc::ServerReader<v1::UploadDocumentRequest>* reader)
      : reader_(reader) {}

  absl::StatusOr<bool> Next(std::string* chunk) override {
    v1::UploadDocumentRequest message;
    if (!reader_->Read(&message)) {
      return false;
    }
    if (message.part_case() != v1::UploadDocumentRequest::kChunk) {
      return status::InvalidArgument("chunk", "every message after the first must carry a chunk");
    }
    chunk->swap(*message.mutable_chunk());
    return true;
  }

 private:
  grpc::ServerReader<v1::UploadDocumentRequest>* reader_;
};

class WriterDownloadSink final : public DownloadSink {
 public:
  explicit WriterDownloadSink(grpc::ServerWriter<v1::DownloadDocumentResponse>* writer)
      : writer_(writer) {}

  absl::Status SendDocument(const v1::Document& document) override {
    v1::DownloadDocumentResponse message;
    *message.mutable_document() = document;
    return Write(message);
  }
  absl::Status SendChunk(std::string chunk) override {
    v1::DownloadDocumentResponse message;
    message.set_chunk(std::move(chunk));
    return Write(message);
  }

 private:
  absl::Status Write(const v1::DownloadDocumentResponse& message) {
    if (!writer_->Write(message)) {
      return absl::CancelledError("the client went away");
    }
    return absl::OkStatus();
  }
  grpc::ServerWriter<v1::DownloadDocumentResponse>* writer_;
};

}  // namespace

grpc::Status DocumentService::UploadDocument(grpc::ServerContext* context,
                                             grpc::ServerReader<v1::UploadDocumentRequest>* reader,
                                             v1::Document* response) {
  try {
    absl::StatusOr<auth::Principal> principal = auth_.PrincipalFromContext(context);
    if (!principal.ok()) {
      return status::ToGrpcStatus(principal.status());
    }
    v1::UploadDocumentRequest first;
    if (!reader->Read(&first) || first.part_case() != v1::UploadDocumentRequest::kMetadata) {
      return status::ToGrpcStatus(
          status::InvalidArgument("metadata", "the first message must carry the metadata"));
    }
    ReaderChunkSource chunks(reader);
    absl::StatusOr<v1::Document> result =
        logic_.UploadDocument(*principal, first.metadata(), chunks);
    if (!result.ok()) {
      return Finish(result.status());
    }
    *response = *std::move(result);
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    log::Error("exception in handler", {{"what", e.what()}});
    return status::ToGrpcStatus(absl::InternalError("internal error"));
  }
}

grpc::Status DocumentService::DownloadDocument(
    grpc::ServerContext* context, const v1::DownloadDocumentRequest* request,
    grpc::ServerWriter<v1::DownloadDocumentResponse>* writer) {
  try {
    absl::StatusOr<auth::Principal> principal = auth_.PrincipalFromContext(context);
    if (!principal.ok()) {
      return status::ToGrpcStatus(principal.status());
    }
    WriterDownloadSink sink(writer);
    return Finish(logic_.DownloadDocument(*principal, *request, sink));
  } catch (const std::exception& e) {
    log::Error("exception in handler", {{"what", e.what()}});
    return status::ToGrpcStatus(absl::InternalError("internal error"));
  }
}

grpc::Status DocumentService::GetDocument(grpc::ServerContext* context,
                                          const v1::GetDocumentRequest* request,
                                          v1::Document* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetDocument(p, *request); });
}

grpc::Status DocumentService::ListDocuments(grpc::ServerContext* context,
                                            const v1::ListDocumentsRequest* request,
                                            v1::ListDocumentsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListDocuments(p, *request); });
}

}  // namespace moot::documents
