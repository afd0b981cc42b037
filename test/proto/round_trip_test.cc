// Property: for random valid messages of every type, decode(encode(m)) == m and re-encoding
// gives the same bytes (the encoding is canonical).
#include <gtest/gtest.h>

#include "proto/codec.h"
#include "random_messages.h"

namespace nmsp::proto {
namespace testing {

std::string RandomMessages::text(size_t min, size_t max) {
  // Mixes ASCII with 2-, 3- and 4-byte UTF-8 sequences, within the byte limits.
  static const char* const kPieces[] = {
      "a", "Z", "7", "-", " ", "\xc3\xa8", "\xe2\x82\xac", "\xf0\x9f\x93\xa1"};
  const auto target = static_cast<size_t>(
      between(static_cast<int64_t>(min), static_cast<int64_t>(std::min<size_t>(max, 40))));
  std::string s;
  while (s.size() < target) {
    std::string piece = kPieces[between(0, 7)];
    if (s.size() + piece.size() > max) {
      piece = "x";
    }
    s += piece;
  }
  return s;
}

MacAddress RandomMessages::mac() {
  MacAddress m;
  for (auto& b : m.bytes) {
    b = pick<uint8_t>(0, 255);
  }
  return m;
}

IpAddress RandomMessages::ip() {
  IpAddress a;
  a.family = coin() ? IpAddress::Family::V4 : IpAddress::Family::V6;
  for (size_t i = 0; i < a.size(); ++i) {
    a.bytes[i] = pick<uint8_t>(0, 255);
  }
  return a;
}

DeviceMeasurement RandomMessages::measurement() {
  DeviceMeasurement d{mac(), pick<DeviceKind>(1, 6), {}};
  const auto n = between(0, 16);
  for (int64_t i = 0; i < n; ++i) {
    d.aps.push_back(ApRssi{mac(), pick<uint8_t>(0, 255), pick<Band>(1, 3), pick<uint8_t>(0, 255),
                           pick<int8_t>(-128, 127), pick<int8_t>(-128, 127), u64()});
  }
  return d;
}

DeviceInfo RandomMessages::info() {
  DeviceInfo d;
  d.mac = mac();
  d.kind = pick<DeviceKind>(1, 6);
  d.ip_addresses = list<IpAddress>(3, [this] { return ip(); });
  d.ssid = maybe(text(0, 32));
  d.vlan = maybe(pick<uint16_t>(0, 4094));
  d.username = maybe(text(0, 255));
  d.assoc_state = maybe(pick<AssocState>(1, 4));
  d.band = maybe(pick<Band>(1, 3));
  d.serving_ap = maybe(mac());
  d.battery_pct = maybe(pick<uint8_t>(0, 100));
  d.telemetry = list<Telemetry>(3, [this] {
    return Telemetry{pick<TelemetryKind>(1, 4), static_cast<int64_t>(u64())};
  });
  return d;
}

DeviceStatistics RandomMessages::statistics() {
  DeviceStatistics d;
  d.mac = mac();
  d.kind = pick<DeviceKind>(1, 6);
  d.tx_bytes = maybe(u64());
  d.rx_bytes = maybe(u64());
  d.tx_packets = maybe(u64());
  d.rx_packets = maybe(u64());
  d.tx_retries = maybe(u64());
  d.tx_failed = maybe(u64());
  d.timestamp_utc_ms = maybe(u64());
  return d;
}

ApInfo RandomMessages::apInfo() {
  ApInfo a;
  a.mac = mac();
  a.name = text(1, 255);
  a.ip = maybe(ip());
  a.radios = list<ApRadio>(3, [this] {
    return ApRadio{pick<uint8_t>(0, 255), pick<Band>(1, 3), pick<uint8_t>(0, 255),
                   pick<int8_t>(-128, 127)};
  });
  return a;
}

Attachment RandomMessages::attachment() {
  return Attachment{mac(),       pick<AttachState>(1, 2), maybe(mac()),
                    maybe(ip()), maybe(text(0, 32)),      u64()};
}

DeviceLocation RandomMessages::location() {
  DeviceLocation l;
  l.mac = mac();
  l.kind = pick<DeviceKind>(1, 6);
  l.map = text(0, 255);
  l.x_mm = pick<int32_t>(INT32_MIN, INT32_MAX);
  l.y_mm = pick<int32_t>(INT32_MIN, INT32_MAX);
  l.z_mm = pick<int32_t>(INT32_MIN, INT32_MAX);
  l.error_radius_mm = maybe(pick<uint32_t>(0, UINT32_MAX));
  if (coin()) {
    l.latitude_e7 = pick<int32_t>(-900000000, 900000000);
    l.longitude_e7 = pick<int32_t>(-1800000000, 1800000000);
  }
  l.timestamp_utc_ms = u64();
  return l;
}

Message RandomMessages::make(size_t index) {
  auto macs = [this] { return list<MacAddress>(5, [this] { return mac(); }); };
  switch (index) {
    case 0: {
      const auto lo = pick<uint8_t>(0, 255);
      return InitRequest{lo,           pick<uint8_t>(lo, 255), pick<PeerRole>(1, 2),
                         text(1, 255), text(0, 255),           u64()};
    }
    case 1:
      return InitResponse{pick<ResultCode>(0, 8), pick<uint8_t>(0, 255), pick<PeerRole>(1, 2),
                          text(1, 255),           text(0, 255),          u64()};
    case 2:
      return EchoRequest{maybe(u64())};
    case 3:
      return EchoResponse{maybe(u64()), maybe(u64())};
    case 4:
      return ErrorMessage{pick<ErrorReason>(1, 8), pick<uint16_t>(0, 65535), maybe(text(0, 1024))};
    case 5:
      return CapabilityNotification{u64()};
    case 6:
      return ServiceSubscribeRequest{u64(), list<ServiceInterval>(4, [this] { return interval(); }),
                                     list<std::string>(3, [this] { return text(1, 255); })};
    case 7:
      return ServiceSubscribeResponse{u64(),
                                      list<ServiceResult>(4, [this] { return serviceResult(); })};
    case 8:
      return ServiceUnsubscribeRequest{u64()};
    case 9:
      return ServiceUnsubscribeResponse{u64(),
                                        list<ServiceResult>(4, [this] { return serviceResult(); })};
    case 10:
      return MeasurementRequest{macs()};
    case 11:
      return MeasurementResponse{pick<ResultCode>(0, 8),
                                 list<DeviceMeasurement>(5, [this] { return measurement(); })};
    case 12:
      return MeasurementNotification{list<DeviceMeasurement>(5, [this] { return measurement(); })};
    case 13:
      return InfoRequest{macs()};
    case 14:
      return InfoResponse{pick<ResultCode>(0, 8), list<DeviceInfo>(4, [this] { return info(); })};
    case 15:
      return InfoNotification{list<DeviceInfo>(4, [this] { return info(); })};
    case 16:
      return StatisticsRequest{macs()};
    case 17:
      return StatisticsResponse{pick<ResultCode>(0, 8),
                                list<DeviceStatistics>(4, [this] { return statistics(); })};
    case 18:
      return StatisticsNotification{list<DeviceStatistics>(4, [this] { return statistics(); })};
    case 19:
      return ApInfoNotification{list<ApInfo>(3, [this] { return apInfo(); })};
    case 20:
      return AttachmentNotification{list<Attachment>(4, [this] { return attachment(); })};
    case 21:
      return LocationNotification{list<DeviceLocation>(4, [this] { return location(); })};
    default:
      return UnknownMessage{static_cast<uint16_t>(0x7000 + between(0, 0xFFF)),
                            list<uint8_t>(20, [this] { return pick<uint8_t>(0, 255); })};
  }
}

}  // namespace testing

namespace {

TEST(RoundTrip, RandomMessagesOfEveryType) {
  testing::RandomMessages random(20261124);
  constexpr int kPerType = 200;
  for (size_t index = 0; index < std::variant_size_v<Message>; ++index) {
    for (int i = 0; i < kPerType; ++i) {
      Frame frame{1, 0, static_cast<uint32_t>(i + 1), random.make(index)};
      const uint16_t id = messageIdOf(frame.message);
      if (isRequest(id)) {
        frame.flags = kFlagRequest;
      }
      auto bytes = encodeFrame(frame);
      ASSERT_TRUE(bytes.has_value()) << "type " << index << ": " << bytes.error().toString();
      DecoderStats stats;
      auto back = decodeFrame(*bytes, {}, &stats);
      ASSERT_TRUE(back.has_value()) << "type " << index << ": " << back.error().toString();
      ASSERT_EQ(*back, frame) << "type " << index << " iteration " << i;
      EXPECT_EQ(stats.unknown_attributes, 0u);
      auto again = encodeFrame(*back);
      ASSERT_TRUE(again.has_value());
      ASSERT_EQ(*again, *bytes);
    }
  }
}

}  // namespace
}  // namespace nmsp::proto
