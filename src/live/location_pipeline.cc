#include "live/location_pipeline.h"

#include <algorithm>
#include <array>

namespace nmsp::live {
namespace {

constexpr size_t kRateSamples = 11;               // 10 s of rate at one tick a second
constexpr uint64_t kEvictEveryMs = 10'000;        // evictStale() walks every device: not every tick
constexpr uint64_t kRefitMs = 1000;               // refits on the report path at most this often
constexpr uint64_t kFutureMarginMs = 5 * 60'000;  // see tick()

}  // namespace

store::DeviceInfoRecord deviceInfoRecord(const proto::DeviceInfo& info, uint64_t now_ms) {
  store::DeviceInfoRecord r;
  r.device = info.mac;
  r.kind = info.kind;
  r.ip_addresses = info.ip_addresses;
  r.ssid = info.ssid;
  r.vlan = info.vlan;
  r.username = info.username;
  r.assoc_state = info.assoc_state;
  r.band = info.band;
  r.serving_ap = info.serving_ap;
  r.battery_pct = info.battery_pct;
  r.telemetry = info.telemetry;
  r.updated_ms = now_ms;
  return r;
}

store::DeviceStatisticsRecord deviceStatisticsRecord(const proto::DeviceStatistics& statistics,
                                                     uint64_t now_ms) {
  store::DeviceStatisticsRecord r;
  r.device = statistics.mac;
  r.kind = statistics.kind;
  r.tx_bytes = statistics.tx_bytes;
  r.rx_bytes = statistics.rx_bytes;
  r.tx_packets = statistics.tx_packets;
  r.rx_packets = statistics.rx_packets;
  r.tx_retries = statistics.tx_retries;
  r.tx_failed = statistics.tx_failed;
  r.timestamp_utc_ms = statistics.timestamp_utc_ms;
  r.updated_ms = now_ms;
  return r;
}

LocationPipeline::LocationPipeline(std::vector<LoadedVenue> venues, store::Store* store,
                                   locate::EngineSettings settings)
    : store_(store) {
  venues_.reserve(venues.size());
  for (auto& loaded : venues) {
    const auto index = static_cast<uint32_t>(venues_.size());
    for (const auto& floor : loaded.venue.floors) {
      for (const auto& ap : floor.aps) {
        ap_venue_.emplace(ap.mac, index);  // loadVenues() refuses an AP in two venues
      }
    }
    venues_.push_back(VenueState{loaded.id, locate::Engine(std::move(loaded.venue), settings)});
  }
  readings_.reserve(proto::kMaxApsPerDevice);
}

std::optional<size_t> LocationPipeline::venueOf(const proto::DeviceMeasurement& report) const {
  if (report.kind == proto::DeviceKind::Ap) {
    if (auto it = ap_venue_.find(report.mac); it != ap_venue_.end()) {
      return it->second;
    }
  }
  if (venues_.size() == 1) {
    for (const auto& ap : report.aps) {
      if (ap_venue_.contains(ap.ap_mac)) {
        return 0;
      }
    }
    return std::nullopt;
  }
  // Several venues: the one most of the hearing APs belong to (the first on a tie).
  std::array<uint32_t, proto::kMaxApsPerDevice> votes{};
  std::array<uint32_t, proto::kMaxApsPerDevice> which{};
  size_t distinct = 0;
  for (const auto& ap : report.aps) {
    auto it = ap_venue_.find(ap.ap_mac);
    if (it == ap_venue_.end()) {
      continue;
    }
    size_t i = 0;
    while (i < distinct && which[i] != it->second) {
      ++i;
    }
    if (i == distinct) {
      which[distinct++] = it->second;
    }
    ++votes[i];
  }
  if (distinct == 0) {
    return std::nullopt;
  }
  size_t best = 0;
  for (size_t i = 1; i < distinct; ++i) {
    if (votes[i] > votes[best] || (votes[i] == votes[best] && which[i] < which[best])) {
      best = i;
    }
  }
  return which[best];
}

void LocationPipeline::onMeasurement(const proto::DeviceMeasurement& report, uint64_t now_ms) {
  ++counters_.reports;
  const bool ap_report = report.kind == proto::DeviceKind::Ap;
  counters_.ap_reports += ap_report ? 1 : 0;
  const auto venue = venueOf(report);
  if (!venue) {
    ++counters_.no_venue;
    return;
  }
  // The reports' own times, as `nmsp locate` takes a file's (a replayed relative set keeps its
  // times; the engine never mixes them with the MSE's clock).
  VenueState& state = venues_[*venue];
  readings_.clear();
  for (const auto& ap : report.aps) {
    readings_.push_back(locate::Reading{ap.ap_mac, ap.rssi_dbm, ap.band, ap.timestamp_utc_ms});
    state.newest_ts_ms = std::max(state.newest_ts_ms, ap.timestamp_utc_ms);
  }
  if (ap_report) {
    state.engine.update(report.mac, report.kind, readings_);
    state.calibration_due = true;
    return;
  }
  // The first device report after AP reports is located with the model refitted on all of them
  // (as `nmsp locate` does after its calibration pass), at most once a second.
  if (state.calibration_due && (state.refitted_ms == 0 || now_ms >= state.refitted_ms + kRefitMs)) {
    refit(state, now_ms);
  }
  const auto where = state.engine.update(report.mac, report.kind, readings_);
  if (!where) {
    return;
  }
  ++counters_.locations;
  counters_.presence_only += where->presence_only ? 1 : 0;
  if (store_ == nullptr) {
    return;
  }
  store::LocationRecord record;
  record.device = report.mac;
  record.kind = report.kind;
  record.ts_ms = where->ts_ms;
  record.venue = state.id;
  record.floor = state.engine.floorId(where->floor);
  record.x_m = where->x_m;
  record.y_m = where->y_m;
  record.uncertainty_m = where->uncertainty_m;
  record.aps_used = where->aps_used;
  if (store_->submit(std::move(record)) == 0) {
    ++counters_.submit_refused;
  }
}

void LocationPipeline::onInfo(const proto::DeviceInfo& info, uint64_t now_ms) {
  ++counters_.infos;
  if (store_ != nullptr && store_->submit(deviceInfoRecord(info, now_ms)) == 0) {
    ++counters_.info_refused;
  }
}

void LocationPipeline::onStatistics(const proto::DeviceStatistics& statistics, uint64_t now_ms) {
  ++counters_.statistics;
  if (store_ != nullptr && store_->submit(deviceStatisticsRecord(statistics, now_ms)) == 0) {
    ++counters_.statistics_refused;
  }
}

void LocationPipeline::refit(VenueState& venue, uint64_t now_ms) {
  venue.calibration_due = false;
  venue.refitted_ms = std::max<uint64_t>(now_ms, 1);
  venue.engine.recalibrate();
}

void LocationPipeline::tick(uint64_t now_ms) {
  for (auto& venue : venues_) {
    if (venue.calibration_due) {
      refit(venue, now_ms);
    }
  }
  if (now_ms >= last_evict_ms_ + kEvictEveryMs) {
    last_evict_ms_ = now_ms;
    for (auto& venue : venues_) {
      // On the reports' time scale; a report stamped in the future (a controller's clock far
      // off) cannot make every device look stale: at most the MSE's clock plus a margin.
      venue.engine.evictStale(std::min(venue.newest_ts_ms, now_ms + kFutureMarginMs));
    }
  }
  rate_samples_.emplace_back(now_ms, counters_.locations);
  while (rate_samples_.size() > kRateSamples) {
    rate_samples_.pop_front();
  }
}

api::DeviceLocation LocationPipeline::toView(const VenueState& venue, const MacAddress& device,
                                             proto::DeviceKind kind,
                                             const locate::Location& where) const {
  api::DeviceLocation view;
  view.device = device;
  view.kind = kind;
  view.venue = venue.id;
  view.floor = venue.engine.floorId(where.floor);
  view.x_m = where.x_m;
  view.y_m = where.y_m;
  view.uncertainty_m = where.uncertainty_m;
  view.aps_used = where.aps_used;
  view.last_seen_ms = where.ts_ms;
  view.presence_only = where.presence_only;
  return view;
}

std::optional<api::DeviceLocation> LocationPipeline::current(const MacAddress& device) const {
  std::optional<api::DeviceLocation> best;
  for (const auto& venue : venues_) {
    const auto where = venue.engine.current(device);
    if (!where || (best && best->last_seen_ms >= where->ts_ms)) {
      continue;
    }
    best = toView(venue, device, venue.engine.kind(device).value_or(proto::DeviceKind::Client),
                  *where);
  }
  return best;
}

api::LocationSummary LocationPipeline::summary(uint64_t now_ms) const {
  api::LocationSummary out;
  for (const auto& venue : venues_) {
    api::VenueLocationStatus row;
    row.id = venue.id;
    row.name = venue.engine.venue().name;
    row.floors = static_cast<uint32_t>(venue.engine.venue().floors.size());
    row.aps = static_cast<uint32_t>(venue::apCount(venue.engine.venue()));
    row.tracked = venue.engine.deviceCount();
    for (const auto& floor : venue.engine.model().floors) {
      row.calibrated_floors += floor.calibrated ? 1 : 0;
    }
    out.venues.push_back(std::move(row));
  }
  out.reports = counters_.reports;
  out.ap_reports = counters_.ap_reports;
  out.no_venue = counters_.no_venue;
  out.locations = counters_.locations;
  out.presence_only = counters_.presence_only;
  // From the oldest sample (about 10 s ago) to now.
  if (!rate_samples_.empty() && now_ms > rate_samples_.front().first) {
    const auto& [t0, n0] = rate_samples_.front();
    out.locate_rate = double(counters_.locations - n0) * 1000.0 / double(now_ms - t0);
  }
  return out;
}

}  // namespace nmsp::live
