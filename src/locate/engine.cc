#include "locate/engine.h"

#include <algorithm>
#include <cmath>

namespace nmsp::locate {
namespace {

constexpr double kDeviceHeightM = 1.2;       // phones; tags are 1.0 m, within the model's noise
constexpr double kSigmaTo80Percent = 1.794;  // sqrt(-2 ln 0.2): 80 % of a 2D Gaussian
constexpr float kFloorLogFloor = -30.0f;
constexpr size_t kKinds = 8;

size_t kindIndex(proto::DeviceKind kind) {
  return std::min<size_t>(static_cast<size_t>(kind), kKinds - 1);
}

}  // namespace

Engine::Engine(venue::Venue venue, EngineSettings settings)
    : venue_(std::move(venue)),
      settings_(settings),
      calibrator_({}, {}),
      model_(venue_.floors.size()),
      kind_offset_sum_(kKinds, 0.0),
      kind_offset_count_(kKinds, 0.0) {
  std::vector<double> elevations;
  for (size_t f = 0; f < venue_.floors.size(); ++f) {
    const auto& floor = venue_.floors[f];
    elevations.push_back(floor.elevation_m);
    for (const auto& ap : floor.aps) {
      ap_index_.emplace(ap.mac, static_cast<uint32_t>(aps_.size()));
      aps_.push_back(ApSite{f, ap.x_m, ap.y_m, floor.elevation_m + ap.z_m});
    }
  }
  calibrator_ = Calibrator(aps_, std::move(elevations));
  model_ = calibrator_.fit();
}

std::optional<size_t> Engine::apIndex(const MacAddress& mac) const {
  auto it = ap_index_.find(mac);
  if (it == ap_index_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void Engine::addApReport(const MacAddress& heard, const MacAddress& hearing, proto::Band band,
                         int rssi) {
  const auto tx = apIndex(heard);
  const auto rx = apIndex(hearing);
  if (!tx || !rx) {
    ++counters_.unknown_ap;
    return;
  }
  calibrator_.add(*tx, *rx, band, rssi);
  if (calibrator_.reports() >= 32 && calibrator_.reports() >= 2 * calibrated_at_reports_) {
    recalibrate();
  }
}

void Engine::recalibrate() {
  model_ = calibrator_.fit();
  calibrated_at_reports_ = calibrator_.reports();
  ++counters_.calibrations;
}

Engine::Device& Engine::device(const MacAddress& mac, proto::DeviceKind kind) {
  auto it = devices_.find(mac);
  if (it == devices_.end()) {
    if (devices_.size() >= settings_.max_devices) {
      evictOldest();
    }
    it = devices_.emplace(mac, Device{}).first;
    it->second.floor_logp.assign(venue_.floors.size(), 0.0f);
  }
  it->second.kind = kind;
  return it->second;
}

void Engine::evictOldest() {
  std::vector<uint64_t> heard;
  heard.reserve(devices_.size());
  for (const auto& [mac, dev] : devices_) {
    heard.push_back(dev.last_heard_ms);
  }
  const size_t k = std::max<size_t>(devices_.size() / 8, 1);
  std::nth_element(heard.begin(), heard.begin() + static_cast<std::ptrdiff_t>(k - 1), heard.end());
  const uint64_t cut = heard[k - 1];
  size_t removed = 0;
  for (auto it = devices_.begin(); it != devices_.end() && removed < k;) {
    if (it->second.last_heard_ms <= cut) {
      it = devices_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  counters_.evicted += removed;
}

size_t Engine::evictStale(uint64_t now_ms) {
  if (now_ms < settings_.stale_ms) {
    return 0;
  }
  const uint64_t cut = now_ms - settings_.stale_ms;
  const size_t removed = std::erase_if(
      devices_, [cut](const auto& entry) { return entry.second.last_heard_ms < cut; });
  counters_.evicted += removed;
  return removed;
}

void Engine::observe(const MacAddress& mac, proto::DeviceKind kind, const Reading& reading) {
  if (kind == proto::DeviceKind::Ap) {
    addApReport(mac, reading.ap, reading.band, reading.rssi);
    return;
  }
  const auto ap = apIndex(reading.ap);
  if (!ap) {
    ++counters_.unknown_ap;
    return;
  }
  Device& dev = device(mac, kind);
  dev.last_heard_ms = std::max(dev.last_heard_ms, reading.ts_ms);
  const Slot slot{reading.ts_ms, static_cast<uint32_t>(*ap),
                  static_cast<int8_t>(std::clamp(reading.rssi, -128, 127)),
                  static_cast<uint8_t>(bandIndex(reading.band))};
  for (auto& s : dev.readings) {
    if (s.ap == slot.ap) {
      if (slot.ts_ms > s.ts_ms || (slot.ts_ms == s.ts_ms && slot.rssi > s.rssi)) {
        s = slot;  // the latest; of one emission heard on two radios, the stronger
      }
      return;
    }
  }
  if (dev.readings.size() < settings_.max_readings) {
    dev.readings.push_back(slot);
    return;
  }
  auto oldest = std::min_element(dev.readings.begin(), dev.readings.end(),
                                 [](const Slot& a, const Slot& b) { return a.ts_ms < b.ts_ms; });
  if (oldest->ts_ms <= slot.ts_ms) {
    *oldest = slot;
  }
}

std::optional<Location> Engine::update(const MacAddress& device_mac, proto::DeviceKind kind,
                                       std::span<const Reading> readings) {
  uint64_t newest = 0;
  const uint64_t unknown_before = counters_.unknown_ap;
  for (const auto& r : readings) {
    observe(device_mac, kind, r);
    newest = std::max(newest, r.ts_ms);
  }
  // Nothing new from a venue AP: no update (the old readings must not make a new record).
  if (kind == proto::DeviceKind::Ap || readings.empty() ||
      counters_.unknown_ap - unknown_before == readings.size()) {
    return std::nullopt;
  }
  return locate(device_mac, newest);
}

std::optional<Location> Engine::current(const MacAddress& mac) const {
  auto it = devices_.find(mac);
  if (it == devices_.end() || !it->second.has_location) {
    return std::nullopt;
  }
  return it->second.last;
}

std::optional<proto::DeviceKind> Engine::kind(const MacAddress& mac) const {
  auto it = devices_.find(mac);
  if (it == devices_.end()) {
    return std::nullopt;
  }
  return it->second.kind;
}

SolveResult Engine::solveFor(size_t floor, std::span<const Slot> used, const Device& dev) {
  const auto& f = venue_.floors[floor];
  const double device_z = f.elevation_m + kDeviceHeightM;
  auto& links = links_;
  links.clear();
  for (const auto& s : used) {
    const ApSite& ap = aps_[s.ap];
    const FloorModel& m = model_.floors[ap.floor];
    const double dz = ap.z_abs - device_z;
    links.push_back(SolverLink{ap.x, ap.y, dz * dz, m.exponent,
                               double(s.rssi) - m.ref_dbm[s.band] + model_.slab(floor, ap.floor)});
  }
  SolveInput in;
  in.links = links;
  in.width_m = f.width_m;
  in.length_m = f.length_m;
  if (dev.offset_var > 0) {
    in.b_prior = dev.offset_db;
    in.b_sigma = std::max(std::sqrt(double(dev.offset_var)), 2.0);
  } else {
    const size_t k = kindIndex(dev.kind);
    in.b_prior = kind_offset_count_[k] >= 5 ? kind_offset_sum_[k] / kind_offset_count_[k]
                                            : settings_.device_offset_prior_db;
    in.b_sigma = settings_.device_offset_sigma_db;
  }
  if (dev.track.valid && dev.floor == static_cast<int16_t>(floor)) {
    in.hint = std::make_pair(double(dev.track.x), double(dev.track.y));
  }
  return solveOnFloor(in, settings_.solver);
}

Location Engine::presenceOnly(std::span<const Slot> used, const Device& dev,
                              uint64_t now_ms) const {
  const Slot* strongest = &used[0];
  for (const auto& s : used) {
    if (s.rssi > strongest->rssi) {
      strongest = &s;
    }
  }
  const ApSite& ap = aps_[strongest->ap];
  const FloorModel& m = model_.floors[ap.floor];
  const size_t k = kindIndex(dev.kind);
  const double b = dev.offset_var > 0           ? dev.offset_db
                   : kind_offset_count_[k] >= 5 ? kind_offset_sum_[k] / kind_offset_count_[k]
                                                : settings_.device_offset_prior_db;
  // The distance the model gives for this RSSI, with a margin for a weak reading's spread.
  const double range = std::pow(
      10.0, (m.ref_dbm[strongest->band] + b - strongest->rssi + 6.0) / (10.0 * m.exponent));
  const auto& floor = venue_.floors[ap.floor];
  const double diagonal = std::hypot(floor.width_m, floor.length_m);
  Location loc;
  loc.ts_ms = now_ms;
  loc.floor = ap.floor;
  loc.x_m = ap.x;
  loc.y_m = ap.y;
  loc.uncertainty_m = std::clamp(range, settings_.presence_min_uncertainty_m,
                                 std::max(diagonal, settings_.presence_min_uncertainty_m));
  loc.aps_used = static_cast<uint32_t>(used.size());
  loc.presence_only = true;
  return loc;
}

size_t Engine::chooseFloor(Device& dev, std::vector<FloorFit>& fits, double dt_s) const {
  const size_t n = fits.size();
  double worst = 0;
  bool any = false;
  for (const auto& f : fits) {
    if (f.done) {
      worst = any ? std::min(worst, f.log_likelihood) : f.log_likelihood;
      any = true;
    }
  }
  // Prediction: the floor stays with 1 - eps; eps grows with the time elapsed.
  const double eps = std::clamp(settings_.floor_switch_per_minute * dt_s / 60.0, 0.002, 0.3);
  std::vector<double> post(n);
  double best = -INFINITY;
  for (size_t f = 0; f < n; ++f) {
    const double p = std::exp(double(dev.floor_logp[f]));
    post[f] = p;
  }
  double total = 0;
  for (double p : post) {
    total += p;
  }
  for (size_t f = 0; f < n; ++f) {
    const double predicted = (1 - eps) * post[f] / total + eps / double(n);
    const double ll = fits[f].done ? fits[f].log_likelihood : worst - 10.0;
    post[f] = std::log(predicted) + ll;
    best = std::max(best, post[f]);
  }
  size_t chosen = 0;
  for (size_t f = 0; f < n; ++f) {
    dev.floor_logp[f] = std::max(static_cast<float>(post[f] - best), kFloorLogFloor);
    if (dev.floor_logp[f] == 0.0f) {
      chosen = f;
    }
  }
  // Hysteresis: leave the current floor only when the new one is clearly (e^1) more likely.
  if (dev.floor >= 0 && static_cast<size_t>(dev.floor) != chosen &&
      fits[static_cast<size_t>(dev.floor)].done &&
      dev.floor_logp[static_cast<size_t>(dev.floor)] > -1.0f) {
    chosen = static_cast<size_t>(dev.floor);
  }
  return chosen;
}

std::optional<Location> Engine::locate(const MacAddress& mac, uint64_t now_ms) {
  auto it = devices_.find(mac);
  if (it == devices_.end() || it->second.readings.empty()) {
    return std::nullopt;
  }
  Device& dev = it->second;
  uint64_t newest = 0;
  for (const auto& s : dev.readings) {
    newest = std::max(newest, s.ts_ms);
  }
  used_.clear();
  for (const auto& s : dev.readings) {
    if (s.ts_ms + settings_.window_ms >= newest) {
      used_.push_back(s);
    }
  }
  const uint64_t previous_ts = dev.has_location ? dev.last.ts_ms : now_ms;
  const double dt_s = now_ms > previous_ts ? double(now_ms - previous_ts) / 1000.0 : 0.0;
  Location loc;
  if (used_.size() < settings_.min_aps) {
    loc = presenceOnly(used_, dev, now_ms);
    ++counters_.presence_only;
  } else {
    // Candidate floors: those of the APs that heard it, and the one it is on.
    const size_t n = venue_.floors.size();
    fits_.assign(n, FloorFit{});
    for (const auto& s : used_) {
      fits_[aps_[s.ap].floor].done = true;
    }
    if (dev.floor >= 0) {
      fits_[static_cast<size_t>(dev.floor)].done = true;
    }
    for (size_t f = 0; f < n; ++f) {
      if (fits_[f].done) {
        fits_[f].fit = solveFor(f, used_, dev);
        fits_[f].log_likelihood = -settings_.floor_evidence_weight * fits_[f].fit.cost;
      }
    }
    const size_t floor = chooseFloor(dev, fits_, dt_s);
    const SolveResult& fit = fits_[floor].fit;
    if (!std::isfinite(fit.x) || !std::isfinite(fit.y) || !std::isfinite(fit.cxx) ||
        !std::isfinite(fit.cyy) || !std::isfinite(fit.cxy) || !std::isfinite(fit.b)) {
      // Never reached on any data seen; a record without a position beats a NaN one.
      loc = presenceOnly(used_, dev, now_ms);
      ++counters_.presence_only;
      dev.last = loc;
      dev.has_location = true;
      ++counters_.updates;
      return loc;
    }
    if (dev.floor != static_cast<int16_t>(floor)) {
      dev.track.valid = false;
    }
    dev.floor = static_cast<int16_t>(floor);
    updateTrack(dev.track, Fix{fit.x, fit.y, fit.cxx, fit.cxy, fit.cyy, now_ms}, settings_.tracker);
    // The device's offset, and its kind's, from fits with enough APs to tell it from distance.
    if (used_.size() >= 5) {
      constexpr double kFitVar = 9.0;
      if (dev.offset_var <= 0) {
        dev.offset_db = static_cast<float>(fit.b);
        dev.offset_var = static_cast<float>(kFitVar);
      } else {
        const double gain = dev.offset_var / (dev.offset_var + kFitVar);
        dev.offset_db += static_cast<float>(gain * (fit.b - dev.offset_db));
        dev.offset_var = static_cast<float>(std::max((1 - gain) * dev.offset_var, 2.0));
      }
      const size_t k = kindIndex(dev.kind);
      kind_offset_sum_[k] += fit.b;
      kind_offset_count_[k] += 1;
    }
    const auto& f = venue_.floors[floor];
    const double track_var = (double(dev.track.pxx) + double(dev.track.pyy)) / 2.0;
    const double fit_var = (fit.cxx + fit.cyy) / 2.0;
    const double sigma = std::sqrt(std::max(track_var, 0.5 * fit_var));
    loc.ts_ms = now_ms;
    loc.floor = floor;
    loc.x_m = std::clamp(double(dev.track.x), 0.0, f.width_m);
    loc.y_m = std::clamp(double(dev.track.y), 0.0, f.length_m);
    loc.uncertainty_m = std::clamp(
        settings_.uncertainty_scale * kSigmaTo80Percent * sigma, settings_.min_uncertainty_m,
        std::max(std::hypot(f.width_m, f.length_m), settings_.min_uncertainty_m));
    loc.aps_used = static_cast<uint32_t>(used_.size());
  }
  dev.last = loc;
  dev.has_location = true;
  ++counters_.updates;
  return loc;
}

size_t Engine::bytesPerDevice() const {
  if (devices_.empty()) {
    return sizeof(Device) + sizeof(MacAddress) + 2 * sizeof(void*);
  }
  size_t heap = 0;
  for (const auto& [mac, dev] : devices_) {
    heap += dev.readings.capacity() * sizeof(Slot) + dev.floor_logp.capacity() * sizeof(float);
  }
  // A node of the map: the pair, the next pointer and the cached hash; plus the bucket array.
  const size_t node = sizeof(std::pair<const MacAddress, Device>) + 2 * sizeof(void*);
  const size_t buckets = devices_.bucket_count() * sizeof(void*);
  return node + (heap + buckets) / devices_.size();
}

}  // namespace nmsp::locate
