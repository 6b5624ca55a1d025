#include "libs/api/request_log.h"

#include <openssl/sha.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::api {
namespace {

// A stable hash of the request with request_id itself left out (deterministic serialisation).
std::string RequestHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) {
    copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&out);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

std::vector<sql::Migration> RequestLog::Migrations() {
  return {{.version = 1,
           .name = "create request_log",
           .sql = "CREATE TABLE request_log ("
                  " tenant_id TEXT NOT NULL,"
                  " method TEXT NOT NULL,"
                  " request_id TEXT NOT NULL,"
                  " request_hash TEXT NOT NULL,"
                  " response TEXT NOT NULL,"
                  " create_time_us BIGINT NOT NULL,"
                  " PRIMARY KEY (tenant_id, method, request_id))"}};
}

absl::StatusOr<bool> RequestLog::Replay(sql::Connection& tx, absl::string_view tenant,
                                        absl::string_view method, absl::string_view request_id,
                                        const google::protobuf::Message& request,
                                        google::protobuf::Message* response) {
  if (request_id.empty()) {
    return false;
  }
  if (request_id.size() > 128) {
    return status::InvalidArgument("request_id", "must be at most 128 characters");
  }
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("SELECT request_hash, response FROM request_log"
                 " WHERE tenant_id = $1 AND method = $2 AND request_id = $3",
                 {std::string(tenant), std::string(method), std::string(request_id)}));
  if (result.rows.empty()) {
    return false;
  }
  if (result.rows[0].String(0) != RequestHash(request)) {
    return status::FailedPrecondition("REQUEST_ID_REUSED", std::string(request_id),
                                      "this request_id was already used with a different request");
  }
  std::string bytes;
  if (!absl::Base64Unescape(result.rows[0].String(1), &bytes) ||
      !response->ParseFromString(bytes)) {
    return absl::InternalError("stored response for request_id is unreadable");
  }
  return true;
}

absl::Status RequestLog::Record(sql::Connection& tx, absl::string_view tenant,
                                absl::string_view method, absl::string_view request_id,
                                const google::protobuf::Message& request,
                                const google::protobuf::Message& response, int64_t now_micros) {
  if (request_id.empty()) {
    return absl::OkStatus();
  }
  return tx
      .Execute(
          "INSERT INTO request_log (tenant_id, method, request_id, request_hash, response,"
          " create_time_us) VALUES ($1, $2, $3, $4, $5, $6)",
          {std::string(tenant), std::string(method), std::string(request_id), RequestHash(request),
           absl::Base64Escape(response.SerializeAsString()), now_micros})
      .status();
}

}  // namespace moot::api
