// The MSE's device table: one device heard via two controllers is one row, latest report per AP
// radio, bounded with eviction, the AP table, and the exact text of the show commands.
#include "devices/device_table.h"

#include <gtest/gtest.h>

#include "devices/device_views.h"

namespace nmsp::devices {
namespace {

constexpr uint64_t kT0 = 1'764'633'600'000;  // 2025-12-02T00:00:00.000Z

MacAddress mac(const char* text) {
  return *MacAddress::parse(text);
}

proto::DeviceMeasurement measurement(const char* device, proto::DeviceKind kind,
                                     std::vector<std::tuple<const char*, int, uint64_t>> aps) {
  proto::DeviceMeasurement m;
  m.mac = mac(device);
  m.kind = kind;
  for (const auto& [ap, rssi, ts] : aps) {
    proto::ApRssi r;
    r.ap_mac = mac(ap);
    r.rssi_dbm = static_cast<int8_t>(rssi);
    r.snr_db = 30;
    r.timestamp_utc_ms = ts;
    m.aps.push_back(r);
  }
  return m;
}

TEST(DeviceTable, MergesControllersIntoOneDevice) {
  DeviceTable table;
  const auto a = table.controller("wlc-a");
  const auto b = table.controller("wlc-b");
  EXPECT_EQ(table.controller("wlc-a"), a);
  table.onMeasurement(a,
                      measurement("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                                  {{"00:2b:01:00:0a:00", -50, kT0}}),
                      kT0 + 10);
  table.onMeasurement(b,
                      measurement("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                                  {{"00:2b:01:00:0b:00", -70, kT0 + 5}}),
                      kT0 + 20);
  // An older report of an AP already held (e.g. relayed late) does not replace the newer one.
  table.onMeasurement(b,
                      measurement("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                                  {{"00:2b:01:00:0a:00", -90, kT0 - 1}}),
                      kT0 + 30);
  ASSERT_EQ(table.size(), 1u);
  const DeviceRecord* d = table.find(mac("f4:8c:50:00:00:01"));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->ap_count, 2);
  EXPECT_EQ(d->aps[0].rssi_dbm, -50);
  EXPECT_EQ(d->aps[0].via, a);
  EXPECT_EQ(d->aps[1].via, b);
  EXPECT_EQ(d->controllers, 3u);
  EXPECT_EQ(d->first_seen_ms, kT0 + 10);
  EXPECT_EQ(d->last_seen_ms, kT0 + 30);
  EXPECT_EQ(table.counters().observations, 3u);
}

TEST(DeviceTable, KeepsTheLatestSixteenApsAndEvictsDevices) {
  Limits limits;
  limits.max_devices = 2;
  DeviceTable table(limits);
  proto::DeviceMeasurement m;
  m.mac = mac("f4:8c:50:00:00:01");
  for (uint8_t i = 0; i < 17; ++i) {
    proto::ApRssi r;
    r.ap_mac = MacAddress{{0, 0x2b, 1, 0, 0, i}};
    r.rssi_dbm = -60;
    r.timestamp_utc_ms = i;
    m.aps.clear();
    m.aps.push_back(r);
    table.onMeasurement(0, m, i);
  }
  const DeviceRecord* d = table.find(m.mac);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->ap_count, 16);
  EXPECT_EQ(d->aps[0].ap.bytes[5], 16);  // the oldest (AP 0) made room
  table.onMeasurement(0, measurement("f4:8c:50:00:00:02", proto::DeviceKind::Client, {}), 20);
  table.onMeasurement(0, measurement("f4:8c:50:00:00:03", proto::DeviceKind::Client, {}), 21);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.counters().devices_evicted, 1u);
  EXPECT_EQ(table.find(m.mac), nullptr);
}

DeviceTable sampleTable() {
  DeviceTable table;
  const auto a = table.controller("wlc-a");
  const auto b = table.controller("wlc-b");
  proto::ApInfo ap;
  ap.mac = mac("00:2b:01:00:0a:00");
  ap.name = "AP-1-01";
  table.onApInfo(ap);
  table.onMeasurement(a,
                      measurement("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                                  {{"00:2b:01:00:0a:00", -52, kT0}}),
                      kT0 + 100);
  table.onMeasurement(b,
                      measurement("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                                  {{"00:2b:01:00:0b:00", -71, kT0 + 1}}),
                      kT0 + 200);
  table.onMeasurement(a,
                      measurement("00:0c:cc:00:00:07", proto::DeviceKind::RfidTag,
                                  {{"00:2b:01:00:0a:00", -80, kT0 + 2}}),
                      kT0 + 300);
  proto::DeviceInfo info;
  info.mac = mac("f4:8c:50:00:00:01");
  info.ip_addresses = {*IpAddress::parse("10.10.0.2")};
  info.ssid = "corp";
  info.vlan = 10;
  info.username = "user00042";
  info.assoc_state = proto::AssocState::Associated;
  info.band = proto::Band::Band5GHz;
  info.serving_ap = mac("00:2b:01:00:0a:00");
  table.onInfo(a, info, kT0 + 400);
  proto::DeviceStatistics stats;
  stats.mac = info.mac;
  stats.tx_bytes = 1200;
  stats.rx_bytes = 2800;
  table.onStatistics(a, stats, kT0 + 500);
  proto::Attachment attach;
  attach.device = info.mac;
  attach.ap_mac = mac("00:2b:01:00:0a:00");
  attach.ssid = "corp";
  attach.timestamp_utc_ms = kT0 + 50;
  table.onAttachment(a, attach, kT0 + 600);
  return table;
}

// The head of `show devices` for sampleTable(): the counts.
const std::string kSampleCounts =
    "Devices: 2 of at most 200000 (evicted: 0)\n"
    "Kind          Count\n"
    "client        1\n"
    "rfid-tag      1\n"
    "rogue-ap      0\n"
    "rogue-client  0\n"
    "interferer    0\n"
    "ap            0\n"
    "\n";

TEST(DeviceViews, ShowDevices) {
  const DeviceTable table = sampleTable();
  EXPECT_EQ(
      formatDevices(table.summary(std::nullopt, kShowDevicesLimit)),
      kSampleCounts +
          "MAC Address        Kind          APs  Best RSSI  Best AP            Last Seen (UTC)  "
          "         Via\n"
          "00:0c:cc:00:00:07  rfid-tag      1    -80 dBm    00:2b:01:00:0a:00  "
          "2025-12-02T00:00:00.300Z  wlc-a\n"
          "f4:8c:50:00:00:01  client        2    -52 dBm    00:2b:01:00:0a:00  "
          "2025-12-02T00:00:00.600Z  wlc-a, wlc-b\n");
  const std::string clients = formatDevices(table.summary(proto::DeviceKind::Client, 0));
  EXPECT_NE(clients.find("(0 of 1 shown, lowest MAC first; show device <mac> for one)\n"),
            std::string::npos);
  const std::string rogues = formatDevices(table.summary(proto::DeviceKind::RogueAp, 10));
  EXPECT_EQ(rogues.substr(rogues.size() - 7), "(none)\n");
}

TEST(DeviceViews, ShowDevicesWithLocationColumnsWhenTheMseLocates) {
  const DeviceTable table = sampleTable();
  DevicesSummary summary = table.summary(std::nullopt, kShowDevicesLimit);
  summary.locating = true;
  summary.rows[1].location = RowLocation{"2", 12.345, 7.0, 3.456};
  EXPECT_EQ(
      formatDevices(summary),
      kSampleCounts +
          "MAC Address        Kind          APs  Best RSSI  Best AP            Last Seen (UTC)  "
          "         Floor  X(m)     Y(m)     +-m     Via\n"
          "00:0c:cc:00:00:07  rfid-tag      1    -80 dBm    00:2b:01:00:0a:00  "
          "2025-12-02T00:00:00.300Z  -      -        -        -       wlc-a\n"
          "f4:8c:50:00:00:01  client        2    -52 dBm    00:2b:01:00:0a:00  "
          "2025-12-02T00:00:00.600Z  2      12.35    7.00     3.46    wlc-a, wlc-b\n");
  // A value as wide as its column keeps one space before the next.
  summary.rows[1].location = RowLocation{"floor-2", 1234567.5, -1.25, 0};
  const std::string wide = formatDevices(summary);
  EXPECT_NE(wide.find("Z  floor-2 1234567.50 -1.25    0.00    wlc-a, wlc-b\n"), std::string::npos)
      << wide;
}

TEST(DeviceViews, ShowDevice) {
  const DeviceTable table = sampleTable();
  auto detail = table.detail(mac("f4:8c:50:00:00:01"));
  ASSERT_TRUE(detail);
  EXPECT_EQ(
      formatDevice(*detail),
      "Device: f4:8c:50:00:00:01\n"
      "  Kind: client\n"
      "  First seen: 2025-12-02T00:00:00.100Z\n"
      "  Last seen: 2025-12-02T00:00:00.600Z\n"
      "  Via: wlc-a, wlc-b\n"
      "\n"
      "RSSI per AP (2)\n"
      "AP MAC             AP Name          Slot  Band    RSSI      SNR    Observed (UTC)  "
      "          Via\n"
      "00:2b:01:00:0a:00  AP-1-01          0     2.4ghz  -52 dBm   30 dB  "
      "2025-12-02T00:00:00.000Z  wlc-a\n"
      "00:2b:01:00:0b:00  -                0     2.4ghz  -71 dBm   30 dB  "
      "2025-12-02T00:00:00.001Z  wlc-b\n"
      "\n"
      "Info (received 2025-12-02T00:00:00.400Z)\n"
      "  IP address: 10.10.0.2\n"
      "  SSID: corp\n"
      "  VLAN: 10\n"
      "  User name: user00042\n"
      "  Association: associated\n"
      "  Band: 5ghz\n"
      "  Serving AP: 00:2b:01:00:0a:00\n"
      "\n"
      "Statistics (received 2025-12-02T00:00:00.500Z)\n"
      "  Tx bytes: 1200\n"
      "  Rx bytes: 2800\n"
      "\n"
      "Last attachment: attach to 00:2b:01:00:0a:00 at 2025-12-02T00:00:00.050Z, SSID corp\n");
  auto tag = table.detail(mac("00:0c:cc:00:00:07"));
  const std::string text = formatDevice(*tag);
  EXPECT_NE(text.find("\nInfo: none\n\nStatistics: none\n"), std::string::npos);
  EXPECT_EQ(formatUnknownDevice(mac("f4:8c:50:00:00:09")),
            "% Device f4:8c:50:00:00:09 is not known\n");
  EXPECT_FALSE(table.detail(mac("f4:8c:50:00:00:09")));
}

}  // namespace
}  // namespace nmsp::devices
