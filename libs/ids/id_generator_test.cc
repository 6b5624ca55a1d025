#include "libs/ids/id_generator.h"

#include <gtest/gtest.h>

#include <set>

namespace moot::ids {
namespace {

TEST(UlidGeneratorTest, IdsAreUniqueAndSortedWithinOneMillisecond) {
  time::FakeClock clock(absl::FromUnixMillis(1700000000123));
  UlidGenerator gen(clock);
  std::string prev = gen.NewId();
  std::set<std::string> seen{prev};
  for (int i = 0; i < 1000; ++i) {
    std::string id = gen.NewId();
    ASSERT_EQ(id.size(), 26u);
    EXPECT_LT(prev, id);
    EXPECT_TRUE(seen.insert(id).second);
    prev = id;
  }
}

TEST(UlidGeneratorTest, LaterMillisecondsSortLater) {
  time::FakeClock clock(absl::FromUnixMillis(1000));
  UlidGenerator gen(clock);
  std::string a = gen.NewId();
  clock.Advance(absl::Milliseconds(1));
  std::string b = gen.NewId();
  EXPECT_LT(a, b);
  EXPECT_EQ(a.substr(0, 9), b.substr(0, 9));
}

TEST(UlidGeneratorTest, RandomHexHasRequestedLength) {
  UlidGenerator gen;
  EXPECT_EQ(gen.RandomHex(16).size(), 32u);
  EXPECT_NE(gen.RandomHex(16), gen.RandomHex(16));
}

TEST(SequentialIdGeneratorTest, IsDeterministic) {
  SequentialIdGenerator gen("ev");
  EXPECT_EQ(gen.NewId(), "ev0000000001");
  EXPECT_EQ(gen.NewId(), "ev0000000002");
  EXPECT_EQ(gen.RandomHex(2), "0003");
}

}  // namespace
}  // namespace moot::ids
