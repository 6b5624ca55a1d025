#include "libs/auth/crypto.h"

#include <gtest/gtest.h>

namespace moot::auth {
namespace {

TEST(Base64UrlTest, Rfc4648Vectors) {
  struct Case {
    std::string raw;
    std::string encoded;
  };
  for (const Case& c : std::vector<Case>{{"", ""},
                                         {"f", "Zg"},
                                         {"fo", "Zm8"},
                                         {"foo", "Zm9v"},
                                         {"foob", "Zm9vYg"},
                                         {"fooba", "Zm9vYmE"},
                                         {"foobar", "Zm9vYmFy"},
                                         {"\xfb\xff", "-_8"}}) {
    EXPECT_EQ(Base64UrlEncode(c.raw), c.encoded);
    std::optional<std::string> decoded = Base64UrlDecode(c.encoded);
    ASSERT_TRUE(decoded.has_value()) << c.encoded;
    EXPECT_EQ(*decoded, c.raw);
  }
}

TEST(Base64UrlTest, RejectsNonCanonicalInput) {
  for (const char* bad : {"Zg==", "Zm9v\n", "Zm+v", "Zm/v", "Z", "Zh", "Zm9vYmE=", "a b"}) {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;
  }
}

TEST(CryptoTest, HmacSha256KnownAnswer) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(CryptoTest, SignAndVerifyWithGeneratedKeys) {
  for (KeyType type : {KeyType::kRsa2048, KeyType::kEcP256}) {
    absl::StatusOr<KeyPairPem> pair = GenerateKeyPair(type);
    ASSERT_TRUE(pair.ok()) << pair.status();
    absl::StatusOr<EvpPkeyPtr> priv = ParsePrivateKeyPem(pair->private_key_pem);
    absl::StatusOr<EvpPkeyPtr> pub = ParsePublicKeyPem(pair->public_key_pem);
    ASSERT_TRUE(priv.ok() && pub.ok());
    absl::StatusOr<std::string> alg = JwsAlgorithmForKey(pub->get());
    ASSERT_TRUE(alg.ok());
    EXPECT_EQ(*alg, type == KeyType::kRsa2048 ? "RS256" : "ES256");
    absl::StatusOr<std::string> sig = SignSha256(priv->get(), *alg, "hello");
    ASSERT_TRUE(sig.ok()) << sig.status();
    if (type == KeyType::kEcP256) {
      EXPECT_EQ(sig->size(), 64u);
    }
    EXPECT_TRUE(VerifySha256(pub->get(), *alg, "hello", *sig));
    EXPECT_FALSE(VerifySha256(pub->get(), *alg, "hellO", *sig));
    std::string flipped = *sig;
    flipped[5] ^= 1;
    EXPECT_FALSE(VerifySha256(pub->get(), *alg, "hello", flipped));
    EXPECT_FALSE(VerifySha256(pub->get(), *alg, "hello", ""));
  }
}

TEST(CryptoTest, BadPemIsAnError) {
  EXPECT_FALSE(ParsePublicKeyPem("not a key").ok());
  EXPECT_FALSE(
      ParsePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
}

}  // namespace
}  // namespace moot::auth
