#include "libs/api/proto_rows.h"

#include <gtest/gtest.h>

#include "google/protobuf/timestamp.pb.h"
#include "libs/status/errors.h"

namespace moot::api {
namespace {

using google::protobuf::Timestamp;

sql::Row RowOf(std::string key, std::string data) {
  return sql::Row({std::move(key), sql::Bytes{std::move(data)}});
}

std::string Serialized(int64_t seconds) {
  Timestamp ts;
  ts.set_seconds(seconds);
  return ts.SerializeAsString();
}

TEST(ProtoRowsTest, ReadPageKeepsLimitAndSaysWhetherMoreFollow) {
  sql::Result result;
  for (int i = 1; i <= 3; ++i) {
    result.rows.push_back(RowOf(std::string(1, static_cast<char>('a' + i - 1)), Serialized(i)));
  }
  auto page = ReadPage<Timestamp>(result, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].seconds(), 2);
  EXPECT_EQ(page->last_key, "b");

  auto last = ReadPage<Timestamp>(result, 3);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->items.size(), 3u);
  EXPECT_EQ(last->last_key, "");
}

TEST(ProtoRowsTest, UnreadableDataIsDataLossNotACrash) {
  sql::Result result;
  result.rows.push_back(RowOf("a", "\xff\xff\xff"));
  EXPECT_EQ(ReadPage<Timestamp>(result, 5).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(Decode<Timestamp>(sql::Row({int64_t{1}}), 3).ok());
}

TEST(ProtoRowsTest, NameAlreadyExistsNamesTheResource) {
  absl::Status status = NameAlreadyExists(absl::AlreadyExistsError("UNIQUE constraint failed"),
                                          "tenants/wm/precepts/2024-25");
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status::Details(status).reason, "ALREADY_EXISTS");
  EXPECT_EQ(status::Details(status).metadata["resource"], "tenants/wm/precepts/2024-25");
  EXPECT_EQ(NameAlreadyExists(absl::UnavailableError("down"), "x").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(NameAlreadyExists(absl::OkStatus(), "x").ok());
}

}  // namespace
}  // namespace moot::api
