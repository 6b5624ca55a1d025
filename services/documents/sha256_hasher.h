// Incremental SHA-256 over OpenSSL's EVP interface, for hashing streamed document content.
#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

struct evp_md_ctx_st;

namespace moot::documents {

class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  // Adds bytes.
  void Update(absl::string_view data);
  // The lower-case hex digest of everything added; the hasher is then spent (Update and
  // HexDigest must not be called again).
  std::string HexDigest();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

// True for 64 lower-case hex characters.
bool IsSha256Hex(absl::string_view text);

}  // namespace moot::documents
