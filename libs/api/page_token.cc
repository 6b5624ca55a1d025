#include "libs/api/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::api {

absl::StatusOr<int> EffectivePageSize(int page_size) {
  if (page_size == 0) {
    return kDefaultPageSize;
  }
  if (page_size < 0 || page_size > kMaxPageSize) {
    return status::InvalidArgument("page_size", absl::StrCat("must be between 1 and ", kMaxPageSize,
                                                             " (got ", page_size, ")"));
  }
  return page_size;
}

std::string PageTokens::Mac(absl::string_view binding, absl::string_view key) const {
  const std::string data = absl::StrCat(binding.size(), ":", binding, key);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), 16);  // 128 bits is plenty for a cursor.
}

std::string PageTokens::Issue(absl::string_view binding, absl::string_view last_key) const {
  return absl::WebSafeBase64Escape(absl::StrCat(Mac(binding, last_key), last_key));
}

absl::StatusOr<std::string> PageTokens::Check(absl::string_view binding,
                                              absl::string_view token) const {
  if (token.empty()) {
    return std::string();
  }
  std::string raw;
  if (token.size() > 4096 || !absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 16) {
    return status::InvalidArgument("page_token", "is malformed; pass next_page_token unchanged");
  }
  const std::string key = raw.substr(16);
  const std::string mac = Mac(binding, key);
  if (CRYPTO_memcmp(mac.data(), raw.data(), 16) != 0) {
    return status::InvalidArgument(
        "page_token", "was not issued for this request (parent and filter must stay the same)");
  }
  return key;
}

}  // namespace moot::api
