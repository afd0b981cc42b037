// The location engine on synthetic geometry (docs/accuracy.md "Tests").
#include "locate/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>

#include "locate/solver.h"
#include "locate/tracker.h"
#include "synthetic.h"

namespace nmsp::locate {
namespace {

using testing::ApPlace;
using testing::deviceMac;
using testing::grid;
using testing::makeVenue;
using testing::readingsAt;

constexpr double kPhone = 1.2;

double distance(const Location& l, double x, double y) {
  return std::hypot(l.x_m - x, l.y_m - y);
}

TEST(LocateEngine, ExactPositionsWithoutNoise) {
  Engine engine(makeVenue(grid(4, 3)));
  uint32_t id = 0;
  for (double x : {3.0, 12.5, 25.0, 37.0, 48.0}) {
    for (double y : {2.0, 15.0, 28.0}) {
      const auto where = engine.update(deviceMac(++id), proto::DeviceKind::Client,
                                       readingsAt(engine.venue(), x, y, kPhone, 1000));
      ASSERT_TRUE(where);
      EXPECT_FALSE(where->presence_only);
      EXPECT_EQ(where->floor, 0u);
      EXPECT_EQ(where->aps_used, 12u);
      // Integer dBm alone moves a device near the edge by up to a metre.
      EXPECT_LT(distance(*where, x, y), 1.0) << x << ", " << y;
    }
  }
}

TEST(LocateEngine, UnknownTransmitPowerIsAFreeParameter) {
  Engine engine(makeVenue(grid(4, 3)));
  for (double b : {-12.0, -5.0, 3.0}) {
    const auto where =
        engine.update(deviceMac(static_cast<uint32_t>(b + 100)), proto::DeviceKind::Client,
                      readingsAt(engine.venue(), 20, 10, kPhone, 1000, b));
    ASSERT_TRUE(where);
    EXPECT_LT(distance(*where, 20, 10), 0.5) << "b " << b;
  }
}

TEST(LocateEngine, SixteenApsWithNoiseGiveASaneAnswer) {
  Engine engine(makeVenue(grid(4, 4)));
  std::mt19937 rng(7);
  std::vector<double> errors;
  for (uint32_t i = 0; i < 200; ++i) {
    std::uniform_real_distribution<double> ux(0, 50), uy(0, 30);
    const double x = ux(rng), y = uy(rng);
    const auto where = engine.update(deviceMac(i), proto::DeviceKind::Client,
                                     readingsAt(engine.venue(), x, y, kPhone, 1000, -5, 4.0, &rng));
    ASSERT_TRUE(where);
    EXPECT_EQ(where->aps_used, 16u);
    errors.push_back(distance(*where, x, y));
  }
  std::sort(errors.begin(), errors.end());
  EXPECT_LT(errors[100], 3.0);
  EXPECT_LT(errors[180], 6.0);
}

TEST(LocateEngine, ThreeApsGiveAPosition) {
  Engine engine(makeVenue({{10, 5}, {40, 5}, {25, 25}}));
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::Client,
                                   readingsAt(engine.venue(), 22, 12, kPhone, 1000));
  ASSERT_TRUE(where);
  EXPECT_FALSE(where->presence_only);
  EXPECT_EQ(where->aps_used, 3u);
  EXPECT_LT(distance(*where, 22, 12), 3.0);
  EXPECT_GT(where->uncertainty_m, 1.0);
}

TEST(LocateEngine, TwoApsGivePresenceOnly) {
  Engine engine(makeVenue({{10, 5}, {40, 25}}));
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::Client,
                                   readingsAt(engine.venue(), 12, 8, kPhone, 1000));
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->presence_only);
  EXPECT_EQ(where->aps_used, 2u);
  // The strongest AP's position, never an invented one between them.
  EXPECT_DOUBLE_EQ(where->x_m, 10);
  EXPECT_DOUBLE_EQ(where->y_m, 5);
  EXPECT_GE(where->uncertainty_m, 10.0);
  EXPECT_GE(where->uncertainty_m, distance(*where, 12, 8));
}

TEST(LocateEngine, OneApGivesPresenceOnly) {
  Engine engine(makeVenue({{10, 5}, {40, 25}, {25, 15}}));
  std::vector<Reading> one{Reading{testing::apMac(0, 2), -60, proto::Band::Band5GHz, 5}};
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::RfidTag, one);
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->presence_only);
  EXPECT_EQ(where->aps_used, 1u);
  EXPECT_DOUBLE_EQ(where->x_m, 25);
}

TEST(LocateEngine, UnknownApsAreIgnored) {
  Engine engine(makeVenue(grid(2, 2)));
  std::vector<Reading> stranger{Reading{deviceMac(99), -50, proto::Band::Band2_4GHz, 5}};
  EXPECT_FALSE(engine.update(deviceMac(1), proto::DeviceKind::Client, stranger));
  EXPECT_EQ(engine.counters().unknown_ap, 1u);
  // Known before: a batch of unknown APs alone gives no new record either.
  ASSERT_TRUE(engine.update(deviceMac(1), proto::DeviceKind::Client,
                            readingsAt(engine.venue(), 10, 10, 1.2, 1000)));
  stranger[0].ts_ms = 1500;
  EXPECT_FALSE(engine.update(deviceMac(1), proto::DeviceKind::Client, stranger));
}

TEST(LocateEngine, CollinearApsStayOnTheFloorWithALargeUncertainty) {
  Engine engine(makeVenue({{5, 15}, {15, 15}, {25, 15}, {35, 15}, {45, 15}}));
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::Client,
                                   readingsAt(engine.venue(), 20, 22, kPhone, 1000));
  ASSERT_TRUE(where);
  EXPECT_TRUE(std::isfinite(where->x_m) && std::isfinite(where->y_m));
  EXPECT_NEAR(where->x_m, 20, 1.5);
  // Mirror images (y 8 or 22) fit the same: either is right up to the symmetry.
  EXPECT_NEAR(std::abs(where->y_m - 15), 7, 1.5);
  EXPECT_GE(where->y_m, 0);
  EXPECT_LE(where->y_m, 30);
}

TEST(LocateEngine, DeviceOutsideTheApHull) {
  Engine engine(makeVenue({{15, 10}, {35, 10}, {15, 20}, {35, 20}}));
  for (auto [x, y] : {std::pair{1.0, 1.0}, std::pair{49.0, 29.0}, std::pair{3.0, 27.0}}) {
    const auto where =
        engine.update(deviceMac(static_cast<uint32_t>(x * 100 + y)), proto::DeviceKind::Client,
                      readingsAt(engine.venue(), x, y, kPhone, 1000));
    ASSERT_TRUE(where);
    EXPECT_LT(distance(*where, x, y), 3.0) << x << ", " << y;
    EXPECT_LE(distance(*where, x, y), where->uncertainty_m) << x << ", " << y;
  }
}

TEST(LocateEngine, ClampsToTheFloorOutline) {
  Engine engine(makeVenue(grid(3, 2)));
  // A device heard as if 10 m outside the building is placed on its edge.
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::Client,
                                   readingsAt(engine.venue(), -10, 15, kPhone, 1000));
  ASSERT_TRUE(where);
  EXPECT_GE(where->x_m, 0);
  EXPECT_LT(where->x_m, 3.0);
}

TEST(LocateEngine, ChoosesTheFloorThroughTheSlabs) {
  Engine engine(makeVenue(grid(4, 3), 3));
  std::mt19937 rng(3);
  for (size_t floor = 0; floor < 3; ++floor) {
    for (uint32_t i = 0; i < 30; ++i) {
      std::uniform_real_distribution<double> ux(0, 50), uy(0, 30);
      const auto where = engine.update(
          deviceMac(static_cast<uint32_t>(floor * 100 + i)), proto::DeviceKind::Client,
          readingsAt(engine.venue(), ux(rng), uy(rng), 4.0 * double(floor) + kPhone, 1000, -5, 4.0,
                     &rng));
      ASSERT_TRUE(where);
      EXPECT_EQ(where->floor, floor);
    }
  }
}

TEST(LocateEngine, DeviceBetweenFloors) {
  Engine engine(makeVenue(grid(4, 3), 3));
  // On the stairs, 2 m above floor 2's level (half-way to floor 3): either floor, right x, y.
  const auto where = engine.update(deviceMac(1), proto::DeviceKind::Client,
                                   readingsAt(engine.venue(), 30, 12, 4.0 + 2.0 + kPhone, 1000));
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->floor == 1 || where->floor == 2) << where->floor;
  EXPECT_LT(distance(*where, 30, 12), 3.0);
}

TEST(LocateEngine, FloorDoesNotFlickerForADeviceNearTheSlab) {
  Engine engine(makeVenue(grid(4, 3), 2));
  std::mt19937 rng(11);
  const auto dev = deviceMac(1);
  size_t changes = 0;
  size_t last = 99;
  for (uint64_t t = 0; t < 60; ++t) {
    const auto where =
        engine.update(dev, proto::DeviceKind::Client,
                      readingsAt(engine.venue(), 25, 15, kPhone, t * 5000, -5, 5.0, &rng));
    ASSERT_TRUE(where);
    if (last != 99 && where->floor != last) {
      ++changes;
    }
    last = where->floor;
  }
  EXPECT_EQ(changes, 0u);
  EXPECT_EQ(last, 0u);
}

TEST(LocateEngine, StillDeviceDoesNotJitter) {
  Engine engine(makeVenue(grid(4, 3)));
  std::mt19937 rng(5);
  const auto dev = deviceMac(1);
  std::vector<Location> out;
  for (uint64_t t = 0; t < 40; ++t) {
    // Fast fading only: a still device keeps its shadowing.
    auto where =
        engine.update(dev, proto::DeviceKind::Client,
                      readingsAt(engine.venue(), 20, 12, kPhone, t * 10000, -5, 3.0, &rng));
    ASSERT_TRUE(where);
    out.push_back(*where);
  }
  double max_step = 0;
  for (size_t i = 10; i < out.size(); ++i) {
    max_step =
        std::max(max_step, std::hypot(out[i].x_m - out[i - 1].x_m, out[i].y_m - out[i - 1].y_m));
    EXPECT_LT(distance(out[i], 20, 12), 2.0);
  }
  EXPECT_LT(max_step, 1.0);
}

TEST(LocateEngine, WalkingDeviceIsFollowedWithoutLag) {
  Engine engine(makeVenue(grid(4, 3)));
  std::mt19937 rng(9);
  const auto dev = deviceMac(1);
  // Still for a minute, then 1.3 m/s along the corridor, a report every 4 s.
  std::vector<double> errors;
  double along = 0;  // mean signed error along the walk: negative is lag
  size_t walking = 0;
  for (uint64_t t = 0; t <= 90; t += 4) {
    const double x = t < 60 ? 5.0 : 5.0 + 1.3 * double(t - 60);
    auto where = engine.update(dev, proto::DeviceKind::Client,
                               readingsAt(engine.venue(), x, 15, kPhone, t * 1000, -5, 3.0, &rng));
    ASSERT_TRUE(where);
    if (t >= 68) {
      errors.push_back(distance(*where, x, 15));
      along += where->x_m - x;
      ++walking;
    }
  }
  std::sort(errors.begin(), errors.end());
  EXPECT_LT(errors[errors.size() / 2], 2.5);
  EXPECT_GT(along / double(walking), -2.0);
}

TEST(LocateEngine, CalibratesThePathLossFromApReports) {
  venue::Venue v = makeVenue(grid(4, 3), 2);
  Engine engine(v);
  // Every AP hears every other with exponent 3.5, -22 dBm at 1 m and 12 dB per slab.
  for (const auto& ft : v.floors) {
    for (const auto& tx : ft.aps) {
      for (const auto& fr : v.floors) {
        for (const auto& rx : fr.aps) {
          if (tx.mac == rx.mac)
            continue;
          const double dz = ft.elevation_m - fr.elevation_m;
          const double d = std::sqrt((tx.x_m - rx.x_m) * (tx.x_m - rx.x_m) +
                                     (tx.y_m - rx.y_m) * (tx.y_m - rx.y_m) + dz * dz);
          const double rssi = -22 - 35 * std::log10(std::max(d, 1.0)) - (dz != 0 ? 12 : 0);
          engine.addApReport(tx.mac, rx.mac, proto::Band::Band2_4GHz,
                             static_cast<int>(std::lround(rssi)));
        }
      }
    }
  }
  engine.recalibrate();
  for (const auto& f : engine.model().floors) {
    EXPECT_TRUE(f.calibrated);
    EXPECT_NEAR(f.measured_exponent, 3.5, 0.1);
    // Located with half the way from 3 to the measured slope (walls steepen AP-to-AP paths).
    EXPECT_DOUBLE_EQ(f.exponent, kDefaultExponent + kExponentShrink * (f.measured_exponent - 3));
    // The intercept follows: the model still gives the reports' level at a typical distance.
    EXPECT_NEAR(f.ref_dbm[0] - 10 * f.exponent * std::log10(20.0), -22 - 35 * std::log10(20.0),
                1.5);
  }
  EXPECT_NEAR(engine.model().slab(0, 1), 12, 2.0);
  EXPECT_NEAR(engine.model().slab(1, 0), 12, 2.0);
}

TEST(LocateEngine, DefaultsWithoutApReports) {
  Engine engine(makeVenue(grid(2, 2), 3));
  EXPECT_FALSE(engine.model().floors[0].calibrated);
  EXPECT_DOUBLE_EQ(engine.model().floors[0].exponent, kDefaultExponent);
  EXPECT_DOUBLE_EQ(engine.model().slab(0, 2), 2 * kDefaultSlabDb);
}

TEST(LocateEngine, StaleDevicesAreEvictedAndStateIsBounded) {
  EngineSettings settings;
  settings.max_devices = 64;
  settings.stale_ms = 60000;
  Engine engine(makeVenue(grid(4, 3)), settings);
  for (uint32_t i = 0; i < 200; ++i) {
    engine.update(deviceMac(i), proto::DeviceKind::Client,
                  readingsAt(engine.venue(), 10, 10, kPhone, uint64_t{i} * 1000));
  }
  EXPECT_LE(engine.deviceCount(), 64u);
  EXPECT_TRUE(engine.current(deviceMac(199)));
  EXPECT_FALSE(engine.current(deviceMac(0)));
  EXPECT_GT(engine.evictStale(200000 + 60000 - 20000), 0u);
  EXPECT_LT(engine.deviceCount(), 64u);
  EXPECT_LE(engine.bytesPerDevice(), 1024u);
}

TEST(LocateEngine, ReadingsOutsideTheWindowAreNotUsed) {
  Engine engine(makeVenue(grid(4, 3)));
  const auto dev = deviceMac(1);
  engine.update(dev, proto::DeviceKind::Client, readingsAt(engine.venue(), 5, 5, kPhone, 1000));
  // 20 s later only two APs hear it: the old readings of the others do not count.
  auto now = readingsAt(engine.venue(), 45, 25, kPhone, 21000);
  std::sort(now.begin(), now.end(),
            [](const Reading& a, const Reading& b) { return a.rssi > b.rssi; });
  now.resize(2);
  const auto where = engine.update(dev, proto::DeviceKind::Client, now);
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->presence_only);
  EXPECT_EQ(where->aps_used, 2u);
}

// The fit of exact levels (no noise, no rounding) from `aps` of a device at (x, y) 1.8 m below
// them with offset b, on a 50 x 30 m floor, without a prior on the offset.
SolveResult solveExact(std::span<const ApPlace> aps, double x, double y, double b) {
  std::vector<SolverLink> links;
  for (const auto& ap : aps) {
    const double d2 = (x - ap.x) * (x - ap.x) + (y - ap.y) * (y - ap.y) + 3.24;
    links.push_back(SolverLink{ap.x, ap.y, 3.24, 3.0, b - 15.0 * std::log10(d2)});
  }
  SolveInput in;
  in.links = links;
  in.width_m = 50;
  in.length_m = 30;
  in.b_sigma = 1000;
  return solveOnFloor(in);
}

TEST(LocateSolver, ExactWithoutRounding) {
  const auto r = solveExact(grid(4, 3), 25, 2, 4);
  EXPECT_NEAR(r.x, 25, 0.05);
  EXPECT_NEAR(r.y, 2, 0.05);
  EXPECT_NEAR(r.b, 4, 0.1);
}

// The fit keeps its links in pairs on the stack up to 32 and on the heap beyond: odd and even
// counts on both sides of that limit give the exact answer.
TEST(LocateSolver, ExactForOddEvenAndManyLinks) {
  for (const size_t count : {3, 4, 21, 31, 32, 33, 40}) {
    const auto aps = grid(count <= 4 ? 2 : 8, count <= 4 ? 2 : 5);
    const auto r = solveExact(std::span(aps).first(count), 31, 12, -2);
    SCOPED_TRACE(count);
    EXPECT_NEAR(r.x, 31, 0.05);
    EXPECT_NEAR(r.y, 12, 0.05);
    EXPECT_NEAR(r.b, -2, 0.1);
    EXPECT_GT(r.cxx, 0);
    EXPECT_GT(r.cyy, 0);
  }
}

TEST(LocateSolver, NoLinksGiveNoCrash) {
  SolveInput in;
  in.width_m = 10;
  in.length_m = 10;
  const auto r = solveOnFloor(in);
  EXPECT_EQ(r.iterations, 0);
}

TEST(LocateTracker, TimeGoingBackwardsCountsAsNoTime) {
  Track t;
  updateTrack(t, Fix{10, 10, 4, 0, 4, 5000});
  updateTrack(t, Fix{10.5, 10, 4, 0, 4, 1000});
  EXPECT_TRUE(t.valid);
  EXPECT_EQ(t.ts_ms, 5000u);
  EXPECT_NEAR(t.x, 10.25, 0.1);
}

}  // namespace
}  // namespace nmsp::locate
