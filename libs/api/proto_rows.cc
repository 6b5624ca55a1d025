#include "libs/api/proto_rows.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::api {

absl::Status DecodeColumn(const sql::Row& row, size_t column, google::protobuf::Message* out) {
  absl::StatusOr<std::string> bytes = row.GetBytes(column);
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (!out->ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("stored ", out->GetDescriptor()->name(), " is unreadable"));
  }
  return absl::OkStatus();
}

absl::Status NameAlreadyExists(absl::Status status, absl::string_view resource_name) {
  if (status.code() != absl::StatusCode::kAlreadyExists) {
    return status;
  }
  return status::WithReason(absl::AlreadyExistsError(absl::StrCat(resource_name, " exists")),
                            "ALREADY_EXISTS", {{"resource", std::string(resource_name)}});
}

}  // namespace moot::api
