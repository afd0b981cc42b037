// The replay scheduler: relative timing scaled by the speed from an injected start, original
// ts_ms kept, loops, broken lines counted and skipped, nothing before start.
#include "aggregate/replay.h"

#include <gtest/gtest.h>

#include <sstream>

#include "measurement/json_lines.h"

namespace nmsp::aggregate {
namespace {

std::string line(uint64_t ts, int rssi) {
  measurement::Observation o;
  o.ts_ms = ts;
  o.device = *MacAddress::parse("f4:8c:50:53:bc:09");
  o.ap = *MacAddress::parse("00:2b:01:00:0a:00");
  o.rssi = static_cast<int8_t>(rssi);
  std::string text;
  measurement::appendLine(text, o);
  return text;
}

std::vector<std::pair<uint64_t, uint64_t>> playAll(ReplayScheduler& r, uint64_t until,
                                                   uint64_t step) {
  std::vector<std::pair<uint64_t, uint64_t>> played;  // (time played, ts_ms)
  for (uint64_t now = 0; now <= until; now += step) {
    r.poll(now, [&](const measurement::Observation& o) { played.emplace_back(now, o.ts_ms); });
  }
  return played;
}

TEST(ReplayScheduler, KeepsRelativeTimingScaledBySpeed) {
  std::stringstream in(line(1'000'000, -60) + line(1'001'000, -61) + "not json\n" +
                       line(1'004'000, -62));
  std::vector<std::string> problems;
  ReplayScheduler r(in, {2.0, false},
                    [&](const measurement::LineProblem& p) { problems.push_back(describe(p)); });
  EXPECT_EQ(r.nextDueMs(), std::nullopt);  // not started: nothing is played to nobody
  EXPECT_EQ(r.poll(100'000, [](const auto&) {}), 0u);
  r.start(10'000);
  EXPECT_EQ(r.nextDueMs(), 10'000u);
  auto played = playAll(r, 20'000, 100);
  ASSERT_EQ(played.size(), 3u);
  EXPECT_EQ(played[0], (std::pair<uint64_t, uint64_t>{10'000, 1'000'000}));
  EXPECT_EQ(played[1], (std::pair<uint64_t, uint64_t>{10'500, 1'001'000}));
  EXPECT_EQ(played[2], (std::pair<uint64_t, uint64_t>{12'000, 1'004'000}));
  EXPECT_TRUE(r.finished());
  EXPECT_EQ(r.counters().played, 3u);
  EXPECT_EQ(r.counters().skipped, 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].substr(0, 7), "line 3:");
}

TEST(ReplayScheduler, LoopsWithACycleOfTheFileSpanPlusOneSecond) {
  std::stringstream in(line(0, -60) + line(500, -61));
  ReplayScheduler r(in, {1.0, true});
  r.start(0);
  auto played = playAll(r, 3000, 100);
  // Cycle: 500 ms + 1 s. Played at 0, 500, 1500, 2000, 3000; ts_ms as in the file.
  ASSERT_EQ(played.size(), 5u);
  EXPECT_EQ(played[2], (std::pair<uint64_t, uint64_t>{1500, 0}));
  EXPECT_EQ(played[3], (std::pair<uint64_t, uint64_t>{2000, 500}));
  EXPECT_EQ(played[4], (std::pair<uint64_t, uint64_t>{3000, 0}));
  EXPECT_FALSE(r.finished());
  EXPECT_EQ(r.counters().cycles, 2u);
}

TEST(ReplayScheduler, BoundedPollAndTimesThatGoBack) {
  std::stringstream in(line(100, -60) + line(50, -61) + line(100, -62));
  ReplayScheduler r(in, {});
  r.start(0);
  std::vector<int> rssi;
  EXPECT_EQ(r.poll(
                0, [&](const auto& o) { rssi.push_back(o.rssi); }, 2),
            2u);
  EXPECT_EQ(r.poll(0, [&](const auto& o) { rssi.push_back(o.rssi); }), 1u);
  EXPECT_EQ(rssi, (std::vector<int>{-60, -61, -62}));
}

TEST(ReplayScheduler, ValidatesSpeed) {
  EXPECT_TRUE(validate(ReplayOptions{1.0, false}).has_value());
  EXPECT_FALSE(validate(ReplayOptions{0.0, false}).has_value());
  EXPECT_FALSE(validate(ReplayOptions{2000.0, false}).has_value());
}

}  // namespace
}  // namespace nmsp::aggregate
