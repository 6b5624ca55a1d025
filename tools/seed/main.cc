// moot-seed: loads data files (lists of API calls) into a running Moot through the gateway and
// writes demo credentials. Used by `make up`:
//   moot-seed --addr=127.0.0.1:50051 --secret-file=var/secrets.env --data-dir=deploy/demo
//             --credentials-out=var/demo/credentials.json
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/seed/seed.h"

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) {
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

// Finds KEY=value in an env-style file.
std::string EnvValue(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (absl::StartsWith(line, key + "=")) {
      return line.substr(key.size() + 1);
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:50051";
  std::string secret_file;
  std::string data_dir;
  std::string credentials_out;
  std::string issuer = "moot";
  std::string audience = "moot";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name, std::string* out) {
      const std::string prefix = absl::StrCat("--", name, "=");
      if (absl::StartsWith(arg, prefix)) {
        *out = arg.substr(prefix.size());
        return true;
      }
      return false;
    };
    if (!(value("addr", &addr) || value("secret-file", &secret_file) ||
          value("data-dir", &data_dir) || value("credentials-out", &credentials_out) ||
          value("issuer", &issuer) || value("audience", &audience))) {
      std::cerr << "moot-seed: unknown argument " << arg << "\n"
                << "usage: moot-seed --addr=HOST:PORT --secret-file=F --data-dir=D "
                   "[--credentials-out=F] [--issuer=moot] [--audience=moot]\n";
      return 2;
    }
  }
  std::string secrets;
  if (secret_file.empty() || !ReadFile(secret_file, &secrets)) {
    std::cerr << "moot-seed: --secret-file is required and must be readable\n";
    return 2;
  }
  auto signer = moot::auth::JwtSigner::Hs256(EnvValue(secrets, "MOOT_JWT_HS256_SECRET"));
  if (!signer.ok()) {
    std::cerr << "moot-seed: MOOT_JWT_HS256_SECRET in " << secret_file << ": "
              << signer.status().message() << "\n";
    return 2;
  }
  moot::seed::Credentials credentials(std::move(*signer), issuer, audience, absl::Now(),
                                      absl::Hours(24 * 30));

  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir, ec)) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec || files.empty()) {
    std::cerr << "moot-seed: no .json data files in " << data_dir << "\n";
    return 2;
  }
  std::sort(files.begin(), files.end());
  auto channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  std::vector<std::string> tenants;
  for (const auto& file : files) {
    std::string text;
    if (!ReadFile(file.string(), &text)) {
      std::cerr << "moot-seed: cannot read " << file << "\n";
      return 1;
    }
    std::string tenant;
    auto calls = moot::seed::ParseDataFile(text, &tenant);
    if (!calls.ok()) {
      std::cerr << "moot-seed: " << file.string() << ": " << calls.status().message() << "\n";
      return 1;
    }
    auto made = moot::seed::Apply(*calls, credentials, channel);
    if (!made.ok()) {
      std::cerr << "moot-seed: " << file.string() << ": " << made.status().message() << "\n";
      return 1;
    }
    std::cout << "moot-seed: " << file.filename().string() << ": " << *made << " of "
              << calls->size() << " calls made (the rest existed already)\n";
    tenants.push_back(tenant);
  }
  if (!credentials_out.empty()) {
    auto json = credentials.Json(tenants);
    if (!json.ok()) {
      std::cerr << "moot-seed: " << json.status().message() << "\n";
      return 1;
    }
    std::ofstream out(credentials_out);
    out << *json;
    if (!out) {
      std::cerr << "moot-seed: cannot write " << credentials_out << "\n";
      return 1;
    }
  }
  return 0;
}
