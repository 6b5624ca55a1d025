// The `moot` command-line client: parses a command line and runs one command against the
// gateway (gRPC, and HTTP for traces). Split from main() so tests can run commands in-process.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace moot::cli {

// Exit codes scripts can rely on.
enum ExitCode : int {
  kOk = 0,
  kFailure = 1,      // Anything else (UNAVAILABLE, INTERNAL, ...).
  kUsage = 2,        // Bad command line.
  kNotFound = 3,     // NOT_FOUND.
  kDenied = 4,       // UNAUTHENTICATED or PERMISSION_DENIED.
  kInvalid = 5,      // INVALID_ARGUMENT.
  kRuleBroken = 6,   // FAILED_PRECONDITION, ABORTED, ALREADY_EXISTS.
  kUnavailable = 7,  // UNAVAILABLE or DEADLINE_EXCEEDED: safe to retry.
};

struct Options {
  std::string addr = "127.0.0.1:50051";             // MOOT_ADDR or --addr.
  std::string http_addr = "http://127.0.0.1:8080";  // MOOT_HTTP or --http.
  std::string token;                                // MOOT_TOKEN or --token.
  bool json = false;                                // --json: machine-readable output.
  int timeout_seconds = 10;                         // --timeout.
  std::vector<std::string> args;                    // Positional words.
  std::map<std::string, std::string> flags;         // Other --key=value / --key value flags.
};

// Parses argv (without argv[0]) with `env` supplying MOOT_ADDR, MOOT_HTTP and MOOT_TOKEN.
// Returns false and writes a message to `err` on a bad command line.
bool ParseArgs(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               Options* options, std::ostream& err);

// Runs the command; returns its exit code.
int Run(const Options& options, std::ostream& out, std::ostream& err);

// The usage text.
std::string Usage();

}  // namespace moot::cli
