// The Encoder refuses values that break a protocol limit and leaves the buffer unchanged.
#include <gtest/gtest.h>

#include "proto/codec.h"
#include "sample_frames.h"

namespace nmsp::proto {
namespace {

using testing::mac;

CodecError encodeError(const Message& m, const EncoderOptions& options = {}) {
  std::vector<uint8_t> out = {0xaa, 0xbb};
  auto st = Encoder(options).encode(Frame{1, 0, 1, m}, out);
  EXPECT_FALSE(st.has_value());
  EXPECT_EQ(out, (std::vector<uint8_t>{0xaa, 0xbb})) << "buffer must be left unchanged";
  return st.has_value() ? CodecError{} : st.error();
}

InitRequest validInit() {
  return InitRequest{1, 1, PeerRole::Mse, "mse-1", "8.0", 1};
}

TEST(Encoder, HeaderLayoutAndRequestFlag) {
  auto bytes = encodeFrame(Frame{1, 0, 0x01020304, EchoRequest{}});
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{1, 1, 0, 3, 1, 2, 3, 4, 0, 0, 0, 0}));
  // Responses keep the caller's flag bit 0 and drop reserved bits.
  auto response = encodeFrame(Frame{1, 0xFE, 7, EchoResponse{}});
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ((*response)[1], 0);
}

TEST(Encoder, InitFramesAreAlwaysVersionOne) {
  auto init = encodeFrame(Frame{2, 0, 1, validInit()});
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ((*init)[0], 1);
  auto echo = encodeFrame(Frame{2, 0, 1, EchoRequest{}});
  ASSERT_TRUE(echo.has_value());
  EXPECT_EQ((*echo)[0], 2);
}

TEST(Encoder, AppendsToExistingBytes) {
  std::vector<uint8_t> out = {9};
  ASSERT_TRUE(Encoder().encode(Frame{1, 0, 1, EchoRequest{}}, out).has_value());
  EXPECT_EQ(out.size(), 13u);
  EXPECT_EQ(out[0], 9);
  EXPECT_EQ(out[1], 1);
}

TEST(Encoder, StringLimits) {
  InitRequest empty_name = validInit();
  empty_name.name.clear();
  auto e = encodeError(empty_name);
  EXPECT_EQ(e.code, ErrorCode::BadValue);
  EXPECT_EQ(e.field, "peer-name");
  InitRequest long_name = validInit();
  long_name.name = std::string(256, 'a');
  EXPECT_EQ(encodeError(long_name).field, "peer-name");
  InitRequest bad_utf8 = validInit();
  bad_utf8.software_version = "\xff";
  EXPECT_EQ(encodeError(bad_utf8).field, "software-version");
  DeviceInfo info;
  info.ssid = std::string(33, 's');
  e = encodeError(InfoNotification{{info}});
  EXPECT_EQ(e.code, ErrorCode::BadValue);
  EXPECT_EQ(e.field, "device-info[0].ssid");
}

TEST(Encoder, RangesAndEnums) {
  InitRequest versions = validInit();
  versions.min_version = 2;
  EXPECT_EQ(encodeError(versions).field, "min-version");
  InitRequest role = validInit();
  role.role = static_cast<PeerRole>(7);
  EXPECT_EQ(encodeError(role).field, "peer-role");
  EXPECT_EQ(
      encodeError(ServiceSubscribeRequest{1, {ServiceInterval{Service::RssiMs, 0}}, {}}).field,
      "service-interval[0].interval-s");
  EXPECT_EQ(
      encodeError(ServiceSubscribeRequest{1, {ServiceInterval{static_cast<Service>(40), 2}}, {}})
          .field,
      "service-interval[0].service");
  DeviceInfo info;
  info.vlan = 4095;
  EXPECT_EQ(encodeError(InfoNotification{{info}}).field, "device-info[0].vlan-id");
  DeviceMeasurement m;
  ApRssi ap;
  ap.band = static_cast<Band>(0);
  m.aps.push_back(ap);
  m.aps.push_back(ap);
  EXPECT_EQ(encodeError(MeasurementNotification{{DeviceMeasurement{}, m}}).field,
            "device-measurement[1].ap-rssi-list[0].band");
  DeviceLocation half_geo;
  half_geo.latitude_e7 = 1;
  EXPECT_EQ(encodeError(LocationNotification{{half_geo}}).field, "device-location[0].geo-position");
  EXPECT_EQ(encodeError(UnknownMessage{0x0001, {}}).field, "header.message_id");
}

TEST(Encoder, FrameLargerThanTheMaximum) {
  MeasurementNotification n;
  for (int i = 0; i < 200; ++i) {
    n.devices.push_back(testing::sampleMeasurement("3c:22:fb:10:20:30", 16));
  }
  auto e = encodeError(n);
  EXPECT_EQ(e.code, ErrorCode::FrameLimitExceeded);
  EXPECT_EQ(e.field, "frame");
  EncoderOptions big;
  big.max_frame_size = 1 << 20;
  auto bytes = encodeFrame(Frame{1, 0, 1, n}, big);
  ASSERT_TRUE(bytes.has_value());
  DecoderOptions decode_big;
  decode_big.max_frame_size = 1 << 20;
  auto back = decodeFrame(*bytes, decode_big);
  ASSERT_TRUE(back.has_value()) << back.error().toString();
  EXPECT_EQ(std::get<MeasurementNotification>(back->message), n);
}

TEST(Encoder, ContainerLargerThanAnAttributeCanHold) {
  DeviceInfo info;
  info.mac = mac("3c:22:fb:10:20:30");
  for (int i = 0; i < 4000; ++i) {
    info.ip_addresses.push_back(*IpAddress::parse("2001:db8::1"));  // 20 bytes each
  }
  EncoderOptions big;
  big.max_frame_size = 1 << 20;
  auto e = encodeError(InfoNotification{{info}}, big);
  EXPECT_EQ(e.code, ErrorCode::FrameLimitExceeded);
  EXPECT_EQ(e.field, "device-info[0]");
  EXPECT_EQ(e.offset, 12u);
}

}  // namespace
}  // namespace nmsp::proto
