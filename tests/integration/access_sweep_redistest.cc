// quality.md S1 (cross-tenant access) and S3 (role escalation) swept over every method, through
// the real processes: Redis, every service and the gateway, as scripts/up.sh starts them.
//
// The methods come from the contracts themselves: every .proto under proto/moot is read for its
// services, and for each request message the resource-name pattern that the comment above each
// string field documents (`tenants/{tenant}/bodies/{body}`). A request is built from those
// patterns (placeholders filled with plausible ids) and sent through the gateway's gRPC port
// with a generic stub, so a method added later is swept without touching this test.
//
//   S1: tenant "wm"'s callers, in every role, aim every method at tenant "ns" (which holds a body
//       and a meeting whose titles carry a marker): no call may succeed (unless the same call
//       succeeds anonymously with the same bytes: public records), and no reply or error may
//       carry the marker. At least 1,000 attempts.
//   S3: an anonymous caller and a panel member aim every write at their own tenant: each is
//       refused with UNAUTHENTICATED or PERMISSION_DENIED, except the writes the public or a
//       member may make (listed below with the rule that allows them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/testing/test_util.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "proto/all_contracts.h"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace pb = google::protobuf;
namespace sched = moot::scheduling::v1;

constexpr char kHome[] = "wm";
constexpr char kOther[] = "ns";
constexpr char kMarker[] = "SECRET-NS-7f3a";

// What the contracts document: message full name -> field name -> resource-name pattern (from
// the comment above the field), and resource message short name -> the pattern of its name
// (from the comment above the message or above its `name` field).
struct Patterns {
  std::map<std::string, std::map<std::string, std::string>> fields;
  std::map<std::string, std::string> resources;
};

std::string FirstPattern(const std::string& text) {
  static const std::regex pattern_re(R"(tenants/\{[^\s`'",;)]*)");
  std::smatch p;
  if (!std::regex_search(text, p, pattern_re)) {
    return "";
  }
  std::string out = p[0];
  while (!out.empty() && (out.back() == '.' || out.back() == ':')) {
    out.pop_back();
  }
  return out;
}

Patterns ReadPatterns(const std::string& proto_dir) {
  Patterns patterns;
  const std::regex package_re(R"(^package\s+([\w.]+);)");
  const std::regex message_re(R"(^message\s+(\w+)\s*\{)");
  const std::regex field_re(R"(^  (repeated\s+)?string\s+(\w+)\s*=\s*\d+)");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(proto_dir)) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    std::ifstream in(entry.path());
    std::string line, package, message, short_name, comment;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, package_re)) {
        package = m[1];
      } else if (std::regex_search(line, m, message_re)) {
        short_name = m[1];
        message = absl::StrCat(package, ".", short_name);
        if (std::string p = FirstPattern(comment); !p.empty()) {
          patterns.resources[short_name] = p;
        }
      } else if (absl::StartsWith(line, "//") || absl::StartsWith(line, "  //")) {
        comment += line;
        continue;
      } else if (std::regex_search(line, m, field_re) && !message.empty()) {
        if (std::string p = FirstPattern(comment); !p.empty()) {
          patterns.fields[message][m[2]] = p;
          if (m[2] == "name" && !absl::EndsWith(short_name, "Request")) {
            patterns.resources[short_name] = p;
          }
        }
      }
      comment.clear();
    }
  }
  return patterns;
}

// The resource a method is about: "GetMinuteEntry" -> "MinuteEntry", "ListBodies" -> "Body".
std::string ResourceOf(const std::string& method, const Patterns& patterns) {
  std::string best;
  for (const auto& [resource, pattern] : patterns.resources) {
    std::vector<std::string> forms = {resource};
    if (absl::EndsWith(resource, "y")) {
      forms.push_back(resource.substr(0, resource.size() - 1) + "ies");
    } else {
      forms.push_back(resource + "s");
      forms.push_back(resource + "es");
    }
    for (const std::string& form : forms) {
      if (absl::EndsWith(method, form) && resource.size() > best.size()) {
        best = resource;
      }
    }
  }
  if (!best.empty()) {
    return best;
  }
  // "RecordQuestion" -> PublicQuestion: the shortest resource ending with the method's last word.
  size_t last_word = method.size();
  while (last_word > 0 && !absl::ascii_isupper(method[last_word - 1])) {
    --last_word;
  }
  std::string noun = last_word > 0 ? method.substr(last_word - 1) : method;
  if (absl::EndsWith(noun, "ies")) {
    noun = noun.substr(0, noun.size() - 3) + "y";
  } else if (absl::EndsWith(noun, "s")) {
    noun.pop_back();
  }
  for (const auto& [resource, pattern] : patterns.resources) {
    if (absl::EndsWith(resource, noun) && (best.empty() || resource.size() < best.size())) {
      best = resource;
    }
  }
  if (!best.empty()) {
    return best;
  }
  // "GetPreceptTimetable" -> Precept: the longest resource named inside the method's name.
  for (const auto& [resource, pattern] : patterns.resources) {
    if (absl::StrContains(method, resource) && resource.size() > best.size()) {
      best = resource;
    }
  }
  return best;
}

// "tenants/{t}/bodies/{b}/meetings/{m}" -> "tenants/{t}/bodies/{b}".
std::string ParentOf(const std::string& pattern) {
  std::vector<std::string> parts = absl::StrSplit(pattern, '/');
  if (parts.size() < 4) {
    return pattern;
  }
  parts.resize(parts.size() - 2);
  return absl::StrJoin(parts, "/");
}

// The pattern for `field` of request `message` of `method`: documented on the field, or for an
// undocumented name/parent the method's resource, or a field named after a resource.
std::string PatternFor(const Patterns& patterns, const std::string& message,
                       const std::string& method, const std::string& field) {
  if (auto m = patterns.fields.find(message); m != patterns.fields.end()) {
    if (auto f = m->second.find(field); f != m->second.end()) {
      return f->second;
    }
  }
  const std::string resource = ResourceOf(method, patterns);
  if (!resource.empty() && field == "name") {
    return patterns.resources.at(resource);
  }
  if (!resource.empty() && field == "parent") {
    return ParentOf(patterns.resources.at(resource));
  }
  // "meeting" -> Meeting, "entry" -> MinuteEntry, "key_decision" -> KeyDecision.
  std::string camel;
  for (absl::string_view part : absl::StrSplit(field, '_')) {
    if (!part.empty()) {
      camel += absl::StrCat(absl::AsciiStrToUpper(part.substr(0, 1)), part.substr(1));
    }
  }
  std::string best;
  for (const auto& [r, pattern] : patterns.resources) {
    if (absl::EndsWith(r, camel) && (best.empty() || r.size() < best.size())) {
      best = r;
    }
  }
  return best.empty() ? "" : patterns.resources.at(best);
}

// `tenants/{tenant}/bodies/{body}/meetings/{meeting}` -> `tenants/ns/bodies/pcp/meetings/...`.
std::string Fill(const std::string& pattern, const std::string& tenant) {
  static const std::regex placeholder(R"(\{(\w+)\})");
  std::string out;
  std::sregex_iterator it(pattern.begin(), pattern.end(), placeholder), end;
  size_t last = 0;
  bool first = true;
  for (; it != end; ++it) {
    out += pattern.substr(last, it->position() - last);
    const std::string name = (*it)[1];
    if (first) {
      out += tenant;  // The first placeholder is always the tenant.
    } else if (name == "m" || absl::StrContains(name, "meeting")) {
      out += "2023-11-13";
    } else if (absl::StrContains(name, "year") || absl::StrContains(name, "precept")) {
      out += "2023-24";
    } else if (name == "b" || absl::StrContains(name, "body")) {
      out += "pcp";
    } else {
      out += "x1";
    }
    first = false;
    last = it->position() + it->length();
  }
  return out + pattern.substr(last);
}

struct Method {
  std::string path;
  const pb::MethodDescriptor* descriptor;
};

// Every unary method of every service of the moot contracts in `proto_dir`.
std::vector<Method> AllMethods(const std::string& proto_dir) {
  std::vector<Method> methods;
  const pb::DescriptorPool* pool = pb::DescriptorPool::generated_pool();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(proto_dir)) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    const std::string relative =
        std::filesystem::relative(entry.path(), std::filesystem::path(proto_dir).parent_path())
            .string();
    if (absl::StartsWith(relative, "moot/bench/")) {
      continue;  // The benchmark's echo service is not served by the gateway.
    }
    const pb::FileDescriptor* file = pool->FindFileByName(relative);
    EXPECT_NE(file, nullptr) << relative << " is not linked (proto/all_contracts.cc)";
    if (file == nullptr) {
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor* service = file->service(s);
      for (int i = 0; i < service->method_count(); ++i) {
        const pb::MethodDescriptor* method = service->method(i);
        if (method->client_streaming() || method->server_streaming()) {
          continue;
        }
        methods.push_back({absl::StrCat("/", service->full_name(), "/", method->name()), method});
      }
    }
  }
  return methods;
}

// Sets every resource-name field of `message` (and of its resource sub-messages, one level
// down) aimed at `tenant`; whether any was set.
bool FillNames(pb::Message* message, const Patterns& patterns, const std::string& method,
               const std::string& tenant, int depth) {
  const pb::Descriptor* type = message->GetDescriptor();
  const pb::Reflection* reflection = message->GetReflection();
  bool any = false;
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated() &&
        depth == 0 && !absl::StartsWith(field->message_type()->full_name(), "google.")) {
      any |= FillNames(reflection->MutableMessage(message, field), patterns,
                       field->message_type()->name(), tenant, depth + 1);
      continue;
    }
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    const std::string pattern =
        depth == 0 ? PatternFor(patterns, type->full_name(), method, field->name())
                   : (field->name() == "name"
                          ? PatternFor(patterns, type->full_name(), type->name(), "name")
                          : "");
    if (pattern.empty()) {
      continue;
    }
    if (field->is_repeated()) {
      reflection->AddString(message, field, Fill(pattern, tenant));
    } else {
      reflection->SetString(message, field, Fill(pattern, tenant));
    }
    any = true;
  }
  return any;
}

// The request of `method` with its resource names aimed at `tenant`; false when it names none
// (the method is not tenant-scoped).
bool BuildRequest(const Method& method, const Patterns& patterns, const std::string& tenant,
                  std::string* bytes) {
  const pb::Descriptor* input = method.descriptor->input_type();
  std::unique_ptr<pb::Message> request(
      pb::MessageFactory::generated_factory()->GetPrototype(input)->New());
  return FillNames(request.get(), patterns, std::string(method.descriptor->name()), tenant, 0) &&
         request->SerializeToString(bytes);
}

struct Reply {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  std::string body;
};

class AccessSweepTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new ProcessSuite();
    if (suite_->redis_ok()) {
      // The sweep is a burst of a few thousand calls: lift the gateway's per-caller limits.
      started_ = suite_->StartAll(
          {}, {{"MOOT_TENANT_RATE_LIMIT", "1000000"}, {"MOOT_ANONYMOUS_RATE_LIMIT", "1000000"}});
    }
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(suite_->redis_ok());
    ASSERT_TRUE(started_) << suite_->Logs();
    channel_ = WaitForChannel(suite_->gateway_grpc());
    ASSERT_NE(channel_, nullptr);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
    proto_dir_ = absl::StrCat(testing::SourceDir(), "/proto/moot");
    ASSERT_GT(proto::LinkAllContracts(), 0);
    patterns_ = ReadPatterns(proto_dir_);
    methods_ = AllMethods(proto_dir_);
  }

  Reply Call(const std::string& path, const std::string& request, const std::string& bearer) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!bearer.empty()) {
      context.AddMetadata("authorization", bearer);
    }
    grpc::Slice slice(request);
    grpc::ByteBuffer in(&slice, 1);
    grpc::ByteBuffer out;
    absl::Mutex mu;
    bool done = false;
    grpc::Status status;
    stub_->UnaryCall(&context, path, grpc::StubOptions(), &in, &out, [&](grpc::Status s) {
      absl::MutexLock lock(&mu);
      status = std::move(s);
      done = true;
    });
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&done));
    }
    Reply reply;
    reply.code = status.error_code();
    reply.message = status.error_message() + status.error_details();
    std::vector<grpc::Slice> slices;
    if (status.ok() && out.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) {
        reply.body.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
    return reply;
  }

  static std::string As(const std::string& tenant, auth::Role role) {
    return Bearer({.tenant = tenant,
                   .subject = absl::StrCat("user:sweep-", auth::RoleName(role)),
                   .roles = {role}});
  }

  // Tenant "ns" holds a body and a meeting whose titles carry the marker.
  void SeedOtherTenant() {
    auto bodies = sched::BodyService::NewStub(channel_);
    auto meetings = sched::MeetingService::NewStub(channel_);
    const std::string officer = As(kOther, auth::Role::kOfficer);
    {
      grpc::ClientContext c;
      c.AddMetadata("authorization", officer);
      sched::CreateBodyRequest r;
      r.set_parent(absl::StrCat("tenants/", kOther));
      r.set_body_id("pcp");
      r.mutable_body()->set_display_name(absl::StrCat(kMarker, " Panel"));
      r.mutable_body()->set_kind(sched::BODY_KIND_PANEL);
      sched::Body body;
      grpc::Status s = bodies->CreateBody(&c, r, &body);
      ASSERT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << s.error_message();
    }
    {
      grpc::ClientContext c;
      c.AddMetadata("authorization", officer);
      sched::CreateMeetingRequest r;
      r.set_parent(absl::StrCat("tenants/", kOther, "/bodies/pcp"));
      r.set_meeting_id("2023-11-13");
      r.mutable_meeting()->set_title(absl::StrCat(kMarker, " meeting"));
      r.mutable_meeting()->mutable_start_time()->set_seconds(1699884000);
      sched::Meeting meeting;
      grpc::Status s = meetings->CreateMeeting(&c, r, &meeting);
      ASSERT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << s.error_message();
    }
    // The marker is really there for its own officer (so "not found" is not why others miss it).
    grpc::ClientContext c;
    c.AddMetadata("authorization", officer);
    sched::GetBodyRequest r;
    r.set_name(absl::StrCat("tenants/", kOther, "/bodies/pcp"));
    sched::Body body;
    ASSERT_TRUE(bodies->GetBody(&c, r, &body).ok());
    ASSERT_TRUE(absl::StrContains(body.display_name(), kMarker));
  }

  static ProcessSuite* suite_;
  static bool started_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  std::string proto_dir_;
  Patterns patterns_;
  std::vector<Method> methods_;
};

ProcessSuite* AccessSweepTest::suite_ = nullptr;
bool AccessSweepTest::started_ = false;

TEST_F(AccessSweepTest, S1EveryMethodAimedAtAnotherTenantIsDeniedAndLeaksNothing) {
  SeedOtherTenant();
  ASSERT_GT(methods_.size(), 100u) << "the contracts were not found under " << proto_dir_;
  const auth::Role roles[] = {
      auth::Role::kOfficer,   auth::Role::kMember,  auth::Role::kFinanceOfficer,
      auth::Role::kPccOffice, auth::Role::kPartner, auth::Role::kTenantAdmin,
      auth::Role::kOps};
  int attempts = 0;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::string> not_scoped;
  // The seeded tenant, and one that does not exist.
  for (const std::string target : {kOther, "zz"})
    for (const Method& method : methods_) {
      std::string request;
      if (!BuildRequest(method, patterns_, target, &request)) {
        if (target == kOther) {
          not_scoped.push_back(method.path);
        }
        continue;
      }
      // What anyone may see of it (bodies and scheduled meetings are public records).
      const Reply anonymous = Call(method.path, request, "");
      for (auth::Role role : roles) {
        const Reply reply = Call(method.path, request, As(kHome, role));
        ++attempts;
        ++codes[reply.code];
        if (reply.code == grpc::StatusCode::OK) {
          EXPECT_TRUE(anonymous.code == grpc::StatusCode::OK && anonymous.body == reply.body)
              << method.path << " as " << auth::RoleName(role) << " of " << kHome
              << " succeeded on tenant " << target << " beyond what the public sees";
        } else {
          EXPECT_FALSE(absl::StrContains(reply.message, kMarker))
              << method.path << " as " << auth::RoleName(role) << " leaked in its error";
        }
      }
    }
  std::vector<std::string> summary;
  for (const auto& [code, n] : codes) {
    summary.push_back(absl::StrCat(code, ":", n));
  }
  std::cout << "S1: " << attempts << " cross-tenant attempts over " << methods_.size()
            << " methods; status codes " << absl::StrJoin(summary, " ")
            << "; methods with no tenant in the request: " << absl::StrJoin(not_scoped, " ")
            << "\n";
  EXPECT_GE(attempts, 1000);
  // The refusal is the tenant check itself, not an accident of the input.
  EXPECT_GT(codes[grpc::StatusCode::PERMISSION_DENIED], attempts / 2);
}

// Writes the public may make (R-PQ-01: questions without an account; R-PQ-06: petitions;
// R-KD-03/04: asking for access to a confidential decision) and those a member may make
// (budget: members create their own scenarios, R-SG-07; notifications: own subscriptions).
bool PublicWrite(const std::string& method) {
  static const std::set<std::string>* names = new std::set<std::string>{
      "SubmitQuestion", "SubmitPetition", "CreateAccessRequest", "RequestAccess"};
  return names->count(method) > 0;
}
bool MemberWrite(const std::string& service, const std::string& method) {
  return PublicWrite(method) ||
         (service == "moot.budget.v1.ScenarioService" &&
          (method == "CreateScenario" || method == "UpdateScenario" ||
           method == "DeleteScenario")) ||
         absl::StartsWith(service, "moot.notifications.v1.");
}

bool IsRead(const std::string& method) {
  for (const char* prefix : {"Get", "List", "Compute", "Check", "Verify", "Export", "Render",
                             "Compare", "Search", "Tracker", "Watch", "Preview", "Explain"}) {
    if (absl::StartsWith(method, prefix)) {
      return true;
    }
  }
  return false;
}

TEST_F(AccessSweepTest, S3WritesByThePublicAndByMembersAreRefusedBeforeAnythingElse) {
  int attempts = 0;
  for (const Method& method : methods_) {
    const std::string name = std::string(method.descriptor->name());
    const std::string service = std::string(method.descriptor->service()->full_name());
    if (IsRead(name) || absl::StartsWith(service, "moot.admin.") ||
        absl::StartsWith(service, "grpc.")) {
      continue;
    }
    std::string request;
    if (!BuildRequest(method, patterns_, kHome, &request)) {
      continue;
    }
    if (!PublicWrite(name)) {
      const Reply anonymous = Call(method.path, request, "");
      ++attempts;
      EXPECT_TRUE(anonymous.code == grpc::StatusCode::UNAUTHENTICATED ||
                  anonymous.code == grpc::StatusCode::PERMISSION_DENIED)
          << method.path << " anonymously gave " << anonymous.code << ": " << anonymous.message;
    }
    if (!MemberWrite(service, name)) {
      const Reply member = Call(method.path, request, As(kHome, auth::Role::kMember));
      ++attempts;
      EXPECT_EQ(member.code, grpc::StatusCode::PERMISSION_DENIED)
          << method.path << " as a MEMBER gave " << member.code << ": " << member.message;
    }
  }
  std::cout << "S3: " << attempts << " public/member write attempts\n";
  EXPECT_GT(attempts, 100);
}

}  // namespace
}  // namespace moot::integration
