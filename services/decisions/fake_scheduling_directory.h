// A SchedulingDirectory for tests: meetings registered by hand.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "libs/status/errors.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

class FakeSchedulingDirectory final : public SchedulingDirectory {
 public:
  void AddMeeting(const std::string& name, const std::string& local_date,
                  v1::NumberingScheme numbering = v1::NUMBERING_SCHEME_RUNNING_INT,
                  bool ordinary = true, const std::string& pack_date = "") {
    absl::MutexLock lock(&mu_);
    meetings_[name] = MeetingFacts{name, local_date, numbering, ordinary, pack_date};
  }

  // The webcast scheduling records for a meeting added before.
  void SetWebcast(const std::string& name, const std::string& url) {
    absl::MutexLock lock(&mu_);
    meetings_[name].webcast_url = url;
  }

  // A confirmation hearing's own meeting (not ordinary).
  void AddHearingMeeting(const std::string& name, const std::string& local_date) {
    absl::MutexLock lock(&mu_);
    meetings_[name] = MeetingFacts{name,
                                   local_date,
                                   v1::NUMBERING_SCHEME_RUNNING_INT,
                                   /*ordinary=*/false,
                                   "",
                                   /*confirmation_hearing=*/true};
  }

  absl::StatusOr<std::vector<MeetingFacts>> ListBodyMeetings(
      const std::string& body_name) override {
    absl::MutexLock lock(&mu_);
    std::vector<MeetingFacts> out;
    for (const auto& [name, facts] : meetings_) {
      if (name.rfind(body_name + "/meetings/", 0) == 0) {
        out.push_back(facts);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.local_date < b.local_date; });
    return out;
  }

  // The voters scheduling reports for every agenda item of the tenant.
  void SetVoters(scheduling::v1::ListEligibleVotersResponse voters) {
    absl::MutexLock lock(&mu_);
    voters_ = std::move(voters);
  }

  absl::StatusOr<scheduling::v1::ListEligibleVotersResponse> ListEligibleVoters(
      const std::string&, const google::protobuf::Timestamp&) override {
    absl::MutexLock lock(&mu_);
    return voters_;
  }

  absl::StatusOr<MeetingFacts> GetMeeting(const std::string& meeting_name) override {
    absl::MutexLock lock(&mu_);
    auto it = meetings_.find(meeting_name);
    if (it == meetings_.end()) {
      return status::NotFound(meeting_name);
    }
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, MeetingFacts> meetings_ ABSL_GUARDED_BY(mu_);
  scheduling::v1::ListEligibleVotersResponse voters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::decisions
