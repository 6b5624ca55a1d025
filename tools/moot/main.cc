// moot: the command-line client. See `moot help`.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tools/moot/cli.h"

extern char** environ;

int main(int argc, char** argv) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (size_t eq = entry.find('='); eq != std::string::npos) {
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  moot::cli::Options options;
  if (!moot::cli::ParseArgs(std::vector<std::string>(argv + 1, argv + argc), env, &options,
                            std::cerr)) {
    return moot::cli::kUsage;
  }
  return moot::cli::Run(options, std::cout, std::cerr);
}
