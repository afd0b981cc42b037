#include "locate/path_loss.h"

#include <algorithm>
#include <cmath>

#include "locate/small_linear.h"

namespace nmsp::locate {
namespace {

// Bounds the calibrator's memory: AP pairs beyond this are not added (a venue of 6,000 APs with
// 16 neighbours per radio stays below it).
constexpr size_t kMaxPairs = size_t{1} << 20;
constexpr size_t kMinPairsPerFloor = 6;
constexpr double kMinLogSpread = 0.15;  // log10 distance range a fit needs (a factor of 1.4)

struct Sample {
  double log_d = 0;
  size_t band = 0;
  double rssi = 0;
  double weight = 1;
};

double median(std::vector<double> values) {
  if (values.empty()) {
    return 0;
  }
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  double m = values[mid];
  if (values.size() % 2 == 0) {
    m = (m + *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid))) /
        2;
  }
  return m;
}

// Huber IRLS of rssi = ref[band] - 10 n log_d. Unknowns: n, then one ref per band present.
bool fitFloor(const std::vector<Sample>& samples, FloorModel& model) {
  if (samples.size() < kMinPairsPerFloor) {
    return false;
  }
  double lo = samples[0].log_d, hi = samples[0].log_d;
  std::array<int, 3> column{-1, -1, -1};
  size_t n_params = 1;
  for (const auto& s : samples) {
    lo = std::min(lo, s.log_d);
    hi = std::max(hi, s.log_d);
    if (column[s.band] < 0) {
      column[s.band] = static_cast<int>(n_params++);
    }
  }
  if (hi - lo < kMinLogSpread) {
    return false;
  }
  std::vector<double> weights(samples.size(), 1.0);
  std::array<double, 4> p{};
  for (int iteration = 0; iteration < 10; ++iteration) {
    std::array<std::array<double, 4>, 4> a{};
    std::array<double, 4> b{};
    for (size_t i = 0; i < samples.size(); ++i) {
      const auto& s = samples[i];
      std::array<double, 4> row{};
      row[0] = -10.0 * s.log_d;
      row[static_cast<size_t>(column[s.band])] = 1.0;
      const double w = weights[i] * s.weight;
      for (size_t r = 0; r < n_params; ++r) {
        for (size_t c = 0; c < n_params; ++c) {
          a[r][c] += w * row[r] * row[c];
        }
        b[r] += w * row[r] * s.rssi;
      }
    }
    if (!detail::solveLinear<4>(a, b, n_params, p)) {
      return false;
    }
    std::vector<double> abs_residuals(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
      const auto& s = samples[i];
      const double predicted = p[static_cast<size_t>(column[s.band])] - 10.0 * p[0] * s.log_d;
      abs_residuals[i] = std::abs(s.rssi - predicted);
    }
    const double scale = std::max(1.0, 1.4826 * median(abs_residuals));
    const double k = 1.345 * scale;
    for (size_t i = 0; i < samples.size(); ++i) {
      weights[i] = abs_residuals[i] <= k ? 1.0 : k / abs_residuals[i];
    }
  }
  if (!std::isfinite(p[0])) {
    return false;
  }
  // AP-to-AP paths are long (one AP spacing and more) and cross more walls than most device
  // paths: their slope overstates the exponent that fits devices. Half the way from the default
  // to it (docs/accuracy.md "Calibration").
  const double shrink = kExponentShrink;
  model.measured_exponent = p[0];
  model.exponent =
      std::clamp(kDefaultExponent + shrink * (p[0] - kDefaultExponent), kMinExponent, kMaxExponent);
  // A band without pairs keeps its default's distance from 2.4 GHz.
  const double shift = column[0] >= 0 ? p[static_cast<size_t>(column[0])] - kDefaultRefDbm24 : 0.0;
  const std::array<double, 3> defaults{kDefaultRefDbm24, kDefaultRefDbm5, kDefaultRefDbm6};
  for (size_t band = 0; band < 3; ++band) {
    model.ref_dbm[band] =
        column[band] >= 0 ? p[static_cast<size_t>(column[band])] : defaults[band] + shift;
  }
  if (model.exponent != p[0]) {
    // Refit the intercepts with the clamped exponent: the per-band median of rssi + 10 n log_d.
    for (size_t band = 0; band < 3; ++band) {
      std::vector<double> v;
      for (const auto& s : samples) {
        if (s.band == band) {
          v.push_back(s.rssi + 10.0 * model.exponent * s.log_d);
        }
      }
      if (!v.empty()) {
        model.ref_dbm[band] = median(std::move(v));
      }
    }
  }
  model.calibrated = true;
  model.pairs = samples.size();
  return true;
}

}  // namespace

size_t bandIndex(proto::Band band) {
  switch (band) {
    case proto::Band::Band5GHz:
      return 1;
    case proto::Band::Band6GHz:
      return 2;
    default:
      return 0;
  }
}

PathLossModel::PathLossModel(size_t floor_count)
    : floors(std::max<size_t>(floor_count, 1)), slab_db(floors.size() * floors.size(), 0.0) {}

Calibrator::Calibrator(std::vector<ApSite> sites, std::vector<double> floor_elevations)
    : sites_(std::move(sites)), elevations_(std::move(floor_elevations)) {}

void Calibrator::add(size_t tx, size_t rx, proto::Band band, int rssi) {
  if (tx >= sites_.size() || rx >= sites_.size() || tx == rx) {
    return;
  }
  const uint64_t key = (uint64_t{tx} << 34) | (uint64_t{rx} << 2) | bandIndex(band);
  auto it = pairs_.find(key);
  if (it == pairs_.end()) {
    if (pairs_.size() >= kMaxPairs) {
      return;
    }
    it = pairs_.emplace(key, Mean{}).first;
  }
  it->second.sum += rssi;
  ++it->second.count;
  ++reports_;
}

PathLossModel Calibrator::fit() const {
  const size_t floor_count = std::max<size_t>(elevations_.size(), 1);
  PathLossModel model(floor_count);
  std::vector<std::vector<Sample>> same(floor_count);
  struct Cross {
    size_t tx_floor, rx_floor, rx, band;
    double log_d, rssi;
  };
  std::vector<Cross> cross;
  for (const auto& [key, mean] : pairs_) {
    const size_t tx = static_cast<size_t>(key >> 34);
    const size_t rx = static_cast<size_t>((key >> 2) & ((uint64_t{1} << 32) - 1));
    const size_t band = static_cast<size_t>(key & 3);
    const auto& a = sites_[tx];
    const auto& b = sites_[rx];
    const double d = std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) +
                               (a.z_abs - b.z_abs) * (a.z_abs - b.z_abs));
    const double log_d = std::log10(std::max(d, 1.0));
    const double rssi = mean.sum / mean.count;
    if (a.floor == b.floor) {
      same[a.floor].push_back(Sample{log_d, band, rssi, std::sqrt(double(mean.count))});
    } else {
      cross.push_back(Cross{a.floor, b.floor, rx, band, log_d, rssi});
    }
  }
  for (size_t f = 0; f < floor_count; ++f) {
    fitFloor(same[f], model.floors[f]);
  }
  // Slabs: the median excess loss of each floor pair; pairs without reports get the mean loss
  // per slab of the pairs that have them (the default without any) times their slab count.
  auto slabsBetween = [&](size_t f, size_t g) {
    const double lo = std::min(elevations_[f], elevations_[g]);
    const double hi = std::max(elevations_[f], elevations_[g]);
    size_t count = 0;
    for (double e : elevations_) {
      if (e > lo && e <= hi) {
        ++count;
      }
    }
    return std::max<size_t>(count, 1);
  };
  std::vector<std::vector<double>> excess(floor_count * floor_count);
  for (const auto& c : cross) {
    const auto& m = model.floors[c.rx_floor];
    excess[c.tx_floor * floor_count + c.rx_floor].push_back(m.ref_dbm[c.band] -
                                                            10.0 * m.exponent * c.log_d - c.rssi);
  }
  double per_slab_sum = 0;
  size_t per_slab_count = 0;
  std::vector<double> learned(floor_count * floor_count, -1.0);
  for (size_t f = 0; f < floor_count; ++f) {
    for (size_t g = 0; g < floor_count; ++g) {
      auto& v = excess[f * floor_count + g];
      if (f == g || v.size() < 3) {
        continue;
      }
      const double loss = std::max(0.0, median(v));
      learned[f * floor_count + g] = loss;
      per_slab_sum += loss / double(slabsBetween(f, g));
      ++per_slab_count;
    }
  }
  const double per_slab =
      per_slab_count > 0 ? per_slab_sum / double(per_slab_count) : kDefaultSlabDb;
  for (size_t f = 0; f < floor_count; ++f) {
    for (size_t g = 0; g < floor_count; ++g) {
      double& out = model.slab_db[f * floor_count + g];
      if (f == g) {
        out = 0;
      } else if (learned[f * floor_count + g] >= 0) {
        out = learned[f * floor_count + g];
      } else if (learned[g * floor_count + f] >= 0) {
        out = learned[g * floor_count + f];
      } else {
        out = per_slab * double(slabsBetween(f, g));
      }
    }
  }
  return model;
}

}  // namespace nmsp::locate
