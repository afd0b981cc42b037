// JSON -> Frame, checked against the schema of docs/protocol-json.md. One read function per
// message type; ObjectReader keeps the first error with its JSON path.
#include <array>

#include "proto/codec.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"
#include "proto_json/json_reader.h"

namespace nmsp::proto_json {
namespace {

using nlohmann::json;
using proto::MessageId;

constexpr std::array kAllMessageIds = {
    MessageId::InitRequest,
    MessageId::InitResponse,
    MessageId::EchoRequest,
    MessageId::EchoResponse,
    MessageId::Error,
    MessageId::CapabilityNotification,
    MessageId::ServiceSubscribeRequest,
    MessageId::ServiceSubscribeResponse,
    MessageId::ServiceUnsubscribeRequest,
    MessageId::ServiceUnsubscribeResponse,
    MessageId::MeasurementRequest,
    MessageId::MeasurementResponse,
    MessageId::MeasurementNotification,
    MessageId::InfoRequest,
    MessageId::InfoResponse,
    MessageId::InfoNotification,
    MessageId::StatisticsRequest,
    MessageId::StatisticsResponse,
    MessageId::StatisticsNotification,
    MessageId::ApInfoNotification,
    MessageId::AttachmentNotification,
    MessageId::LocationNotification,
};

// Protocol ranges that JSON types cannot express (docs/protocol.md, attribute table).
constexpr uint16_t kMaxVlan = 4094;
constexpr uint8_t kMaxBatteryPct = 100;
constexpr uint16_t kMinIntervalS = 1;
constexpr uint16_t kMaxIntervalS = 180;

std::vector<MacAddress> readMacList(ObjectReader& r, std::string_view key) {
  std::vector<MacAddress> macs;
  r.list(key, [&](const json& v, const std::string& path) {
    macs.push_back(readMac(v, path, r.errors()));
  });
  return macs;
}

std::vector<proto::ServiceResult> readResults(ObjectReader& r) {
  std::vector<proto::ServiceResult> results;
  r.list("results", [&](const json& v, const std::string& path) {
    ObjectReader item(v, path, r.errors());
    proto::ServiceResult result;
    result.service = item.service("service");
    result.result = item.enumeration<proto::ResultCode>("result");
    item.finish();
    results.push_back(result);
  });
  return results;
}

proto::DeviceMeasurement readMeasurement(const json& v, const std::string& path,
                                         ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::DeviceMeasurement d;
  d.mac = r.mac("mac");
  d.kind = r.enumeration<proto::DeviceKind>("kind");
  r.list("aps", [&](const json& a, const std::string& ap_path) {
    ObjectReader ap_reader(a, ap_path, errors);
    proto::ApRssi ap;
    ap.ap_mac = ap_reader.mac("ap_mac");
    ap.slot = ap_reader.integer<uint8_t>("slot");
    ap.band = ap_reader.enumeration<proto::Band>("band");
    ap.antenna = ap_reader.integer<uint8_t>("antenna");
    ap.rssi_dbm = ap_reader.integer<int8_t>("rssi_dbm");
    ap.snr_db = ap_reader.integer<int8_t>("snr_db");
    ap.timestamp_utc_ms = ap_reader.integer<uint64_t>("timestamp_utc_ms");
    ap_reader.finish();
    if (!d.aps.push_back(ap)) {
      errors.fail(ap_path,
                  fmt::format("too many APs (at most {} per device)", proto::kMaxApsPerDevice));
    }
  });
  r.finish();
  return d;
}

proto::DeviceInfo readInfo(const json& v, const std::string& path, ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::DeviceInfo d;
  d.mac = r.mac("mac");
  d.kind = r.enumeration<proto::DeviceKind>("kind");
  r.list("ip_addresses", [&](const json& ip, const std::string& ip_path) {
    d.ip_addresses.push_back(readIp(ip, ip_path, errors));
  });
  d.ssid = r.optionalString("ssid");
  d.vlan = r.optionalInteger<uint16_t>("vlan", 0, kMaxVlan);
  d.username = r.optionalString("username");
  d.assoc_state = r.optionalEnumeration<proto::AssocState>("assoc_state");
  d.band = r.optionalEnumeration<proto::Band>("band");
  d.serving_ap = r.optionalMac("serving_ap");
  d.battery_pct = r.optionalInteger<uint8_t>("battery_pct", 0, kMaxBatteryPct);
  r.list("telemetry", [&](const json& t, const std::string& t_path) {
    ObjectReader tr(t, t_path, errors);
    proto::Telemetry telemetry;
    telemetry.kind = tr.enumeration<proto::TelemetryKind>("kind");
    telemetry.value = tr.integer<int64_t>("value");
    tr.finish();
    d.telemetry.push_back(telemetry);
  });
  r.finish();
  return d;
}

proto::DeviceStatistics readStatistics(const json& v, const std::string& path, ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::DeviceStatistics d;
  d.mac = r.mac("mac");
  d.kind = r.enumeration<proto::DeviceKind>("kind");
  d.tx_bytes = r.optionalInteger<uint64_t>("tx_bytes");
  d.rx_bytes = r.optionalInteger<uint64_t>("rx_bytes");
  d.tx_packets = r.optionalInteger<uint64_t>("tx_packets");
  d.rx_packets = r.optionalInteger<uint64_t>("rx_packets");
  d.tx_retries = r.optionalInteger<uint64_t>("tx_retries");
  d.tx_failed = r.optionalInteger<uint64_t>("tx_failed");
  d.timestamp_utc_ms = r.optionalInteger<uint64_t>("timestamp_utc_ms");
  r.finish();
  return d;
}

proto::ApInfo readApInfo(const json& v, const std::string& path, ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::ApInfo ap;
  ap.mac = r.mac("mac");
  ap.name = r.string("name");
  ap.ip = r.optionalIp("ip");
  r.list("radios", [&](const json& radio, const std::string& radio_path) {
    ObjectReader rr(radio, radio_path, errors);
    proto::ApRadio x;
    x.slot = rr.integer<uint8_t>("slot");
    x.band = rr.enumeration<proto::Band>("band");
    x.channel = rr.integer<uint8_t>("channel");
    x.tx_power_dbm = rr.integer<int8_t>("tx_power_dbm");
    rr.finish();
    ap.radios.push_back(x);
  });
  r.finish();
  return ap;
}

proto::Attachment readAttachment(const json& v, const std::string& path, ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::Attachment a;
  a.device = r.mac("device");
  a.state = r.enumeration<proto::AttachState>("state");
  a.ap_mac = r.optionalMac("ap_mac");
  a.ip = r.optionalIp("ip");
  a.ssid = r.optionalString("ssid");
  a.timestamp_utc_ms = r.integer<uint64_t>("timestamp_utc_ms");
  r.finish();
  return a;
}

proto::DeviceLocation readLocation(const json& v, const std::string& path, ReadErrors& errors) {
  ObjectReader r(v, path, errors);
  proto::DeviceLocation l;
  l.mac = r.mac("mac");
  l.kind = r.enumeration<proto::DeviceKind>("kind");
  l.map = r.string("map");
  l.x_mm = r.integer<int32_t>("x_mm");
  l.y_mm = r.integer<int32_t>("y_mm");
  l.z_mm = r.integer<int32_t>("z_mm");
  l.error_radius_mm = r.optionalInteger<uint32_t>("error_radius_mm");
  l.latitude_e7 = r.optionalInteger<int32_t>("latitude_e7");
  l.longitude_e7 = r.optionalInteger<int32_t>("longitude_e7");
  l.timestamp_utc_ms = r.integer<uint64_t>("timestamp_utc_ms");
  r.finish();
  return l;
}

template <class T, class F>
std::vector<T> readList(ObjectReader& r, std::string_view key, F&& readItem) {
  std::vector<T> items;
  r.list(key, [&](const json& v, const std::string& path) {
    items.push_back(readItem(v, path, r.errors()));
  });
  return items;
}

proto::Message readKnownMessage(MessageId id, ObjectReader& r) {
  switch (id) {
    case MessageId::InitRequest: {
      proto::InitRequest m;
      m.min_version = r.integer<uint8_t>("min_version");
      m.max_version = r.integer<uint8_t>("max_version");
      m.role = r.enumeration<proto::PeerRole>("role");
      m.name = r.string("name");
      m.software_version = r.string("software_version");
      m.clock_utc_ms = r.integer<uint64_t>("clock_utc_ms");
      return m;
    }
    case MessageId::InitResponse: {
      proto::InitResponse m;
      m.result = r.enumeration<proto::ResultCode>("result");
      m.selected_version = r.integer<uint8_t>("selected_version");
      m.role = r.enumeration<proto::PeerRole>("role");
      m.name = r.string("name");
      m.software_version = r.string("software_version");
      m.clock_utc_ms = r.integer<uint64_t>("clock_utc_ms");
      return m;
    }
    case MessageId::EchoRequest:
      return proto::EchoRequest{r.optionalInteger<uint64_t>("clock_utc_ms")};
    case MessageId::EchoResponse: {
      proto::EchoResponse m;
      m.clock_utc_ms = r.optionalInteger<uint64_t>("clock_utc_ms");
      m.echoed_clock_utc_ms = r.optionalInteger<uint64_t>("echoed_clock_utc_ms");
      return m;
    }
    case MessageId::Error: {
      proto::ErrorMessage m;
      m.reason = r.enumeration<proto::ErrorReason>("reason");
      m.offending_message_id = r.integer<uint16_t>("offending_message_id");
      m.text = r.optionalString("text");
      return m;
    }
    case MessageId::CapabilityNotification:
      return proto::CapabilityNotification{r.serviceMask("services")};
    case MessageId::ServiceSubscribeRequest: {
      proto::ServiceSubscribeRequest m;
      m.services = r.serviceMask("services");
      r.list("intervals", [&](const json& v, const std::string& path) {
        ObjectReader item(v, path, r.errors());
        proto::ServiceInterval interval;
        interval.service = item.service("service");
        interval.interval_s = item.integer<uint16_t>("interval_s", kMinIntervalS, kMaxIntervalS);
        item.finish();
        m.intervals.push_back(interval);
      });
      r.list("ap_groups", [&](const json& v, const std::string& path) {
        m.ap_groups.push_back(readString(v, path, r.errors()));
      });
      return m;
    }
    case MessageId::ServiceSubscribeResponse: {
      proto::ServiceSubscribeResponse m;
      m.granted = r.serviceMask("granted");
      m.results = readResults(r);
      return m;
    }
    case MessageId::ServiceUnsubscribeRequest:
      return proto::ServiceUnsubscribeRequest{r.serviceMask("services")};
    case MessageId::ServiceUnsubscribeResponse: {
      proto::ServiceUnsubscribeResponse m;
      m.remaining = r.serviceMask("remaining");
      m.results = readResults(r);
      return m;
    }
    case MessageId::MeasurementRequest:
      return proto::MeasurementRequest{readMacList(r, "devices")};
    case MessageId::MeasurementResponse: {
      proto::MeasurementResponse m;
      m.result = r.enumeration<proto::ResultCode>("result");
      m.devices = readList<proto::DeviceMeasurement>(r, "devices", readMeasurement);
      return m;
    }
    case MessageId::MeasurementNotification:
      return proto::MeasurementNotification{
          readList<proto::DeviceMeasurement>(r, "devices", readMeasurement)};
    case MessageId::InfoRequest:
      return proto::InfoRequest{readMacList(r, "devices")};
    case MessageId::InfoResponse: {
      proto::InfoResponse m;
      m.result = r.enumeration<proto::ResultCode>("result");
      m.devices = readList<proto::DeviceInfo>(r, "devices", readInfo);
      return m;
    }
    case MessageId::InfoNotification:
      return proto::InfoNotification{readList<proto::DeviceInfo>(r, "devices", readInfo)};
    case MessageId::StatisticsRequest:
      return proto::StatisticsRequest{readMacList(r, "devices")};
    case MessageId::StatisticsResponse: {
      proto::StatisticsResponse m;
      m.result = r.enumeration<proto::ResultCode>("result");
      m.devices = readList<proto::DeviceStatistics>(r, "devices", readStatistics);
      return m;
    }
    case MessageId::StatisticsNotification:
      return proto::StatisticsNotification{
          readList<proto::DeviceStatistics>(r, "devices", readStatistics)};
    case MessageId::ApInfoNotification:
      return proto::ApInfoNotification{readList<proto::ApInfo>(r, "aps", readApInfo)};
    case MessageId::AttachmentNotification:
      return proto::AttachmentNotification{
          readList<proto::Attachment>(r, "attachments", readAttachment)};
    case MessageId::LocationNotification:
      return proto::LocationNotification{
          readList<proto::DeviceLocation>(r, "locations", readLocation)};
  }
  return proto::UnknownMessage{static_cast<uint16_t>(id),
                               {}};  // unreachable: ids come from the table
}

proto::UnknownMessage readUnknownMessage(ObjectReader& r) {
  proto::UnknownMessage m;
  m.id = r.integer<uint16_t>("id");
  if (auto name = proto::messageName(m.id)) {
    r.errors().fail(
        memberPath(r.path(), "id"),
        fmt::format("0x{:04x} is a known message: write \"message\": \"{}\"", m.id, *name));
  }
  const std::string hex = r.string("payload_hex");
  if (auto bytes = parseHex(hex)) {
    m.payload = std::move(*bytes);
  } else {
    r.errors().fail(memberPath(r.path(), "payload_hex"), bytes.error());
  }
  return m;
}

std::optional<MessageId> messageIdFromName(std::string_view name) {
  for (const MessageId id : kAllMessageIds) {
    if (proto::messageName(static_cast<uint16_t>(id)) == name) {
      return id;
    }
  }
  return std::nullopt;
}

}  // namespace

std::span<const proto::MessageId> allMessageIds() {
  return kAllMessageIds;
}

Result<proto::Frame, std::string> fromJson(const nlohmann::json& value) {
  ReadErrors errors;
  ObjectReader r(value, "", errors);
  proto::Frame frame;
  const json* message = r.member("message", true);
  if (message == nullptr && !errors.failed()) {
    errors.fail("message", "missing (required: the message name, e.g. \"init-request\")");
  }
  const std::string name = message ? readString(*message, "message", errors) : std::string();
  frame.transaction_id = r.optionalInteger<uint32_t>("transaction_id").value_or(0);
  frame.version = r.optionalInteger<uint8_t>("version").value_or(proto::kProtocolVersion);
  const auto flags = r.optionalInteger<uint8_t>("flags");
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  if (name == "unknown") {
    frame.message = readUnknownMessage(r);
  } else if (const auto id = messageIdFromName(name)) {
    frame.message = readKnownMessage(*id, r);
  } else {
    errors.fail("message", fmt::format("unknown message name \"{}\" (e.g. \"init-request\", "
                                       "\"measurement-notification\", or \"unknown\")",
                                       name));
  }
  r.finish();
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  const bool request = proto::isRequest(proto::messageIdOf(frame.message));
  frame.flags = flags.value_or(request ? proto::kFlagRequest : 0);
  return frame;
}

}  // namespace nmsp::proto_json
