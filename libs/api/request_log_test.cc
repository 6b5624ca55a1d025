#include "libs/api/request_log.h"

#include <gtest/gtest.h>

#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::api {
namespace {

using moot::scheduling::v1::Body;
using moot::scheduling::v1::CreateBodyRequest;

class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("request_log", RequestLog::Migrations()).ok());
  }
  std::unique_ptr<sql::Database> db_;
};

TEST_F(RequestLogTest, RetryReturnsTheFirstResponse) {
  CreateBodyRequest request;
  request.set_parent("tenants/wm");
  request.set_body_id("pcp");
  request.set_request_id("r-1");
  Body first;
  first.set_name("tenants/wm/bodies/pcp");
  first.set_etag("v1");

  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) -> absl::Status {
                   Body unused;
                   auto seen = RequestLog::Replay(tx, "wm", "CreateBody", "r-1", request, &unused);
                   EXPECT_TRUE(seen.ok());
                   EXPECT_FALSE(*seen);
                   return RequestLog::Record(tx, "wm", "CreateBody", "r-1", request, first, 1);
                 })
                  .ok());

  Body replayed;
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) -> absl::Status {
                   auto seen =
                       RequestLog::Replay(tx, "wm", "CreateBody", "r-1", request, &replayed);
                   EXPECT_TRUE(seen.ok() && *seen);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(replayed.name(), "tenants/wm/bodies/pcp");
  EXPECT_EQ(replayed.etag(), "v1");
}

TEST_F(RequestLogTest, SameIdWithDifferentRequestIsRefused) {
  CreateBodyRequest request;
  request.set_body_id("pcp");
  request.set_request_id("r-2");
  Body response;
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) {
                   return RequestLog::Record(tx, "wm", "CreateBody", "r-2", request, response, 1);
                 })
                  .ok());
  request.set_body_id("other");
  absl::Status status = db_->Transact([&](sql::Connection& tx) -> absl::Status {
    return RequestLog::Replay(tx, "wm", "CreateBody", "r-2", request, &response).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::Details(status).reason, "REQUEST_ID_REUSED");
}

TEST_F(RequestLogTest, IdsAreScopedByTenantAndMethodAndEmptyIdIsIgnored) {
  CreateBodyRequest request;
  request.set_request_id("r-3");
  Body response;
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) {
                   return RequestLog::Record(tx, "wm", "CreateBody", "r-3", request, response, 1);
                 })
                  .ok());
  ASSERT_TRUE(
      db_->Transact([&](sql::Connection& tx) -> absl::Status {
           EXPECT_FALSE(*RequestLog::Replay(tx, "other", "CreateBody", "r-3", request, &response));
           EXPECT_FALSE(*RequestLog::Replay(tx, "wm", "CreateMeeting", "r-3", request, &response));
           EXPECT_FALSE(*RequestLog::Replay(tx, "wm", "CreateBody", "", request, &response));
           return absl::OkStatus();
         })
          .ok());
}

}  // namespace
}  // namespace moot::api
