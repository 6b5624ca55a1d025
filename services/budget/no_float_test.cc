// Money in the budget service is exact (issue 5 point 1, domain.md §9 item 11): this test fails
// when binary floating point appears in the sources of services/budget, libs/money or the
// budget contract.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "libs/testing/test_util.h"

namespace moot::budget {
namespace {

namespace fs = std::filesystem;

TEST(NoFloatTest, SourcesUseNoBinaryFloatingPoint) {
  const fs::path root = moot::testing::SourceDir();
  // The words are assembled so that this file does not match itself.
  const std::string words = std::string("dou") + "ble|flo" + "at|long " + "dou" + "ble";
  const std::regex forbidden("\\b(" + words + ")\\b");
  const std::regex forbidden_proto("\\b(" + words + ")\\s+\\w+\\s*=");
  int scanned = 0;
  std::vector<std::string> offenders;
  for (const char* dir : {"services/budget", "libs/money", "proto/moot/budget/v1"}) {
    ASSERT_TRUE(fs::is_directory(root / dir)) << root / dir;
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      const bool proto = ext == ".proto";
      if (ext != ".cc" && ext != ".h" && !proto) {
        continue;
      }
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        // Comments may say what is not used; code and fields may not use it.
        std::string code = line.substr(0, line.find("//"));
        if (std::regex_search(code, proto ? forbidden_proto : forbidden)) {
          offenders.push_back(entry.path().string() + ":" + std::to_string(number) + ": " + line);
        }
      }
      ++scanned;
    }
  }
  EXPECT_GE(scanned, 10) << "the check must see the sources";
  std::ostringstream message;
  for (const auto& o : offenders) {
    message << o << "\n";
  }
  EXPECT_TRUE(offenders.empty()) << message.str();
}

}  // namespace
}  // namespace moot::budget
