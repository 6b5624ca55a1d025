#include "services/scheduling/voter_eligibility.h"

#include "absl/container/flat_hash_map.h"

namespace moot::scheduling {
namespace {

bool BlocksVote(const v1::Declaration& d) {
  if (d.dispensation()) {
    return false;
  }
  switch (d.kind()) {
    case v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY:
    case v1::INTEREST_KIND_OTHER_REGISTERABLE:
    case v1::INTEREST_KIND_SENSITIVE:
      return true;
    default:
      return false;
  }
}

// Why the person on `row` was not in the room at `vote_time`; empty when they were.
std::string Absence(const v1::Attendance* row, bool attendance_recorded,
                    const std::string& vote_time) {
  if (row == nullptr) {
    return attendance_recorded ? kNotPresent : "";
  }
  if (row->kind() != v1::ATTENDANCE_KIND_PRESENT && row->kind() != v1::ATTENDANCE_KIND_SUBSTITUTE) {
    return kNotPresent;
  }
  if (!vote_time.empty()) {
    // "HH:MM" strings compare in time order.
    if (!row->arrived_at().empty() && vote_time < row->arrived_at()) {
      return kArrivedAfterVote;
    }
    if (!row->left_at().empty() && vote_time >= row->left_at()) {
      return kLeftBeforeVote;
    }
  }
  return "";
}

}  // namespace

v1::ListEligibleVotersResponse ComputeEligibility(const EligibilityInput& input) {
  absl::flat_hash_map<std::string, const v1::Attendance*> rows;
  absl::flat_hash_map<std::string, const v1::Attendance*> substitute_for;
  bool attendance_recorded = false;
  for (const v1::Attendance& row : input.attendance) {
    rows[row.person()] = &row;
    if (row.kind() == v1::ATTENDANCE_KIND_SUBSTITUTE) {
      substitute_for[row.on_behalf_of()] = &row;
    }
    if (row.kind() == v1::ATTENDANCE_KIND_PRESENT || row.kind() == v1::ATTENDANCE_KIND_SUBSTITUTE) {
      attendance_recorded = true;
    }
  }
  absl::flat_hash_map<std::string, bool> blocked;
  for (const v1::Declaration& d : input.declarations) {
    if (BlocksVote(d)) {
      blocked[d.person()] = true;
    }
  }
  absl::flat_hash_map<std::string, std::string> substitute_membership;
  for (const v1::Membership& m : input.memberships) {
    if (m.role() == v1::MEMBERSHIP_ROLE_SUBSTITUTE) {
      substitute_membership[m.person()] = m.name();
    }
  }

  v1::ListEligibleVotersResponse out;
  int present = 0;
  auto add = [&](const std::string& person, const std::string& membership, bool voting,
                 const v1::Attendance* row, const std::string& on_behalf_of) {
    v1::VoterEligibility* e = out.add_members();
    e->set_person(person);
    e->set_membership(membership);
    e->set_on_behalf_of(on_behalf_of);
    const std::string absence = Absence(row, attendance_recorded, input.vote_time);
    if (!voting) {
      e->set_reason(kNotVotingMember);
    } else if (blocked.contains(person)) {
      e->set_reason(kInterestWithoutDispensation);
    } else if (!absence.empty()) {
      e->set_reason(absence);
    }
    e->set_eligible(e->reason().empty());
    if (e->eligible()) {
      out.set_eligible_count(out.eligible_count() + 1);
    }
    if (attendance_recorded && voting && absence.empty()) {
      ++present;
    }
  };

  for (const v1::Membership& seat : input.memberships) {
    if (seat.role() == v1::MEMBERSHIP_ROLE_SUBSTITUTE) {
      continue;
    }
    out.set_member_count(out.member_count() + 1);
    auto sub = substitute_for.find(seat.person());
    if (sub == substitute_for.end()) {
      auto row = rows.find(seat.person());
      add(seat.person(), seat.name(), seat.voting(), row == rows.end() ? nullptr : row->second, "");
      continue;
    }
    // The member's seat is taken by the substitute: the member is not present (whatever their
    // own row says) and the substitute votes in their place.
    v1::VoterEligibility* e = out.add_members();
    e->set_person(seat.person());
    e->set_membership(seat.name());
    e->set_reason(seat.voting() ? kNotPresent : kNotVotingMember);
    const v1::Attendance* row = sub->second;
    auto membership = substitute_membership.find(row->person());
    add(row->person(), membership == substitute_membership.end() ? "" : membership->second,
        seat.voting(), row, seat.person());
  }
  out.set_present_count(present);
  out.set_attendance_recorded(attendance_recorded);
  out.set_quorum(input.quorum);
  out.set_quorate(input.quorum <= 0 || present >= input.quorum);
  return out;
}

}  // namespace moot::scheduling
