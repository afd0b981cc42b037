// The test helpers themselves: exit codes, captured output, stdin, timeouts, waiting.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace nmsp::test_support {
namespace {

using namespace std::chrono_literals;

TEST(Run, CapturesOutputAndExitCode) {
  const auto r = run(Command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\nerr\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(Run, SeparatesStderrWhenAsked) {
  const auto r = run(Command({"/bin/sh", "-c", "echo out; echo err >&2"}).separateStderr());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(Run, FeedsStdinAndSetsTheEnvironment) {
  const auto r = run(Command({"sh", "-c", "cat; echo \"$NMSP_TEST_VALUE\""})
                         .input("line one\nline two\n")
                         .env("NMSP_TEST_VALUE", "from the test"));
  EXPECT_EQ(r.out, "line one\nline two\nfrom the test\n");
}

TEST(Run, OutputLargerThanAnyPipeBufferIsKeptWhole) {
  const auto r = run(Command({"head", "-c", "3000000", "/dev/zero"}));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), 3000000u);
}

TEST(Run, KillsTheWholeGroupAfterTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run(Command({"sh", "-c", "sleep 30 & sleep 30; echo never"}).timeout(200ms));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + 9);
  EXPECT_EQ(r.out, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);  // not the children's 30 s
}

TEST(Run, ReportsAProgramThatCannotStart) {
  const auto r = run(Command({"/nonexistent/program"}));
  EXPECT_EQ(r.exit_code, kNoExitCode);
  EXPECT_NE(r.err.find("cannot start /nonexistent/program"), std::string::npos) << r.err;
}

TEST(RunShell, RunsAPipeline) {
  EXPECT_EQ(runShell("printf 'a\\nb\\n' | wc -l").out, "2\n");
  EXPECT_EQ(runShell("echo " + shellQuote("it's $HOME")).out, "it's $HOME\n");
}

TEST(ChildProcess, StopsWithSigtermAndKeepsItsLog) {
  TempDir dir;
  // The trap is set before "started" is printed: a SIGTERM sent once the line is seen must find
  // it (the other order raced, and sh died of the signal with 143).
  ChildProcess child({"sh", "-c",
                      "trap 'echo bye; exit 0' TERM; echo started; "
                      "while :; do sleep 0.01; done"},
                     dir.path() / "child.log");
  ASSERT_TRUE(child.started()) << child.spawnError();
  ASSERT_TRUE(waitFor([&] { return child.log() == "started\n"; }, 10s)) << child.log();
  EXPECT_FALSE(child.waitExit(0ms).has_value());
  EXPECT_EQ(child.stop(), 0);
  EXPECT_EQ(child.log(), "started\nbye\n");
}

TEST(ChildProcess, IsKilledWhenItIgnoresSigterm) {
  TempDir dir;
  ChildProcess child({"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.01; done"},
                     dir.path() / "child.log");
  ASSERT_TRUE(child.started());
  ASSERT_TRUE(waitFor([&] { return child.log() == "ready\n"; }, 10s)) << child.log();
  EXPECT_EQ(child.stop(100ms), 128 + 9);
}

TEST(ChildProcess, ReportsItsExitCode) {
  ChildProcess child({"sh", "-c", "exit 7"}, {});
  EXPECT_EQ(child.waitExit(10s), 7);
}

TEST(WaitFor, ReturnsAsSoonAsTheConditionHoldsAndFalseAfterTheDeadline) {
  int polls = 0;
  EXPECT_TRUE(waitFor([&] { return ++polls == 3; }, 10s));
  EXPECT_EQ(polls, 3);
  EXPECT_FALSE(waitFor([] { return false; }, 20ms));
  int steps = 0;
  EXPECT_TRUE(waitFor([&] { return steps == 2; }, 10s, [&] { ++steps; }));
}

}  // namespace
}  // namespace nmsp::test_support
