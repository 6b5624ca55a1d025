// Conversion between a method's protobuf messages (binary wire form) and their proto3 JSON form,
// for the HTTP/JSON edge.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace moot::gateway {

// A fresh, empty message of `type` (the generated class when linked, else a DynamicMessage).
// Null only if `type` is null.
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type);

// Parses proto3 JSON into `type` and returns the binary serialization. An empty (or all
// whitespace) body is the empty message. INVALID_ARGUMENT (field "body", reason
// MALFORMED_JSON) naming the problem for malformed JSON, unknown fields or wrong types.
absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor* type,
                                         absl::string_view json);

// Parses binary `bytes` as `type` and returns its proto3 JSON (lowerCamelCase names, defaults
// omitted). INTERNAL when the bytes do not parse.
absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor* type,
                                         absl::string_view bytes);

}  // namespace moot::gateway
