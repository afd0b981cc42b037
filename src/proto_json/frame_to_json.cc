// Frame -> canonical JSON. One addFields overload per message type.
#include <string_view>

#include "proto/services.h"
#include "proto_json/enum_names.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"

namespace nmsp::proto_json {
namespace {

using nlohmann::json;

template <class E>
json enumJson(E value) {
  if (auto name = enumName(value)) {
    return std::string(*name);
  }
  return static_cast<uint64_t>(value);  // outside the enum: only frames built in code
}

json serviceJson(proto::Service s) {
  if (auto name = proto::serviceName(static_cast<uint8_t>(s))) {
    return std::string(*name);
  }
  return static_cast<uint64_t>(s);
}

// Names while every bit is a known service; the number otherwise, so no bit is lost.
json serviceMaskJson(proto::ServiceMask mask) {
  if ((mask & ~proto::kKnownServices) != 0) {
    return mask;
  }
  json names = json::array();
  for (uint8_t i = 0; i < proto::kServiceCount; ++i) {
    if ((mask & (proto::ServiceMask{1} << i)) != 0) {
      names.push_back(std::string(*proto::serviceName(i)));
    }
  }
  return names;
}

json macList(const std::vector<MacAddress>& macs) {
  json list = json::array();
  for (const auto& mac : macs) {
    list.push_back(mac.toString());
  }
  return list;
}

json resultsJson(const std::vector<proto::ServiceResult>& results) {
  json list = json::array();
  for (const auto& r : results) {
    list.push_back({{"service", serviceJson(r.service)}, {"result", enumJson(r.result)}});
  }
  return list;
}

template <class T>
void putOptional(json& j, std::string_view key, const std::optional<T>& value) {
  if (value) {
    j[std::string(key)] = *value;
  }
}

json measurementJson(const proto::DeviceMeasurement& d) {
  json aps = json::array();
  for (const auto& ap : d.aps) {
    aps.push_back({{"ap_mac", ap.ap_mac.toString()},
                   {"slot", ap.slot},
                   {"band", enumJson(ap.band)},
                   {"antenna", ap.antenna},
                   {"rssi_dbm", ap.rssi_dbm},
                   {"snr_db", ap.snr_db},
                   {"timestamp_utc_ms", ap.timestamp_utc_ms}});
  }
  return {{"mac", d.mac.toString()}, {"kind", enumJson(d.kind)}, {"aps", std::move(aps)}};
}

json infoJson(const proto::DeviceInfo& d) {
  json j = {{"mac", d.mac.toString()}, {"kind", enumJson(d.kind)}};
  json ips = json::array();
  for (const auto& ip : d.ip_addresses) {
    ips.push_back(ip.toString());
  }
  j["ip_addresses"] = std::move(ips);
  putOptional(j, "ssid", d.ssid);
  putOptional(j, "vlan", d.vlan);
  putOptional(j, "username", d.username);
  if (d.assoc_state) {
    j["assoc_state"] = enumJson(*d.assoc_state);
  }
  if (d.band) {
    j["band"] = enumJson(*d.band);
  }
  if (d.serving_ap) {
    j["serving_ap"] = d.serving_ap->toString();
  }
  putOptional(j, "battery_pct", d.battery_pct);
  json telemetry = json::array();
  for (const auto& t : d.telemetry) {
    telemetry.push_back({{"kind", enumJson(t.kind)}, {"value", t.value}});
  }
  j["telemetry"] = std::move(telemetry);
  return j;
}

json statisticsJson(const proto::DeviceStatistics& d) {
  json j = {{"mac", d.mac.toString()}, {"kind", enumJson(d.kind)}};
  putOptional(j, "tx_bytes", d.tx_bytes);
  putOptional(j, "rx_bytes", d.rx_bytes);
  putOptional(j, "tx_packets", d.tx_packets);
  putOptional(j, "rx_packets", d.rx_packets);
  putOptional(j, "tx_retries", d.tx_retries);
  putOptional(j, "tx_failed", d.tx_failed);
  putOptional(j, "timestamp_utc_ms", d.timestamp_utc_ms);
  return j;
}

template <class T, class F>
json listJson(const std::vector<T>& items, F&& toItem) {
  json list = json::array();
  for (const auto& item : items) {
    list.push_back(toItem(item));
  }
  return list;
}

void addFields(json& j, const proto::InitRequest& m) {
  j["min_version"] = m.min_version;
  j["max_version"] = m.max_version;
  j["role"] = enumJson(m.role);
  j["name"] = m.name;
  j["software_version"] = m.software_version;
  j["clock_utc_ms"] = m.clock_utc_ms;
}

void addFields(json& j, const proto::InitResponse& m) {
  j["result"] = enumJson(m.result);
  j["selected_version"] = m.selected_version;
  j["role"] = enumJson(m.role);
  j["name"] = m.name;
  j["software_version"] = m.software_version;
  j["clock_utc_ms"] = m.clock_utc_ms;
}

void addFields(json& j, const proto::EchoRequest& m) {
  putOptional(j, "clock_utc_ms", m.clock_utc_ms);
}

void addFields(json& j, const proto::EchoResponse& m) {
  putOptional(j, "clock_utc_ms", m.clock_utc_ms);
  putOptional(j, "echoed_clock_utc_ms", m.echoed_clock_utc_ms);
}

void addFields(json& j, const proto::ErrorMessage& m) {
  j["reason"] = enumJson(m.reason);
  j["offending_message_id"] = m.offending_message_id;
  putOptional(j, "text", m.text);
}

void addFields(json& j, const proto::CapabilityNotification& m) {
  j["services"] = serviceMaskJson(m.services);
}

void addFields(json& j, const proto::ServiceSubscribeRequest& m) {
  j["services"] = serviceMaskJson(m.services);
  j["intervals"] = listJson(m.intervals, [](const proto::ServiceInterval& i) {
    return json{{"service", serviceJson(i.service)}, {"interval_s", i.interval_s}};
  });
  j["ap_groups"] = m.ap_groups;
}

void addFields(json& j, const proto::ServiceSubscribeResponse& m) {
  j["granted"] = serviceMaskJson(m.granted);
  j["results"] = resultsJson(m.results);
}

void addFields(json& j, const proto::ServiceUnsubscribeRequest& m) {
  j["services"] = serviceMaskJson(m.services);
}

void addFields(json& j, const proto::ServiceUnsubscribeResponse& m) {
  j["remaining"] = serviceMaskJson(m.remaining);
  j["results"] = resultsJson(m.results);
}

void addFields(json& j, const proto::MeasurementRequest& m) {
  j["devices"] = macList(m.devices);
}
void addFields(json& j, const proto::InfoRequest& m) {
  j["devices"] = macList(m.devices);
}
void addFields(json& j, const proto::StatisticsRequest& m) {
  j["devices"] = macList(m.devices);
}

void addFields(json& j, const proto::MeasurementResponse& m) {
  j["result"] = enumJson(m.result);
  j["devices"] = listJson(m.devices, measurementJson);
}

void addFields(json& j, const proto::MeasurementNotification& m) {
  j["devices"] = listJson(m.devices, measurementJson);
}

void addFields(json& j, const proto::InfoResponse& m) {
  j["result"] = enumJson(m.result);
  j["devices"] = listJson(m.devices, infoJson);
}

void addFields(json& j, const proto::InfoNotification& m) {
  j["devices"] = listJson(m.devices, infoJson);
}

void addFields(json& j, const proto::StatisticsResponse& m) {
  j["result"] = enumJson(m.result);
  j["devices"] = listJson(m.devices, statisticsJson);
}

void addFields(json& j, const proto::StatisticsNotification& m) {
  j["devices"] = listJson(m.devices, statisticsJson);
}

void addFields(json& j, const proto::ApInfoNotification& m) {
  j["aps"] = listJson(m.aps, [](const proto::ApInfo& ap) {
    json a = {{"mac", ap.mac.toString()}, {"name", ap.name}};
    if (ap.ip) {
      a["ip"] = ap.ip->toString();
    }
    a["radios"] = listJson(ap.radios, [](const proto::ApRadio& r) {
      return json{{"slot", r.slot},
                  {"band", enumJson(r.band)},
                  {"channel", r.channel},
                  {"tx_power_dbm", r.tx_power_dbm}};
    });
    return a;
  });
}

void addFields(json& j, const proto::AttachmentNotification& m) {
  j["attachments"] = listJson(m.attachments, [](const proto::Attachment& a) {
    json o = {{"device", a.device.toString()}, {"state", enumJson(a.state)}};
    if (a.ap_mac) {
      o["ap_mac"] = a.ap_mac->toString();
    }
    if (a.ip) {
      o["ip"] = a.ip->toString();
    }
    putOptional(o, "ssid", a.ssid);
    o["timestamp_utc_ms"] = a.timestamp_utc_ms;
    return o;
  });
}

void addFields(json& j, const proto::LocationNotification& m) {
  j["locations"] = listJson(m.locations, [](const proto::DeviceLocation& l) {
    json o = {{"mac", l.mac.toString()}, {"kind", enumJson(l.kind)}, {"map", l.map},
              {"x_mm", l.x_mm},          {"y_mm", l.y_mm},           {"z_mm", l.z_mm}};
    putOptional(o, "error_radius_mm", l.error_radius_mm);
    putOptional(o, "latitude_e7", l.latitude_e7);
    putOptional(o, "longitude_e7", l.longitude_e7);
    o["timestamp_utc_ms"] = l.timestamp_utc_ms;
    return o;
  });
}

void addFields(json& j, const proto::UnknownMessage& m) {
  j["id"] = m.id;
  j["payload_hex"] = formatHex(m.payload);
}

}  // namespace

nlohmann::json toJson(const proto::Frame& frame) {
  json j = json::object();
  const uint16_t id = proto::messageIdOf(frame.message);
  const bool unknown = std::holds_alternative<proto::UnknownMessage>(frame.message);
  const auto name = unknown ? std::nullopt : proto::messageName(id);
  j["message"] = name ? std::string(*name) : std::string("unknown");
  j["transaction_id"] = frame.transaction_id;
  j["version"] = frame.version;
  j["flags"] = frame.flags;
  std::visit([&j](const auto& m) { addFields(j, m); }, frame.message);
  return j;
}

}  // namespace nmsp::proto_json
