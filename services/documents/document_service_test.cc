// The documents service over a real gRPC server on a loopback port: streaming upload and
// download with bearer tokens, as a client sees them.
#include "services/documents/document_service.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/testing/test_database.h"
#include "services/documents/sha256_hasher.h"

namespace moot::documents {
namespace {

constexpr char kSecret[] = "documents-test-secret-of-at-least-32-bytes";

std::string Sha256Of(absl::string_view data) {
  Sha256Hasher hasher;
  hasher.Update(data);
  return hasher.HexDigest();
}

std::string RandomBytes(size_t n) {
  std::mt19937 gen(42);
  std::string out(n, '\0');
  for (char& c : out) {
    c = static_cast<char>(gen() & 0xff);
  }
  return out;
}

class DocumentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<DocumentLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());

    auth::JwtVerifierOptions options;
    options.hs256_secret = kSecret;
    options.algorithms = {"HS256"};
    options.clock = &clock_;
    auto verifier = auth::JwtVerifier::Create(options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::move(*verifier);
    auto signer = auth::JwtSigner::Hs256(kSecret);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = std::move(*signer);
    authenticator_ = std::make_unique<auth::Authenticator>(verifier_.get(), nullptr);
    server_auth_ = std::make_unique<auth::ServerAuth>(authenticator_.get());
    service_ = std::make_unique<DocumentService>(*logic_, *server_auth_);

    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
    f.push_back(server_auth_->InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(f));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::DocumentService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
    }
  }

  std::string Token(auth::Role role, const std::string& tenant = "wm") {
    auto token =
        signer_->SignToken({.principal = {tenant, "user:test", {role}}, .issued_at = clock_.Now()});
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  void Prepare(grpc::ClientContext& ctx, const std::string& token) {
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!token.empty()) {
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
  }

  static v1::UploadDocumentRequest MetadataMessage(
      const std::string& expected_sha256,
      v1::Classification classification = v1::CLASSIFICATION_PUBLIC) {
    v1::UploadDocumentRequest message;
    auto* m = message.mutable_metadata();
    m->set_parent("tenants/wm");
    m->mutable_document()->set_title("Agenda pack");
    m->mutable_document()->set_classification(classification);
    m->mutable_document()->set_media_type("application/pdf");
    m->set_expected_sha256(expected_sha256);
    return message;
  }

  static v1::UploadDocumentRequest ChunkMessage(std::string bytes) {
    v1::UploadDocumentRequest message;
    message.set_chunk(std::move(bytes));
    return message;
  }

  // Sends the messages as one upload; the document or the status.
  absl::StatusOr<v1::Document> Upload(const std::string& token,
                                      const std::vector<v1::UploadDocumentRequest>& messages) {
    grpc::ClientContext ctx;
    Prepare(ctx, token);
    v1::Document response;
    auto writer = stub_->UploadDocument(&ctx, &response);
    for (const auto& message : messages) {
      if (!writer->Write(message)) {
        break;  // The server has already answered.
      }
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
    return response;
  }

  // Uploads `content` in chunks of `chunk_bytes`.
  absl::StatusOr<v1::Document> UploadContent(
      const std::string& token, const std::string& content, size_t chunk_bytes,
      v1::Classification classification = v1::CLASSIFICATION_PUBLIC) {
    std::vector<v1::UploadDocumentRequest> messages = {
        MetadataMessage(Sha256Of(content), classification)};
    for (size_t at = 0; at < content.size(); at += chunk_bytes) {
      messages.push_back(ChunkMessage(content.substr(at, chunk_bytes)));
    }
    return Upload(token, messages);
  }

  struct Downloaded {
    v1::Document document;
    std::string content;
    int chunks = 0;
  };
  absl::StatusOr<Downloaded> Download(const std::string& token, const std::string& name) {
    grpc::ClientContext ctx;
    Prepare(ctx, token);
    v1::DownloadDocumentRequest request;
    request.set_name(name);
    auto reader = stub_->DownloadDocument(&ctx, request);
    Downloaded out;
    v1::DownloadDocumentResponse message;
    bool first = true;
    while (reader->Read(&message)) {
      if (first) {
        EXPECT_EQ(message.part_case(), v1::DownloadDocumentResponse::kDocument);
        out.document = message.document();
        first = false;
        continue;
      }
      EXPECT_EQ(message.part_case(), v1::DownloadDocumentResponse::kChunk);
      out.content += message.chunk();
      ++out.chunks;
    }
    grpc::Status status = reader->Finish();
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
    return out;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"doc"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<DocumentLogic> logic_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ServerAuth> server_auth_;
  std::unique_ptr<DocumentService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::DocumentService::Stub> stub_;
};

TEST_F(DocumentServiceTest, ThreeMebibyteFileRoundTripsInChunks) {
  const std::string content = RandomBytes(3 << 20);
  // Chunks of 700 KiB: five messages, the last one short.
  auto document = UploadContent(Token(auth::Role::kOfficer), content, 700 << 10);
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->size_bytes(), 3 << 20);
  EXPECT_EQ(document->sha256(), Sha256Of(content));

  // Anonymous callers read a public document; it comes back in 256 KiB chunks.
  auto downloaded = Download("", document->name());
  ASSERT_TRUE(downloaded.ok()) << downloaded.status();
  EXPECT_EQ(downloaded->document.name(), document->name());
  EXPECT_EQ(downloaded->document.sha256(), document->sha256());
  EXPECT_EQ(downloaded->chunks, 12);
  EXPECT_TRUE(downloaded->content == content);
}

TEST_F(DocumentServiceTest, ChecksumMismatchIsRefusedAndNothingIsStored) {
  const std::string content = RandomBytes(300000);
  std::vector<v1::UploadDocumentRequest> messages = {MetadataMessage(Sha256Of("something else"))};
  messages.push_back(ChunkMessage(content.substr(0, 200000)));
  messages.push_back(ChunkMessage(content.substr(200000)));
  auto result = Upload(Token(auth::Role::kOfficer), messages);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  auto details = status::Details(result.status());
  EXPECT_EQ(details.reason, "CHECKSUM_MISMATCH");
  ASSERT_EQ(details.field_violations.size(), 1u);
  EXPECT_EQ(details.field_violations[0].field, "expected_sha256");

  grpc::ClientContext ctx;
  Prepare(ctx, Token(auth::Role::kOfficer));
  v1::ListDocumentsRequest list;
  list.set_parent("tenants/wm");
  v1::ListDocumentsResponse listed;
  ASSERT_TRUE(stub_->ListDocuments(&ctx, list, &listed).ok());
  EXPECT_EQ(listed.documents_size(), 0);
}

TEST_F(DocumentServiceTest, StreamShapeIsChecked) {
  const std::string officer = Token(auth::Role::kOfficer);
  auto no_metadata = Upload(officer, {ChunkMessage("abc")});
  EXPECT_EQ(no_metadata.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(no_metadata.status()).field_violations.at(0).field, "metadata");

  auto empty = Upload(officer, {});
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);

  auto twice = Upload(officer, {MetadataMessage(Sha256Of("abc")), MetadataMessage("x")});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(twice.status()).field_violations.at(0).field, "chunk");

  // A chunk over 1 MiB.
  const std::string big((1 << 20) + 1, 'x');
  auto too_big = Upload(officer, {MetadataMessage(Sha256Of(big)), ChunkMessage(big)});
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(too_big.status()).field_violations.at(0).field, "chunk");
}

TEST_F(DocumentServiceTest, CredentialsAndClassificationDecideAccess) {
  auto anonymous = UploadContent("", "abc", 10);
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kUnauthenticated);
  auto member = UploadContent(Token(auth::Role::kMember), "abc", 10);
  EXPECT_EQ(member.status().code(), absl::StatusCode::kPermissionDenied);
  auto bad_token = UploadContent("not-a-token", "abc", 10);
  EXPECT_EQ(bad_token.status().code(), absl::StatusCode::kUnauthenticated);

  auto confidential =
      UploadContent(Token(auth::Role::kOfficer), "secret", 10, v1::CLASSIFICATION_CONFIDENTIAL);
  ASSERT_TRUE(confidential.ok()) << confidential.status();
  EXPECT_EQ(Download(Token(auth::Role::kMember), confidential->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Download("", confidential->name()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Download(Token(auth::Role::kOfficer, "ny"), confidential->name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto officer = Download(Token(auth::Role::kOfficer), confidential->name());
  ASSERT_TRUE(officer.ok()) << officer.status();
  EXPECT_EQ(officer->content, "secret");

  grpc::ClientContext ctx;
  Prepare(ctx, "");
  v1::GetDocumentRequest get;
  get.set_name(confidential->name());
  v1::Document got;
  EXPECT_EQ(stub_->GetDocument(&ctx, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace moot::documents
