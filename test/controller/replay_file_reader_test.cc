// The controller's replay reader thread (controller::ReplayFileReader): every observation of the
// file in order, malformed lines reported and counted, passes marked, looping by itself, the
// queue bounded, and a reader that is still busy says Pending rather than ending.

#include "controller/replay_file_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "support/temp_dir.h"

namespace nmsp::testing {
namespace {

using Pull = aggregate::ReplaySource::Pull;
using test_support::TempDir;
using namespace std::chrono_literals;

// `n` observations with ts_ms 1000, 1001, ..., and a malformed line after the first.
std::filesystem::path writeFile(const std::filesystem::path& dir, int n) {
  const auto path = dir / "m.jsonl";
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    out << fmt::format(
               R"({{"ts_ms": {}, "device": "f4:8c:50:53:bc:09", "kind": "client", "ap": "00:2b:01:00:0a:00", "slot": 0, "rssi": -60}})",
               1000 + i)
        << '\n';
    if (i == 0) {
      out << "not json\n";
    }
  }
  return path;
}

// Pulls until `want` observations and `passes` ends of pass arrived (Pending: pull again, for at
// most 10 s); returns the observations' ts_ms.
std::vector<uint64_t> pull(controller::ReplayFileReader& reader, size_t want, int passes) {
  std::vector<uint64_t> times;
  int ends = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  measurement::Observation o;
  while ((times.size() < want || ends < passes) && std::chrono::steady_clock::now() < deadline) {
    switch (reader.next(o)) {
      case Pull::Observation:
        times.push_back(o.ts_ms);
        break;
      case Pull::EndOfPass:
        ++ends;
        break;
      case Pull::Pending:
        std::this_thread::yield();
        break;
    }
  }
  EXPECT_EQ(ends, passes);
  return times;
}

TEST(ReplayFileReader, HandsOutEveryObservationInOrderAndCountsTheBrokenLine) {
  TempDir dir;
  std::mutex mu;
  std::vector<uint64_t> problem_lines;
  // Five times what the queue holds (3 batches of 4): the reader thread waits for room and goes
  // on.
  const int n = 60;
  auto reader = controller::ReplayFileReader::open(writeFile(dir.path(), n), false,
                                                   [&](const measurement::LineProblem& p) {
                                                     const std::lock_guard lock(mu);
                                                     problem_lines.push_back(p.line);
                                                   },
                                                   {4, 3});
  ASSERT_TRUE(reader.has_value()) << reader.error();
  const auto times = pull(**reader, static_cast<size_t>(n), 1);
  ASSERT_EQ(times.size(), static_cast<size_t>(n));
  for (size_t i = 0; i < times.size(); ++i) {
    ASSERT_EQ(times[i], 1000 + i);
  }
  measurement::Observation o;
  EXPECT_EQ((*reader)->next(o), Pull::EndOfPass);  // ended: stays ended
  const auto counts = (*reader)->counts();
  EXPECT_EQ(counts.lines, static_cast<uint64_t>(n) + 1);
  EXPECT_EQ(counts.records, static_cast<uint64_t>(n));
  EXPECT_EQ(counts.skipped, 1u);
  const std::lock_guard lock(mu);
  EXPECT_EQ(problem_lines, std::vector<uint64_t>{2});
}

TEST(ReplayFileReader, LoopingStartsTheFileAgainByItself) {
  TempDir dir;
  auto reader = controller::ReplayFileReader::open(writeFile(dir.path(), 3), true, {}, {2, 2});
  ASSERT_TRUE(reader.has_value()) << reader.error();
  const auto times = pull(**reader, 9, 3);
  EXPECT_EQ(times, (std::vector<uint64_t>{1000, 1001, 1002, 1000, 1001, 1002, 1000, 1001, 1002}));
  EXPECT_GE((*reader)->counts().skipped, 3u);  // the broken line, once per pass
}

TEST(ReplayFileReader, AFileWithoutObservationsEndsEvenWhenLooping) {
  TempDir dir;
  const auto path = dir.path() / "empty.jsonl";
  std::ofstream(path) << "not json\n\n";
  auto reader = controller::ReplayFileReader::open(path, true, {});
  ASSERT_TRUE(reader.has_value()) << reader.error();
  EXPECT_TRUE(pull(**reader, 0, 1).empty());
  measurement::Observation o;
  EXPECT_EQ((*reader)->next(o), Pull::EndOfPass);
}

TEST(ReplayFileReader, AMissingFileIsNamed) {
  TempDir dir;
  auto reader = controller::ReplayFileReader::open(dir.path() / "nope.jsonl", false, {});
  ASSERT_FALSE(reader.has_value());
  EXPECT_NE(reader.error().find("cannot read the replay file"), std::string::npos);
  EXPECT_NE(reader.error().find("nope.jsonl"), std::string::npos);
}

TEST(ReplayFileReader, StopsWhileTheQueueIsFull) {
  TempDir dir;
  auto reader = controller::ReplayFileReader::open(writeFile(dir.path(), 60), true, {}, {4, 3});
  ASSERT_TRUE(reader.has_value()) << reader.error();
  reader->reset();  // the destructor stops the waiting reader thread and joins it
  SUCCEED();
}

}  // namespace
}  // namespace nmsp::testing
