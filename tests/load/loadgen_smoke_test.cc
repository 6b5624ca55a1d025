// End to end: echo_server plus loadgen in both modes for about a second each; the JSON they
// print must be sane. Needs MOOT_BINARY_DIR (set by CTest).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/testing/test_util.h"
#include "nlohmann/json.hpp"

extern char** environ;

namespace moot::load {
namespace {

std::string BinaryDir() {
  const char* dir = std::getenv("MOOT_BINARY_DIR");
  return dir == nullptr ? "" : dir;
}

// A child process whose stdout is a pipe; killed (SIGTERM, then reaped) at destruction.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      Wait();
    }
    if (out_fd_ >= 0) {
      close(out_fd_);
    }
  }
  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Reads stdout until `until_eof` (else the first newline) or the timeout.
  std::string Read(bool until_eof, int timeout_ms) {
    std::string out;
    const absl::Time deadline = absl::Now() + absl::Milliseconds(timeout_ms);
    while (absl::Now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      const int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
      if (poll(&p, 1, std::max(left, 1)) <= 0) {
        continue;
      }
      char buf[4096];
      const ssize_t n = read(out_fd_, buf, sizeof(buf));
      if (n <= 0) {
        break;  // EOF.
      }
      out.append(buf, static_cast<size_t>(n));
      if (!until_eof && out.find('\n') != std::string::npos) {
        break;
      }
    }
    return out;
  }

  int Wait() {
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, 0) == pid_) {
      pid_ = -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
};

class LoadgenSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(BinaryDir().empty()) << "MOOT_BINARY_DIR is not set (run through ctest)";
    server_ = std::make_unique<Child>(
        std::vector<std::string>{BinaryDir() + "/tests/load/echo_server", "--port=0"});
    ASSERT_TRUE(server_->started());
    const std::string line = server_->Read(/*until_eof=*/false, 10000);
    ASSERT_TRUE(absl::SimpleAtoi(line.substr(0, line.find('\n')), &port_)) << line;
    ASSERT_GT(port_, 0);
  }

  nlohmann::json RunLoadgen(std::vector<std::string> extra) {
    std::vector<std::string> argv = {BinaryDir() + "/tests/load/loadgen",
                                     "--target=grpc",
                                     absl::StrCat("--addr=127.0.0.1:", port_),
                                     "--method=/moot.bench.v1.EchoService/Echo",
                                     "--request_json={\"payload\":\"aGVsbG8gd29ybGQ=\"}",
                                     absl::StrCat("--server_pid=", server_->pid()),
                                     "--warmup=200ms",
                                     "--duration=800ms"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Child loadgen(argv);
    EXPECT_TRUE(loadgen.started());
    const std::string out = loadgen.Read(/*until_eof=*/true, 30000);
    EXPECT_EQ(loadgen.Wait(), 0) << out;
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << out;
    return j;
  }

  std::unique_ptr<Child> server_;
  int port_ = 0;
};

void ExpectSane(const nlohmann::json& j) {
  ASSERT_TRUE(j.is_object());
  EXPECT_GT(j["achieved_rate"].get<double>(), 0) << j.dump();
  EXPECT_GT(j["ok"].get<int64_t>(), 0);
  EXPECT_EQ(j["error_count"].get<int64_t>(), 0) << j.dump();
  EXPECT_EQ(j["unfinished"].get<int64_t>(), 0);
  const auto& lat = j["latency_us"];
  EXPECT_GT(lat["p50"].get<double>(), 0);
  EXPECT_LE(lat["p50"].get<double>(), lat["p99"].get<double>());
  EXPECT_LE(lat["p99"].get<double>(), lat["max"].get<double>());
  EXPECT_EQ(j["response_bytes"].get<int64_t>(), 13);  // "hello world" in field 1.
  EXPECT_GT(j["server"]["peak_rss_kib"].get<int64_t>(), 0);
  EXPECT_GE(j["server"]["cpu_us_per_call"].get<double>(), 0);
}

TEST_F(LoadgenSmokeTest, MaxModeAgainstTheEchoServer) {
  const nlohmann::json j = RunLoadgen({"--mode=max", "--concurrency=4"});
  ExpectSane(j);
  EXPECT_EQ(j["mode"], "max");
  EXPECT_EQ(j["completed"], j["sent"]);
}

TEST_F(LoadgenSmokeTest, RateModeAchievesTheOfferedRate) {
  const nlohmann::json j = RunLoadgen({"--mode=rate", "--rate=200/s"});
  ExpectSane(j);
  EXPECT_EQ(j["offered_rate"].get<double>(), 200);
  EXPECT_EQ(j["sent"].get<int64_t>(), 160);  // 200/s over the 0.8 s window.
  EXPECT_EQ(j["latency_from"], "intended_send_time");
}

TEST_F(LoadgenSmokeTest, OnceModePrintsTheResponseAsJson) {
  const nlohmann::json j = RunLoadgen({"--mode=once"});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["code_name"], "OK");
  EXPECT_EQ(j["response"]["payload"], "aGVsbG8gd29ybGQ=");
}

// A sequence of two echoes per call: every call makes both, the bytes of both count.
TEST_F(LoadgenSmokeTest, SequenceMakesEveryStepPerCall) {
  const nlohmann::json j =
      RunLoadgen({"--mode=max", "--concurrency=2", "--then_method=/moot.bench.v1.EchoService/Echo",
                  "--then_request_json={\"payload\":\"YWI=\"}"});
  ASSERT_TRUE(j.is_object());
  EXPECT_GT(j["ok"].get<int64_t>(), 0) << j.dump();
  EXPECT_EQ(j["error_count"].get<int64_t>(), 0) << j.dump();
  EXPECT_EQ(j["response_bytes"].get<int64_t>(), 13 + 4);  // "hello world", then "ab".
  ASSERT_EQ(j["sequence"].size(), 2u);
  const nlohmann::json once =
      RunLoadgen({"--mode=once", "--then_method=/moot.bench.v1.EchoService/Echo",
                  "--then_request_json={\"payload\":\"YWI=\"}"});
  EXPECT_EQ(once["code_name"], "OK");
  EXPECT_EQ(once["response"]["payload"], "YWI=");
}

TEST_F(LoadgenSmokeTest, UnknownMethodFailsWithUsage) {
  Child loadgen({BinaryDir() + "/tests/load/loadgen", "--target=grpc", "--addr=127.0.0.1:1",
                 "--method=/no.Such/Method", "--request_json={}"});
  ASSERT_TRUE(loadgen.started());
  EXPECT_EQ(loadgen.Wait(), 2);
}

}  // namespace
}  // namespace moot::load
