// The binary's exit-status scheme (docs/operator-commands.md): 0 success, 1 the work failed,
// 2 usage errors, the same at the top level and in `nmsp cli`; --version; a mistyped
// subcommand is named with the one meant.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/process.h"

namespace {

using nmsp::test_support::Command;
using nmsp::test_support::run;

nmsp::test_support::CommandResult nmsp(const std::vector<std::string>& args) {
  std::vector<std::string> argv{NMSP_BINARY};
  for (const auto& arg : args) {
    argv.push_back(arg);
  }
  return run(Command(argv));
}

TEST(UsageErrors, ExitTwoEverywhere) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},                                                   // no subcommand
           {"controller"},                                       // missing --data-dir
           {"controller", "-d", "x", "--max-connections", "0"},  // invalid value
           {"mse", "--data-dir"},                                // option without its value
           {"decode", "--no-such-option"},                       // unknown option
           {"cli"},                                              // nmsp cli: missing --data-dir
           {"cli", "--bogus", "-d", "x"},                        // nmsp cli: unknown option
       }) {
    const auto result = nmsp(args);
    EXPECT_EQ(result.exit_code, 2)
        << "nmsp " << ::testing::PrintToString(args) << ": " << result.out;
  }
}

TEST(UsageErrors, MistypedSubcommandSuggestsTheRightOne) {
  const auto result = nmsp({"contoller", "--data-dir", "x"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out.substr(0, result.out.find('\n')),
            "nmsp: unknown subcommand 'contoller'; did you mean 'controller'?");
  EXPECT_NE(nmsp({"clii"}).out.find("did you mean 'cli'?"), std::string::npos);
}

TEST(UsageErrors, VersionAndHelpExitZero) {
  const auto version = nmsp({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("nmsp ")) << version.out;
  EXPECT_EQ(nmsp({"--help"}).exit_code, 0);
  EXPECT_EQ(nmsp({"cli", "--help"}).exit_code, 0);
}

}  // namespace
