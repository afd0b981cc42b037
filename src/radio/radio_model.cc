#include "radio/radio_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "radio/random.h"
#include "radio/seed_streams.h"
#include "radio/shadowing.h"

namespace nmsp::radio {
namespace {

int rounded(double v) {
  return roundDbm(v);
}

constexpr double kNoCellBound = 1e6;  // dBm: a bound that never drops anything, still an int

double distanceToCell2(double x, double y, int column, int row, double cell) {
  const double dx = std::max({column * cell - x, 0.0, x - (column + 1) * cell});
  const double dy = std::max({row * cell - y, 0.0, y - (row + 1) * cell});
  return dx * dx + dy * dy;
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

struct RadioModel::Search {
  const Emission& e;
  Best best;
};

// One floor's part of a search: its grid visited ring by ring outwards from the emission.
class RadioModel::FloorCursor {
 public:
  FloorCursor(const RadioModel& model, const Search& s, uint32_t floor)
      : model_(model), f_(model.floors_[floor]), grid_(f_.ap_grid) {
    const Emission& e = s.e;
    // The deterministic part of any AP of this floor at 3D distance d is at most
    // best_base - 10 n log10(d); shadowing and fading add at most `margin_`.
    const double below = f_.ap_height_min - e.height_m;
    const double above = e.height_m - f_.ap_height_max;
    dz2_ = std::max({below, above, 0.0});
    dz2_ *= dz2_;
    const double nearest_height =
        below > 0 ? f_.ap_height_min : (above > 0 ? f_.ap_height_max : e.height_m);
    best_base_ = e.tx_dbm + f_.max_cal_db - model.params_.refLossDb(e.band) -
                 model.slabLossDb(e.height_m, nearest_height);
    margin_ = f_.luck_limit_db;
    n5_ = 5.0 * f_.env.path_loss_exponent;
    c0_ = grid_.columnOf(e.x_m);
    r0_ = grid_.rowOf(e.y_m);
    rings_ = f_.aps.empty() ? 0 : std::max(grid_.columns(), grid_.rows());
  }

  bool done() const { return k_ >= rings_; }

  /// The most an AP in the next ring could report (every cell of ring k is at least k - 1
  /// cells away from the emission, clamped to the grid or not).
  double nextBoundDb() const {
    const double h = std::max(0, k_ - 1) * grid_.cellSize();
    return best_base_ + margin_ - n5_ * std::log10(std::max(h * h + dz2_, 1.0));
  }

  void visitNextRing(Search& s) {
    const int k = k_++;
    if (k == 0) {
      visit(s, c0_, r0_);
      return;
    }
    for (int c = c0_ - k; c <= c0_ + k; ++c) {
      visit(s, c, r0_ - k);
      visit(s, c, r0_ + k);
    }
    for (int r = r0_ - k + 1; r <= r0_ + k - 1; ++r) {
      visit(s, c0_ - k, r);
      visit(s, c0_ + k, r);
    }
  }

 private:
  // Squared 3D distance beyond which nothing rounds to the threshold (a hair conservative, so
  // that only APs the exact test would drop are dropped here); kept until the threshold moves.
  double reach2(const Search& s) {
    if (s.best.threshold() != reach_threshold_) {
      reach_threshold_ = s.best.threshold();
      const double excess = best_base_ + margin_ - (reach_threshold_ - 0.5) + 1e-9;
      reach2_ = excess < 0 ? -1.0 : std::pow(10.0, excess / n5_);
    }
    return reach2_;
  }

  void visit(Search& s, int c, int r) {
    if (c < 0 || r < 0 || c >= grid_.columns() || r >= grid_.rows()) {
      return;
    }
    const double d2 = distanceToCell2(s.e.x_m, s.e.y_m, c, r, grid_.cellSize()) + dz2_;
    if (d2 > reach2(s)) {
      return;
    }
    const double cell_base = best_base_ - n5_ * std::log10(std::max(d2, 1.0));
    const auto [begin, end] = grid_.cellRange(c, r);
    for (uint32_t k = begin; k < end; ++k) {
      model_.consider(s, f_.cell_sites[k], reach2(s), cell_base);
    }
  }

  const RadioModel& model_;
  const FloorModel& f_;
  const UniformGrid& grid_;
  double dz2_ = 0, best_base_ = 0, margin_ = 0, n5_ = 0;
  int c0_ = 0, r0_ = 0, rings_ = 0, k_ = 0;
  int reach_threshold_ = std::numeric_limits<int>::min();
  double reach2_ = 0;
};

struct RadioModel::Scratch {
  std::vector<double> slab;  // per floor: slab loss to its APs' height, this emission
  std::vector<FloorCursor> cursors;
};

RadioModel::RadioModel(const venue::Venue& venue, const Site& site, uint64_t seed)
    : params_(site.params),
      shadow_seed_(hashOf(seed, SeedStream::Shadowing)),
      scratch_(std::make_unique<Scratch>()) {
  floors_.resize(venue.floors.size());
  for (uint32_t f = 0; f < venue.floors.size(); ++f) {
    const venue::Floor& vf = venue.floors[f];
    FloorModel& fm = floors_[f];
    fm.elevation_m = vf.elevation_m;
    fm.env = site.floors[f].environment;
    fm.luck_limit_db =
        kGaussianLimit * std::hypot(fm.env.shadowing_sigma_db, fm.env.fading_sigma_db);
    fm.slab_db = site.floors[f].slab_db;
    fm.walls = WallIndex(site.floors[f].walls, vf.width_m, vf.length_m);
    fm.ap_height_min = fm.ap_height_max = vf.elevation_m + venue::kDefaultApHeightM;
    for (size_t a = 0; a < vf.aps.size(); ++a) {
      const venue::Ap& ap = vf.aps[a];
      const auto index = static_cast<uint32_t>(aps_.size());
      const double cal = symmetricFromHash(hashOf(seed, SeedStream::ApCalibration, index),
                                           params_.ap_calibration_db);
      const double height = vf.elevation_m + ap.z_m;
      aps_.push_back(ApSite{ap.x_m, ap.y_m, height, cal, f, index});
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
    for (uint32_t i : fm.ap_grid.items()) {
      fm.cell_sites.push_back(aps_[fm.aps[i]]);
    }
  }
  for (uint32_t f = 0; f < floors_.size(); ++f) {
    floors_[f].one_height = floors_[f].ap_height_min == floors_[f].ap_height_max;
    floors_by_height_.push_back(f);
  }
  scratch_->slab.resize(floors_.size());
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

double RadioModel::distance2(const Emission& e, const ApSite& ap) {
  const double dx = e.x_m - ap.x_m;
  const double dy = e.y_m - ap.y_m;
  const double dz = e.height_m - ap.height_m;
  return dx * dx + dy * dy + dz * dz;
}

double RadioModel::baseDb(const Emission& e, const ApSite& ap, double distance2_m2,
                          double slab_db) const {
  // 10 n log10(d) as 5 n log10(d^2): no square root per AP.
  return e.tx_dbm + ap.cal_db - params_.refLossDb(e.band) -
         5.0 * floors_[ap.floor].env.path_loss_exponent * std::log10(std::max(distance2_m2, 1.0)) -
         slab_db;
}

double RadioModel::shadowDb(const Emission& e, uint32_t ap) const {
  const FloorEnvironment& env = floors_[aps_[ap].floor].env;
  if (env.shadowing_sigma_db == 0) {
    return 0;
  }
  return env.shadowing_sigma_db * shadowingField(hashOf(shadow_seed_, ap, e.floor), e.x_m, e.y_m,
                                                 env.shadowing_correlation_m);
}

double RadioModel::fadingDb(uint64_t emission_ap_hash, const ApSite& ap) const {
  return floors_[ap.floor].env.fading_sigma_db * gaussianFromHash(mix64(emission_ap_hash));
}

double RadioModel::wallDb(const Emission& e, const ApSite& ap, double enough_db) const {
  if (ap.floor != e.floor) {
    return 0;  // other floors: the slabs stand for everything in between
  }
  const double factor = e.band == proto::Band::Band2_4GHz ? 1.0 : params_.wall_factor_5ghz;
  // Stopping early is only safe when the cap does not come first.
  const double stop = enough_db <= params_.max_wall_loss_db
                          ? enough_db / factor
                          : std::numeric_limits<double>::infinity();
  const double loss = floors_[ap.floor].walls.pathLossDb(e.x_m, e.y_m, ap.x_m, ap.y_m, stop);
  return -std::min(loss * factor, params_.max_wall_loss_db);
}

LinkBudget RadioModel::linkBudget(const Emission& e, uint32_t ap) const {
  const ApSite& site = aps_[ap];
  LinkBudget b;
  b.base_db = baseDb(e, site, distance2(e, site), slabLossDb(e.height_m, site.height_m));
  b.shadow_db = shadowDb(e, ap);
  b.fading_db = fadingDb(hashOf(e.key, ap), site);
  b.wall_db = wallDb(e, site, std::numeric_limits<double>::infinity());
  b.luck_limit_db = floors_[site.floor].luck_limit_db;
  return b;
}

RadioModel::Search RadioModel::startSearch(const Emission& e) const {
  Search s{e, Best(static_cast<size_t>(params_.max_aps), params_.sensitivity_dbm)};
  for (uint32_t f = 0; f < floors_.size(); ++f) {
    scratch_->slab[f] = slabLossDb(e.height_m, floors_[f].ap_height_min);
  }
  return s;
}

// The terms are added cheapest first; after each, an AP that could not reach the weakest report
// kept, even with the best luck in the terms still to come, is dropped. `cell_base_db` bounds
// the AP's deterministic part from its grid cell (no logarithm per AP far away); walls only
// take away.
void RadioModel::consider(Search& s, const ApSite& site, double reach2, double cell_base_db) const {
  const Emission& e = s.e;
  const uint32_t ap = site.index;
  if (static_cast<int64_t>(ap) == e.transmitter_ap) {
    return;
  }
  const FloorModel& f = floors_[site.floor];
  const double d2 = distance2(e, site);
  if (d2 > reach2) {
    return;
  }
  const uint64_t h = hashOf(e.key, ap);
  if (unitFromHash(h) >= params_.hear_probability) {
    return;  // the AP was busy or on another channel
  }
  const int threshold = s.best.threshold();
  const double fading = fadingDb(h, site);
  const double best_luck =
      std::min(fading + kGaussianLimit * f.env.shadowing_sigma_db, f.luck_limit_db);
  if (rounded(cell_base_db + best_luck) < threshold) {
    return;
  }
  const double slab =
      f.one_height ? scratch_->slab[site.floor] : slabLossDb(e.height_m, site.height_m);
  const double base = baseDb(e, site, d2, slab);
  if (rounded(base + best_luck) < threshold) {
    return;
  }
  const double luck = std::clamp(fading + shadowDb(e, ap), -f.luck_limit_db, f.luck_limit_db);
  double rssi = base + luck;
  if (rounded(rssi) < threshold) {
    return;
  }
  // Walls beyond this loss (a hair less) would round it below the threshold: no need to count
  // them all.
  rssi += wallDb(e, site, rssi - (threshold - 0.5) + 1e-9);
  s.best.offer(ap, std::clamp(rounded(rssi), -128, 127));
}

RadioModel::~RadioModel() = default;
RadioModel::RadioModel(RadioModel&&) noexcept = default;

size_t RadioModel::receive(const Emission& e, Receptions& out) const {
  Search s = startSearch(e);
  // Best first across floors: always the ring (of any floor) that could hold the strongest
  // report, so that the threshold rises early and far rings are never opened.
  auto& cursors = scratch_->cursors;
  cursors.clear();
  for (uint32_t floor : floors_[e.floor].by_distance) {
    cursors.emplace_back(*this, s, floor);
  }
  while (true) {
    FloorCursor* next = nullptr;
    double best_bound = 0;
    for (FloorCursor& cursor : cursors) {
      if (!cursor.done() && (next == nullptr || cursor.nextBoundDb() > best_bound)) {
        next = &cursor;
        best_bound = cursor.nextBoundDb();
      }
    }
    if (next == nullptr || best_bound < s.best.threshold() - 0.5) {
      break;
    }
    next->visitNextRing(s);
  }
  return s.best.copyTo(out);
}

size_t RadioModel::receiveByScan(const Emission& e, Receptions& out) const {
  Search s = startSearch(e);
  for (const ApSite& site : aps_) {
    consider(s, site, std::numeric_limits<double>::infinity(), kNoCellBound);
  }
  return s.best.copyTo(out);
}

size_t RadioModel::memoryBytes() const {
  size_t bytes = sizeof(*this) + aps_.capacity() * sizeof(ApSite);
  for (const auto& f : floors_) {
    bytes += sizeof(f) + f.aps.capacity() * sizeof(uint32_t) + f.walls.size() * sizeof(Wall) * 2;
  }
  return bytes;
}

}  // namespace nmsp::radio
