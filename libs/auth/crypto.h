// The cryptographic building blocks of libs/auth, on OpenSSL 3's EVP API: base64url, SHA-256,
// HMAC, random bytes, PEM keys, and key-pair generation (tests, demo credentials, the CLI).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace moot::auth {

// Base64url without padding (RFC 7515 §2).
std::string Base64UrlEncode(absl::string_view data);
// Strict decoding: only [A-Za-z0-9-_], no padding, no whitespace, no non-zero trailing bits.
std::optional<std::string> Base64UrlDecode(absl::string_view text);

// 32 raw bytes.
std::string Sha256(absl::string_view data);
std::string HmacSha256(absl::string_view key, absl::string_view data);
// Compares in time that does not depend on where the inputs differ (CRYPTO_memcmp).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);
// Cryptographically random bytes (RAND_bytes); fails only if OpenSSL's generator fails.
absl::StatusOr<std::string> RandomBytes(size_t n);
// Lower-case hex.
std::string HexEncode(absl::string_view data);

// Key types the JWT code signs and verifies with.
enum class KeyType { kRsa2048, kEcP256 };

struct KeyPairPem {
  std::string private_key_pem;  // PKCS#8
  std::string public_key_pem;   // SubjectPublicKeyInfo
};

// A fresh key pair (RS256: RSA 2048; ES256: EC P-256).
absl::StatusOr<KeyPairPem> GenerateKeyPair(KeyType type);

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

// Parses PEM keys; INVALID_ARGUMENT when the text is not a key.
absl::StatusOr<EvpPkeyPtr> ParsePublicKeyPem(absl::string_view pem);
absl::StatusOr<EvpPkeyPtr> ParsePrivateKeyPem(absl::string_view pem);

// What a parsed key can be used for: "RS256" for RSA >= 2048 bits, "ES256" for EC P-256,
// else an INVALID_ARGUMENT naming the problem.
absl::StatusOr<std::string> JwsAlgorithmForKey(EVP_PKEY* key);

// Signs `data` with SHA-256 (RSA PKCS#1 v1.5, or ECDSA returning the JWS R||S form, 64 bytes).
absl::StatusOr<std::string> SignSha256(EVP_PKEY* private_key, absl::string_view alg,
                                       absl::string_view data);
// Verifies a signature produced as above; false for any mismatch or malformed signature.
bool VerifySha256(EVP_PKEY* public_key, absl::string_view alg, absl::string_view data,
                  absl::string_view signature);

}  // namespace moot::auth
