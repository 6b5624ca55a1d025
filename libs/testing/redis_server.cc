#include "libs/testing/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace moot::testing {
namespace {

std::string RandomPassword() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "moot-test-";
  for (int i = 0; i < 24; ++i) {
    out.push_back(kHex[gen() % 16]);
  }
  return out;
}

// Sends AUTH + PING over a raw socket and reports whether the answer contains +PONG.
bool RawPing(const std::string& host, int port, const std::string& password) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  timeval tv{0, 500000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request = absl::StrCat("*2\r\n$4\r\nAUTH\r\n$", password.size(), "\r\n",
                                             password, "\r\n*1\r\n$4\r\nPING\r\n");
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      std::string answer;
      char buf[256];
      while (answer.find("+PONG") == std::string::npos && answer.find("-") == std::string::npos) {
        ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) {
          break;
        }
        answer.append(buf, static_cast<size_t>(n));
      }
      ok = answer.find("+PONG") != std::string::npos;
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace

RedisServer::RedisServer() : port_(PickUnusedPort()), password_(RandomPassword()) {}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    (void)Stop();
  }
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(absl::Duration ready_timeout) {
  std::unique_ptr<RedisServer> server(new RedisServer());
  absl::Status st = server->Launch(ready_timeout);
  if (!st.ok()) {
    return st;
  }
  return server;
}

std::string RedisServer::url() const {
  return absl::StrCat("redis://:", password_, "@", host_, ":", port_);
}

absl::Status RedisServer::Launch(absl::Duration ready_timeout) {
  const std::string conf = SourceDir() + "/deploy/redis/redis.conf";
  if (::access(conf.c_str(), R_OK) != 0) {
    return absl::UnavailableError(absl::StrCat("redis config not found: ", conf));
  }
  const char* env_bin = std::getenv("MOOT_REDIS_SERVER");
  const std::string bin = env_bin != nullptr && *env_bin != '\0' ? env_bin : "redis-server";
  std::vector<std::string> args = {bin,
                                   conf,
                                   "--port",
                                   std::to_string(port_),
                                   "--dir",
                                   dir_.path(),
                                   "--requirepass",
                                   password_,
                                   "--logfile",
                                   dir_.path() + "/redis.log",
                                   "--daemonize",
                                   "no"};
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    return absl::UnavailableError("fork failed");
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  paused_ = false;
  const absl::Time deadline = absl::Now() + ready_timeout;
  while (true) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat("redis-server exited during start-up (status ", wstatus, "): ", LogTail()));
    }
    if (RawPing(host_, port_, password_)) {
      return absl::OkStatus();
    }
    if (absl::Now() >= deadline) {
      (void)Signal(SIGKILL, absl::Seconds(5));
      return absl::UnavailableError(
          absl::StrCat("redis-server did not become ready on port ", port_, ": ", LogTail()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

absl::Status RedisServer::Signal(int sig, absl::Duration wait) {
  if (pid_ <= 0) {
    return absl::OkStatus();
  }
  if (paused_ && sig != SIGKILL) {
    ::kill(pid_, SIGCONT);
  }
  paused_ = false;
  ::kill(pid_, sig);
  const absl::Time deadline = absl::Now() + wait;
  while (true) {
    int wstatus = 0;
    pid_t r = ::waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = -1;
      return absl::OkStatus();
    }
    if (absl::Now() >= deadline) {
      if (sig == SIGKILL) {
        return absl::InternalError("redis-server did not exit after SIGKILL");
      }
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &wstatus, 0);
      pid_ = -1;
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

absl::Status RedisServer::Stop() { return Signal(SIGTERM, absl::Seconds(5)); }

absl::Status RedisServer::Kill() { return Signal(SIGKILL, absl::Seconds(5)); }

absl::Status RedisServer::Restart(absl::Duration ready_timeout) {
  if (pid_ > 0) {
    absl::Status st = Stop();
    if (!st.ok()) {
      return st;
    }
  }
  return Launch(ready_timeout);
}

absl::Status RedisServer::Pause() {
  if (pid_ <= 0) {
    return absl::FailedPreconditionError("redis-server is not running");
  }
  ::kill(pid_, SIGSTOP);
  paused_ = true;
  return absl::OkStatus();
}

absl::Status RedisServer::Resume() {
  if (pid_ <= 0) {
    return absl::FailedPreconditionError("redis-server is not running");
  }
  ::kill(pid_, SIGCONT);
  paused_ = false;
  return absl::OkStatus();
}

bool RedisServer::Ping() const { return pid_ > 0 && RawPing(host_, port_, password_); }

std::string RedisServer::LogTail() const {
  std::ifstream in(dir_.path() + "/redis.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  if (log.size() > 2000) {
    log = log.substr(log.size() - 2000);
  }
  return log.empty() ? "(no log)" : log;
}

}  // namespace moot::testing
