#include "services/documents/sha256_hasher.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"

namespace moot::documents {

void Sha256Hasher::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  // Allocation or init failure leaves ctx_ null; HexDigest() then returns "" (never a match).
  if (ctx_ != nullptr && EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    ctx_.reset();
  }
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(absl::string_view data) {
  if (ctx_ != nullptr && !data.empty() &&
      EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    ctx_.reset();
  }
}

std::string Sha256Hasher::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (ctx_ == nullptr || EVP_DigestFinal_ex(ctx_.get(), digest, &length) != 1) {
    ctx_.reset();
    return "";
  }
  ctx_.reset();
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) {
    return false;
  }
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace moot::documents
