// value -> JSON -> value, and value -> bytes -> value -> JSON, for every message type.
#include <gtest/gtest.h>

#include <set>

#include "../proto/random_messages.h"
#include "proto/codec.h"
#include "proto_json/frame_json.h"
#include "proto_json/frame_text.h"
#include "sample_frames.h"

namespace nmsp::proto_json {
namespace {

using nlohmann::json;

TEST(JsonRoundTrip, SamplesCoverEveryMessageId) {
  std::set<uint16_t> covered;
  for (const auto& f : testing::sampleFrames()) {
    covered.insert(proto::messageIdOf(f.message));
  }
  for (const auto id : allMessageIds()) {
    EXPECT_TRUE(covered.count(static_cast<uint16_t>(id))) << static_cast<int>(id);
  }
}

TEST(JsonRoundTrip, EveryMessageTypeSurvivesJson) {
  for (const auto& frame : testing::sampleFrames()) {
    const json j = toJson(frame);
    SCOPED_TRACE(j.dump());
    auto back = fromJson(j);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(*back, frame);
    // Canonical: printing the parsed value gives the same JSON again.
    EXPECT_EQ(toJson(*back), j);
    // And it survives serialisation to text.
    auto reparsed = fromJson(json::parse(j.dump()));
    ASSERT_TRUE(reparsed) << reparsed.error();
    EXPECT_EQ(*reparsed, frame);
  }
}

TEST(JsonRoundTrip, EveryMessageTypeSurvivesTheWire) {
  for (const auto& frame : testing::sampleFrames()) {
    auto bytes = proto::encodeFrame(frame);
    ASSERT_TRUE(bytes) << bytes.error().toString();
    auto decoded = proto::decodeFrame(*bytes);
    ASSERT_TRUE(decoded) << decoded.error().toString();
    EXPECT_EQ(toJson(*decoded), toJson(frame));
  }
}

// Random values of every catalogue message (generated from the schemas, as in the proto
// round-trip test), so a new message or member is covered by the views without an edit here.
TEST(JsonRoundTrip, RandomMessagesOfEveryCatalogueType) {
  proto::testing::RandomMessages random(20261125);
  for (size_t index = 0; index < std::variant_size_v<proto::Message>; ++index) {
    for (uint32_t i = 0; i < 50; ++i) {
      proto::Frame frame{1, 0, i, random.make(index)};
      if (proto::isRequest(proto::messageIdOf(frame.message))) {
        frame.flags = proto::kFlagRequest;
      }
      const json j = toJson(frame);
      SCOPED_TRACE(j.dump());
      auto back = fromJson(json::parse(j.dump()));
      ASSERT_TRUE(back) << back.error();
      EXPECT_EQ(*back, frame);
      EXPECT_EQ(toJson(*back), j);
      const std::string text = toText(frame);
      EXPECT_EQ(text.rfind("frame 0: ", 0), 0u) << text;
      EXPECT_EQ(text.find("length=?"), std::string::npos) << text;
    }
  }
}

TEST(JsonRoundTrip, CanonicalFormOfAMeasurement) {
  const auto frames = testing::sampleFrames();
  const json j = toJson(frames[12]);  // measurement-notification
  EXPECT_EQ(j["message"], "measurement-notification");
  EXPECT_EQ(j["transaction_id"], 3);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["flags"], 0);
  const json& ap = j["devices"][0]["aps"][1];
  EXPECT_EQ(ap.dump(), R"({"antenna":1,"ap_mac":"a0:b1:c2:00:00:02","band":"5ghz","rssi_dbm":-72,)"
                       R"("slot":1,"snr_db":18,"timestamp_utc_ms":1795428000250})");
  EXPECT_EQ(j["devices"][0]["kind"], "client");
}

TEST(JsonRoundTrip, ServiceMasksAreNamesOrANumberWhenBitsAreUnknown) {
  proto::Frame f;
  f.message = proto::CapabilityNotification{proto::bit(proto::Service::RssiMs) |
                                            proto::bit(proto::Service::ApInfo)};
  EXPECT_EQ(toJson(f)["services"].dump(), R"(["rssi-ms","ap-info"])");
  f.message = proto::CapabilityNotification{(proto::ServiceMask{1} << 40) | 1};
  EXPECT_EQ(toJson(f)["services"].dump(), "1099511627777");
  auto back = fromJson(toJson(f));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, f);
}

TEST(JsonRoundTrip, DefaultsAndConveniences) {
  auto f = fromJson(json::parse(R"({"message":"measurement-request",
      "devices":["00-11-22-33-44-55","0011.2233.4466","00112233447A"]})"));
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->version, 1);
  EXPECT_EQ(f->transaction_id, 0u);
  EXPECT_EQ(f->flags, proto::kFlagRequest);  // derived for requests
  const auto& m = std::get<proto::MeasurementRequest>(f->message);
  ASSERT_EQ(m.devices.size(), 3u);
  EXPECT_EQ(toJson(*f)["devices"].dump(),
            R"(["00:11:22:33:44:55","00:11:22:33:44:66","00:11:22:33:44:7a"])");

  auto n = fromJson(json::parse(R"({"message":"capability-notification","services":5})"));
  ASSERT_TRUE(n) << n.error();
  EXPECT_EQ(n->flags, 0);
  EXPECT_EQ(toJson(*n)["services"].dump(), R"(["rssi-ms","rssi-rogue"])");

  // Optional members may be null; lists may be left out.
  auto e = fromJson(json::parse(R"({"message":"echo-response","clock_utc_ms":null})"));
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(std::get<proto::EchoResponse>(e->message), proto::EchoResponse{});
  auto s = fromJson(json::parse(R"({"message":"service-subscribe-request","services":[]})"));
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE(std::get<proto::ServiceSubscribeRequest>(s->message).intervals.empty());
}

TEST(JsonRoundTrip, UnknownMessageCarriesItsPayloadAsHex) {
  auto f = fromJson(json::parse(
      R"({"message":"unknown","id":32512,"transaction_id":42,"payload_hex":"0x00 01:BE ef"})"));
  ASSERT_TRUE(f) << f.error();
  const auto& m = std::get<proto::UnknownMessage>(f->message);
  EXPECT_EQ(m.id, 0x7f00);
  EXPECT_EQ(m.payload, (std::vector<uint8_t>{0x00, 0x01, 0xbe, 0xef}));
  EXPECT_EQ(toJson(*f)["payload_hex"], "0001beef");
  EXPECT_EQ(toJson(*f)["message"], "unknown");
}

}  // namespace
}  // namespace nmsp::proto_json
