#include "tests/integration/process_env.h"

#include <httplib.h>

#include <cstdlib>

#include "absl/time/clock.h"
#include "libs/auth/jwt_signer.h"

namespace moot::integration {

std::string Binary(const std::string& relative) {
  const char* dir = std::getenv("MOOT_BINARY_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/" + relative;
}

std::string Bearer(const auth::Principal& principal) {
  auto signer = auth::JwtSigner::Hs256(kTestSecret);
  if (!signer.ok()) {
    return "";
  }
  auth::TokenSpec spec;
  spec.principal = principal;
  spec.issuer = "moot";
  spec.audience = "moot";
  spec.issued_at = absl::Now();
  auto token = (*signer)->SignToken(spec);
  return token.ok() ? "Bearer " + *token : "";
}

std::shared_ptr<grpc::Channel> WaitForChannel(int port) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20))) {
    return nullptr;
  }
  return channel;
}

std::string HttpGet(int port, const std::string& path, int* status, const std::string& bearer) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  httplib::Headers headers;
  if (!bearer.empty()) {
    headers.emplace("Authorization", bearer);
  }
  auto response = client.Get(path.c_str(), headers);
  if (status != nullptr) {
    *status = response ? response->status : 0;
  }
  return response ? response->body : "";
}

}  // namespace moot::integration
