#include <gtest/gtest.h>

#include "proto_json/frame_text.h"
#include "proto_json/utc_time.h"
#include "sample_frames.h"

namespace nmsp::proto_json {
namespace {

TEST(UtcTime, FormatsMilliseconds) {
  EXPECT_EQ(formatUtcMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatUtcMs(1795428000250), "2026-11-23T10:00:00.250Z");
  EXPECT_EQ(formatUtcMs(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(formatUtcMs(UINT64_MAX), "+18446744073709551615ms");
}

TEST(FrameText, MeasurementNotification) {
  const auto frame = testing::sampleFrames()[12];
  TextOptions options;
  options.index = 4;
  options.payload_length = 120;
  options.skipped_attributes = 2;
  const std::string text = toText(frame, options);
  EXPECT_EQ(text,
            "frame 4: measurement-notification (0x0022) v1 flags=0x00 txn=3 length=120\n"
            "  devices=2\n"
            "  device[0] mac=00:11:22:33:44:55 kind=client aps=2\n"
            "    ap[0] ap_mac=a0:b1:c2:00:00:01 slot=0 band=2.4ghz antenna=0 rssi=-60dBm snr=30dB"
            " ts=2026-11-23T10:00:00.000Z\n"
            "    ap[1] ap_mac=a0:b1:c2:00:00:02 slot=1 band=5ghz antenna=1 rssi=-72dBm snr=18dB"
            " ts=2026-11-23T10:00:00.250Z\n"
            "  device[1] mac=00:11:22:33:44:55 kind=client aps=2\n"
            "    ap[0] ap_mac=a0:b1:c2:00:00:01 slot=0 band=2.4ghz antenna=0 rssi=-60dBm snr=30dB"
            " ts=2026-11-23T10:00:00.000Z\n"
            "    ap[1] ap_mac=a0:b1:c2:00:00:02 slot=1 band=5ghz antenna=1 rssi=-72dBm snr=18dB"
            " ts=2026-11-23T10:00:00.250Z\n"
            "  skipped_unknown_attributes=2\n");
}

TEST(FrameText, InitRequestQuotesStringsAndShowsClock) {
  proto::Frame frame = testing::sampleFrames()[0];
  std::get<proto::InitRequest>(frame.message).name = "evil\n\"name\"";
  TextOptions options;
  options.payload_length = 10;
  EXPECT_EQ(toText(frame, options),
            "frame 0: init-request (0x0001) v1 flags=0x01 txn=1 length=10\n"
            "  min_version=1\n"
            "  max_version=1\n"
            "  role=mse\n"
            "  name=\"evil\\x0a\\\"name\\\"\"\n"
            "  software_version=\"8.0.150.0\"\n"
            "  clock_utc_ms=1795428000000 (2026-11-23T10:00:00.000Z)\n");
}

TEST(FrameText, ServicesWithNamesAndUnknownPayloadInHex) {
  const auto frames = testing::sampleFrames();
  TextOptions options;
  options.payload_length = 0;
  EXPECT_EQ(toText(frames[5], options),
            "frame 0: capability-notification (0x0010) v1 flags=0x00 txn=0 length=0\n"
            "  services=0x0000000000400203 [rssi-ms, rssi-rfid, info-ms, ap-info]\n");
  EXPECT_EQ(toText(frames.back()),
            "frame 0: unknown (0x7f00) v1 flags=0x00 txn=42 length=6\n"
            "  payload=6 bytes (unknown message id, not decoded)\n"
            "    0000: 00 01 00 02 be ef\n");
}

TEST(FrameText, EveryMessageTypeHasAHeaderLineAndFields) {
  for (const auto& frame : testing::sampleFrames()) {
    const std::string text = toText(frame);
    EXPECT_EQ(text.rfind("frame 0: ", 0), 0u) << text;
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(text.find("length=?"), std::string::npos) << text;
  }
  const std::string info = toText(testing::sampleFrames()[15]);
  EXPECT_NE(info.find("    ip[1]=2001:db8::1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("    battery=87%\n"), std::string::npos) << info;
  EXPECT_NE(info.find("    telemetry[0] kind=temperature-centi-c value=2150\n"), std::string::npos)
      << info;
}

}  // namespace
}  // namespace nmsp::proto_json
