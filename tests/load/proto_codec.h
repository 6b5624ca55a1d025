// Builds requests and reads responses of any gRPC method linked into the binary, by method name,
// through the generated descriptor pool (JSON in, serialized bytes out, and back).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::load {

// The serialized input message of `method` ("/package.Service/Method") parsed from proto3 JSON.
// NOT_FOUND if the method is not in the generated pool; INVALID_ARGUMENT for bad JSON.
absl::StatusOr<std::string> RequestFromJson(absl::string_view method, absl::string_view json);

// The response of `method`, serialized, rendered as proto3 JSON.
absl::StatusOr<std::string> ResponseToJson(absl::string_view method, absl::string_view bytes);

// Decodes a hex string ("0a03666f6f"); INVALID_ARGUMENT on odd length or a non-hex digit.
absl::StatusOr<std::string> HexDecode(absl::string_view hex);

}  // namespace moot::load
