#include "services/gateway/json_transcoder.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/errors.h"

namespace moot::gateway {

std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type) {
  if (type == nullptr) {
    return nullptr;
  }
  const google::protobuf::Message* prototype = nullptr;
  if (type->file()->pool() == google::protobuf::DescriptorPool::generated_pool()) {
    prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  }
  if (prototype == nullptr) {
    // Thread-safe; one factory for the process, whose prototypes live as long as it does.
    static google::protobuf::DynamicMessageFactory* dynamic_factory =
        new google::protobuf::DynamicMessageFactory();
    prototype = dynamic_factory->GetPrototype(type);
  }
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor* type,
                                         absl::string_view json) {
  std::unique_ptr<google::protobuf::Message> message = NewMessage(type);
  if (message == nullptr) {
    return absl::InternalError("no message type");
  }
  if (!absl::StripAsciiWhitespace(json).empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), message.get(), options);
    if (!parsed.ok()) {
      return moot::status::InvalidArgument(
          "body",
          absl::StrCat("not a valid JSON ", type->full_name(), ": ", std::string(parsed.message())),
          "MALFORMED_JSON");
    }
  }
  std::string out;
  if (!message->SerializeToString(&out)) {
    return moot::status::InvalidArgument("body", absl::StrCat("cannot encode ", type->full_name()),
                                         "MALFORMED_JSON");
  }
  return out;
}

absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor* type,
                                         absl::string_view bytes) {
  std::unique_ptr<google::protobuf::Message> message = NewMessage(type);
  if (message == nullptr) {
    return absl::InternalError("no message type");
  }
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InternalError(absl::StrCat("the backend's reply is not a ", type->full_name()));
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  std::string out;
  google::protobuf::util::Status printed =
      google::protobuf::util::MessageToJsonString(*message, &out, options);
  if (!printed.ok()) {
    return absl::InternalError(absl::StrCat("cannot print JSON: ", std::string(printed.message())));
  }
  return out;
}

}  // namespace moot::gateway
