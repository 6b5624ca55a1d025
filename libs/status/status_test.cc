#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/statusor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/macros.h"

namespace moot::status {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) {
    return InvalidArgument("n", "must be even");
  }
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  MOOT_ASSIGN_OR_RETURN(int half, Half(n));
  MOOT_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  MOOT_RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

TEST(MacrosTest, AssignOrReturnPassesValuesAndErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ErrorsTest, InvalidArgumentNamesTheField) {
  absl::Status s = InvalidArgument("meeting.start_time", "must be before end_time");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "meeting.start_time: must be before end_time");
  ErrorDetails d = Details(s);
  EXPECT_EQ(d.reason, "INVALID_ARGUMENT");
  EXPECT_EQ(d.domain, "moot.dev");
  EXPECT_EQ(d.metadata["field"], "meeting.start_time");
  EXPECT_THAT(d.field_violations, ElementsAre(Field(&FieldViolation::field, "meeting.start_time")));
}

TEST(ErrorsTest, SeveralFieldViolationsAccumulate) {
  absl::Status s = InvalidArgument("a", "bad");
  s = WithFieldViolation(s, "b", "also bad");
  EXPECT_EQ(Details(s).field_violations.size(), 2u);
}

TEST(ErrorsTest, FailedPreconditionNamesTheRule) {
  absl::Status s = FailedPrecondition("QUESTION_DEADLINE_PASSED", "tenants/wm/bodies/pcp",
                                      "questions closed", {{"deadline", "2023-11-09T12:00:00Z"}});
  ErrorDetails d = Details(s);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.reason, "QUESTION_DEADLINE_PASSED");
  EXPECT_EQ(d.metadata["deadline"], "2023-11-09T12:00:00Z");
  ASSERT_EQ(d.precondition_violations.size(), 1u);
  EXPECT_EQ(d.precondition_violations[0].subject, "tenants/wm/bodies/pcp");
}

TEST(ErrorsTest, HelpersLeaveOkAlone) {
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
  EXPECT_TRUE(WithFieldViolation(absl::OkStatus(), "f", "d").ok());
}

TEST(GrpcStatusTest, RoundTripKeepsEveryDetail) {
  absl::Status s = ResourceExhausted("RATE_LIMITED", "slow down", absl::Milliseconds(1500));
  s = WithFieldViolation(s, "page_size", "too big");
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(g.error_message(), "slow down");

  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc.code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  bool saw_info = false;
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) {
      saw_info = true;
      EXPECT_EQ(info.reason(), "RATE_LIMITED");
    }
  }
  EXPECT_TRUE(saw_info);

  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.code(), absl::StatusCode::kResourceExhausted);
  ErrorDetails d = Details(back);
  EXPECT_EQ(d.reason, "RATE_LIMITED");
  EXPECT_TRUE(d.has_retry_info);
  EXPECT_EQ(d.retry_delay, absl::Milliseconds(1500));
  ASSERT_EQ(d.field_violations.size(), 1u);
  EXPECT_EQ(d.field_violations[0].field, "page_size");
}

TEST(GrpcStatusTest, BareStatusGetsCodeNameAsReason) {
  grpc::Status g = ToGrpcStatus(absl::InternalError("boom"));
  EXPECT_EQ(Details(FromGrpcStatus(g)).reason, "INTERNAL");
}

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, GarbageDetailsFallBackToCodeAndMessage) {
  grpc::Status g(grpc::StatusCode::NOT_FOUND, "gone", "\xff\xfe not a proto");
  absl::Status s = FromGrpcStatus(g);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "gone");
}

}  // namespace
}  // namespace moot::status

namespace moot::status {
namespace {

TEST(Utf8SafeTest, ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(Utf8Safe("plain"), "plain");
  EXPECT_EQ(Utf8Safe("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8Safe("bad\xFF"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(Utf8Safe("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // Overlong '/'.
  EXPECT_EQ(Utf8Safe("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // Surrogate.
  EXPECT_EQ(Utf8Safe("cut\xE2\x82"), "cut\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8SafeTest, ClientBytesInErrorsSurviveTheWire) {
  absl::Status s = InvalidArgument("name", "\"\xFF\xFE\" is not a resource name");
  grpc::Status g = ToGrpcStatus(s);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  absl::Status back = FromGrpcStatus(g);
  ASSERT_EQ(Details(back).field_violations.size(), 1u);
  EXPECT_EQ(Details(back).field_violations[0].description,
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\" is not a resource name");
}

}  // namespace
}  // namespace moot::status
