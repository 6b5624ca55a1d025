#include "services/scheduling/voter_eligibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace moot::scheduling {
namespace {

std::string Person(int i) { return absl::StrFormat("tenants/wm/people/p%02d", i); }

v1::Membership Seat(int i, bool voting = true,
                    v1::MembershipRole role = v1::MEMBERSHIP_ROLE_MEMBER) {
  v1::Membership m;
  m.set_name(absl::StrFormat("tenants/wm/bodies/pcp/memberships/m%02d", i));
  m.set_person(Person(i));
  m.set_role(role);
  m.set_voting(voting);
  m.set_start_date("2023-05-22");
  return m;
}

v1::Attendance Row(int i, v1::AttendanceKind kind, const std::string& arrived = "",
                   const std::string& left = "") {
  v1::Attendance a;
  a.set_person(Person(i));
  a.set_kind(kind);
  a.set_arrived_at(arrived);
  a.set_left_at(left);
  return a;
}

v1::Declaration Interest(int i, v1::InterestKind kind, bool dispensation = false) {
  v1::Declaration d;
  d.set_person(Person(i));
  d.set_kind(kind);
  d.set_dispensation(dispensation);
  return d;
}

// `n` voting members p01..pNN.
EligibilityInput Members(int n) {
  EligibilityInput input;
  for (int i = 1; i <= n; ++i) {
    input.memberships.push_back(Seat(i));
  }
  return input;
}

// The 11 September 2023 roll call (domain.md §2.2): 16 members, 12 present, 4 apologies.
EligibilityInput RollCall() {
  EligibilityInput input = Members(16);
  for (int i = 1; i <= 16; ++i) {
    input.attendance.push_back(
        Row(i, i <= 12 ? v1::ATTENDANCE_KIND_PRESENT : v1::ATTENDANCE_KIND_APOLOGIES));
  }
  return input;
}

std::map<std::string, std::string> Reasons(const v1::ListEligibleVotersResponse& r) {
  std::map<std::string, std::string> out;
  for (const auto& e : r.members()) {
    if (!e.eligible()) {
      out[e.person().substr(e.person().rfind('/') + 1)] = e.reason();
    }
  }
  return out;
}

// §9 item 5: N is every member at the time (vacancies are not members; members excluded by an
// interest still count); §3.3: DPI / other registerable / sensitive without dispensation exclude.
TEST(VoterEligibilityTest, MemberCountAndExclusionsTable) {
  struct Case {
    std::string name;
    std::function<EligibilityInput()> input;
    int member_count;
    int eligible_count;
    std::map<std::string, std::string> reasons;
  };
  const std::vector<Case> cases = {
      {"16 members, no attendance yet: all may vote", [] { return Members(16); }, 16, 16, {}},
      {"15 members (one vacancy): N=15", [] { return Members(15); }, 15, 15, {}},
      {"14 members: N=14", [] { return Members(14); }, 14, 14, {}},
      {"12 members: N=12", [] { return Members(12); }, 12, 12, {}},
      {"11 Sep 2023: 12 present, 4 apologies: N stays 16",
       RollCall,
       16,
       12,
       {{"p13", kNotPresent}, {"p14", kNotPresent}, {"p15", kNotPresent}, {"p16", kNotPresent}}},
      {"DPI without dispensation excludes but still counts in N",
       [] {
         auto in = Members(16);
         in.declarations.push_back(Interest(3, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY));
         return in;
       },
       16,
       15,
       {{"p03", kInterestWithoutDispensation}}},
      {"DPI with dispensation votes",
       [] {
         auto in = Members(16);
         in.declarations.push_back(Interest(3, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY, true));
         return in;
       },
       16,
       16,
       {}},
      {"other registerable without dispensation excludes",
       [] {
         auto in = Members(16);
         in.declarations.push_back(Interest(4, v1::INTEREST_KIND_OTHER_REGISTERABLE));
         return in;
       },
       16,
       15,
       {{"p04", kInterestWithoutDispensation}}},
      {"sensitive counts as DPI for voting",
       [] {
         auto in = Members(16);
         in.declarations.push_back(Interest(5, v1::INTEREST_KIND_SENSITIVE));
         in.declarations.push_back(Interest(6, v1::INTEREST_KIND_SENSITIVE, true));
         return in;
       },
       16,
       15,
       {{"p05", kInterestWithoutDispensation}}},
      {"non-registerable interest has no effect",
       [] {
         auto in = Members(16);
         in.declarations.push_back(Interest(7, v1::INTEREST_KIND_NON_REGISTERABLE));
         return in;
       },
       16,
       16,
       {}},
      {"a non-voting member counts in N but may not vote",
       [] {
         auto in = Members(15);
         in.memberships.push_back(Seat(16, /*voting=*/false));
         in.declarations.push_back(Interest(16, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY));
         return in;
       },
       16,
       15,
       {{"p16", kNotVotingMember}}},
      {"12 present, 4 apologies and 2 interests: 10 may vote of N=16",
       [] {
         auto in = RollCall();
         in.declarations.push_back(Interest(1, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY));
         in.declarations.push_back(Interest(13, v1::INTEREST_KIND_OTHER_REGISTERABLE));
         in.declarations.push_back(Interest(2, v1::INTEREST_KIND_OTHER_REGISTERABLE));
         return in;
       },
       16,
       10,
       {{"p01", kInterestWithoutDispensation},
        {"p02", kInterestWithoutDispensation},
        {"p13", kInterestWithoutDispensation},
        {"p14", kNotPresent},
        {"p15", kNotPresent},
        {"p16", kNotPresent}}},
      {"only apologies recorded: the rest are assumed present",
       [] {
         auto in = Members(4);
         in.attendance.push_back(Row(2, v1::ATTENDANCE_KIND_APOLOGIES));
         in.attendance.push_back(Row(3, v1::ATTENDANCE_KIND_ABSENT));
         return in;
       },
       4,
       2,
       {{"p02", kNotPresent}, {"p03", kNotPresent}}},
      {"once anyone is present, members without a row are not",
       [] {
         auto in = Members(4);
         in.attendance.push_back(Row(1, v1::ATTENDANCE_KIND_PRESENT));
         in.attendance.push_back(Row(2, v1::ATTENDANCE_KIND_ALSO_PRESENT));
         return in;
       },
       4,
       1,
       {{"p02", kNotPresent}, {"p03", kNotPresent}, {"p04", kNotPresent}}},
  };
  for (const Case& c : cases) {
    const auto result = ComputeEligibility(c.input());
    EXPECT_EQ(result.member_count(), c.member_count) << c.name;
    EXPECT_EQ(result.eligible_count(), c.eligible_count) << c.name;
    EXPECT_EQ(Reasons(result), c.reasons) << c.name;
  }
}

// Late arrival and early departure bracket the vote: present from arrived_at (inclusive) until
// left_at (exclusive), to the minute.
TEST(VoterEligibilityTest, ArrivalAndDepartureBracketTheVote) {
  struct Case {
    std::string vote_time;
    std::string reason_late;   // p01 arrived 14:30
    std::string reason_early;  // p02 left 15:45
  };
  const std::vector<Case> cases = {
      {"14:00", kArrivedAfterVote, ""},
      {"14:29", kArrivedAfterVote, ""},
      {"14:30", "", ""},
      {"15:44", "", ""},
      {"15:45", "", kLeftBeforeVote},
      {"16:20", "", kLeftBeforeVote},
      {"", "", ""},  // No vote time: brackets ignored.
  };
  for (const Case& c : cases) {
    auto in = Members(3);
    in.attendance.push_back(Row(1, v1::ATTENDANCE_KIND_PRESENT, "14:30"));
    in.attendance.push_back(Row(2, v1::ATTENDANCE_KIND_PRESENT, "", "15:45"));
    in.attendance.push_back(Row(3, v1::ATTENDANCE_KIND_PRESENT));
    in.vote_time = c.vote_time;
    const auto result = ComputeEligibility(in);
    ASSERT_EQ(result.members_size(), 3);
    EXPECT_EQ(result.members(0).reason(), c.reason_late) << c.vote_time;
    EXPECT_EQ(result.members(1).reason(), c.reason_early) << c.vote_time;
    EXPECT_EQ(result.members(2).reason(), "") << c.vote_time;
    EXPECT_EQ(result.present_count(),
              3 - (c.reason_late.empty() ? 0 : 1) - (c.reason_early.empty() ? 0 : 1))
        << c.vote_time;
  }
}

// A substitute takes the absent member's seat: listed after the member, votes in their place,
// not counted in N; their own interests apply.
TEST(VoterEligibilityTest, SubstituteVotesInPlaceOfTheAbsentMember) {
  auto in = Members(3);
  in.memberships.push_back(Seat(9, /*voting=*/false, v1::MEMBERSHIP_ROLE_SUBSTITUTE));
  in.attendance.push_back(Row(1, v1::ATTENDANCE_KIND_PRESENT));
  in.attendance.push_back(Row(2, v1::ATTENDANCE_KIND_APOLOGIES));
  in.attendance.push_back(Row(3, v1::ATTENDANCE_KIND_PRESENT));
  auto sub = Row(9, v1::ATTENDANCE_KIND_SUBSTITUTE);
  sub.set_on_behalf_of(Person(2));
  in.attendance.push_back(sub);
  auto result = ComputeEligibility(in);
  EXPECT_EQ(result.member_count(), 3);
  EXPECT_EQ(result.eligible_count(), 3);
  EXPECT_EQ(result.present_count(), 3);
  ASSERT_EQ(result.members_size(), 4);
  EXPECT_EQ(result.members(1).person(), Person(2));
  EXPECT_EQ(result.members(1).reason(), kNotPresent);
  EXPECT_EQ(result.members(2).person(), Person(9));
  EXPECT_EQ(result.members(2).on_behalf_of(), Person(2));
  EXPECT_EQ(result.members(2).membership(), "tenants/wm/bodies/pcp/memberships/m09");
  EXPECT_TRUE(result.members(2).eligible());

  // The substitute's own interest excludes them; a non-voting seat gives no vote.
  in.declarations.push_back(Interest(9, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY));
  result = ComputeEligibility(in);
  EXPECT_EQ(result.members(2).reason(), kInterestWithoutDispensation);
  EXPECT_EQ(result.eligible_count(), 2);
  in.declarations.clear();
  in.memberships[1].set_voting(false);
  result = ComputeEligibility(in);
  EXPECT_EQ(result.members(1).reason(), kNotVotingMember);
  EXPECT_EQ(result.members(2).reason(), kNotVotingMember);
  EXPECT_EQ(result.present_count(), 2);
}

// §9 item 4: quorum is a head count of voting members present; none set = always quorate.
TEST(VoterEligibilityTest, QuorumTable) {
  struct Case {
    int quorum;
    bool use_roll_call;
    bool quorate;
  };
  const std::vector<Case> cases = {
      {0, true, true}, {12, true, true}, {13, true, false}, {0, false, true}, {1, false, false},
  };
  for (const Case& c : cases) {
    auto in = c.use_roll_call ? RollCall() : Members(16);
    in.quorum = c.quorum;
    const auto result = ComputeEligibility(in);
    EXPECT_EQ(result.quorum(), c.quorum);
    EXPECT_EQ(result.present_count(), c.use_roll_call ? 12 : 0);
    EXPECT_EQ(result.attendance_recorded(), c.use_roll_call);
    EXPECT_EQ(result.quorate(), c.quorate) << c.quorum << " " << c.use_roll_call;
  }
}

}  // namespace
}  // namespace moot::scheduling
