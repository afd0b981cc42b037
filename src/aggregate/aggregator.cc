#include "aggregate/aggregator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace nmsp::aggregate {

namespace {

int8_t clampRssi(double value) {
  return static_cast<int8_t>(std::clamp(std::lround(value), -128L, 127L));
}

// One log position: a raw observation (travels as it is) or a reference to a device whose
// current state is sent (averaged RSSI, info, statistics).
struct LogEntry {
  proto::ApRssi ap;
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  bool raw = false;
};

// One AP radio's reading of a device.
struct Reading {
  MacAddress ap;
  uint8_t slot = 0;
  proto::Band band = proto::Band::Band2_4GHz;
  uint8_t antenna = 0;
  int8_t snr = 0;
  int8_t sent = 0;        // the value last logged (notify threshold)
  float avg = 0;          // dBm; the latest value when the half-life is 0
  uint64_t ts_ms = 0;     // the observation's own time (travels)
  uint64_t heard_ms = 0;  // store time of the last report (expiry, half-life)
};

}  // namespace

struct Aggregator::Device {
  MacAddress mac;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint8_t count = 0;
  uint32_t stamp = 0;
  uint64_t last_seen_ms = 0;
  uint64_t rssi_seq = 0;  // 1 + log position of the device's latest reference (0: none)
  uint64_t info_seq = 0;
  uint64_t stats_seq = 0;
  std::array<Reading, proto::kMaxApsPerDevice> readings{};
  std::unique_ptr<proto::DeviceInfo> info;
  std::unique_ptr<proto::DeviceStatistics> stats;
};

// A ring of log entries addressed by absolute sequence numbers [head, tail).
struct Aggregator::Log {
  std::vector<LogEntry> ring;  // size a power of two (or 0)
  uint64_t head = 0;
  uint64_t tail = 0;
  uint64_t max_cursor = 0;  // the furthest cursor of this service's streams
  int streams = 0;

  size_t size() const { return static_cast<size_t>(tail - head); }
  LogEntry& at(uint64_t seq) { return ring[seq & (ring.size() - 1)]; }
  // Appends; drops the oldest entry when `bound` entries are held (counted by the caller).
  bool push(const LogEntry& entry, size_t bound) {
    bool dropped = false;
    if (size() >= bound) {
      ++head;
      dropped = true;
    }
    if (size() == ring.size()) {
      std::vector<LogEntry> bigger(ring.empty() ? 1024 : ring.size() * 2);
      for (uint64_t s = head; s < tail; ++s) {
        bigger[s & (bigger.size() - 1)] = at(s);
      }
      ring.swap(bigger);
    }
    at(tail++) = entry;
    return dropped;
  }
};

struct Aggregator::Stream {
  int refs = 0;
  uint64_t cursor = 0;
  uint64_t next_due_ms = 0;
};

Aggregator::Aggregator(AggregationSettings settings, Limits limits)
    : settings_(settings), limits_(limits), table_(limits.max_devices) {}

Aggregator::~Aggregator() = default;

// --- store -----------------------------------------------------------------------------------

Aggregator::Device& Aggregator::findOrCreate(const MacAddress& mac, proto::DeviceKind kind,
                                             uint64_t now_ms) {
  auto [d, created] = table_.touch(mac, [this](const Device&) { ++counters_.devices_evicted; });
  if (created) {
    d.mac = mac;
    ++counters_.devices_created;
  }
  d.kind = kind;
  d.last_seen_ms = now_ms;
  return d;
}

Aggregator::Log* Aggregator::logOf(proto::Service service) {
  auto it = logs_.find(static_cast<uint8_t>(service));
  if (it == logs_.end() || it->second->streams == 0) {
    return nullptr;
  }
  return it->second.get();
}

void Aggregator::logRef(proto::Service service, Device& d, uint64_t Device::*seq) {
  Log* log = logOf(service);
  if (log == nullptr) {
    return;
  }
  // Already pending for every stream of the service: its current state will be sent anyway.
  if (d.*seq != 0 && d.*seq - 1 >= log->max_cursor && d.*seq - 1 >= log->head) {
    return;
  }
  LogEntry entry;
  entry.device = d.mac;
  entry.kind = d.kind;
  if (log->push(entry, limits_.max_pending)) {
    ++counters_.pending_dropped;
  }
  d.*seq = log->tail;
}

void Aggregator::logRaw(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap) {
  Log* log = logOf(rssiServiceOf(kind));
  if (log == nullptr) {
    return;
  }
  LogEntry entry;
  entry.ap = ap;
  entry.device = device;
  entry.kind = kind;
  entry.raw = true;
  if (log->push(entry, limits_.max_pending)) {
    ++counters_.pending_dropped;
  }
}

bool Aggregator::observe(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap,
                         uint64_t now_ms) {
  ++counters_.observations;
  Device& d = findOrCreate(device, kind, now_ms);
  const LocationClass lc = locationClassOf(kind);
  const uint64_t expiry_ms = uint64_t{settings_.expiry(lc)} * 1000;
  const uint16_t half_life_s = settings_.halfLife(lc);
  const int threshold = settings_.threshold(lc);

  auto live = [&](const Reading& r) { return now_ms - r.heard_ms <= expiry_ms; };
  size_t i = 0;
  while (i < d.count && !(d.readings[i].ap == ap.ap_mac && d.readings[i].slot == ap.slot)) {
    ++i;
  }
  bool fresh = true;
  if (i < d.count) {
    Reading& r = d.readings[i];
    fresh = !live(r);
    if (half_life_s > 0 && !fresh && now_ms > r.heard_ms) {
      const double dt_s = static_cast<double>(now_ms - r.heard_ms) / 1000.0;
      const double alpha = 1.0 - std::exp2(-dt_s / half_life_s);
      r.avg += static_cast<float>((ap.rssi_dbm - r.avg) * alpha);
    } else if (half_life_s == 0 || fresh) {
      r.avg = ap.rssi_dbm;
    }
  } else if (d.count < proto::kMaxApsPerDevice) {
    i = d.count++;
    d.readings[i].avg = ap.rssi_dbm;
  } else {
    // Full: an expired reading makes room, else the weakest if the newcomer is stronger.
    size_t weakest = 0;
    i = d.count;
    for (size_t k = 0; k < d.count; ++k) {
      if (!live(d.readings[k])) {
        i = k;
        break;
      }
      if (d.readings[k].avg < d.readings[weakest].avg) {
        weakest = k;
      }
    }
    if (i == d.count) {
      if (ap.rssi_dbm <= d.readings[weakest].avg) {
        // The store keeps its 16 strongest; with half-life 0 the observation travels anyway.
        ++counters_.observations_capped;
        if (half_life_s == 0) {
          logRaw(device, kind, ap);
        }
        return false;
      }
      i = weakest;
    }
    d.readings[i].avg = ap.rssi_dbm;
  }
  Reading& r = d.readings[i];
  r.ap = ap.ap_mac;
  r.slot = ap.slot;
  r.band = ap.band;
  r.antenna = ap.antenna;
  r.snr = ap.snr_db;
  r.ts_ms = ap.timestamp_utc_ms;
  r.heard_ms = now_ms;

  const proto::Service service = rssiServiceOf(kind);
  Log* log = logOf(service);
  if (log == nullptr) {
    return true;
  }
  const int8_t value = half_life_s == 0 ? ap.rssi_dbm : clampRssi(r.avg);
  if (threshold > 0 && !fresh && std::abs(int{value} - int{r.sent}) < threshold) {
    ++counters_.observations_filtered;
    return true;
  }
  r.sent = value;
  if (half_life_s == 0) {
    logRaw(device, kind, ap);
  } else {
    logRef(service, d, &Device::rssi_seq);
  }
  return true;
}

void Aggregator::observe(const proto::DeviceMeasurement& measurement, uint64_t now_ms) {
  for (const auto& ap : measurement.aps) {
    observe(measurement.mac, measurement.kind, ap, now_ms);
  }
}

void Aggregator::info(const proto::DeviceInfo& info, uint64_t now_ms) {
  Device& d = findOrCreate(info.mac, info.kind, now_ms);
  if (d.info) {
    *d.info = info;
  } else {
    d.info = std::make_unique<proto::DeviceInfo>(info);
  }
  if (auto service = infoServiceOf(info.kind)) {
    logRef(*service, d, &Device::info_seq);
  }
}

void Aggregator::statistics(const proto::DeviceStatistics& statistics, uint64_t now_ms) {
  Device& d = findOrCreate(statistics.mac, statistics.kind, now_ms);
  if (d.stats) {
    *d.stats = statistics;
  } else {
    d.stats = std::make_unique<proto::DeviceStatistics>(statistics);
  }
  if (auto service = statsServiceOf(statistics.kind)) {
    logRef(*service, d, &Device::stats_seq);
  }
}

void Aggregator::attachment(const proto::Attachment& attachment) {
  if (!hasStream(StreamKey{proto::Service::Attach, 0})) {
    return;
  }
  if (attachments_.size() >= limits_.max_pending_attachments) {
    attachments_.erase(attachments_.begin());
    ++counters_.attachments_dropped;
  }
  attachments_.push_back(attachment);
}

bool Aggregator::apInfo(const proto::ApInfo& ap) {
  auto it = aps_.find(ap.mac);
  if (it != aps_.end()) {
    if (it->second == ap) {
      return false;
    }
    it->second = ap;
  } else {
    if (aps_.size() >= limits_.max_aps) {
      ++counters_.aps_refused;
      return false;
    }
    aps_.emplace(ap.mac, ap);
  }
  if (hasStream(StreamKey{proto::Service::ApInfo, 0})) {
    aps_changed_.push_back(ap.mac);
    if (aps_changed_.size() > 2 * limits_.max_aps) {
      std::sort(aps_changed_.begin(), aps_changed_.end());
      aps_changed_.erase(std::unique(aps_changed_.begin(), aps_changed_.end()), aps_changed_.end());
    }
  }
  return true;
}

void Aggregator::fillCurrent(const Device& d, uint64_t now_ms,
                             proto::DeviceMeasurement& out) const {
  out.mac = d.mac;
  out.kind = d.kind;
  out.aps.clear();
  const uint64_t expiry_ms = uint64_t{settings_.expiry(locationClassOf(d.kind))} * 1000;
  std::array<const Reading*, proto::kMaxApsPerDevice> live{};
  size_t n = 0;
  for (size_t k = 0; k < d.count; ++k) {
    if (now_ms - d.readings[k].heard_ms <= expiry_ms) {
      live[n++] = &d.readings[k];
    }
  }
  std::stable_sort(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(n),
                   [](const Reading* a, const Reading* b) { return a->avg > b->avg; });
  for (size_t k = 0; k < n; ++k) {
    const Reading& r = *live[k];
    out.aps.push_back(
        proto::ApRssi{r.ap, r.slot, r.band, r.antenna, clampRssi(r.avg), r.snr, r.ts_ms});
  }
}

std::optional<proto::DeviceMeasurement> Aggregator::current(const MacAddress& device,
                                                            uint64_t now_ms) const {
  const Device* d = table_.find(device);
  if (d == nullptr) {
    return std::nullopt;
  }
  proto::DeviceMeasurement m;
  fillCurrent(*d, now_ms, m);
  return m;
}

// --- streams ---------------------------------------------------------------------------------

namespace {
StreamKey normalised(StreamKey key) {
  const StreamKind kind = streamKindOf(key.service);
  if (kind == StreamKind::Attachment || kind == StreamKind::ApInfo) {
    key.interval_s = 0;
  }
  return key;
}
}  // namespace

void Aggregator::openStream(const StreamKey& raw_key, uint64_t now_ms) {
  const StreamKey key = normalised(raw_key);
  Stream& stream = streams_[key];
  if (stream.refs++ > 0) {
    return;
  }
  const StreamKind kind = streamKindOf(key.service);
  if (kind == StreamKind::Measurement || kind == StreamKind::Info ||
      kind == StreamKind::Statistics) {
    auto& log = logs_[static_cast<uint8_t>(key.service)];
    if (!log) {
      log = std::make_unique<Log>();
    }
    ++log->streams;
    stream.cursor = log->tail;
    stream.next_due_ms = now_ms + uint64_t{key.interval_s} * 1000;
    trim(key.service);
  }
}

void Aggregator::closeStream(const StreamKey& raw_key) {
  const StreamKey key = normalised(raw_key);
  auto it = streams_.find(key);
  if (it == streams_.end() || --it->second.refs > 0) {
    return;
  }
  streams_.erase(it);
  if (key.service == proto::Service::Attach) {
    attachments_.clear();
  } else if (key.service == proto::Service::ApInfo) {
    aps_changed_.clear();
  } else if (auto log = logs_.find(static_cast<uint8_t>(key.service)); log != logs_.end()) {
    --log->second->streams;
    trim(key.service);
  }
}

void Aggregator::moveStream(const StreamKey& raw_from, const StreamKey& raw_to, uint64_t now_ms) {
  const StreamKey from = normalised(raw_from);
  const StreamKey to = normalised(raw_to);
  if (from == to) {
    return;
  }
  auto it = streams_.find(from);
  if (it == streams_.end() || streams_.contains(to)) {
    closeStream(from);
    openStream(to, now_ms);
    return;
  }
  const Stream old = it->second;
  Stream& moved = streams_[to];
  moved.refs = 1;
  moved.cursor = old.cursor;
  const uint64_t old_interval_ms = uint64_t{from.interval_s} * 1000;
  const uint64_t last_collect =
      old.next_due_ms > old_interval_ms ? old.next_due_ms - old_interval_ms : 0;
  moved.next_due_ms = std::max(now_ms, last_collect + uint64_t{to.interval_s} * 1000);
  if (auto log = logs_.find(static_cast<uint8_t>(to.service)); log != logs_.end()) {
    ++log->second->streams;
  }
  closeStream(from);
}

bool Aggregator::hasStream(const StreamKey& key) const {
  return streams_.contains(normalised(key));
}

std::optional<uint64_t> Aggregator::nextDueMs() const {
  std::optional<uint64_t> due;
  for (const auto& [key, stream] : streams_) {
    if (key.interval_s > 0 && (!due || stream.next_due_ms < *due)) {
      due = stream.next_due_ms;
    }
  }
  return due;
}

void Aggregator::trim(proto::Service service) {
  auto it = logs_.find(static_cast<uint8_t>(service));
  if (it == logs_.end()) {
    return;
  }
  Log& log = *it->second;
  uint64_t low = log.tail;
  uint64_t high = log.head;
  for (const auto& [key, stream] : streams_) {
    if (key.service == service) {
      low = std::min(low, std::max(stream.cursor, log.head));
      high = std::max(high, stream.cursor);
    }
  }
  log.head = low;
  log.max_cursor = high;
  if (log.streams == 0 || log.size() == 0) {
    log.head = log.tail;
    if (log.streams == 0) {
      std::vector<LogEntry>().swap(log.ring);
    }
  }
}

void Aggregator::count(const StreamOutput& out) {
  counters_.frames_encoded += out.frames.size();
  for (const auto& frame : out.frames) {
    counters_.bytes_encoded += frame->size();
  }
}

void Aggregator::collectMeasurements(Stream& stream, Log& log, StreamOutput& out, uint64_t now_ms) {
  ++stamp_;
  batch_.clear();
  bool last_raw = false;
  for (uint64_t seq = stream.cursor; seq < log.tail; ++seq) {
    const LogEntry& e = log.at(seq);
    if (e.raw) {
      // Consecutive reports of one device share an entry (a burst), each keeping its time.
      if (last_raw && batch_.back().mac == e.device && batch_.back().kind == e.kind &&
          !batch_.back().aps.full()) {
        batch_.back().aps.push_back(e.ap);
      } else {
        auto& m = batch_.emplace_back();
        m.mac = e.device;
        m.kind = e.kind;
        m.aps.push_back(e.ap);
      }
      last_raw = true;
      continue;
    }
    last_raw = false;
    Device* d = table_.find(e.device);
    if (d == nullptr || d->stamp == stamp_) {
      continue;
    }
    d->stamp = stamp_;
    proto::DeviceMeasurement m;
    fillCurrent(*d, now_ms, m);
    if (!m.aps.empty()) {
      batch_.push_back(m);
    }
  }
  stream.cursor = log.tail;
  out.entries += batch_.size();
  for (const auto& m : batch_) {
    out.observations += m.aps.size();
  }
  cutIntoFrames<proto::MeasurementNotification>(
      batch_, &proto::MeasurementNotification::devices, limits_.max_frame_size,
      [](const proto::DeviceMeasurement& m) { return measurementEntryBytes(m.aps.size()); },
      out.frames, counters_.oversize);
}

template <class Notification, class Entry, class Fill>
void Aggregator::collectRefs(Stream& stream, Log& log, std::vector<Entry> Notification::*member,
                             StreamOutput& out, Fill fill) {
  ++stamp_;
  std::vector<Entry> entries;
  for (uint64_t seq = stream.cursor; seq < log.tail; ++seq) {
    Device* d = table_.find(log.at(seq).device);
    if (d == nullptr || d->stamp == stamp_) {
      continue;
    }
    d->stamp = stamp_;
    if (const Entry* entry = fill(*d)) {
      entries.push_back(*entry);
    }
  }
  stream.cursor = log.tail;
  out.entries += entries.size();
  cutIntoFrames<Notification>(
      entries, member, limits_.max_frame_size,
      [member](const Entry& e) { return encodedEntrySize<Notification>(e, member); }, out.frames,
      counters_.oversize);
}

void Aggregator::collect(uint64_t now_ms, std::vector<StreamOutput>& out) {
  for (auto& [key, stream] : streams_) {
    const StreamKind kind = streamKindOf(key.service);
    StreamOutput output;
    output.key = key;
    if (kind == StreamKind::Attachment) {
      if (attachments_.empty()) {
        continue;
      }
      output.entries = attachments_.size();
      cutIntoFrames<proto::AttachmentNotification>(
          attachments_, &proto::AttachmentNotification::attachments, limits_.max_frame_size,
          [](const proto::Attachment& a) {
            return encodedEntrySize<proto::AttachmentNotification>(
                a, &proto::AttachmentNotification::attachments);
          },
          output.frames, counters_.oversize);
    } else if (kind == StreamKind::ApInfo) {
      if (aps_changed_.empty()) {
        continue;
      }
      std::sort(aps_changed_.begin(), aps_changed_.end());
      aps_changed_.erase(std::unique(aps_changed_.begin(), aps_changed_.end()), aps_changed_.end());
      std::vector<proto::ApInfo> aps;
      for (const auto& mac : aps_changed_) {
        if (auto it = aps_.find(mac); it != aps_.end()) {
          aps.push_back(it->second);
        }
      }
      aps_changed_.clear();
      output.entries = aps.size();
      cutIntoFrames<proto::ApInfoNotification>(
          aps, &proto::ApInfoNotification::aps, limits_.max_frame_size,
          [](const proto::ApInfo& a) {
            return encodedEntrySize<proto::ApInfoNotification>(a, &proto::ApInfoNotification::aps);
          },
          output.frames, counters_.oversize);
    } else {
      if (now_ms < stream.next_due_ms) {
        continue;
      }
      const uint64_t interval_ms = uint64_t{key.interval_s} * 1000;
      stream.next_due_ms += interval_ms;
      if (stream.next_due_ms <= now_ms) {
        stream.next_due_ms = now_ms + interval_ms;
      }
      Log& log = *logs_.at(static_cast<uint8_t>(key.service));
      if (stream.cursor < log.head) {
        output.lost = log.head - stream.cursor;
        stream.cursor = log.head;
      }
      if (kind == StreamKind::Measurement) {
        collectMeasurements(stream, log, output, now_ms);
      } else if (kind == StreamKind::Info) {
        collectRefs(stream, log, &proto::InfoNotification::devices, output,
                    [](const Device& d) { return d.info.get(); });
      } else {
        collectRefs(stream, log, &proto::StatisticsNotification::devices, output,
                    [](const Device& d) { return d.stats.get(); });
      }
      trim(key.service);
      if (output.frames.empty() && output.lost == 0) {
        continue;
      }
    }
    count(output);
    out.push_back(std::move(output));
  }
}

std::vector<SharedFrame> Aggregator::apInfoFrames() {
  std::vector<proto::ApInfo> aps;
  aps.reserve(aps_.size());
  for (const auto& [mac, ap] : aps_) {
    aps.push_back(ap);
  }
  std::vector<SharedFrame> frames;
  cutIntoFrames<proto::ApInfoNotification>(
      aps, &proto::ApInfoNotification::aps, limits_.max_frame_size,
      [](const proto::ApInfo& a) {
        return encodedEntrySize<proto::ApInfoNotification>(a, &proto::ApInfoNotification::aps);
      },
      frames, counters_.oversize);
  return frames;
}

size_t Aggregator::pendingEntries() const {
  size_t n = attachments_.size() + aps_changed_.size();
  for (const auto& [bit, log] : logs_) {
    n += log->size();
  }
  return n;
}

// --- requests --------------------------------------------------------------------------------

namespace {
// Response frame: header, result-code (6 bytes), then the entries.
constexpr size_t kResponseFixedBytes = proto::kHeaderSize + 6;
}  // namespace

proto::MeasurementResponse Aggregator::measurement(const proto::MeasurementRequest& request,
                                                   uint64_t now_ms) const {
  proto::MeasurementResponse response;
  size_t bytes = kResponseFixedBytes;
  auto add = [&](const Device& d) {
    proto::DeviceMeasurement m;
    fillCurrent(d, now_ms, m);
    const size_t size = measurementEntryBytes(m.aps.size());
    if (bytes + size > limits_.max_frame_size) {
      return false;
    }
    bytes += size;
    response.devices.push_back(m);
    return true;
  };
  if (request.devices.empty()) {
    table_.forEachRecentFirst(add);
  } else {
    for (const auto& mac : request.devices) {
      if (const Device* d = table_.find(mac); d != nullptr && !add(*d)) {
        break;
      }
    }
  }
  response.result =
      response.devices.empty() ? proto::ResultCode::UnknownDevice : proto::ResultCode::Success;
  return response;
}

namespace {
template <class Response, class Entry, class Get, class Devices, class Find>
Response answer(const std::vector<MacAddress>& wanted, std::vector<Entry> Response::*member,
                size_t max_frame_size, Get get, const Devices& lru_order, Find find) {
  Response response;
  size_t bytes = kResponseFixedBytes;
  auto add = [&](const Entry& e) {
    const size_t size = encodedEntrySize<Response>(e, member);
    if (bytes + size > max_frame_size) {
      return false;
    }
    bytes += size;
    (response.*member).push_back(e);
    return true;
  };
  if (wanted.empty()) {
    for (const auto* d : lru_order) {
      if (const Entry* e = get(*d); e != nullptr && !add(*e)) {
        break;
      }
    }
  } else {
    for (const auto& mac : wanted) {
      const auto* d = find(mac);
      const Entry* e = d != nullptr ? get(*d) : nullptr;
      if (e != nullptr && !add(*e)) {
        break;
      }
    }
  }
  response.result =
      (response.*member).empty() ? proto::ResultCode::UnknownDevice : proto::ResultCode::Success;
  return response;
}
}  // namespace

std::vector<const Aggregator::Device*> Aggregator::recentFirst() const {
  std::vector<const Device*> order;
  table_.forEachRecentFirst([&](const Device& d) {
    order.push_back(&d);
    return true;
  });
  return order;
}

proto::InfoResponse Aggregator::info(const proto::InfoRequest& request) const {
  return answer<proto::InfoResponse>(
      request.devices, &proto::InfoResponse::devices, limits_.max_frame_size,
      [](const Device& d) { return d.info.get(); },
      request.devices.empty() ? recentFirst() : std::vector<const Device*>{},
      [this](const MacAddress& mac) { return table_.find(mac); });
}

proto::StatisticsResponse Aggregator::statistics(const proto::StatisticsRequest& request) const {
  return answer<proto::StatisticsResponse>(
      request.devices, &proto::StatisticsResponse::devices, limits_.max_frame_size,
      [](const Device& d) { return d.stats.get(); },
      request.devices.empty() ? recentFirst() : std::vector<const Device*>{},
      [this](const MacAddress& mac) { return table_.find(mac); });
}

size_t Aggregator::memoryBytes() const {
  size_t bytes = table_.memoryBytes();
  table_.forEach([&](const Device& d) {
    bytes += d.info ? sizeof(proto::DeviceInfo) : 0;
    bytes += d.stats ? sizeof(proto::DeviceStatistics) : 0;
  });
  for (const auto& [bit, log] : logs_) {
    bytes += log->ring.capacity() * sizeof(LogEntry);
  }
  bytes += aps_.size() * (sizeof(proto::ApInfo) + 64) +
           attachments_.capacity() * sizeof(proto::Attachment);
  return bytes;
}

}  // namespace nmsp::aggregate
