// Frame -> operator text. One printFields overload per message type.
#include "proto_json/frame_text.h"

#include <fmt/format.h>

#include <iterator>

#include "proto/codec.h"
#include "proto/services.h"
#include "proto_json/enum_names.h"
#include "proto_json/hex.h"
#include "proto_json/utc_time.h"

namespace nmsp::proto_json {
namespace {

constexpr size_t kHexBytesPerLine = 16;

class TextWriter {
 public:
  template <class... Args>
  void line(int indent, fmt::format_string<Args...> format, Args&&... args) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_.push_back('\n');
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string clockText(uint64_t ms) {
  return fmt::format("{} ({})", ms, formatUtcMs(ms));
}

std::string serviceText(proto::Service s) {
  const auto name = proto::serviceName(static_cast<uint8_t>(s));
  return name ? std::string(*name) : fmt::format("bit{}", static_cast<unsigned>(s));
}

std::string maskText(proto::ServiceMask mask) {
  std::string names;
  for (uint8_t i = 0; i < 64; ++i) {
    if ((mask & (proto::ServiceMask{1} << i)) == 0) {
      continue;
    }
    const auto name = proto::serviceName(i);
    names += names.empty() ? "" : ", ";
    names += name ? std::string(*name) : fmt::format("bit{}", i);
  }
  return fmt::format("0x{:016x} [{}]", mask, names);
}

std::string messageIdText(uint16_t id) {
  const auto name = proto::messageName(id);
  return fmt::format("0x{:04x} ({})", id, name ? *name : "unknown");
}

template <class T>
void optionalLine(TextWriter& w, int indent, std::string_view key, const std::optional<T>& v) {
  if (v) {
    w.line(indent, "{}={}", key, *v);
  }
}

void optionalClock(TextWriter& w, int indent, std::string_view key,
                   const std::optional<uint64_t>& v) {
  if (v) {
    w.line(indent, "{}={}", key, clockText(*v));
  }
}

void macList(TextWriter& w, const std::vector<MacAddress>& macs) {
  w.line(1, "devices={}{}", macs.size(), macs.empty() ? " (all known devices)" : "");
  for (size_t i = 0; i < macs.size(); ++i) {
    w.line(1, "device[{}]={}", i, macs[i].toString());
  }
}

void results(TextWriter& w, const std::vector<proto::ServiceResult>& list) {
  w.line(1, "results={}", list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    w.line(1, "result[{}] service={} result={}", i, serviceText(list[i].service),
           enumText(list[i].result));
  }
}

void measurements(TextWriter& w, const std::vector<proto::DeviceMeasurement>& devices) {
  w.line(1, "devices={}", devices.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    w.line(1, "device[{}] mac={} kind={} aps={}", i, d.mac.toString(), enumText(d.kind),
           d.aps.size());
    for (size_t j = 0; j < d.aps.size(); ++j) {
      const auto& ap = d.aps[j];
      w.line(2, "ap[{}] ap_mac={} slot={} band={} antenna={} rssi={}dBm snr={}dB ts={}", j,
             ap.ap_mac.toString(), ap.slot, enumText(ap.band), ap.antenna, ap.rssi_dbm, ap.snr_db,
             formatUtcMs(ap.timestamp_utc_ms));
    }
  }
}

void infos(TextWriter& w, const std::vector<proto::DeviceInfo>& devices) {
  w.line(1, "devices={}", devices.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    w.line(1, "device[{}] mac={} kind={}", i, d.mac.toString(), enumText(d.kind));
    for (size_t j = 0; j < d.ip_addresses.size(); ++j) {
      w.line(2, "ip[{}]={}", j, d.ip_addresses[j].toString());
    }
    if (d.ssid) {
      w.line(2, "ssid={}", quoted(*d.ssid));
    }
    optionalLine(w, 2, "vlan", d.vlan);
    if (d.username) {
      w.line(2, "username={}", quoted(*d.username));
    }
    if (d.assoc_state) {
      w.line(2, "assoc_state={}", enumText(*d.assoc_state));
    }
    if (d.band) {
      w.line(2, "band={}", enumText(*d.band));
    }
    if (d.serving_ap) {
      w.line(2, "serving_ap={}", d.serving_ap->toString());
    }
    if (d.battery_pct) {
      w.line(2, "battery={}%", *d.battery_pct);
    }
    for (size_t j = 0; j < d.telemetry.size(); ++j) {
      w.line(2, "telemetry[{}] kind={} value={}", j, enumText(d.telemetry[j].kind),
             d.telemetry[j].value);
    }
  }
}

void statistics(TextWriter& w, const std::vector<proto::DeviceStatistics>& devices) {
  w.line(1, "devices={}", devices.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    w.line(1, "device[{}] mac={} kind={}", i, d.mac.toString(), enumText(d.kind));
    optionalLine(w, 2, "tx_bytes", d.tx_bytes);
    optionalLine(w, 2, "rx_bytes", d.rx_bytes);
    optionalLine(w, 2, "tx_packets", d.tx_packets);
    optionalLine(w, 2, "rx_packets", d.rx_packets);
    optionalLine(w, 2, "tx_retries", d.tx_retries);
    optionalLine(w, 2, "tx_failed", d.tx_failed);
    optionalClock(w, 2, "timestamp_utc_ms", d.timestamp_utc_ms);
  }
}

void printFields(TextWriter& w, const proto::InitRequest& m) {
  w.line(1, "min_version={}", m.min_version);
  w.line(1, "max_version={}", m.max_version);
  w.line(1, "role={}", enumText(m.role));
  w.line(1, "name={}", quoted(m.name));
  w.line(1, "software_version={}", quoted(m.software_version));
  w.line(1, "clock_utc_ms={}", clockText(m.clock_utc_ms));
}

void printFields(TextWriter& w, const proto::InitResponse& m) {
  w.line(1, "result={}", enumText(m.result));
  w.line(1, "selected_version={}", m.selected_version);
  w.line(1, "role={}", enumText(m.role));
  w.line(1, "name={}", quoted(m.name));
  w.line(1, "software_version={}", quoted(m.software_version));
  w.line(1, "clock_utc_ms={}", clockText(m.clock_utc_ms));
}

void printFields(TextWriter& w, const proto::EchoRequest& m) {
  optionalClock(w, 1, "clock_utc_ms", m.clock_utc_ms);
}

void printFields(TextWriter& w, const proto::EchoResponse& m) {
  optionalClock(w, 1, "clock_utc_ms", m.clock_utc_ms);
  optionalClock(w, 1, "echoed_clock_utc_ms", m.echoed_clock_utc_ms);
}

void printFields(TextWriter& w, const proto::ErrorMessage& m) {
  w.line(1, "reason={}", enumText(m.reason));
  w.line(1, "offending_message_id={}", messageIdText(m.offending_message_id));
  if (m.text) {
    w.line(1, "text={}", quoted(*m.text));
  }
}

void printFields(TextWriter& w, const proto::CapabilityNotification& m) {
  w.line(1, "services={}", maskText(m.services));
}

void printFields(TextWriter& w, const proto::ServiceSubscribeRequest& m) {
  w.line(1, "services={}", maskText(m.services));
  w.line(1, "intervals={}", m.intervals.size());
  for (size_t i = 0; i < m.intervals.size(); ++i) {
    w.line(1, "interval[{}] service={} interval={}s", i, serviceText(m.intervals[i].service),
           m.intervals[i].interval_s);
  }
  w.line(1, "ap_groups={}{}", m.ap_groups.size(), m.ap_groups.empty() ? " (all APs)" : "");
  for (size_t i = 0; i < m.ap_groups.size(); ++i) {
    w.line(1, "ap_group[{}]={}", i, quoted(m.ap_groups[i]));
  }
}

void printFields(TextWriter& w, const proto::ServiceSubscribeResponse& m) {
  w.line(1, "granted={}", maskText(m.granted));
  results(w, m.results);
}

void printFields(TextWriter& w, const proto::ServiceUnsubscribeRequest& m) {
  w.line(1, "services={}", maskText(m.services));
}

void printFields(TextWriter& w, const proto::ServiceUnsubscribeResponse& m) {
  w.line(1, "remaining={}", maskText(m.remaining));
  results(w, m.results);
}

void printFields(TextWriter& w, const proto::MeasurementRequest& m) {
  macList(w, m.devices);
}
void printFields(TextWriter& w, const proto::InfoRequest& m) {
  macList(w, m.devices);
}
void printFields(TextWriter& w, const proto::StatisticsRequest& m) {
  macList(w, m.devices);
}

void printFields(TextWriter& w, const proto::MeasurementResponse& m) {
  w.line(1, "result={}", enumText(m.result));
  measurements(w, m.devices);
}

void printFields(TextWriter& w, const proto::MeasurementNotification& m) {
  measurements(w, m.devices);
}

void printFields(TextWriter& w, const proto::InfoResponse& m) {
  w.line(1, "result={}", enumText(m.result));
  infos(w, m.devices);
}

void printFields(TextWriter& w, const proto::InfoNotification& m) {
  infos(w, m.devices);
}

void printFields(TextWriter& w, const proto::StatisticsResponse& m) {
  w.line(1, "result={}", enumText(m.result));
  statistics(w, m.devices);
}

void printFields(TextWriter& w, const proto::StatisticsNotification& m) {
  statistics(w, m.devices);
}

void printFields(TextWriter& w, const proto::ApInfoNotification& m) {
  w.line(1, "aps={}", m.aps.size());
  for (size_t i = 0; i < m.aps.size(); ++i) {
    const auto& ap = m.aps[i];
    w.line(1, "ap[{}] mac={} name={} radios={}", i, ap.mac.toString(), quoted(ap.name),
           ap.radios.size());
    if (ap.ip) {
      w.line(2, "ip={}", ap.ip->toString());
    }
    for (size_t j = 0; j < ap.radios.size(); ++j) {
      const auto& r = ap.radios[j];
      w.line(2, "radio[{}] slot={} band={} channel={} tx_power={}dBm", j, r.slot, enumText(r.band),
             r.channel, r.tx_power_dbm);
    }
  }
}

void printFields(TextWriter& w, const proto::AttachmentNotification& m) {
  w.line(1, "attachments={}", m.attachments.size());
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const auto& a = m.attachments[i];
    w.line(1, "attachment[{}] device={} state={} ts={}", i, a.device.toString(), enumText(a.state),
           formatUtcMs(a.timestamp_utc_ms));
    if (a.ap_mac) {
      w.line(2, "ap_mac={}", a.ap_mac->toString());
    }
    if (a.ip) {
      w.line(2, "ip={}", a.ip->toString());
    }
    if (a.ssid) {
      w.line(2, "ssid={}", quoted(*a.ssid));
    }
  }
}

void printFields(TextWriter& w, const proto::LocationNotification& m) {
  w.line(1, "locations={}", m.locations.size());
  for (size_t i = 0; i < m.locations.size(); ++i) {
    const auto& l = m.locations[i];
    w.line(1, "location[{}] mac={} kind={} map={} x={}mm y={}mm z={}mm ts={}", i, l.mac.toString(),
           enumText(l.kind), quoted(l.map), l.x_mm, l.y_mm, l.z_mm,
           formatUtcMs(l.timestamp_utc_ms));
    if (l.error_radius_mm) {
      w.line(2, "error_radius={}mm", *l.error_radius_mm);
    }
    optionalLine(w, 2, "latitude_e7", l.latitude_e7);
    optionalLine(w, 2, "longitude_e7", l.longitude_e7);
  }
}

void printFields(TextWriter& w, const proto::UnknownMessage& m) {
  w.line(1, "payload={} bytes (unknown message id, not decoded)", m.payload.size());
  for (size_t i = 0; i < m.payload.size(); i += kHexBytesPerLine) {
    const size_t n = std::min(kHexBytesPerLine, m.payload.size() - i);
    w.line(2, "{:04x}: {}", i, formatHex(std::span(m.payload).subspan(i, n), " "));
  }
}

}  // namespace

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string toText(const proto::Frame& frame, const TextOptions& options) {
  const uint16_t id = proto::messageIdOf(frame.message);
  const bool unknown = std::holds_alternative<proto::UnknownMessage>(frame.message);
  const auto name = unknown ? std::nullopt : proto::messageName(id);
  std::string length = "?";
  if (options.payload_length) {
    length = std::to_string(*options.payload_length);
  } else if (auto bytes = proto::encodeFrame(frame)) {
    length = std::to_string(bytes->size() - proto::kHeaderSize);
  }
  TextWriter w;
  w.line(0, "frame {}: {} (0x{:04x}) v{} flags=0x{:02x} txn={} length={}", options.index,
         name ? *name : "unknown", id, frame.version, frame.flags, frame.transaction_id, length);
  std::visit([&w](const auto& m) { printFields(w, m); }, frame.message);
  if (options.skipped_attributes > 0) {
    w.line(1, "skipped_unknown_attributes={}", options.skipped_attributes);
  }
  return w.take();
}

}  // namespace nmsp::proto_json
