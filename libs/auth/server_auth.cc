#include "libs/auth/server_auth.h"

#include <utility>

#include "libs/status/grpc_status.h"

namespace moot::auth {

using ::grpc::experimental::InterceptionHookPoints;

class ServerAuth::Interceptor : public grpc::experimental::Interceptor {
 public:
  Interceptor(ServerAuth* auth, grpc::experimental::ServerRpcInfo* info)
      : auth_(auth), context_(info->server_context()) {}
  ~Interceptor() override {
    if (recorded_) {
      auth_->Remove(context_, this);
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      absl::StatusOr<Principal> principal = metadata != nullptr
                                                ? auth_->authenticator_->Authenticate(*metadata)
                                                : absl::StatusOr<Principal>(Principal::Anonymous());
      failure_ = principal.status();
      auth_->Put(context_, this, std::move(principal));
      recorded_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        !failure_.ok()) {
      methods->ModifySendStatus(moot::status::ToGrpcStatus(failure_));
    }
    methods->Proceed();
  }

 private:
  ServerAuth* auth_;
  const grpc::ServerContextBase* context_;
  bool recorded_ = false;
  absl::Status failure_;
};

class ServerAuth::Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(ServerAuth* auth) : auth_(auth) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new Interceptor(auth_, info);
  }

 private:
  ServerAuth* auth_;
};

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ServerAuth::InterceptorFactory() {
  return std::make_unique<Factory>(this);
}

void ServerAuth::Put(const grpc::ServerContextBase* context, const void* owner,
                     absl::StatusOr<Principal> principal) {
  absl::MutexLock lock(&mu_);
  calls_.insert_or_assign(context, Record{owner, std::move(principal)});
}

void ServerAuth::Remove(const grpc::ServerContextBase* context, const void* owner) {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(context);
  // A later call may already reuse the context's address; only remove our own record.
  if (it != calls_.end() && it->second.owner == owner) {
    calls_.erase(it);
  }
}

absl::StatusOr<Principal> ServerAuth::PrincipalFromContext(
    const grpc::ServerContextBase* context) const {
  if (context == nullptr) {
    return Principal::Anonymous();
  }
  {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(context);
    if (it != calls_.end()) {
      return it->second.principal;
    }
  }
  return authenticator_->Authenticate(context->client_metadata());
}

size_t ServerAuth::TrackedCalls() const {
  absl::MutexLock lock(&mu_);
  return calls_.size();
}

}  // namespace moot::auth
