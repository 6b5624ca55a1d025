#include "tests/integration/process_env.h"

#include <httplib.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
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

std::string HttpPostJson(int port, const std::string& path, const std::string& json, int* status,
                         const std::string& bearer) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (!bearer.empty()) {
    headers.emplace("Authorization", bearer);
  }
  auto response = client.Post(path.c_str(), headers, json, "application/json");
  *status = response ? response->status : 0;
  return response ? response->body : "";
}

ProcessSuite::ProcessSuite() {
  auto redis = testing::RedisServer::Start();
  if (redis.ok()) {
    redis_ = std::move(*redis);
  }
}

int ProcessSuite::Start(const std::string& name, std::map<std::string, std::string> extra) {
  const int port = testing::PickUnusedPort();
  std::map<std::string, std::string> env = {
      {"MOOT_GRPC_LISTEN", absl::StrCat("127.0.0.1:", port)},
      {"MOOT_ADMIN_PORT", absl::StrCat(testing::PickUnusedPort())},
      {"MOOT_DATABASE_URL", absl::StrCat("sqlite://", dir_.path(), "/", name, ".db")},
      {"MOOT_REDIS_URL", redis_ != nullptr ? redis_->url() : "redis://127.0.0.1:1"},
      {"MOOT_JWT_HS256_SECRET", kTestSecret},
      {"MOOT_SHUTDOWN_GRACE", "2s"}};
  for (auto& [key, value] : extra) {
    env[key] = value;
  }
  auto process =
      testing::ChildProcess::Start({.argv = {Binary(absl::StrCat("services/", name, "/", name))},
                                    .env = env,
                                    .unset_env = {"MOOT_SOURCE_DIR", "MOOT_BINARY_DIR"},
                                    .log_file = absl::StrCat(dir_.path(), "/", name, ".log")});
  if (!process.ok()) {
    return 0;
  }
  processes_[name] = std::move(*process);
  return WaitForChannel(port) != nullptr ? port : 0;
}

bool ProcessSuite::StartSlice() {
  const int scheduling = Start("scheduling");
  const int notifications = Start("notifications");
  if (scheduling == 0 || notifications == 0) {
    return false;
  }
  gateway_http_ = testing::PickUnusedPort();
  gateway_grpc_ =
      Start("gateway", {{"MOOT_HTTP_PORT", absl::StrCat(gateway_http_)},
                        {"MOOT_SCHEDULING_ADDRESS", absl::StrCat("127.0.0.1:", scheduling)},
                        {"MOOT_NOTIFICATIONS_ADDRESS", absl::StrCat("127.0.0.1:", notifications)}});
  return gateway_grpc_ != 0;
}

bool ProcessSuite::StartAll(const std::map<std::string, std::string>& extra,
                            const std::map<std::string, std::string>& gateway_extra) {
  std::map<std::string, std::string> gateway = extra;
  gateway.insert(gateway_extra.begin(), gateway_extra.end());
  for (const char* name : {"scheduling", "documents", "decisions", "budget", "notifications"}) {
    std::map<std::string, std::string> settings = extra;
    if (std::string(name) == "decisions") {
      // The decisions register asks scheduling for meetings, bodies and vote eligibility.
      settings["MOOT_SCHEDULING_ADDRESS"] = gateway["MOOT_SCHEDULING_ADDRESS"];
    } else if (std::string(name) == "budget") {
      // Budget reads the panel's meetings (timetable) and the veto vote, as scripts/up.sh wires.
      settings["MOOT_SCHEDULING_ADDRESS"] = gateway["MOOT_SCHEDULING_ADDRESS"];
      settings["MOOT_DECISIONS_ADDRESS"] = gateway["MOOT_DECISIONS_ADDRESS"];
    }
    const int port = Start(name, settings);
    if (port == 0) {
      return false;
    }
    gateway[absl::StrCat("MOOT_", absl::AsciiStrToUpper(name), "_ADDRESS")] =
        absl::StrCat("127.0.0.1:", port);
  }
  gateway_http_ = testing::PickUnusedPort();
  gateway["MOOT_HTTP_PORT"] = absl::StrCat(gateway_http_);
  gateway_grpc_ = Start("gateway", gateway);
  return gateway_grpc_ != 0;
}

std::string ProcessSuite::Logs() {
  std::string all;
  for (auto& [name, process] : processes_) {
    absl::StrAppend(&all, "\n==== ", name, " ====\n", process->Log());
  }
  return all;
}

}  // namespace moot::integration
