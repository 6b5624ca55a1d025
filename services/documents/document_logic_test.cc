#include "services/documents/document_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/documents/sha256_hasher.h"

namespace moot::documents {
namespace {

using ::testing::HasSubstr;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Partner(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "apikey:p", .roles = {auth::Role::kPartner}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

std::string Sha256Of(absl::string_view data) {
  Sha256Hasher hasher;
  hasher.Update(data);
  return hasher.HexDigest();
}

// Chunks from a list; counts how many were asked for.
class ListSource : public ChunkSource {
 public:
  explicit ListSource(std::vector<std::string> chunks) : chunks_(std::move(chunks)) {}
  absl::StatusOr<bool> Next(std::string* chunk) override {
    ++reads_;
    if (next_ == chunks_.size()) {
      return false;
    }
    *chunk = chunks_[next_++];
    return true;
  }
  int reads() const { return reads_; }

 private:
  std::vector<std::string> chunks_;
  size_t next_ = 0;
  int reads_ = 0;
};

class RecordingSink : public DownloadSink {
 public:
  absl::Status SendDocument(const v1::Document& document) override {
    ++documents;
    document_ = document;
    return absl::OkStatus();
  }
  absl::Status SendChunk(std::string chunk) override {
    chunks.push_back(std::move(chunk));
    return absl::OkStatus();
  }
  std::string Content() const { return absl::StrJoin(chunks, ""); }
  int documents = 0;
  v1::Document document_;
  std::vector<std::string> chunks;
};

class DocumentLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    // Small limits so that the rules show with small data.
    limits_.max_upload_bytes = 64;
    limits_.max_chunk_bytes = 16;
    limits_.stored_chunk_bytes = 5;
    logic_ = std::make_unique<DocumentLogic>(*db_, outbox_, clock_, ids_, tokens_, limits_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  static v1::UploadDocumentRequest::Metadata Metadata(
      absl::string_view content, v1::Classification classification = v1::CLASSIFICATION_PUBLIC) {
    v1::UploadDocumentRequest::Metadata m;
    m.set_parent("tenants/wm");
    m.mutable_document()->set_title("Report of the Chief Finance Officer");
    m.mutable_document()->set_classification(classification);
    if (classification == v1::CLASSIFICATION_EXEMPT) {
      m.mutable_document()->set_exempt_paragraph(3);
    }
    m.mutable_document()->set_media_type("application/pdf");
    m.set_expected_sha256(Sha256Of(content));
    return m;
  }

  absl::StatusOr<v1::Document> Upload(const std::vector<std::string>& chunks,
                                      v1::Classification classification = v1::CLASSIFICATION_PUBLIC,
                                      const auth::Principal& who = Officer()) {
    ListSource source(chunks);
    return logic_->UploadDocument(who, Metadata(absl::StrJoin(chunks, ""), classification), source);
  }

  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute(absl::StrCat("SELECT COUNT(*) FROM ", table));
                     if (!r.ok()) {
                       return r.status();
                     }
                     n = r->rows[0].Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::vector<events::v1::Event> Events() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event e;
                       EXPECT_TRUE(e.ParseFromString(row.GetBytes(0).value_or("")));
                       events.push_back(e);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  absl::Status Download(const auth::Principal& who, const std::string& name, RecordingSink& sink) {
    v1::DownloadDocumentRequest request;
    request.set_name(name);
    return logic_->DownloadDocument(who, request, sink);
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"doc"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  DocumentLimits limits_;
  std::unique_ptr<DocumentLogic> logic_;
};

TEST_F(DocumentLogicTest, OfficerUploadsAndAnonymousDownloadsPublicDocument) {
  auto document = Upload({"%PDF-1.7 ", "agenda ", "pack"});
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->name(), "tenants/wm/documents/doc0000000001");
  EXPECT_EQ(document->size_bytes(), 20);
  EXPECT_EQ(document->sha256(), Sha256Of("%PDF-1.7 agenda pack"));
  EXPECT_EQ(document->classification(), v1::CLASSIFICATION_PUBLIC);
  EXPECT_EQ(document->create_time().seconds(), 1699000000);
  // Stored in rows of 5 bytes.
  EXPECT_EQ(Count("blob_chunks"), 4);

  RecordingSink sink;
  ASSERT_TRUE(Download(auth::Principal::Anonymous(), document->name(), sink).ok());
  EXPECT_EQ(sink.documents, 1);
  EXPECT_EQ(sink.document_.sha256(), document->sha256());
  EXPECT_EQ(sink.Content(), "%PDF-1.7 agenda pack");
  EXPECT_EQ(sink.chunks.size(), 4u);

  const auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "document.uploaded");
  EXPECT_TRUE(events[0].public_());
  EXPECT_EQ(events[0].subject(), document->name());
}

TEST_F(DocumentLogicTest, ChecksumMismatchStoresNothing) {
  ListSource source({"the real ", "bytes"});
  auto metadata = Metadata("other bytes");
  auto result = logic_->UploadDocument(Officer(), metadata, source);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(result.status()), "CHECKSUM_MISMATCH");
  EXPECT_EQ(Field(result.status()), "expected_sha256");
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(Sha256Of("the real bytes")));
  EXPECT_EQ(Count("documents"), 0);
  EXPECT_EQ(Count("blobs"), 0);
  EXPECT_EQ(Count("blob_chunks"), 0);
  EXPECT_TRUE(Events().empty());

  // Upper-case hex of the right hash is accepted.
  ListSource again({"the real ", "bytes"});
  metadata.set_expected_sha256(absl::AsciiStrToUpper(Sha256Of("the real bytes")));
  EXPECT_TRUE(logic_->UploadDocument(Officer(), metadata, again).ok());
}

TEST_F(DocumentLogicTest, ChunkAndTotalLimits) {
  auto big_chunk = Upload({std::string(17, 'x')});
  EXPECT_EQ(big_chunk.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Field(big_chunk.status()), "chunk");

  std::vector<std::string> chunks(5, std::string(16, 'x'));  // 80 bytes > 64.
  auto too_big = Upload(chunks);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(Reason(too_big.status()), "UPLOAD_TOO_LARGE");
  EXPECT_THAT(std::string(too_big.status().message()), HasSubstr("64 bytes"));
  EXPECT_EQ(status::Details(too_big.status()).metadata["limit_bytes"], "64");

  std::vector<std::string> exact(4, std::string(16, 'x'));  // Exactly 64 bytes.
  EXPECT_TRUE(Upload(exact).ok());
  EXPECT_TRUE(Upload({}).ok());  // An empty file is a file.
}

TEST_F(DocumentLogicTest, BadMetadataNamesTheFieldAndReadsNoChunk) {
  struct Case {
    std::function<void(v1::UploadDocumentRequest::Metadata&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& m) { m.mutable_document()->clear_title(); }, "document.title"},
      {[](auto& m) { m.mutable_document()->set_title(std::string(301, 't')); }, "document.title"},
      {[](auto& m) { m.mutable_document()->set_classification(v1::CLASSIFICATION_EXEMPT); },
       "document.exempt_paragraph"},
      {[](auto& m) {
         m.mutable_document()->set_classification(v1::CLASSIFICATION_EXEMPT);
         m.mutable_document()->set_exempt_paragraph(8);
       },
       "document.exempt_paragraph"},
      {[](auto& m) { m.mutable_document()->set_exempt_paragraph(1); }, "document.exempt_paragraph"},
      {[](auto& m) {
         m.mutable_document()->set_classification(static_cast<v1::Classification>(9));
       },
       "document.classification"},
      {[](auto& m) { m.mutable_document()->clear_media_type(); }, "document.media_type"},
      {[](auto& m) { m.mutable_document()->set_media_type("pdf"); }, "document.media_type"},
      {[](auto& m) { m.mutable_document()->set_related_resource("tenants/ny/bodies/pcp"); },
       "document.related_resource"},
      {[](auto& m) { m.clear_expected_sha256(); }, "expected_sha256"},
      {[](auto& m) { m.set_expected_sha256(std::string(64, 'g')); }, "expected_sha256"},
      {[](auto& m) { m.set_parent("tenants/wm/documents"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto metadata = Metadata("abc");
    c.mutate(metadata);
    ListSource source({"abc"});
    auto result = logic_->UploadDocument(Officer(), metadata, source);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
    EXPECT_EQ(source.reads(), 0) << c.field;
  }
  EXPECT_EQ(Count("documents"), 0);
}

TEST_F(DocumentLogicTest, AccessIsCheckedBeforeAnyLookupOrRead) {
  auto document = Upload({"abc"});
  ASSERT_TRUE(document.ok());
  v1::GetDocumentRequest get;
  get.set_name(document->name());
  auto other = logic_->GetDocument(Officer("ny"), get);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  get.set_name("tenants/wm/documents/missing");
  EXPECT_EQ(logic_->GetDocument(Officer("ny"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  RecordingSink sink;
  EXPECT_EQ(Download(Member("ny"), document->name(), sink).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(sink.documents, 0);

  for (const auto& [who, code] : std::vector<std::pair<auth::Principal, absl::StatusCode>>{
           {Member(), absl::StatusCode::kPermissionDenied},
           {Partner(), absl::StatusCode::kPermissionDenied},
           {Officer("ny"), absl::StatusCode::kPermissionDenied},
           {auth::Principal::Anonymous(), absl::StatusCode::kUnauthenticated}}) {
    ListSource source({"abc"});
    auto denied = logic_->UploadDocument(who, Metadata("abc"), source);
    EXPECT_EQ(denied.status().code(), code) << who.DebugString();
    EXPECT_EQ(source.reads(), 0);
  }
  EXPECT_EQ(Count("documents"), 1);
}

TEST_F(DocumentLogicTest, ClassificationDecidesWhoSeesADocument) {
  auto public_doc = Upload({"public"}, v1::CLASSIFICATION_PUBLIC);
  auto exempt_doc = Upload({"exempt"}, v1::CLASSIFICATION_EXEMPT);
  auto confidential_doc = Upload({"confidential"}, v1::CLASSIFICATION_CONFIDENTIAL);
  ASSERT_TRUE(public_doc.ok() && exempt_doc.ok() && confidential_doc.ok());
  EXPECT_EQ(exempt_doc->exempt_paragraph(), 3);

  struct Case {
    auth::Principal who;
    std::vector<std::string> visible;  // Contents the caller may read.
  };
  const std::vector<Case> cases = {
      {auth::Principal::Anonymous(), {"public"}},
      {Partner(), {"public"}},
      {Member(), {"public", "exempt"}},
      {Officer(), {"public", "exempt", "confidential"}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> listed;
    v1::ListDocumentsRequest list;
    list.set_parent("tenants/wm");
    auto page = logic_->ListDocuments(c.who, list);
    ASSERT_TRUE(page.ok()) << page.status();
    std::vector<std::string> gettable;
    std::vector<std::string> downloaded;
    for (const auto& doc : {*public_doc, *exempt_doc, *confidential_doc}) {
      v1::GetDocumentRequest get;
      get.set_name(doc.name());
      auto got = logic_->GetDocument(c.who, get);
      RecordingSink sink;
      absl::Status download = Download(c.who, doc.name(), sink);
      if (got.ok()) {
        gettable.push_back(doc.name());
        EXPECT_TRUE(download.ok()) << download;
        downloaded.push_back(sink.Content());
      } else {
        // Not readable is indistinguishable from absent.
        EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
        EXPECT_EQ(download.code(), absl::StatusCode::kNotFound);
        EXPECT_EQ(sink.documents, 0);
      }
    }
    for (const auto& doc : page->documents()) {
      listed.push_back(doc.name());
    }
    EXPECT_EQ(downloaded, c.visible) << c.who.DebugString();
    EXPECT_EQ(listed, gettable) << c.who.DebugString();
  }

  // Only the public upload's event is public.
  const auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[0].public_());
  EXPECT_FALSE(events[1].public_());
  EXPECT_FALSE(events[2].public_());
}

TEST_F(DocumentLogicTest, SameContentIsStoredOnce) {
  auto first = Upload({"same ", "bytes"});
  auto second = Upload({"same bytes"}, v1::CLASSIFICATION_CONFIDENTIAL);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->name(), second->name());
  EXPECT_EQ(first->sha256(), second->sha256());
  EXPECT_EQ(Count("blobs"), 1);
  EXPECT_EQ(Count("blob_chunks"), 2);
  RecordingSink sink;
  ASSERT_TRUE(Download(Officer(), second->name(), sink).ok());
  EXPECT_EQ(sink.Content(), "same bytes");
}

TEST_F(DocumentLogicTest, RetryWithSameRequestIdIsIdempotent) {
  auto metadata = Metadata("abc");
  metadata.set_request_id("upload-1");
  ListSource source({"abc"});
  auto first = logic_->UploadDocument(Officer(), metadata, source);
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Minutes(1));
  ListSource retry_source({"abc"});
  auto retry = logic_->UploadDocument(Officer(), metadata, retry_source);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Count("documents"), 1);
  EXPECT_EQ(Events().size(), 1u);

  metadata.mutable_document()->set_title("Another title");
  ListSource changed({"abc"});
  EXPECT_EQ(Reason(logic_->UploadDocument(Officer(), metadata, changed).status()),
            "REQUEST_ID_REUSED");
}

TEST_F(DocumentLogicTest, ListPagesInNameOrderAndTokensAreBoundToTheView) {
  std::vector<std::string> uploaded;
  for (int i = 0; i < 5; ++i) {
    auto document = Upload({absl::StrCat("doc ", i)});
    ASSERT_TRUE(document.ok());
    uploaded.push_back(document->name());
  }
  std::vector<std::string> names;
  v1::ListDocumentsRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  int pages = 0;
  std::string anonymous_token;
  do {
    auto page = logic_->ListDocuments(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& d : page->documents()) {
      names.push_back(d.name());
    }
    if (anonymous_token.empty()) {
      anonymous_token = page->next_page_token();
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  // Ids are ULIDs (here sequential), so name order is upload order.
  EXPECT_EQ(names, uploaded);

  list.set_page_token(anonymous_token);
  EXPECT_EQ(Field(logic_->ListDocuments(Officer(), list).status()), "page_token");
  list.clear_page_token();
  list.set_page_size(1001);
  EXPECT_EQ(Field(logic_->ListDocuments(Officer(), list).status()), "page_size");
}

TEST_F(DocumentLogicTest, CorruptContentFailsTheDownloadBeforeItsLastChunk) {
  auto document = Upload({"0123456789abcde"});  // Three stored chunks of 5.
  ASSERT_TRUE(document.ok());
  ASSERT_TRUE(
      db_->WithConnection([&](sql::Connection& c) -> absl::Status {
           return c.Execute("UPDATE blob_chunks SET data = $1 WHERE seq = 1", {sql::Bytes{"XXXXX"}})
               .status();
         })
          .ok());
  RecordingSink sink;
  absl::Status status = Download(Officer(), document->name(), sink);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(sink.chunks.size(), 2u);  // The last chunk was held back.
}

}  // namespace
}  // namespace moot::documents
