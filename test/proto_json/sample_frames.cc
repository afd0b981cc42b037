#include "sample_frames.h"

#include <cstdlib>

namespace nmsp::proto_json::testing {

using namespace nmsp::proto;

namespace {
constexpr uint64_t kT0 = 1795428000000;  // 2026-11-23T10:00:00.000Z

Frame frame(uint32_t txn, Message m) {
  Frame f;
  f.transaction_id = txn;
  f.flags = isRequest(messageIdOf(m)) ? kFlagRequest : 0;
  f.message = std::move(m);
  return f;
}

DeviceMeasurement measurement() {
  DeviceMeasurement d{mac("00:11:22:33:44:55"), DeviceKind::Client, {}};
  d.aps.push_back({mac("a0:b1:c2:00:00:01"), 0, Band::Band2_4GHz, 0, -60, 30, kT0});
  d.aps.push_back({mac("a0:b1:c2:00:00:02"), 1, Band::Band5GHz, 1, -72, 18, kT0 + 250});
  return d;
}

DeviceInfo info() {
  DeviceInfo d;
  d.mac = mac("00:11:22:33:44:55");
  d.kind = DeviceKind::RfidTag;
  d.ip_addresses = {ip("10.1.2.3"), ip("2001:db8::1")};
  d.ssid = "corp";
  d.vlan = 20;
  d.username = "alice";
  d.assoc_state = AssocState::Associated;
  d.band = Band::Band6GHz;
  d.serving_ap = mac("a0:b1:c2:00:00:01");
  d.battery_pct = 87;
  d.telemetry = {{TelemetryKind::TemperatureCentiC, 2150}, {TelemetryKind::MotionCount, -1}};
  return d;
}

DeviceStatistics statistics() {
  DeviceStatistics d;
  d.mac = mac("00:11:22:33:44:55");
  d.kind = DeviceKind::Client;
  d.tx_bytes = 123456789012ULL;
  d.rx_bytes = 987654321;
  d.tx_packets = 1000;
  d.rx_packets = 2000;
  d.tx_retries = 3;
  d.tx_failed = 0;
  d.timestamp_utc_ms = kT0;
  return d;
}
}  // namespace

MacAddress mac(const char* text) {
  auto m = MacAddress::parse(text);
  if (!m) {
    std::abort();  // a typo in the test data
  }
  return *m;
}

IpAddress ip(const char* text) {
  auto a = IpAddress::parse(text);
  if (!a) {
    std::abort();
  }
  return *a;
}

std::vector<Frame> sampleFrames() {
  std::vector<Frame> frames;
  frames.push_back(
      frame(1, InitRequest{1, 1, PeerRole::Mse, "mse-1.example.net", "8.0.150.0", kT0}));
  frames.push_back(frame(1, InitResponse{ResultCode::Success, 1, PeerRole::Controller, "wlc-9800",
                                         "17.9.4", kT0 + 12}));
  frames.push_back(frame(2, EchoRequest{kT0 + 15000}));
  frames.push_back(frame(2, EchoResponse{kT0 + 15003, kT0 + 15000}));
  frames.push_back(frame(9, ErrorMessage{ErrorReason::UnsupportedMessage, 0x7f00,
                                         std::string("unknown message id 0x7f00")}));
  frames.push_back(frame(0, CapabilityNotification{bit(Service::RssiMs) | bit(Service::RssiRfid) |
                                                   bit(Service::InfoMs) | bit(Service::ApInfo)}));
  frames.push_back(frame(3, ServiceSubscribeRequest{bit(Service::RssiMs) | bit(Service::InfoMs),
                                                    {{Service::RssiMs, 2}, {Service::InfoMs, 30}},
                                                    {"floor-1", "lobby"}}));
  frames.push_back(
      frame(3, ServiceSubscribeResponse{bit(Service::RssiMs),
                                        {{Service::RssiMs, ResultCode::Success},
                                         {Service::InfoMs, ResultCode::UnsupportedService}}}));
  frames.push_back(frame(4, ServiceUnsubscribeRequest{bit(Service::RssiMs)}));
  frames.push_back(
      frame(4, ServiceUnsubscribeResponse{0, {{Service::RssiMs, ResultCode::Success}}}));
  frames.push_back(frame(5, MeasurementRequest{{mac("00:11:22:33:44:55")}}));
  frames.push_back(frame(5, MeasurementResponse{ResultCode::Success, {measurement()}}));
  frames.push_back(frame(3, MeasurementNotification{{measurement(), measurement()}}));
  frames.push_back(frame(6, InfoRequest{{}}));
  frames.push_back(frame(6, InfoResponse{ResultCode::UnknownDevice, {}}));
  frames.push_back(frame(3, InfoNotification{{info()}}));
  frames.push_back(
      frame(7, StatisticsRequest{{mac("00:11:22:33:44:55"), mac("66:77:88:99:aa:bb")}}));
  frames.push_back(frame(7, StatisticsResponse{ResultCode::Success, {statistics()}}));
  DeviceStatistics sparse;
  sparse.mac = mac("66:77:88:99:aa:bb");
  sparse.kind = DeviceKind::RogueClient;
  frames.push_back(frame(3, StatisticsNotification{{statistics(), sparse}}));
  frames.push_back(frame(
      0, ApInfoNotification{{ApInfo{mac("a0:b1:c2:00:00:01"),
                                    "AP-Floor1-East",
                                    ip("10.0.0.21"),
                                    {{0, Band::Band2_4GHz, 6, 17}, {1, Band::Band5GHz, 36, -3}}},
                             ApInfo{mac("a0:b1:c2:00:00:02"), "AP-Lobby", std::nullopt, {}}}}));
  frames.push_back(
      frame(0, AttachmentNotification{
                   {Attachment{mac("00:11:22:33:44:55"), AttachState::Attach,
                               mac("a0:b1:c2:00:00:01"), ip("10.1.2.3"), std::string("corp"), kT0},
                    Attachment{mac("66:77:88:99:aa:bb"), AttachState::Detach, std::nullopt,
                               std::nullopt, std::nullopt, kT0 + 1}}}));
  frames.push_back(frame(
      0, LocationNotification{{DeviceLocation{mac("00:11:22:33:44:55"), DeviceKind::Client,
                                              "Campus>Building 1>Floor 2", 12500, -3400, 1500, 2100,
                                              455200000, -739800000, kT0},
                               DeviceLocation{mac("66:77:88:99:aa:bb"), DeviceKind::Interferer,
                                              "Campus>Building 1>Floor 2", 0, 0, 0, std::nullopt,
                                              std::nullopt, std::nullopt, kT0}}}));
  frames.push_back(frame(42, UnknownMessage{0x7f00, {0x00, 0x01, 0x00, 0x02, 0xbe, 0xef}}));
  return frames;
}

}  // namespace nmsp::proto_json::testing
