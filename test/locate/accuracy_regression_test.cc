// Accuracy regression: the engine on small simulated sets of the two accuracy venues (the
// simulator in process, the live path's online calibration), with thresholds below the goals
// of docs/accuracy.md (the small sets are noisier than the full ones).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "locate/engine.h"
#include "radio/simulator.h"
#include "venue/venue_file.h"

namespace nmsp::locate {
namespace {

struct Score {
  std::vector<double> errors;
  size_t right_floor = 0;
  size_t covered = 0;
  size_t records = 0;
  size_t presence_only = 0;

  double percentile(double q) const {
    auto v = errors;
    std::sort(v.begin(), v.end());
    return v.empty() ? NAN : v[static_cast<size_t>(q * double(v.size() - 1))];
  }
  double pct(size_t n) const { return 100.0 * double(n) / double(std::max<size_t>(records, 1)); }
};

class ScoringSink : public radio::SimulatorSink {
 public:
  explicit ScoringSink(Engine& engine) : engine_(engine) {}
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth& truth) override {
    readings_.clear();
    for (const auto& ap : m.aps) {
      readings_.push_back(Reading{ap.ap_mac, ap.rssi_dbm, ap.band, ap.timestamp_utc_ms});
    }
    const auto where = engine_.update(m.mac, m.kind, readings_);
    if (!where || m.kind == proto::DeviceKind::Ap) {
      return;
    }
    if (where->presence_only) {
      ++score.presence_only;
      return;
    }
    ++score.records;
    const double e = std::hypot(where->x_m - truth.x_m, where->y_m - truth.y_m);
    score.errors.push_back(e);
    const bool floor_ok = where->floor == truth.floor;
    score.right_floor += floor_ok ? 1 : 0;
    score.covered += (floor_ok && e <= where->uncertainty_m) ? 1 : 0;
  }
  Score score;

 private:
  Engine& engine_;
  std::vector<Reading> readings_;
};

Score run(const char* venue_file, uint64_t seed, uint32_t clients, uint32_t tags,
          uint64_t duration_s) {
  auto venue = venue::loadVenueFile(std::string(NMSP_SOURCE_DIR) + "/" + venue_file);
  EXPECT_TRUE(venue) << (venue ? "" : venue.error());
  if (!venue) {
    return {};
  }
  radio::SimulatorConfig config;
  config.seed = seed;
  config.population.clients = clients;
  config.population.tags = tags;
  auto sim = radio::Simulator::create(*venue, config);
  EXPECT_TRUE(sim);
  Engine engine(*venue);
  ScoringSink sink(engine);
  (*sim)->advanceTo(duration_s * 1000, sink);
  const Score& s = sink.score;
  std::printf(
      "%s: %zu records, median %.2f m, p90 %.2f m, right floor %.1f %%, coverage %.1f %%, "
      "%zu presence-only\n",
      venue_file, s.records, s.percentile(0.5), s.percentile(0.9), s.pct(s.right_floor),
      s.pct(s.covered), s.presence_only);
  return sink.score;
}

TEST(LocateAccuracy, OneFloorSet) {
  const Score s = run("data/venues/accuracy-a.json", 71, 30, 6, 900);
  ASSERT_GT(s.records, 1000u);
  EXPECT_LE(s.percentile(0.5), 3.2);
  EXPECT_LE(s.percentile(0.9), 6.5);
  EXPECT_GT(s.pct(s.covered), 65.0);
  EXPECT_LT(s.pct(s.covered), 95.0);
  EXPECT_EQ(s.presence_only, 0u);
}

TEST(LocateAccuracy, ThreeFloorSet) {
  const Score s = run("data/venues/accuracy-b.json", 72, 40, 6, 900);
  ASSERT_GT(s.records, 1000u);
  EXPECT_GE(s.pct(s.right_floor), 96.0);
  EXPECT_LE(s.percentile(0.5), 3.8);
  EXPECT_LE(s.percentile(0.9), 8.0);
  EXPECT_GT(s.pct(s.covered), 65.0);
  EXPECT_LT(s.pct(s.covered), 95.0);
}

}  // namespace
}  // namespace nmsp::locate
