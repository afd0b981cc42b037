#include "radio/simulator.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "radio/device_identity.h"
#include "radio/random.h"
#include "radio/seed_streams.h"
#include "venue/venue_file.h"

namespace nmsp::radio {
namespace {

using proto::Band;
using proto::DeviceKind;

enum Flag : uint8_t {
  kDualBand = 1,
  kAssociates = 2,  // one of the clients that join a WLAN
  kAssociated = 4,
  kWantsAssociation = 8,
  kEverAssociated = 16,
  kActive = 32,  // interferer switched on
};

constexpr double kMsPerS = 1000.0;
constexpr double kReferenceTemperatureC = 21.0;
constexpr double kBytesPerPacket = 600.0;

uint64_t deviceKey(DeviceKind kind, uint32_t index) {
  return (static_cast<uint64_t>(kind) << 32) | index;
}

uint8_t slotOf(Band band) {
  switch (band) {
    case Band::Band2_4GHz:
      return 0;
    case Band::Band6GHz:
      return 2;
    default:
      return 1;
  }
}

uint64_t toMs(double seconds) {
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(seconds * kMsPerS)));
}

constexpr uint8_t kChannels24[] = {1, 6, 11};
constexpr uint8_t kChannels5[] = {36,  40,  44,  48,  52,  56,  60,  64,  100, 104, 108, 112, 116,
                                  120, 124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165};

}  // namespace

enum class Simulator::Timer : uint8_t {
  Start,  // first: a device's info comes before anything it does
  Emit,
  Session,
  Statistics,
  TagInfo,
  ApNeighbour2_4,
  ApNeighbour5,
};

bool Simulator::Scheduled::operator>(const Scheduled& o) const {
  return std::tie(at_ms, timer, index) > std::tie(o.at_ms, o.timer, o.index);
}

struct Simulator::Device {
  MacAddress mac;
  DeviceKind kind = DeviceKind::Client;
  Band band = Band::Band2_4GHz;  // of the last emission (a rogue AP's channel)
  uint8_t flags = 0;
  uint8_t wlan = 0;
  uint32_t kind_index = 0;
  uint32_t emissions = 0;
  int32_t serving_ap = -1;
  float tx_dbm = 0;
  float interval_s = 10;
  float height_m = 1.2f;
  Rng rng;       // event-time decisions (bands, intervals, sessions, traffic)
  Rng move_rng;  // movement only, so that asking where a device is changes nothing else
  Mobility mobility;
  // Clients: traffic counters, accrued while associated.
  float traffic_bytes_per_s = 0;
  uint64_t traffic_since_ms = 0;
  uint64_t tx_bytes = 0, rx_bytes = 0, tx_packets = 0, rx_packets = 0, tx_retries = 0,
           tx_failed = 0;
  // Tags.
  float battery_pct = 100;
  float temperature_c = kReferenceTemperatureC;
  uint32_t motion_count = 0;

  bool has(Flag f) const { return (flags & f) != 0; }
};

Result<std::unique_ptr<Simulator>, std::string> Simulator::create(const venue::Venue& venue,
                                                                  const SimulatorConfig& config) {
  if (auto valid = venue::validateVenue(venue); !valid) {
    return Unexpected{valid.error()};
  }
  auto site = siteFromVenue(venue);
  if (!site) {
    return Unexpected{site.error()};
  }
  return std::make_unique<Simulator>(venue, *site, config);
}

Simulator::Simulator(const venue::Venue& venue, const Site& site, const SimulatorConfig& config)
    : venue_(venue), config_(config), radio_(venue, site, config.seed), plan_(venue, site) {
  const BehaviourParams& b = config_.behaviour;
  uint32_t index = 0;
  for (const auto& floor : venue_.floors) {
    for (const auto& ap : floor.aps) {
      ap_macs_.push_back(ap.mac);
      proto::ApInfo info;
      info.mac = ap.mac;
      info.name = ap.name;
      info.ip = apIpv4(index);
      const auto tx = static_cast<int8_t>(std::lround(b.ap_tx_dbm));
      info.radios.push_back({0, Band::Band2_4GHz, kChannels24[index % std::size(kChannels24)], tx});
      info.radios.push_back({1, Band::Band5GHz, kChannels5[index % std::size(kChannels5)], tx});
      ap_infos_.push_back(std::move(info));
      ++index;
    }
  }
  ap_emissions_.assign(ap_macs_.size(), 0);
  std::vector<MacAddress> taken = ap_macs_;
  std::sort(taken.begin(), taken.end());

  const Population& p = config_.population;
  const std::pair<DeviceKind, uint32_t> kinds[] = {
      {DeviceKind::Client, p.clients},         {DeviceKind::RfidTag, p.tags},
      {DeviceKind::RogueAp, p.rogue_aps},      {DeviceKind::RogueClient, p.rogue_clients},
      {DeviceKind::Interferer, p.interferers},
  };
  devices_.reserve(static_cast<size_t>(p.clients) + p.tags + p.rogue_aps + p.rogue_clients +
                   p.interferers);
  for (const auto& [kind, count] : kinds) {
    for (uint32_t i = 0; i < count; ++i) {
      Device d;
      d.kind = kind;
      d.kind_index = i;
      const uint64_t key = deviceKey(kind, i);
      d.rng = Rng(hashOf(config_.seed, SeedStream::Behaviour, key, 0));
      d.move_rng = Rng(hashOf(config_.seed, SeedStream::Behaviour, key, 1));
      uint32_t salt = 0;
      do {  // a simulated device never takes a venue AP's address
        d.mac = radio::deviceMac(config_.seed, kind, i, salt++);
      } while (std::binary_search(taken.begin(), taken.end(), d.mac));

      const double spread = radio_.params().device_tx_spread_db;
      const double base_tx = kind == DeviceKind::RfidTag      ? b.tag_tx_dbm
                             : kind == DeviceKind::RogueAp    ? b.rogue_ap_tx_dbm
                             : kind == DeviceKind::Interferer ? b.interferer_tx_dbm
                                                              : b.client_tx_dbm;
      d.tx_dbm = static_cast<float>(
          base_tx + symmetricFromHash(hashOf(config_.seed, SeedStream::DeviceTx, key), spread));
      d.height_m =
          static_cast<float>(kind == DeviceKind::RfidTag ? b.tag_height_m : b.device_height_m);

      const uint32_t floor = plan_.randomFloor(d.move_rng);
      const Place place = plan_.randomPlace(floor, b.motion.room_margin_m, d.move_rng);
      const bool person = kind == DeviceKind::Client || kind == DeviceKind::RogueClient;
      const bool moves =
          person ? !d.move_rng.chance(b.still_fraction)
                 : kind == DeviceKind::RfidTag && d.move_rng.chance(b.tag_moving_fraction);
      if (moves) {
        const auto speed = static_cast<float>(
            d.move_rng.uniform(b.motion.walk_speed_min_mps, b.motion.walk_speed_max_mps));
        const DwellRange& dwell = dwellOf(d);
        // Part-way through a first dwell, so that walkers do not all leave at once.
        const double first_dwell_s =
            d.move_rng.logUniform(dwell.min_s, dwell.max_s) * d.move_rng.uniform();
        const bool uses_stairs = d.move_rng.chance(b.motion.stair_user_fraction);
        d.mobility = Mobility::walker(place, plan_.elevation(floor), speed,
                                      static_cast<uint64_t>(first_dwell_s * kMsPerS), uses_stairs);
      } else {
        d.mobility = Mobility::still(place, plan_.elevation(floor));
      }

      switch (kind) {
        case DeviceKind::Client:
        case DeviceKind::RogueClient:
          d.interval_s =
              static_cast<float>(d.rng.logUniform(b.probe_interval_min_s, b.probe_interval_max_s));
          if (d.rng.chance(b.dual_band_fraction)) {
            d.flags |= kDualBand;
          }
          if (kind == DeviceKind::Client && d.rng.chance(b.associated_fraction)) {
            d.flags |= kAssociates | kWantsAssociation;
            // The WLAN by its share; the last one takes any rounding left over.
            double u = d.rng.uniform();
            while (d.wlan + 1u < std::size(kWlans) && (u -= kWlans[d.wlan].share) >= 0) {
              ++d.wlan;
            }
            d.traffic_bytes_per_s = static_cast<float>(
                d.rng.logUniform(b.traffic_min_bytes_per_s, b.traffic_max_bytes_per_s));
          }
          break;
        case DeviceKind::RfidTag:
          d.interval_s = static_cast<float>(
              d.rng.logUniform(b.tag_beacon_interval_min_s, b.tag_beacon_interval_max_s));
          d.battery_pct = static_cast<float>(d.rng.uniform(40, 100));
          d.temperature_c = static_cast<float>(d.rng.uniform(18, 26));
          break;
        case DeviceKind::RogueAp:
          d.interval_s = static_cast<float>(b.rogue_report_interval_s);
          d.band = d.rng.chance(0.5) ? Band::Band5GHz : Band::Band2_4GHz;
          break;
        default:  // interferers
          d.interval_s = static_cast<float>(b.interferer_report_interval_s);
          if (d.rng.chance(0.5)) {
            d.flags |= kActive;
          }
          break;
      }
      devices_.push_back(d);
      schedule(0, Timer::Start, static_cast<uint32_t>(devices_.size() - 1));
    }
  }
  if (config_.ap_neighbours) {
    const uint64_t period = toMs(b.ap_neighbour_interval_s);
    for (uint32_t ap = 0; ap < ap_macs_.size(); ++ap) {
      const uint64_t key = deviceKey(DeviceKind::Ap, ap);
      for (const Timer timer : {Timer::ApNeighbour2_4, Timer::ApNeighbour5}) {
        const uint64_t phase =
            hashOf(config_.seed, SeedStream::Behaviour, key, static_cast<uint64_t>(timer)) % period;
        schedule(phase, timer, ap);
      }
    }
  }
}

Simulator::~Simulator() = default;

void Simulator::schedule(uint64_t at_ms, Timer timer, uint32_t index) {
  queue_.push(Scheduled{at_ms, index, timer});
}

std::optional<uint64_t> Simulator::nextEventMs() const {
  if (queue_.empty()) {
    return std::nullopt;
  }
  return queue_.top().at_ms;
}

void Simulator::advanceTo(uint64_t t_ms, SimulatorSink& sink) {
  while (!queue_.empty() && queue_.top().at_ms <= t_ms) {
    const Scheduled event = queue_.top();
    queue_.pop();
    now_ms_ = event.at_ms;
    handle(event, sink);
  }
  now_ms_ = std::max(now_ms_, t_ms);
}

bool Simulator::step(SimulatorSink& sink) {
  if (queue_.empty()) {
    return false;
  }
  const Scheduled event = queue_.top();
  queue_.pop();
  now_ms_ = event.at_ms;
  handle(event, sink);
  return true;
}

void Simulator::handle(const Scheduled& event, SimulatorSink& sink) {
  ++counters_.events;
  switch (event.timer) {
    case Timer::Start:
      return start(event.index, sink);
    case Timer::Emit:
      return emit(event.index, sink);
    case Timer::Session:
      return session(event.index, sink);
    case Timer::Statistics:
      return statisticsTick(event.index, sink);
    case Timer::TagInfo:
      return tagInfoTick(event.index, sink);
    case Timer::ApNeighbour2_4:
      return emitApNeighbour(event.index, Band::Band2_4GHz, sink);
    case Timer::ApNeighbour5:
      return emitApNeighbour(event.index, Band::Band5GHz, sink);
  }
}

const DwellRange& Simulator::dwellOf(const Device& d) const {
  return d.kind == DeviceKind::RfidTag ? config_.behaviour.tag_dwell
                                       : config_.behaviour.client_dwell;
}

double Simulator::nextInterval(Device& d) const {
  const double jitter = d.kind == DeviceKind::RfidTag ? config_.behaviour.tag_beacon_jitter
                                                      : config_.behaviour.probe_jitter;
  return d.interval_s * d.rng.uniform(1 - jitter, 1 + jitter);
}

Whereabouts Simulator::locate(Device& d) {
  d.mobility.advance(now_ms_, plan_, config_.behaviour.motion, dwellOf(d), d.move_rng);
  return d.mobility.at(now_ms_, plan_);
}

void Simulator::start(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  const BehaviourParams& b = config_.behaviour;
  sendInfo(device, sink);
  schedule(now_ms_ + toMs(d.rng.uniform(0, d.interval_s)), Timer::Emit, device);
  if (d.has(kAssociates)) {
    schedule(now_ms_ + toMs(d.rng.uniform(0, b.statistics_interval_s)), Timer::Statistics, device);
  }
  if (d.kind == DeviceKind::RfidTag) {
    schedule(now_ms_ + toMs(d.rng.uniform(0, b.tag_info_interval_s)), Timer::TagInfo, device);
  }
  if (d.kind == DeviceKind::Interferer) {
    const DwellRange& range = d.has(kActive) ? b.interferer_on : b.interferer_off;
    schedule(now_ms_ + toMs(d.rng.logUniform(range.min_s, range.max_s) * d.rng.uniform()),
             Timer::Session, device);
  }
}

void Simulator::fillMeasurement(const MacAddress& mac, DeviceKind kind, Band band,
                                const RadioModel::Receptions& heard, size_t count) {
  measurement_.mac = mac;
  measurement_.kind = kind;
  measurement_.aps.clear();
  const int noise = radio_.params().noise_floor_dbm;
  for (size_t i = 0; i < count; ++i) {
    proto::ApRssi report;
    report.ap_mac = ap_macs_[heard[i].ap];
    report.slot = slotOf(band);
    report.band = band;
    report.rssi_dbm = static_cast<int8_t>(heard[i].rssi_dbm);
    report.snr_db = static_cast<int8_t>(std::clamp(heard[i].rssi_dbm - noise, 0, 127));
    report.timestamp_utc_ms = stamp();
    measurement_.aps.push_back(report);
  }
  counters_.measurements += 1;
  counters_.observations += count;
}

void Simulator::emit(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  schedule(now_ms_ + toMs(nextInterval(d)), Timer::Emit, device);
  if (d.kind == DeviceKind::Interferer && !d.has(kActive)) {
    return;
  }
  const Whereabouts w = locate(d);
  if (d.kind == DeviceKind::Client || d.kind == DeviceKind::RogueClient) {
    const bool five = d.has(kDualBand) && d.rng.chance(config_.behaviour.five_ghz_probability);
    d.band = five ? Band::Band5GHz : Band::Band2_4GHz;
  }
  if (d.kind == DeviceKind::RfidTag && w.motion != measurement::Motion::Still) {
    ++d.motion_count;
  }
  Emission e;
  e.x_m = w.x_m;
  e.y_m = w.y_m;
  e.height_m = w.elevation_m + d.height_m;
  e.floor = w.floor;
  e.band = d.band;
  e.tx_dbm = d.tx_dbm;
  e.key =
      hashOf(config_.seed, SeedStream::EmissionKey, deviceKey(d.kind, d.kind_index), d.emissions++);
  RadioModel::Receptions heard;
  const size_t count = radio_.receive(e, heard);
  ++counters_.emissions;
  if (count == 0) {
    return;
  }
  fillMeasurement(d.mac, d.kind, d.band, heard, count);
  const DeviceTruth truth{stamp(), w.floor, w.x_m, w.y_m, e.height_m - plan_.elevation(w.floor),
                          w.motion};
  sink.onMeasurement(measurement_, truth);
  if (!d.has(kAssociates)) {
    return;
  }
  if (d.has(kAssociated)) {  // roam to a clearly stronger AP
    int serving = radio_.params().sensitivity_dbm - 1;
    for (size_t i = 0; i < count; ++i) {
      if (static_cast<int32_t>(heard[i].ap) == d.serving_ap) {
        serving = heard[i].rssi_dbm;
      }
    }
    if (static_cast<int32_t>(heard[0].ap) != d.serving_ap &&
        heard[0].rssi_dbm >= serving + config_.behaviour.roam_hysteresis_db) {
      associate(device, heard[0].ap, sink);
    }
  } else if (d.has(kWantsAssociation)) {
    associate(device, heard[0].ap, sink);  // the strongest AP of this burst
  }
}

void Simulator::associate(uint32_t device, uint32_t ap, SimulatorSink& sink) {
  Device& d = devices_[device];
  if (!d.has(kAssociated)) {
    d.traffic_since_ms = now_ms_;
    const DwellRange& s = config_.behaviour.session;
    schedule(now_ms_ + toMs(d.rng.logUniform(s.min_s, s.max_s)), Timer::Session, device);
  }
  d.flags = static_cast<uint8_t>((d.flags | kAssociated | kEverAssociated) & ~kWantsAssociation);
  d.serving_ap = static_cast<int32_t>(ap);
  sendAttachment(d, proto::AttachState::Attach, ap, sink);
  sendInfo(device, sink);
}

void Simulator::disassociate(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  accrueTraffic(d);
  const auto left = static_cast<uint32_t>(d.serving_ap);
  d.flags = static_cast<uint8_t>(d.flags & ~kAssociated);
  d.serving_ap = -1;
  sendAttachment(d, proto::AttachState::Detach, left, sink);
  sendInfo(device, sink);
}

void Simulator::session(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  const BehaviourParams& b = config_.behaviour;
  if (d.kind == DeviceKind::Interferer) {
    d.flags ^= kActive;
    const DwellRange& range = d.has(kActive) ? b.interferer_on : b.interferer_off;
    schedule(now_ms_ + toMs(d.rng.logUniform(range.min_s, range.max_s)), Timer::Session, device);
    return;
  }
  if (d.has(kAssociated)) {
    disassociate(device, sink);
    schedule(now_ms_ + toMs(d.rng.logUniform(b.reassociate.min_s, b.reassociate.max_s)),
             Timer::Session, device);
  } else {
    d.flags |= kWantsAssociation;  // joins at its next probe burst
  }
}

void Simulator::accrueTraffic(Device& d) {
  const double seconds = static_cast<double>(now_ms_ - d.traffic_since_ms) / kMsPerS;
  d.traffic_since_ms = now_ms_;
  const double bytes = d.traffic_bytes_per_s * seconds * d.rng.uniform(0.5, 1.5);
  const auto rx = static_cast<uint64_t>(bytes * 0.7);
  const auto tx = static_cast<uint64_t>(bytes * 0.3);
  const auto tx_packets =
      static_cast<uint64_t>(std::ceil(static_cast<double>(tx) / kBytesPerPacket));
  const auto retries =
      static_cast<uint64_t>(static_cast<double>(tx_packets) * d.rng.uniform(0.02, 0.15));
  d.rx_bytes += rx;
  d.tx_bytes += tx;
  d.rx_packets += static_cast<uint64_t>(std::ceil(static_cast<double>(rx) / kBytesPerPacket));
  d.tx_packets += tx_packets;
  d.tx_retries += retries;
  d.tx_failed += retries / 20;
}

void Simulator::fillStatistics(const Device& d, proto::DeviceStatistics& s) const {
  s.mac = d.mac;
  s.kind = d.kind;
  s.tx_bytes = d.tx_bytes;
  s.rx_bytes = d.rx_bytes;
  s.tx_packets = d.tx_packets;
  s.rx_packets = d.rx_packets;
  s.tx_retries = d.tx_retries;
  s.tx_failed = d.tx_failed;
  s.timestamp_utc_ms = stamp();
}

void Simulator::statisticsTick(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  schedule(now_ms_ + toMs(config_.behaviour.statistics_interval_s), Timer::Statistics, device);
  if (!d.has(kAssociated)) {
    return;
  }
  accrueTraffic(d);
  fillStatistics(d, statistics_);
  ++counters_.statistics;
  sink.onStatistics(statistics_);
}

void Simulator::tagInfoTick(uint32_t device, SimulatorSink& sink) {
  Device& d = devices_[device];
  const BehaviourParams& b = config_.behaviour;
  schedule(now_ms_ + toMs(b.tag_info_interval_s), Timer::TagInfo, device);
  const double hours = b.tag_info_interval_s / 3600.0;
  d.battery_pct =
      std::max(0.0f, d.battery_pct - static_cast<float>(b.tag_battery_drain_pct_per_hour * hours));
  // A random walk pulled back towards room temperature.
  d.temperature_c += static_cast<float>(0.2 * d.rng.gaussian() -
                                        0.05 * (d.temperature_c - kReferenceTemperatureC));
  sendInfo(device, sink);
}

void Simulator::emitApNeighbour(uint32_t ap, Band band, SimulatorSink& sink) {
  schedule(now_ms_ + toMs(config_.behaviour.ap_neighbour_interval_s),
           band == Band::Band2_4GHz ? Timer::ApNeighbour2_4 : Timer::ApNeighbour5, ap);
  Emission e;
  radio_.placeAtAp(ap, e);
  e.band = band;
  e.tx_dbm = config_.behaviour.ap_tx_dbm + radio_.apCalibrationDb(ap);  // gain errors are mutual
  e.key = hashOf(config_.seed, SeedStream::EmissionKey, deviceKey(DeviceKind::Ap, ap),
                 ap_emissions_[ap]++);
  RadioModel::Receptions heard;
  const size_t count = radio_.receive(e, heard);
  ++counters_.emissions;
  if (count == 0) {
    return;
  }
  fillMeasurement(ap_macs_[ap], DeviceKind::Ap, band, heard, count);
  const DeviceTruth truth{stamp(),
                          e.floor,
                          e.x_m,
                          e.y_m,
                          e.height_m - radio_.floorElevation(e.floor),
                          measurement::Motion::Still};
  sink.onMeasurement(measurement_, truth);
}

void Simulator::sendAttachment(const Device& d, proto::AttachState state, uint32_t ap,
                               SimulatorSink& sink) {
  const Wlan& wlan = kWlans[d.wlan];
  attachment_.device = d.mac;
  attachment_.state = state;
  attachment_.ap_mac = ap_macs_[ap];
  attachment_.ip = state == proto::AttachState::Attach
                       ? std::optional(clientIpv4(wlan.vlan, d.kind_index))
                       : std::nullopt;
  attachment_.ssid = wlan.ssid;
  attachment_.timestamp_utc_ms = stamp();
  ++counters_.attachments;
  sink.onAttachment(attachment_);
}

void Simulator::fillInfo(uint32_t device, proto::DeviceInfo& info) const {
  const Device& d = devices_[device];
  info.mac = d.mac;
  info.kind = d.kind;
  info.ip_addresses.clear();
  info.ssid.reset();
  info.vlan.reset();
  info.username.reset();
  info.assoc_state.reset();
  info.serving_ap.reset();
  info.battery_pct.reset();
  info.telemetry.clear();
  info.band = d.band;
  switch (d.kind) {
    case DeviceKind::Client: {
      const Wlan& wlan = kWlans[d.wlan];
      if (d.has(kAssociated)) {
        info.ip_addresses.push_back(clientIpv4(wlan.vlan, d.kind_index));
        info.ip_addresses.push_back(clientIpv6(wlan.vlan, d.kind_index));
        info.ssid = wlan.ssid;
        info.vlan = wlan.vlan;
        if (wlan.named_users) {
          info.username = userName(d.kind_index);
        }
        info.serving_ap = ap_macs_[static_cast<size_t>(d.serving_ap)];
        info.assoc_state = proto::AssocState::Associated;
      } else {
        info.assoc_state =
            d.has(kEverAssociated) ? proto::AssocState::Disassociated : proto::AssocState::Probing;
      }
      break;
    }
    case DeviceKind::RogueClient:
      info.assoc_state = proto::AssocState::Probing;
      break;
    case DeviceKind::RfidTag:
      info.battery_pct = static_cast<uint8_t>(std::lround(d.battery_pct));
      info.telemetry.push_back({proto::TelemetryKind::TemperatureCentiC,
                                static_cast<int64_t>(std::lround(d.temperature_c * 100))});
      info.telemetry.push_back({proto::TelemetryKind::MotionCount, d.motion_count});
      break;
    case DeviceKind::RogueAp:
      info.ssid = d.kind_index % 2 == 0 ? "FreeWiFi" : "DIRECT-printer";
      break;
    default:
      break;
  }
}

void Simulator::sendInfo(uint32_t device, SimulatorSink& sink) {
  fillInfo(device, info_);
  ++counters_.infos;
  sink.onInfo(info_);
}

size_t Simulator::deviceCount() const {
  return devices_.size();
}

MacAddress Simulator::deviceMac(uint32_t device) const {
  return devices_[device].mac;
}

DeviceKind Simulator::deviceKind(uint32_t device) const {
  return devices_[device].kind;
}

DeviceTruth Simulator::truth(uint32_t device) {
  Device& d = devices_[device];
  const Whereabouts w = locate(d);
  return DeviceTruth{
      stamp(), w.floor, w.x_m, w.y_m, w.elevation_m + d.height_m - plan_.elevation(w.floor),
      w.motion};
}

proto::DeviceInfo Simulator::info(uint32_t device) const {
  proto::DeviceInfo info;
  fillInfo(device, info);
  return info;
}

std::optional<proto::DeviceStatistics> Simulator::statistics(uint32_t device) const {
  const Device& d = devices_[device];
  if (!d.has(kAssociates)) {
    return std::nullopt;
  }
  proto::DeviceStatistics s;
  fillStatistics(d, s);
  return s;
}

size_t Simulator::memoryBytes() const {
  size_t bytes = sizeof(*this) + radio_.memoryBytes();
  bytes += devices_.capacity() * sizeof(Device);
  bytes += queue_.size() * sizeof(Scheduled);
  bytes += ap_macs_.capacity() * sizeof(MacAddress) + ap_emissions_.capacity() * sizeof(uint32_t);
  for (const auto& info : ap_infos_) {
    bytes += sizeof(info) + info.name.capacity() + info.radios.capacity() * sizeof(proto::ApRadio);
  }
  return bytes;
}

}  // namespace nmsp::radio
