#pragma once
// Realistic frames of every message type. The golden vectors of docs/protocol.md are these
// frames encoded (print_vectors prints them); tests, fuzz seeds and benchmarks reuse them.

#include <string>
#include <utility>
#include <vector>

#include "proto/messages.h"

namespace nmsp::proto::testing {

struct NamedFrame {
  std::string name;  // the vector name in docs/protocol.md: messageName() of the id
  Frame frame;
};

inline MacAddress mac(const char* text) {
  return *MacAddress::parse(text);
}
inline IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

inline constexpr uint64_t kMseClock = 1763942400123;         // 2025-11-24 00:00:00.123 UTC
inline constexpr uint64_t kControllerClock = 1763942400456;  // 333 ms later

inline DeviceMeasurement sampleMeasurement(const char* device, int aps) {
  DeviceMeasurement d;
  d.mac = mac(device);
  d.kind = DeviceKind::Client;
  for (int i = 0; i < aps; ++i) {
    ApRssi a;
    a.ap_mac = mac("70:db:98:2a:11:40");
    a.ap_mac.bytes[5] = static_cast<uint8_t>(0x40 + 0x10 * i);
    a.slot = static_cast<uint8_t>(i % 2);
    a.band = i % 2 == 0 ? Band::Band2_4GHz : Band::Band5GHz;
    a.antenna = 0;
    a.rssi_dbm = static_cast<int8_t>(-52 - 7 * i);
    a.snr_db = static_cast<int8_t>(38 - 7 * i);
    a.timestamp_utc_ms = kControllerClock - 250;
    d.aps.push_back(a);
  }
  return d;
}

inline std::vector<NamedFrame> sampleFrames() {
  std::vector<NamedFrame> out;
  auto add = [&out](std::string name, uint8_t flags, uint32_t txn, Message m) {
    out.push_back({std::move(name), Frame{1, flags, txn, std::move(m)}});
  };
  add("init-request", kFlagRequest, 1,
      InitRequest{1, 1, PeerRole::Mse, "mse-lab-01", "8.0.150.0", kMseClock});
  add("init-response", 0, 1,
      InitResponse{ResultCode::Success, 1, PeerRole::Controller, "WLC-9800-Floor2", "17.12.5",
                   kControllerClock});
  add("echo-request", kFlagRequest, 2, EchoRequest{kMseClock + 15000});
  add("echo-response", 0, 2, EchoResponse{kControllerClock + 15000, kMseClock + 15000});
  add("error", 0, 7,
      ErrorMessage{ErrorReason::UnsupportedMessage, 0x0099, "message 0x0099 not supported"});
  add("capability-notification", 0, 0,
      CapabilityNotification{bit(Service::RssiMs) | bit(Service::RssiRfid) | bit(Service::InfoMs) |
                             bit(Service::StatsMs) | bit(Service::Attach) | bit(Service::Location) |
                             bit(Service::ApInfo)});
  add("service-subscribe-request", kFlagRequest, 3,
      ServiceSubscribeRequest{bit(Service::RssiMs) | bit(Service::InfoMs),
                              {ServiceInterval{Service::RssiMs, 2}},
                              {"floor2"}});
  add("service-subscribe-response", 0, 3,
      ServiceSubscribeResponse{bit(Service::RssiMs) | bit(Service::InfoMs),
                               {ServiceResult{Service::RssiMs, ResultCode::Success},
                                ServiceResult{Service::InfoMs, ResultCode::Success}}});
  add("service-unsubscribe-request", kFlagRequest, 4,
      ServiceUnsubscribeRequest{bit(Service::InfoMs)});
  add("service-unsubscribe-response", 0, 4,
      ServiceUnsubscribeResponse{bit(Service::RssiMs),
                                 {ServiceResult{Service::InfoMs, ResultCode::Success}}});
  add("measurement-request", kFlagRequest, 5, MeasurementRequest{{mac("3c:22:fb:10:20:30")}});
  add("measurement-response", 0, 5,
      MeasurementResponse{ResultCode::Success, {sampleMeasurement("3c:22:fb:10:20:30", 1)}});
  add("measurement-notification", 0, 3,
      MeasurementNotification{
          {sampleMeasurement("3c:22:fb:10:20:30", 2), sampleMeasurement("a4:83:e7:55:66:77", 1)}});
  DeviceInfo client;
  client.mac = mac("3c:22:fb:10:20:30");
  client.kind = DeviceKind::Client;
  client.ip_addresses = {ip("10.20.30.41"), ip("2001:db8::41")};
  client.ssid = "corp-wifi";
  client.vlan = 120;
  client.username = "alice";
  client.assoc_state = AssocState::Associated;
  client.band = Band::Band5GHz;
  client.serving_ap = mac("70:db:98:2a:11:40");
  DeviceInfo tag;
  tag.mac = mac("00:0c:cc:01:02:03");
  tag.kind = DeviceKind::RfidTag;
  tag.battery_pct = 87;
  tag.telemetry = {Telemetry{TelemetryKind::TemperatureCentiC, 2150}};
  add("info-request", kFlagRequest, 6, InfoRequest{{mac("3c:22:fb:10:20:30")}});
  add("info-response", 0, 6, InfoResponse{ResultCode::Success, {client}});
  add("info-notification", 0, 3, InfoNotification{{tag}});
  DeviceStatistics stats;
  stats.mac = mac("3c:22:fb:10:20:30");
  stats.kind = DeviceKind::Client;
  stats.tx_bytes = 18345012;
  stats.rx_bytes = 2501733;
  stats.tx_retries = 311;
  stats.timestamp_utc_ms = kControllerClock;
  add("statistics-request", kFlagRequest, 8, StatisticsRequest{{}});
  add("statistics-response", 0, 8, StatisticsResponse{ResultCode::Success, {stats}});
  add("statistics-notification", 0, 9, StatisticsNotification{{stats}});
  ApInfo ap;
  ap.mac = mac("70:db:98:2a:11:40");
  ap.name = "AP-Floor2-East";
  ap.ip = ip("10.20.0.17");
  ap.radios = {ApRadio{0, Band::Band2_4GHz, 6, 17}, ApRadio{1, Band::Band5GHz, 36, 20}};
  add("ap-info-notification", 0, 0, ApInfoNotification{{ap}});
  add("attachment-notification", 0, 0,
      AttachmentNotification{
          {Attachment{mac("3c:22:fb:10:20:30"), AttachState::Attach, mac("70:db:98:2a:11:40"),
                      ip("10.20.30.41"), "corp-wifi", kControllerClock}}});
  DeviceLocation loc;
  loc.mac = mac("3c:22:fb:10:20:30");
  loc.kind = DeviceKind::Client;
  loc.map = "Campus>Building 1>Floor 2";
  loc.x_mm = 12500;
  loc.y_mm = 8250;
  loc.z_mm = 1200;
  loc.error_radius_mm = 3000;
  loc.latitude_e7 = 453070000;
  loc.longitude_e7 = 94320000;
  loc.timestamp_utc_ms = kMseClock + 2000;
  add("location-notification", 0, 0, LocationNotification{{loc}});
  return out;
}

}  // namespace nmsp::proto::testing
