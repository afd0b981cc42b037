#include "radio/radio_model.h"

#include <algorithm>
#include <cmath>

#include "radio/random.h"
#include "radio/seed_streams.h"
#include "radio/shadowing.h"

namespace nmsp::radio {
namespace {

int rounded(double v) {
  return static_cast<int>(std::lround(v));
}

double distanceToCell(double x, double y, int column, int row, double cell) {
  const double dx = std::max({column * cell - x, 0.0, x - (column + 1) * cell});
  const double dy = std::max({row * cell - y, 0.0, y - (row + 1) * cell});
  return std::hypot(dx, dy);
}

}  // namespace

// The strongest receptions so far, strongest first; ties go to the lower AP index, so the
// result does not depend on the order in which APs are offered.
class RadioModel::Best {
 public:
  Best(size_t capacity, int sensitivity) : capacity_(capacity), sensitivity_(sensitivity) {}

  /// Reports rounding below this cannot enter.
  int threshold() const { return count_ == capacity_ ? items_[count_ - 1].rssi_dbm : sensitivity_; }

  void offer(uint32_t ap, int rssi) {
    if (rssi < sensitivity_) {
      return;
    }
    if (count_ == capacity_) {
      if (!before(ap, rssi, items_[count_ - 1])) {
        return;
      }
      --count_;
    }
    size_t i = count_++;
    for (; i > 0 && before(ap, rssi, items_[i - 1]); --i) {
      items_[i] = items_[i - 1];
    }
    items_[i] = Reception{ap, rssi};
  }

  size_t copyTo(Receptions& out) const {
    std::copy_n(items_.begin(), count_, out.begin());
    return count_;
  }

 private:
  static bool before(uint32_t ap, int rssi, const Reception& other) {
    return rssi > other.rssi_dbm || (rssi == other.rssi_dbm && ap < other.ap);
  }

  Receptions items_{};
  size_t count_ = 0;
  size_t capacity_;
  int sensitivity_;
};

RadioModel::RadioModel(const venue::Venue& venue, const Site& site, uint64_t seed)
    : params_(site.params), shadow_seed_(hashOf(seed, SeedStream::Shadowing)) {
  floors_.resize(venue.floors.size());
  for (uint32_t f = 0; f < venue.floors.size(); ++f) {
    const venue::Floor& vf = venue.floors[f];
    FloorModel& fm = floors_[f];
    fm.elevation_m = vf.elevation_m;
    fm.env = site.floors[f].environment;
    fm.slab_db = site.floors[f].slab_db;
    fm.walls = WallIndex(site.floors[f].walls, vf.width_m, vf.length_m);
    fm.ap_height_min = fm.ap_height_max = vf.elevation_m + venue::kDefaultApHeightM;
    for (size_t a = 0; a < vf.aps.size(); ++a) {
      const venue::Ap& ap = vf.aps[a];
      const auto index = static_cast<uint32_t>(aps_.size());
      const double cal = symmetricFromHash(hashOf(seed, SeedStream::ApCalibration, index),
                                           params_.ap_calibration_db);
      const double height = vf.elevation_m + ap.z_m;
      aps_.push_back(ApSite{ap.x_m, ap.y_m, height, cal, f});
      fm.ap_height_min = a == 0 ? height : std::min(fm.ap_height_min, height);
      fm.ap_height_max = a == 0 ? height : std::max(fm.ap_height_max, height);
      fm.max_cal_db = std::max(fm.max_cal_db, cal);
      fm.aps.push_back(index);
    }
    // About two APs per cell: a ring of cells is then a few APs.
    const double area = vf.width_m * vf.length_m;
    const double cell = std::clamp(
        2.0 * std::sqrt(area / static_cast<double>(std::max<size_t>(vf.aps.size(), 1))), 4.0, 64.0);
    fm.ap_grid = UniformGrid(vf.width_m, vf.length_m, cell);
    fm.ap_grid.build(static_cast<uint32_t>(fm.aps.size()), [&](uint32_t i, auto&& add) {
      const ApSite& ap = aps_[fm.aps[i]];
      add(fm.ap_grid.columnOf(ap.x_m), fm.ap_grid.rowOf(ap.y_m));
    });
  }
  for (uint32_t f = 0; f < floors_.size(); ++f) {
    floors_by_height_.push_back(f);
  }
  std::stable_sort(floors_by_height_.begin(), floors_by_height_.end(), [&](uint32_t a, uint32_t b) {
    return floors_[a].elevation_m < floors_[b].elevation_m;
  });
  for (uint32_t f = 0; f < floors_.size(); ++f) {
    auto& order = floors_[f].by_distance;
    order = floors_by_height_;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return std::abs(floors_[a].elevation_m - floors_[f].elevation_m) <
             std::abs(floors_[b].elevation_m - floors_[f].elevation_m);
    });
  }
}

double RadioModel::slabLossDb(double height_a, double height_b) const {
  const double lo = std::min(height_a, height_b);
  const double hi = std::max(height_a, height_b);
  double loss = 0;
  for (uint32_t f : floors_by_height_) {
    const double e = floors_[f].elevation_m;
    if (e > lo && e < hi) {
      loss += floors_[f].slab_db;
    }
  }
  return loss;
}

void RadioModel::placeAtAp(uint32_t ap, Emission& emission) const {
  const ApSite& site = aps_[ap];
  emission.x_m = site.x_m;
  emission.y_m = site.y_m;
  emission.height_m = site.height_m;
  emission.floor = site.floor;
  emission.transmitter_ap = ap;
}

double RadioModel::distanceM(const Emission& e, const ApSite& ap) const {
  const double dx = e.x_m - ap.x_m;
  const double dy = e.y_m - ap.y_m;
  const double dz = e.height_m - ap.height_m;
  return std::max(1.0, std::sqrt(dx * dx + dy * dy + dz * dz));
}

double RadioModel::baseDb(const Emission& e, const ApSite& ap, double distance_m) const {
  const FloorModel& f = floors_[ap.floor];
  return e.tx_dbm + ap.cal_db - params_.refLossDb(e.band) -
         10.0 * f.env.path_loss_exponent * std::log10(distance_m) -
         slabLossDb(e.height_m, ap.height_m);
}

double RadioModel::shadowDb(const Emission& e, uint32_t ap) const {
  const FloorEnvironment& env = floors_[aps_[ap].floor].env;
  if (env.shadowing_sigma_db == 0) {
    return 0;
  }
  return env.shadowing_sigma_db * shadowingField(hashOf(shadow_seed_, ap, e.floor), e.x_m, e.y_m,
                                                 env.shadowing_correlation_m);
}

double RadioModel::wallDb(const Emission& e, const ApSite& ap) const {
  if (ap.floor != e.floor) {
    return 0;  // other floors: the slabs stand for everything in between
  }
  double loss = floors_[ap.floor].walls.pathLossDb(e.x_m, e.y_m, ap.x_m, ap.y_m);
  if (e.band != proto::Band::Band2_4GHz) {
    loss *= params_.wall_factor_5ghz;
  }
  return -std::min(loss, params_.max_wall_loss_db);
}

LinkBudget RadioModel::linkBudget(const Emission& e, uint32_t ap) const {
  const ApSite& site = aps_[ap];
  LinkBudget b;
  b.base_db = baseDb(e, site, distanceM(e, site));
  b.shadow_db = shadowDb(e, ap);
  b.fading_db =
      floors_[site.floor].env.fading_sigma_db * gaussianFromHash(mix64(hashOf(e.key, ap)));
  b.wall_db = wallDb(e, site);
  return b;
}

void RadioModel::consider(const Emission& e, uint32_t ap, Best& best) const {
  if (static_cast<int64_t>(ap) == e.transmitter_ap) {
    return;
  }
  const ApSite& site = aps_[ap];
  const FloorEnvironment& env = floors_[site.floor].env;
  const double base = baseDb(e, site, distanceM(e, site));
  const int threshold = best.threshold();
  const double margin = kGaussianLimit * (env.shadowing_sigma_db + env.fading_sigma_db);
  if (rounded(base + margin) < threshold) {
    return;  // not even the luckiest shadowing and fading would do
  }
  const uint64_t h = hashOf(e.key, ap);
  if (unitFromHash(h) >= params_.hear_probability) {
    return;  // the AP was busy or on another channel
  }
  double rssi = base + shadowDb(e, ap) + env.fading_sigma_db * gaussianFromHash(mix64(h));
  if (rounded(rssi) < threshold) {
    return;  // walls only take away
  }
  rssi += wallDb(e, site);
  best.offer(ap, std::clamp(rounded(rssi), -128, 127));
}

double RadioModel::floorBoundDb(const Emission& e, const FloorModel& f, double r_m) const {
  const double below = f.ap_height_min - e.height_m;
  const double above = e.height_m - f.ap_height_max;
  const double dz = std::max({below, above, 0.0});
  const double nearest_height = below > 0   ? f.ap_height_min
                                : above > 0 ? f.ap_height_max
                                            : e.height_m;
  const double distance = std::max(1.0, std::hypot(r_m, dz));
  return e.tx_dbm + f.max_cal_db - params_.refLossDb(e.band) -
         10.0 * f.env.path_loss_exponent * std::log10(distance) -
         slabLossDb(e.height_m, nearest_height) +
         kGaussianLimit * (f.env.shadowing_sigma_db + f.env.fading_sigma_db);
}

void RadioModel::searchFloor(const Emission& e, uint32_t floor, Best& best) const {
  const FloorModel& f = floors_[floor];
  if (f.aps.empty() || rounded(floorBoundDb(e, f, 0)) < best.threshold()) {
    return;
  }
  const UniformGrid& grid = f.ap_grid;
  const int c0 = grid.columnOf(e.x_m);
  const int r0 = grid.rowOf(e.y_m);
  const double cell = grid.cellSize();
  auto visit = [&](int c, int r) {
    if (c < 0 || r < 0 || c >= grid.columns() || r >= grid.rows()) {
      return;
    }
    if (rounded(floorBoundDb(e, f, distanceToCell(e.x_m, e.y_m, c, r, cell))) < best.threshold()) {
      return;
    }
    for (uint32_t i : grid.cell(c, r)) {
      consider(e, f.aps[i], best);
    }
  };
  const int rings = std::max(grid.columns(), grid.rows());
  for (int k = 0; k < rings; ++k) {
    // Every cell of ring k is at least k - 1 cells away from the emission (clamped or not).
    if (k >= 2 && rounded(floorBoundDb(e, f, (k - 1) * cell)) < best.threshold()) {
      return;
    }
    if (k == 0) {
      visit(c0, r0);
      continue;
    }
    for (int c = c0 - k; c <= c0 + k; ++c) {
      visit(c, r0 - k);
      visit(c, r0 + k);
    }
    for (int r = r0 - k + 1; r <= r0 + k - 1; ++r) {
      visit(c0 - k, r);
      visit(c0 + k, r);
    }
  }
}

size_t RadioModel::receive(const Emission& e, Receptions& out) const {
  Best best(static_cast<size_t>(params_.max_aps), params_.sensitivity_dbm);
  for (uint32_t floor : floors_[e.floor].by_distance) {
    searchFloor(e, floor, best);
  }
  return best.copyTo(out);
}

size_t RadioModel::receiveByScan(const Emission& e, Receptions& out) const {
  Best best(static_cast<size_t>(params_.max_aps), params_.sensitivity_dbm);
  for (uint32_t ap = 0; ap < aps_.size(); ++ap) {
    consider(e, ap, best);
  }
  return best.copyTo(out);
}

size_t RadioModel::memoryBytes() const {
  size_t bytes = sizeof(*this) + aps_.capacity() * sizeof(ApSite);
  for (const auto& f : floors_) {
    bytes += sizeof(f) + f.aps.capacity() * sizeof(uint32_t) + f.walls.size() * sizeof(Wall) * 2;
  }
  return bytes;
}

}  // namespace nmsp::radio
