// echo_server: the benchmark floor, a bare moot.bench.v1.EchoService on 127.0.0.1, insecure.
// Prints the bound port as the first line of stdout; stops on SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "moot/bench/v1/echo.grpc.pb.h"
#include "tests/load/flags.h"

namespace moot::load {
namespace {

using moot::bench::v1::EchoRequest;
using moot::bench::v1::EchoResponse;
using moot::bench::v1::EchoService;

class CallbackEcho final : public EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    response->set_payload(request->payload());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class SyncEcho final : public EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const EchoRequest* request,
                    EchoResponse* response) override {
    response->set_payload(request->payload());
    return grpc::Status::OK;
  }
};

int Main(int argc, char** argv) {
  absl::StatusOr<Flags> flags = Flags::Parse(argc, argv, {"port", "api", "help"});
  if (!flags.ok() || flags->Has("help")) {
    std::cerr << (flags.ok() ? "" : std::string(flags.status().message()) + "\n")
              << "usage: echo_server [--port=0] [--api=callback|sync]\n";
    return flags.ok() ? 0 : 2;
  }
  absl::StatusOr<int64_t> port = flags->GetInt("port", 0);
  const std::string api = flags->Get("api", "callback");
  if (!port.ok() || *port < 0 || *port > 65535 || (api != "callback" && api != "sync")) {
    std::cerr << "echo_server: --port must be 0..65535, --api callback or sync\n";
    return 2;
  }

  // Block the stop signals in every thread gRPC starts; this thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  CallbackEcho callback_service;
  SyncEcho sync_service;
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", *port), grpc::InsecureServerCredentials(),
                           &bound);
  if (api == "callback") {
    builder.RegisterService(&callback_service);
  } else {
    builder.RegisterService(&sync_service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound == 0) {
    std::cerr << "echo_server: cannot listen on 127.0.0.1:" << *port << "\n";
    return 1;
  }
  std::cout << bound << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

}  // namespace
}  // namespace moot::load

int main(int argc, char** argv) { return moot::load::Main(argc, argv); }
