#include "libs/testing/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace moot::testing {
namespace {

constexpr absl::string_view kBinDir = "/usr/lib/postgresql/15/bin";

struct Identity {
  bool drop = false;  // Running as root: switch to the postgres user in the child.
  uid_t uid = 0;
  gid_t gid = 0;
};

absl::StatusOr<Identity> ServerIdentity() {
  Identity id;
  if (::geteuid() != 0) {
    return id;
  }
  const passwd* pw = ::getpwnam("postgres");
  if (pw == nullptr) {
    return absl::UnavailableError("running as root but there is no `postgres` user to run as");
  }
  id.drop = true;
  id.uid = pw->pw_uid;
  id.gid = pw->pw_gid;
  return id;
}

// Starts argv[0] with stdout/stderr appended to `log`, as `id`. Returns the child's pid.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, const std::string& log,
                            const Identity& id) {
  std::vector<char*> argv;
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("cannot open ", log));
  }
  if (id.drop && ::fchown(fd, id.uid, id.gid) != 0) {
    ::close(fd);
    return absl::InternalError("cannot chown the log");
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return absl::InternalError("fork failed");
  }
  if (pid == 0) {  // Child: only async-signal-safe calls until exec.
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
    }
    ::setpgid(0, 0);  // Keep terminal signals meant for the test away from the server.
    if (id.drop &&
        (::setgroups(0, nullptr) != 0 || ::setgid(id.gid) != 0 || ::setuid(id.uid) != 0)) {
      ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

absl::Status Run(const std::vector<std::string>& args, const std::string& log, const Identity& id) {
  auto pid = Spawn(args, log, id);
  if (!pid.ok()) {
    return pid.status();
  }
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::UnavailableError(absl::StrCat(args[0], " failed (status ", status, ")"));
  }
  return absl::OkStatus();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string PostgresServer::UnavailableReason() {
  for (const char* tool : {"initdb", "postgres", "createdb"}) {
    if (::access(absl::StrCat(kBinDir, "/", tool).c_str(), X_OK) != 0) {
      return absl::StrCat("PostgreSQL 15 is not installed (", kBinDir, "/", tool,
                          " missing; run `make deps`)");
    }
  }
  if (::geteuid() == 0 && ::getpwnam("postgres") == nullptr) {
    return "running as root without a `postgres` user to run the server as";
  }
  return "";
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  if (std::string why = UnavailableReason(); !why.empty()) {
    return absl::UnavailableError(why);
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  absl::Status status;
  // The free port may be taken between picking and binding; try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    status = server->StartOnce();
    if (status.ok()) {
      return server;
    }
  }
  return status;
}

absl::Status PostgresServer::StartOnce() {
  auto id = ServerIdentity();
  if (!id.ok()) {
    return id.status();
  }
  const std::string data = dir_.path() + "/data";
  const std::string log = dir_.path() + "/postgres.log";
  if (id->drop && ::chown(dir_.path().c_str(), id->uid, id->gid) != 0) {
    return absl::InternalError(absl::StrCat("cannot chown ", dir_.path(), " to postgres"));
  }
  ::chmod(dir_.path().c_str(), 0700);
  if (!std::filesystem::exists(data + "/PG_VERSION")) {
    absl::Status s = Run({absl::StrCat(kBinDir, "/initdb"), "-D", data, "-U", "postgres", "-A",
                          "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                         log, *id);
    if (!s.ok()) {
      return absl::UnavailableError(absl::StrCat(s.message(), "\n", ReadFile(log)));
    }
  }
  port_ = PickUnusedPort();
  auto pid = Spawn({absl::StrCat(kBinDir, "/postgres"),
                    "-D",
                    data,
                    "-p",
                    absl::StrCat(port_),
                    "-k",
                    dir_.path(),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=100",
                    "-c",
                    "shared_buffers=16MB",
                    "-c",
                    "max_locks_per_transaction=128"},
                   log, *id);
  if (!pid.ok()) {
    return pid.status();
  }
  pid_ = *pid;
  // The postmaster writes "ready" on line 8 of postmaster.pid once it accepts connections.
  bool exited = false;
  const bool ready = WaitFor(
      [&] {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          exited = true;
          return true;
        }
        std::istringstream lines(ReadFile(data + "/postmaster.pid"));
        std::string line;
        for (int i = 0; i < 8 && std::getline(lines, line); ++i) {
        }
        return absl::StripAsciiWhitespace(line) == "ready";
      },
      absl::Seconds(30));
  if (exited || !ready) {
    if (!exited) {
      ::kill(pid_, SIGQUIT);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    return absl::UnavailableError(
        absl::StrCat("postgres did not start on port ", port_, ":\n", ReadFile(log)));
  }
  absl::Status s = Run({absl::StrCat(kBinDir, "/createdb"), "-h", "127.0.0.1", "-p",
                        absl::StrCat(port_), "-U", "postgres", "moot"},
                       log, Identity{});
  if (!s.ok()) {
    ::kill(pid_, SIGQUIT);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return absl::UnavailableError(absl::StrCat(s.message(), "\n", ReadFile(log)));
  }
  return absl::OkStatus();
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGQUIT);  // Immediate shutdown: the data is thrown away anyway.
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string PostgresServer::url(absl::string_view database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database, "?sslmode=disable");
}

}  // namespace moot::testing
