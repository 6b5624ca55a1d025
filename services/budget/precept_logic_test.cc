#include "services/budget/precept_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::budget {
namespace {

using ::testing::ElementsAre;

auth::Principal Finance(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:finance", .roles = {auth::Role::kFinanceOfficer}};
}
auth::Principal Pcc(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:pcc", .roles = {auth::Role::kPccOffice}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class PreceptLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sql::Open("sqlite::memory:", 1);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<PreceptLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  static v1::CreatePreceptRequest Request(const std::string& year) {
    v1::CreatePreceptRequest request;
    request.set_parent("tenants/wm");
    request.set_precept_id(year);
    request.mutable_precept()->set_council_tax_requirement_pence(19946300000);
    request.mutable_precept()->set_tax_base_hundredths(85723341);
    return request;
  }

  std::vector<std::string> OutboxTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       types.push_back(row.String(0));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1707000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<PreceptLogic> logic_;
};

TEST_F(PreceptLogicTest, FinanceOfficerCreatesPreceptWithBandDAndEvent) {
  auto precept = logic_->CreatePrecept(Finance(), Request("2024-25"));
  ASSERT_TRUE(precept.ok()) << precept.status();
  EXPECT_EQ(precept->name(), "tenants/wm/precepts/2024-25");
  EXPECT_EQ(precept->year(), "2024-25");
  EXPECT_EQ(precept->band_d_pence(), 23268);
  EXPECT_EQ(precept->create_time().seconds(), 1707000000);
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));
  EXPECT_TRUE(logic_->CreatePrecept(Pcc(), Request("2025-26")).ok());

  // Anonymous callers and members read it.
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  auto anonymous = logic_->GetPrecept(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->band_d_pence(), 23268);
  EXPECT_TRUE(logic_->GetPrecept(Member(), get).ok());
  get.set_name("tenants/wm/precepts/2019-20");
  EXPECT_EQ(logic_->GetPrecept(Member(), get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PreceptLogicTest, AccessIsCheckedBeforeAnyLookup) {
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), Request("2024-25")).ok());
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  auto other = logic_->GetPrecept(Finance("ny"), get);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  get.set_name("tenants/wm/precepts/2030-31");
  EXPECT_EQ(logic_->GetPrecept(Finance("ny"), get).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::ListPreceptsRequest list;
  list.set_parent("tenants/wm");
  EXPECT_EQ(logic_->ListPrecepts(Member("ny"), list).status().code(),
            absl::StatusCode::kPermissionDenied);

  auto cross = logic_->CreatePrecept(Finance("ny"), Request("2026-27"));
  EXPECT_EQ(cross.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(cross.status()), "TENANT_MISMATCH");
  for (const auto& p : {Member(), Officer()}) {
    auto denied = logic_->CreatePrecept(p, Request("2026-27"));
    EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
  }
  EXPECT_EQ(logic_->CreatePrecept(auth::Principal::Anonymous(), Request("2026-27")).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));
}

TEST_F(PreceptLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::CreatePreceptRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_precept_id("2024-26"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("2024-2025"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("2024/25"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("20a4-25"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id(""); }, "precept_id"},
      {[](auto& r) { r.mutable_precept()->set_council_tax_requirement_pence(-1); },
       "precept.council_tax_requirement_pence"},
      {[](auto& r) { r.mutable_precept()->set_tax_base_hundredths(0); },
       "precept.tax_base_hundredths"},
      {[](auto& r) { r.mutable_precept()->set_tax_base_hundredths(-100); },
       "precept.tax_base_hundredths"},
      {[](auto& r) { r.set_parent("tenants/wm/x"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = Request("2024-25");
    c.mutate(request);
    auto result = logic_->CreatePrecept(Finance(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // The century wraps: 1999-00 is a valid year.
  EXPECT_TRUE(ValidatePreceptYear("1999-00").ok());
  EXPECT_TRUE(OutboxTypes().empty());
}

TEST_F(PreceptLogicTest, DuplicateIsAlreadyExistsAndRetryIsIdempotent) {
  auto request = Request("2024-25");
  request.set_request_id("req-1");
  auto first = logic_->CreatePrecept(Finance(), request);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(5));
  auto retry = logic_->CreatePrecept(Finance(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));

  request.mutable_precept()->set_tax_base_hundredths(1);
  EXPECT_EQ(Reason(logic_->CreatePrecept(Finance(), request).status()), "REQUEST_ID_REUSED");
  auto duplicate = logic_->CreatePrecept(Finance(), Request("2024-25"));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status::Details(duplicate.status()).metadata["resource"],
            "tenants/wm/precepts/2024-25");
}

TEST_F(PreceptLogicTest, ListIsNewestFirstAndPaged) {
  for (int year : {2021, 2024, 2022, 2025, 2023}) {
    ASSERT_TRUE(
        logic_->CreatePrecept(Finance(), Request(absl::StrCat(year, "-", (year + 1) % 100))).ok());
  }
  std::vector<std::string> years;
  v1::ListPreceptsRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  int pages = 0;
  do {
    auto page = logic_->ListPrecepts(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->precepts()) {
      years.push_back(p.year());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(years, ElementsAre("2025-26", "2024-25", "2023-24", "2022-23", "2021-22"));

  list.set_page_size(-1);
  EXPECT_EQ(Field(logic_->ListPrecepts(Member(), list).status()), "page_size");
  list.set_page_size(2);
  list.set_page_token("forged");
  EXPECT_EQ(Field(logic_->ListPrecepts(Member(), list).status()), "page_token");
}

}  // namespace
}  // namespace moot::budget
