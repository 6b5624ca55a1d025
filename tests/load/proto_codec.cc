#include "tests/load/proto_codec.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/errors.h"

namespace moot::load {
namespace {

namespace pb = google::protobuf;

// "/a.b.Svc/M" -> the method descriptor, or NOT_FOUND.
absl::StatusOr<const pb::MethodDescriptor*> FindMethod(absl::string_view method) {
  std::string full(method);
  if (!full.empty() && full[0] == '/') {
    full.erase(0, 1);
  }
  absl::StrReplaceAll({{"/", "."}}, &full);
  const pb::MethodDescriptor* m = pb::DescriptorPool::generated_pool()->FindMethodByName(full);
  if (m == nullptr) {
    return moot::status::NotFound(absl::StrCat("method ", method, " (not linked into loadgen)"));
  }
  return m;
}

}  // namespace

absl::StatusOr<std::string> RequestFromJson(absl::string_view method, absl::string_view json) {
  absl::StatusOr<const pb::MethodDescriptor*> m = FindMethod(method);
  if (!m.ok()) {
    return m.status();
  }
  pb::DynamicMessageFactory factory;
  std::unique_ptr<pb::Message> msg(factory.GetPrototype((*m)->input_type())->New());
  pb::util::Status st =
      pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()), msg.get());
  if (!st.ok()) {
    return moot::status::InvalidArgument("request_json", std::string(st.message()));
  }
  std::string out;
  msg->SerializeToString(&out);
  return out;
}

absl::StatusOr<std::string> ResponseToJson(absl::string_view method, absl::string_view bytes) {
  absl::StatusOr<const pb::MethodDescriptor*> m = FindMethod(method);
  if (!m.ok()) {
    return m.status();
  }
  pb::DynamicMessageFactory factory;
  std::unique_ptr<pb::Message> msg(factory.GetPrototype((*m)->output_type())->New());
  if (!msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return moot::status::InvalidArgument("response", "not a valid serialized response");
  }
  std::string out;
  pb::util::Status st = pb::util::MessageToJsonString(*msg, &out);
  if (!st.ok()) {
    return moot::status::InvalidArgument("response", std::string(st.message()));
  }
  return out;
}

absl::StatusOr<std::string> HexDecode(absl::string_view hex) {
  if (hex.size() % 2 != 0) {
    return moot::status::InvalidArgument("request_hex", "odd number of hex digits");
  }
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return moot::status::InvalidArgument("request_hex", "not a hex digit");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace moot::load
