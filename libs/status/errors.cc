#include "libs/status/errors.h"

#include "absl/types/optional.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/rpc/error_details.pb.h"

namespace moot::status {
namespace {

constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kPreconditionUrl[] = "type.googleapis.com/google.rpc.PreconditionFailure";
constexpr char kRetryInfoUrl[] = "type.googleapis.com/google.rpc.RetryInfo";

template <typename Message>
Message ReadPayload(const absl::Status& status, const char* url) {
  Message message;
  absl::optional<absl::Cord> payload = status.GetPayload(url);
  if (payload.has_value()) {
    message.ParseFromString(std::string(*payload));
  }
  return message;
}

template <typename Message>
void WritePayload(absl::Status& status, const char* url, const Message& message) {
  status.SetPayload(url, absl::Cord(message.SerializeAsString()));
}

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one (RFC 3629).
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    return 1;
  }
  size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
    return 0;
  }
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return n;
}

}  // namespace

std::string Utf8Safe(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

absl::Status WithReason(absl::Status status, absl::string_view reason,
                        absl::flat_hash_map<std::string, std::string> metadata) {
  if (status.ok()) {
    return status;
  }
  google::rpc::ErrorInfo info;
  info.set_reason(Utf8Safe(reason));
  info.set_domain(std::string(kErrorDomain));
  for (auto& [key, value] : metadata) {
    (*info.mutable_metadata())[Utf8Safe(key)] = Utf8Safe(value);
  }
  WritePayload(status, kErrorInfoUrl, info);
  return status;
}

absl::Status WithFieldViolation(absl::Status status, absl::string_view field,
                                absl::string_view description) {
  if (status.ok()) {
    return status;
  }
  auto request = ReadPayload<google::rpc::BadRequest>(status, kBadRequestUrl);
  auto* violation = request.add_field_violations();
  violation->set_field(Utf8Safe(field));
  violation->set_description(Utf8Safe(description));
  WritePayload(status, kBadRequestUrl, request);
  return status;
}

absl::Status WithPreconditionViolation(absl::Status status, absl::string_view type,
                                       absl::string_view subject, absl::string_view description) {
  if (status.ok()) {
    return status;
  }
  auto failure = ReadPayload<google::rpc::PreconditionFailure>(status, kPreconditionUrl);
  auto* violation = failure.add_violations();
  violation->set_type(Utf8Safe(type));
  violation->set_subject(Utf8Safe(subject));
  violation->set_description(Utf8Safe(description));
  WritePayload(status, kPreconditionUrl, failure);
  return status;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (status.ok()) {
    return status;
  }
  google::rpc::RetryInfo info;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  info.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  WritePayload(status, kRetryInfoUrl, info);
  return status;
}

ErrorDetails Details(const absl::Status& status) {
  ErrorDetails details;
  if (status.GetPayload(kErrorInfoUrl).has_value()) {
    auto info = ReadPayload<google::rpc::ErrorInfo>(status, kErrorInfoUrl);
    details.reason = info.reason();
    details.domain = info.domain();
    for (const auto& [key, value] : info.metadata()) {
      details.metadata[key] = value;
    }
  }
  const auto request = ReadPayload<google::rpc::BadRequest>(status, kBadRequestUrl);
  for (const auto& v : request.field_violations()) {
    details.field_violations.push_back({v.field(), v.description()});
  }
  const auto failure = ReadPayload<google::rpc::PreconditionFailure>(status, kPreconditionUrl);
  for (const auto& v : failure.violations()) {
    details.precondition_violations.push_back({v.type(), v.subject(), v.description()});
  }
  if (status.GetPayload(kRetryInfoUrl).has_value()) {
    auto info = ReadPayload<google::rpc::RetryInfo>(status, kRetryInfoUrl);
    details.has_retry_info = true;
    details.retry_delay =
        absl::Seconds(info.retry_delay().seconds()) + absl::Nanoseconds(info.retry_delay().nanos());
  }
  return details;
}

absl::Status InvalidArgument(absl::string_view field, absl::string_view description,
                             absl::string_view reason) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(field, ": ", description));
  status = WithReason(std::move(status), reason, {{"field", std::string(field)}});
  return WithFieldViolation(std::move(status), field, description);
}

absl::Status FailedPrecondition(absl::string_view rule, absl::string_view subject,
                                absl::string_view description,
                                absl::flat_hash_map<std::string, std::string> metadata) {
  absl::Status status = absl::FailedPreconditionError(absl::StrCat(rule, ": ", description));
  status = WithReason(std::move(status), rule, std::move(metadata));
  return WithPreconditionViolation(std::move(status), rule, subject, description);
}

absl::Status NotFound(absl::string_view resource_name) {
  return WithReason(absl::NotFoundError(absl::StrCat(resource_name, " not found")), "NOT_FOUND",
                    {{"resource", std::string(resource_name)}});
}

absl::Status PermissionDenied(absl::string_view reason, absl::string_view message) {
  return WithReason(absl::PermissionDeniedError(message), reason);
}

absl::Status Unauthenticated(absl::string_view reason, absl::string_view message) {
  return WithReason(absl::UnauthenticatedError(message), reason);
}

absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message,
                               absl::Duration retry_after) {
  return WithRetryDelay(WithReason(absl::ResourceExhaustedError(message), reason), retry_after);
}

}  // namespace moot::status
