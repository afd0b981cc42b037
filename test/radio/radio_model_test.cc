// The radio model: the log-distance formula exactly when the noise is off, walls, slabs, the
// sensitivity floor and the 16-AP cap; the spatial search against a scan of every AP; the
// statistics of shadowing (stable, spatially correlated) and fading.
#include "radio/radio_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "radio/office_venue.h"
#include "radio/random.h"
#include "radio/wall_index.h"

namespace nmsp::radio {
namespace {

venue::Ap ap(uint8_t floor, uint8_t index, double x, double y, double z = 3.0) {
  venue::Ap a;
  a.mac = MacAddress{{0x00, 0x2b, 0x01, floor, 0x00, index}};
  a.name = "ap";
  a.x_m = x;
  a.y_m = y;
  a.z_m = z;
  return a;
}

venue::Floor floorAt(const std::string& id, double elevation, std::vector<venue::Ap> aps) {
  venue::Floor f;
  f.id = id;
  f.name = id;
  f.elevation_m = elevation;
  f.width_m = 100;
  f.length_m = 100;
  f.aps = std::move(aps);
  return f;
}

// No shadowing, fading, calibration errors or misses: only the deterministic terms.
Site quietSite(size_t floors, double exponent = 3.0) {
  Site site;
  site.params.environment = FloorEnvironment{exponent, 0, 6, 0};
  site.params.ap_calibration_db = 0;
  site.params.hear_probability = 1.0;
  site.floors.resize(floors);
  for (auto& f : site.floors) {
    f.environment = site.params.environment;
    f.slab_db = site.params.slab_db;
  }
  return site;
}

Emission at(double x, double y, double height, uint32_t floor = 0,
            proto::Band band = proto::Band::Band2_4GHz) {
  Emission e;
  e.x_m = x;
  e.y_m = y;
  e.height_m = height;
  e.floor = floor;
  e.band = band;
  e.tx_dbm = 15;
  return e;
}

int expected(double tx, double ref, double n, double d) {
  return roundDbm(tx - ref - 10 * n * std::log10(std::max(d, 1.0)));
}

TEST(RadioModel, LogDistancePathLossWithoutNoise) {
  venue::Venue v;
  v.floors.push_back(floorAt("1", 0, {ap(0, 0, 50, 50)}));
  const RadioModel model(v, quietSite(1, 3.0), 1);
  RadioModel::Receptions r;
  for (double d : {0.5, 1.0, 2.0, 7.5, 10.0, 30.0, 45.0}) {
    ASSERT_EQ(model.receive(at(50 + d, 50, 3.0), r), 1u) << d;
    EXPECT_EQ(r[0].rssi_dbm, expected(15, 40, 3.0, d)) << d;
    ASSERT_EQ(model.receive(at(50, 50 + d, 3.0, 0, proto::Band::Band5GHz), r), 1u);
    EXPECT_EQ(r[0].rssi_dbm, expected(15, 46.5, 3.0, d)) << d;
  }
  // 3D distance: 4 m above and 3 m aside is 5 m.
  ASSERT_EQ(model.receive(at(53, 50, 7.0), r), 1u);
  EXPECT_EQ(r[0].rssi_dbm, expected(15, 40, 3.0, 5.0));
  // The sensitivity floor: what rounds to -92 dBm is reported, -93 is not.
  const double edge = std::pow(10.0, (15 - 40 + 92.5) / 30.0);
  EXPECT_EQ(model.receive(at(50 + edge * 0.99, 50, 3.0), r), 1u);
  EXPECT_EQ(r[0].rssi_dbm, -92);
  EXPECT_EQ(model.receive(at(50 + edge * 1.01, 50, 3.0), r), 0u);
}

TEST(RadioModel, WallsSlabsAndTheirLimits) {
  venue::Venue v;
  v.floors.push_back(floorAt("0", 0, {ap(0, 0, 20, 50)}));
  v.floors.push_back(floorAt("1", 4, {ap(1, 0, 20, 50)}));
  v.floors.push_back(floorAt("2", 8, {ap(2, 0, 20, 50)}));
  Site site = quietSite(3);
  site.floors[1].slab_db = 14;
  site.floors[2].slab_db = 16;
  for (int i = 0; i < 10; ++i) {  // ten 4 dB walls between x = 22 and x = 31
    site.floors[0].walls.push_back(Wall{22.0 + i, 0, 22.0 + i, 100, 4});
  }
  const RadioModel model(v, site, 1);
  const Emission base = at(20, 40, 1.2);  // under the APs' column, 10 m away
  auto budget = [&](const Emission& e, uint32_t ap) { return model.linkBudget(e, ap); };
  EXPECT_EQ(budget(base, 0).wall_db, 0);
  Emission across = at(22.5, 40, 1.2);  // one wall between it and AP 0
  EXPECT_DOUBLE_EQ(budget(across, 0).wall_db, -4);
  across.band = proto::Band::Band5GHz;
  EXPECT_DOUBLE_EQ(budget(across, 0).wall_db, -4 * 1.3);
  Emission far = at(35, 50, 1.2);  // all ten walls: capped at 25 dB
  EXPECT_DOUBLE_EQ(budget(far, 0).wall_db, -25);
  // Walls count only on their own floor; slabs add up between the heights.
  const Emission above = at(35, 50, 4 + 1.2, 1);
  EXPECT_DOUBLE_EQ(budget(above, 0).wall_db, 0);
  EXPECT_DOUBLE_EQ(model.slabLossDb(1.2, 8 + 3), 30);
  EXPECT_DOUBLE_EQ(model.slabLossDb(4 + 3, 1.2), 14);
  EXPECT_DOUBLE_EQ(model.slabLossDb(1.2, 3), 0);
  const double d = std::hypot(10.0, 8 + 3 - 1.2);
  EXPECT_NEAR(budget(base, 2).base_db, 15 - 40 - 30 * std::log10(d) - 30, 1e-9);
}

TEST(RadioModel, StrongestSixteenAboveSensitivity) {
  venue::Venue v;
  std::vector<venue::Ap> aps;
  for (uint8_t i = 0; i < 40; ++i) {
    aps.push_back(ap(0, i, 10 + (i % 8) * 10, 10 + (i / 8) * 20));
  }
  v.floors.push_back(floorAt("1", 0, aps));
  Site site = quietSite(1);
  site.params.environment.shadowing_sigma_db = 4;
  site.floors[0].environment = site.params.environment;
  const RadioModel model(v, site, 7);
  RadioModel::Receptions r;
  const size_t n = model.receive(at(45, 50, 1.2), r);
  ASSERT_EQ(n, 16u);
  for (size_t i = 0; i < n; ++i) {
    EXPECT_GE(r[i].rssi_dbm, -92);
    if (i > 0) {
      EXPECT_TRUE(r[i - 1].rssi_dbm > r[i].rssi_dbm ||
                  (r[i - 1].rssi_dbm == r[i].rssi_dbm && r[i - 1].ap < r[i].ap));
    }
  }
  // Every AP left out is weaker than the 16th (or as strong with a higher index).
  for (uint32_t a = 0; a < 40; ++a) {
    bool kept = false;
    for (size_t i = 0; i < n; ++i) {
      kept |= r[i].ap == a;
    }
    if (!kept) {
      const int rssi = roundDbm(model.linkBudget(at(45, 50, 1.2), a).total());
      EXPECT_TRUE(rssi < r[15].rssi_dbm || (rssi == r[15].rssi_dbm && a > r[15].ap)) << a;
    }
  }
  site.params.max_aps = 4;
  const RadioModel four(v, site, 7);
  EXPECT_EQ(four.receive(at(45, 50, 1.2), r), 4u);
}

TEST(RadioModel, SpatialSearchEqualsScanningEveryAp) {
  OfficeSpec spec;
  spec.floors = 3;
  spec.width_m = 150;
  spec.length_m = 90;
  spec.ap_columns = 10;
  spec.ap_rows = 6;
  spec.radio = {{"shadowing_sigma_db", 6.0}, {"hear_probability", 0.8}};
  const venue::Venue v = makeOfficeVenue(spec);
  Site site;
  site.params.environment.shadowing_sigma_db = 6;
  site.params.hear_probability = 0.8;
  site.floors.resize(3);
  for (uint32_t f = 0; f < 3; ++f) {
    site.floors[f].environment = site.params.environment;
    site.floors[f].slab_db = 14;
    for (const auto& w : v.floors[f].extra.at("walls")) {
      site.floors[f].walls.push_back(
          Wall{w.at("x1_m"), w.at("y1_m"), w.at("x2_m"), w.at("y2_m"), w.at("attenuation_db")});
    }
  }
  ASSERT_GE(site.floors[0].walls.size(), 48u);  // the wall grid is in use
  const RadioModel model(v, site, 42);
  Rng rng(5);
  RadioModel::Receptions a;
  RadioModel::Receptions b;
  for (int i = 0; i < 3000; ++i) {
    Emission e;
    e.floor = rng.below(3);
    e.x_m = rng.uniform(-2, 152);  // a little outside the outline too
    e.y_m = rng.uniform(-2, 92);
    e.height_m = e.floor * 4.0 + rng.uniform(0, 4);
    e.band = rng.chance(0.5) ? proto::Band::Band5GHz : proto::Band::Band2_4GHz;
    e.tx_dbm = rng.uniform(0, 20);
    e.key = rng.next();
    if (i % 10 == 0) {
      model.placeAtAp(rng.below(static_cast<uint32_t>(model.apCount())), e);
    }
    const size_t n = model.receive(e, a);
    ASSERT_EQ(n, model.receiveByScan(e, b)) << i;
    for (size_t k = 0; k < n; ++k) {
      ASSERT_EQ(a[k].ap, b[k].ap) << i;
      ASSERT_EQ(a[k].rssi_dbm, b[k].rssi_dbm) << i;
      ASSERT_NE(static_cast<int64_t>(a[k].ap), e.transmitter_ap);
    }
  }
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(a.size());
  mb /= static_cast<double>(b.size());
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  return cov / std::sqrt(va * vb);
}

TEST(RadioModel, ShadowingIsStableAndSpatiallyCorrelated) {
  venue::Venue v;
  std::vector<venue::Ap> aps;
  for (uint8_t i = 0; i < 50; ++i) {
    aps.push_back(ap(0, i, 2.0 * i, 50));
  }
  v.floors.push_back(floorAt("1", 0, aps));
  Site site = quietSite(1);
  site.params.environment = FloorEnvironment{3.0, 4.0, 6.0, 3.0};
  site.floors[0].environment = site.params.environment;
  const RadioModel model(v, site, 3);

  // Standing still: the same offset per AP at every emission; fading changes.
  Emission e = at(30, 20, 1.2);
  e.key = 1;
  const LinkBudget first = model.linkBudget(e, 7);
  e.key = 2;
  EXPECT_EQ(model.linkBudget(e, 7).shadow_db, first.shadow_db);
  EXPECT_NE(model.linkBudget(e, 7).fading_db, first.fading_db);

  Rng rng(11);
  auto sample = [&](double distance) {
    std::vector<double> a, b;
    for (int i = 0; i < 20000; ++i) {
      const uint32_t apIndex = rng.below(50);
      const double x = rng.uniform(10, 90), y = rng.uniform(10, 90);
      const double angle = rng.uniform(0, 2 * M_PI);
      a.push_back(model.linkBudget(at(x, y, 1.2), apIndex).shadow_db);
      b.push_back(
          model
              .linkBudget(at(x + distance * std::cos(angle), y + distance * std::sin(angle), 1.2),
                          apIndex)
              .shadow_db);
    }
    return std::pair{a, b};
  };
  auto [a0, b0] = sample(0.5);
  double var = 0;
  for (double s : a0) {
    var += s * s;
  }
  EXPECT_NEAR(std::sqrt(var / static_cast<double>(a0.size())), 4.0, 0.3);
  EXPECT_GT(correlation(a0, b0), 0.9);
  auto [a1, b1] = sample(6.0);  // the correlation distance: about 1/e
  EXPECT_GT(correlation(a1, b1), 0.25);
  EXPECT_LT(correlation(a1, b1), 0.5);
  auto [a2, b2] = sample(18.0);
  EXPECT_LT(std::abs(correlation(a2, b2)), 0.05);
}

TEST(RadioModel, FadingAndCalibrationSpreads) {
  venue::Venue v;
  std::vector<venue::Ap> aps;
  for (uint8_t i = 0; i < 200; ++i) {
    aps.push_back(ap(0, i, i % 100, i / 100 * 50.0));
  }
  v.floors.push_back(floorAt("1", 0, aps));
  Site site = quietSite(1);
  site.params.environment.fading_sigma_db = 3;
  site.params.ap_calibration_db = 2;
  site.floors[0].environment = site.params.environment;
  const RadioModel model(v, site, 9);
  double sum = 0, sum2 = 0, peak = 0;
  constexpr int kSamples = 50000;
  for (int i = 0; i < kSamples; ++i) {
    Emission e = at(10, 10, 1.2);
    e.key = static_cast<uint64_t>(i);
    const double f = model.linkBudget(e, static_cast<uint32_t>(i % 200)).fading_db;
    sum += f;
    sum2 += f * f;
    peak = std::max(peak, std::abs(f));
  }
  EXPECT_NEAR(sum / kSamples, 0, 0.05);
  EXPECT_NEAR(std::sqrt(sum2 / kSamples), 3.0, 0.1);
  EXPECT_LE(peak, 3 * kGaussianLimit + 1e-9);
  double lo = 0, hi = 0;
  for (uint32_t a = 0; a < 200; ++a) {
    lo = std::min(lo, model.apCalibrationDb(a));
    hi = std::max(hi, model.apCalibrationDb(a));
  }
  EXPECT_GE(lo, -2.0);
  EXPECT_LT(lo, -1.8);
  EXPECT_LE(hi, 2.0);
  EXPECT_GT(hi, 1.8);
}

TEST(WallIndex, CrossingRulesAndGridAgreesWithScan) {
  EXPECT_TRUE(segmentsCross(0, 0, 10, 0, 5, -1, 5, 1));
  EXPECT_FALSE(segmentsCross(0, 0, 10, 0, 5, 0, 5, 1));  // touches the wall's end
  EXPECT_FALSE(segmentsCross(0, 0, 10, 0, 2, 0, 8, 0));  // runs along it
  EXPECT_FALSE(segmentsCross(0, 0, 4, 0, 5, -1, 5, 1));  // stops short
  Rng rng(3);
  std::vector<Wall> walls;
  for (int i = 0; i < 400; ++i) {
    const double x = rng.uniform(0, 200), y = rng.uniform(0, 120);
    const bool vertical = rng.chance(0.5);
    const double len = rng.uniform(1, 30);
    walls.push_back(Wall{x, y, vertical ? x : x + len, vertical ? y + len : y, rng.uniform(1, 10)});
  }
  walls.push_back(Wall{16, 0, 16, 120, 3});  // on a grid line (8 m cells)
  const WallIndex index(walls, 200, 120);
  for (int i = 0; i < 5000; ++i) {
    const double x0 = rng.uniform(0, 200), y0 = rng.uniform(0, 120);
    const double x1 = rng.uniform(0, 200), y1 = rng.uniform(0, 120);
    double scan = 0;
    for (const Wall& w : walls) {
      if (segmentsCross(x0, y0, x1, y1, w.x1_m, w.y1_m, w.x2_m, w.y2_m)) {
        scan += w.attenuation_db;
      }
    }
    ASSERT_NEAR(index.pathLossDb(x0, y0, x1, y1), scan, 1e-9) << i;
  }
}

}  // namespace
}  // namespace nmsp::radio
