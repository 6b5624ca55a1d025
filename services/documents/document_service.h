// gRPC adapter of moot.documents.v1.DocumentService over DocumentLogic: the unary methods
// through rpc::Unary, the two streams through ChunkSource / DownloadSink over the call's
// reader and writer.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/documents/v1/documents.grpc.pb.h"
#include "services/documents/document_logic.h"

namespace moot::documents {

class DocumentService final : public v1::DocumentService::Service {
 public:
  DocumentService(DocumentLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  // The first message must carry the metadata (INVALID_ARGUMENT naming "metadata" otherwise),
  // every later one a chunk (INVALID_ARGUMENT naming "chunk").
  grpc::Status UploadDocument(grpc::ServerContext* context,
                              grpc::ServerReader<v1::UploadDocumentRequest>* reader,
                              v1::Document* response) override;
  grpc::Status DownloadDocument(grpc::ServerContext* context,
                                const v1::DownloadDocumentRequest* request,
                                grpc::ServerWriter<v1::DownloadDocumentResponse>* writer) override;
  grpc::Status GetDocument(grpc::ServerContext* context, const v1::GetDocumentRequest* request,
                           v1::Document* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;

 private:
  DocumentLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::documents
