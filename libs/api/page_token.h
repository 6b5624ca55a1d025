// Opaque List page tokens (AIP-158) bound to the tenant, the parent and the filter they were
// issued for, and signed so that a client can neither forge nor reuse one elsewhere.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::api {

// The page size every List method caps at and defaults to.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Validates `page_size` (0 -> default; negative or over kMaxPageSize -> INVALID_ARGUMENT naming
// "page_size") and returns the size to use.
absl::StatusOr<int> EffectivePageSize(int page_size);

// Issues and checks page tokens. The token carries the last key of the page (the store's
// keyset cursor) and an HMAC-SHA256 over (binding, key) with a per-process secret.
class PageTokens {
 public:
  explicit PageTokens(std::string secret) : secret_(std::move(secret)) {}

  // A token for the page after `last_key` in a listing identified by `binding` (e.g.
  // "scheduling.ListMeetings|tenants/wm/bodies/pcp|<filter>").
  std::string Issue(absl::string_view binding, absl::string_view last_key) const;

  // The last key from `token`; "" for an empty token (the first page). INVALID_ARGUMENT naming
  // "page_token" when the token is malformed, forged, or was issued for another binding.
  absl::StatusOr<std::string> Check(absl::string_view binding, absl::string_view token) const;

 private:
  std::string Mac(absl::string_view binding, absl::string_view key) const;
  std::string secret_;
};

}  // namespace moot::api
