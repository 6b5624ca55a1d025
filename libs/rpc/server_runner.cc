#include "libs/rpc/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "libs/log/logger.h"

namespace moot::rpc {

ServerRunner::ServerRunner(ServerRunnerOptions options) : options_(std::move(options)) {}

ServerRunner::~ServerRunner() { Shutdown(); }

void ServerRunner::AddService(grpc::Service* service) { services_.push_back(service); }

void ServerRunner::AddGenericService(grpc::CallbackGenericService* service) {
  generic_services_.push_back(service);
}

void ServerRunner::AddInterceptorFactory(
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> factory) {
  interceptor_factories_.push_back(std::move(factory));
}

void ServerRunner::AddBackgroundTask(BackgroundTask task) { tasks_.push_back(std::move(task)); }

absl::Status ServerRunner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  if (options_.enable_reflection) {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, grpc::InsecureServerCredentials(), &port_);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_send_message_bytes);
  for (grpc::Service* service : services_) {
    builder.RegisterService(service);
  }
  for (grpc::CallbackGenericService* service : generic_services_) {
    builder.RegisterCallbackGenericService(service);
  }
  if (!interceptor_factories_.empty()) {
    builder.experimental().SetInterceptorCreators(std::move(interceptor_factories_));
    interceptor_factories_.clear();
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.listen_address,
                                               " for ", options_.service_name,
                                               " (address in use or invalid)"));
  }
  {
    absl::MutexLock lock(&mu_);
    started_ = true;
    UpdateHealthLocked();
  }
  for (BackgroundTask& task : tasks_) {
    if (task.start) {
      task.start();
    }
  }
  log::Info("server started",
            {{"address", options_.listen_address}, {"port", absl::StrCat(port_)}});
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> ServerRunner::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ServerRunner::SetDependencyHealth(absl::string_view dependency, DependencyHealth health) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = dependencies_.try_emplace(std::string(dependency), health);
  if (!inserted && it->second == health) {
    return;
  }
  it->second = health;
  log::Write(health == DependencyHealth::kServing ? log::Level::kInfo : log::Level::kWarning,
             "dependency health changed",
             {{"dependency", std::string(dependency)},
              {"health", health == DependencyHealth::kServing    ? "SERVING"
                         : health == DependencyHealth::kDegraded ? "DEGRADED"
                                                                 : "NOT_SERVING"}});
  UpdateHealthLocked();
}

absl::flat_hash_map<std::string, DependencyHealth> ServerRunner::Dependencies() const {
  absl::MutexLock lock(&mu_);
  return dependencies_;
}

bool ServerRunner::Serving() const {
  absl::MutexLock lock(&mu_);
  if (!started_ || shut_down_) {
    return false;
  }
  for (const auto& [name, health] : dependencies_) {
    if (health == DependencyHealth::kNotServing) {
      return false;
    }
  }
  return true;
}

void ServerRunner::UpdateHealthLocked() {
  if (server_ == nullptr || server_->GetHealthCheckService() == nullptr) {
    return;
  }
  bool serving = started_ && !shut_down_;
  for (const auto& [name, health] : dependencies_) {
    serving = serving && health != DependencyHealth::kNotServing;
  }
  server_->GetHealthCheckService()->SetServingStatus(serving);
  server_->GetHealthCheckService()->SetServingStatus(options_.service_name, serving);
}

void ServerRunner::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_ || !started_) {
      shut_down_ = true;
      return;
    }
    shut_down_ = true;
    UpdateHealthLocked();
  }
  log::Info("shutting down", {{"grace", absl::FormatDuration(options_.shutdown_grace)}});
  // Stops accepting new calls at once; in-flight calls may finish until the deadline.
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.shutdown_grace));
  for (auto it = tasks_.rbegin(); it != tasks_.rend(); ++it) {
    if (it->stop) {
      it->stop();
    }
  }
  server_->Wait();
  log::Info("stopped");
}

void ServerRunner::Wait() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&shut_down_));
}

void ConfigureProcess() {
#ifdef NDEBUG
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
}

std::function<int()> InstallShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return [set]() {
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
  };
}

}  // namespace moot::rpc
