// Authentication of gRPC server calls: an interceptor that authenticates each call once, and the
// handler-side lookup of the caller's Principal.
//
// gRPC 1.51's server interceptors cannot answer a call themselves, so the work is split:
//  - the interceptor (InterceptorFactory(), added to every server by the ServerRunner wiring)
//    authenticates at POST_RECV_INITIAL_METADATA and records the result for the call's
//    ServerContext; it removes the record when the call ends;
//  - every handler starts with `MOOT_ASSIGN_OR_RETURN(Principal p, auth.PrincipalFromContext(ctx))`
//    (or returns ToGrpcStatus of the error) and then checks tenant and roles (access.h);
//  - as a second line, when a call's credentials were invalid the interceptor replaces whatever
//    status the handler sends with the authentication error (PRE_SEND_STATUS), so a handler that
//    forgot to ask still cannot report success to an unauthenticated caller.
// Without the interceptor (e.g. a test calling a handler directly), PrincipalFromContext()
// authenticates from the context's client metadata itself, every time (no cache, so a reused
// context address can never see another call's principal).
#pragma once

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/principal.h"

namespace moot::auth {

class ServerAuth {
 public:
  // `authenticator` is not owned and must outlive this object and every server using it.
  explicit ServerAuth(const Authenticator* authenticator) : authenticator_(authenticator) {}
  ServerAuth(const ServerAuth&) = delete;
  ServerAuth& operator=(const ServerAuth&) = delete;

  // A factory for the server builder; it refers to this object, which must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

  // The caller of the call `context` belongs to (anonymous PUBLIC when it sent no credentials),
  // or UNAUTHENTICATED with the reason its credentials failed.
  absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase* context) const;

  // Calls currently tracked by interceptors (for tests: it returns to 0 when calls end).
  size_t TrackedCalls() const;

 private:
  class Interceptor;
  class Factory;
  struct Record {
    const void* owner;
    absl::StatusOr<Principal> principal;
  };
  void Put(const grpc::ServerContextBase* context, const void* owner,
           absl::StatusOr<Principal> principal);
  void Remove(const grpc::ServerContextBase* context, const void* owner);

  const Authenticator* authenticator_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, Record> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::auth
