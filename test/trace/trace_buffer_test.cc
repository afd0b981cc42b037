#include "trace/trace_buffer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace nmsp::trace {
namespace {

using namespace std::chrono_literals;

// 2015-06-03 22:28:10.762 UTC, the first line of the seed trace.
std::chrono::system_clock::time_point seedTime() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1433370490)) + 762ms;
}

std::string pid() {
  return std::to_string(::getpid());
}

TEST(TraceLevel, ParsesNamesAndPrefixes) {
  EXPECT_EQ(parseLevel("debug"), Level::Debug);
  EXPECT_EQ(parseLevel("DEB"), Level::Debug);
  EXPECT_EQ(parseLevel("i"), Level::Info);
  EXPECT_EQ(parseLevel("off"), Level::Off);
  EXPECT_EQ(parseLevel(""), std::nullopt);
  EXPECT_EQ(parseLevel("verbose"), std::nullopt);
  EXPECT_EQ(parseLevel("debugx"), std::nullopt);
  EXPECT_EQ(levelName(Level::Info), "info");
  EXPECT_EQ(levelName(Level::Debug), "debug");
  EXPECT_EQ(levelName(Level::Off), "off");
}

TEST(TraceBuffer, FormatsLikeTheSeed) {
  TraceBuffer buffer(16, [] { return seedTime(); });
  buffer.setLevel(Level::Debug);
  buffer.add(Level::Info, "New NMSP Connection assigned 0");
  ASSERT_EQ(buffer.lines().size(), 1u);
  EXPECT_EQ(buffer.lines()[0],
            "[06/03/15 22:28:10.762 UTC 1 " + pid() + "] New NMSP Connection assigned 0");
}

TEST(TraceBuffer, SequenceIsLowercaseHex) {
  TraceBuffer buffer(64, [] { return seedTime(); });
  buffer.setLevel(Level::Info);
  for (int i = 0; i < 11; ++i) {
    buffer.add(Level::Info, "x");
  }
  EXPECT_EQ(buffer.lines().back(), "[06/03/15 22:28:10.762 UTC b " + pid() + "] x");
}

TEST(TraceBuffer, LevelFiltersLines) {
  TraceBuffer buffer(16, [] { return seedTime(); });
  buffer.add(Level::Info, "dropped: trace is off");
  EXPECT_TRUE(buffer.lines().empty());
  EXPECT_FALSE(buffer.enabled(Level::Info));
  buffer.setLevel(Level::Info);
  EXPECT_TRUE(buffer.enabled(Level::Info));
  EXPECT_FALSE(buffer.enabled(Level::Debug));
  buffer.add(Level::Debug, "not recorded");
  buffer.add(Level::Info, "recorded");
  ASSERT_EQ(buffer.lines().size(), 1u);
  EXPECT_NE(buffer.lines()[0].find("] recorded"), std::string::npos);
  EXPECT_EQ(buffer.level(), Level::Info);
}

TEST(TraceBuffer, RingKeepsNewestAndCountsDrops) {
  TraceBuffer buffer(3, [] { return seedTime(); });
  buffer.setLevel(Level::Debug);
  for (int i = 1; i <= 5; ++i) {
    buffer.add(Level::Debug, "line " + std::to_string(i));
  }
  const auto lines = buffer.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].ends_with("] line 3"));
  EXPECT_TRUE(lines[1].ends_with("] line 4"));
  EXPECT_TRUE(lines[2].ends_with("] line 5"));
  EXPECT_EQ(buffer.dropped(), 2u);
  buffer.clear();
  EXPECT_TRUE(buffer.lines().empty());
  buffer.add(Level::Debug, "after clear");
  ASSERT_EQ(buffer.lines().size(), 1u);
  EXPECT_EQ(buffer.lines()[0], "[06/03/15 22:28:10.762 UTC 6 " + pid() + "] after clear");
}

// show trace messages says how many lines the ring overwrote since the last clear.
TEST(TraceBuffer, ReportSaysHowManyOlderLinesWereDropped) {
  TraceBuffer buffer(3, [] { return seedTime(); });
  buffer.setLevel(Level::Debug);
  buffer.add(Level::Debug, "line 1");
  EXPECT_EQ(buffer.report(), buffer.lines());  // nothing dropped: no notice
  for (int i = 2; i <= 5; ++i) {
    buffer.add(Level::Debug, "line " + std::to_string(i));
  }
  auto report = buffer.report();
  ASSERT_EQ(report.size(), 4u);
  EXPECT_EQ(report[0], "... 2 older lines dropped (the buffer keeps the newest 3)");
  EXPECT_TRUE(report[1].ends_with("] line 3"));
  buffer.add(Level::Debug, "line 6");
  EXPECT_EQ(buffer.report()[0], "... 3 older lines dropped (the buffer keeps the newest 3)");
  buffer.clear();
  buffer.add(Level::Debug, "after clear");
  report = buffer.report();
  ASSERT_EQ(report.size(), 1u);
  EXPECT_TRUE(report[0].ends_with("] after clear"));
  EXPECT_EQ(buffer.dropped(), 3u);  // the counter itself is not reset
}

TEST(TraceBuffer, ConcurrentWritersStayBounded) {
  TraceBuffer buffer(100);
  buffer.setLevel(Level::Debug);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        buffer.add(Level::Debug, "concurrent");
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(buffer.lines().size(), 100u);
  EXPECT_EQ(buffer.dropped(), 1900u);
}

}  // namespace
}  // namespace nmsp::trace
