// Malformed and unusual input: every case asserts the error code, the field and the offset.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <span>

#include "frame_builder.h"
#include "proto/codec.h"

namespace nmsp::proto {
namespace {

using testing::Bytes;
using testing::frameBytes;
using testing::initRequestPayload;

constexpr uint16_t kInit = 0x0001;
constexpr uint16_t kEcho = 0x0003;
constexpr uint16_t kMeasurementNotification = 0x0022;
constexpr uint16_t kApInfoNotification = 0x0050;

class DiscardFrames : public DecoderCallbacks {
 public:
  void onFrame(Frame&& /*frame*/) override { ++frames; }
  size_t frames = 0;
};

/// The stream Decoder, fed `bytes` in pieces of `chunk`, must stop at the same error as the
/// one-shot decode (same code, field and offset) and deliver no frame. Errors that only exist
/// for a one-shot buffer (truncation, trailing bytes) leave the stream waiting instead.
void expectSameErrorWhenStreamed(const std::vector<uint8_t>& bytes, const DecoderOptions& options,
                                 const CodecError& expected) {
  const bool one_shot_only =
      expected.code == ErrorCode::TruncatedHeader || expected.code == ErrorCode::TruncatedPayload ||
      (expected.field == "header.payload_length" && expected.code == ErrorCode::BadValue);
  for (size_t chunk : {1, 2, 5, 10, 100}) {
    DiscardFrames sink;
    Decoder decoder(sink, options);
    std::optional<CodecError> error;
    for (size_t at = 0; at < bytes.size() && !error; at += chunk) {
      const size_t n = std::min(chunk, bytes.size() - at);
      auto status = decoder.decode(std::span<const uint8_t>(bytes.data() + at, n));
      if (!status) {
        error = status.error();
      }
    }
    if (one_shot_only) {
      EXPECT_FALSE(error.has_value()) << "chunk " << chunk << ": " << error->toString();
      continue;
    }
    ASSERT_TRUE(error.has_value()) << "chunk " << chunk << ": the stream decoder accepted it";
    EXPECT_EQ(sink.frames, 0u) << "chunk " << chunk;
    EXPECT_EQ(error->code, expected.code) << "chunk " << chunk << ": " << error->toString();
    EXPECT_EQ(error->field, expected.field) << "chunk " << chunk;
    EXPECT_EQ(error->offset, expected.offset) << "chunk " << chunk;
    EXPECT_TRUE(decoder.failed());
  }
}

CodecError decodeError(const std::vector<uint8_t>& bytes, const DecoderOptions& options = {}) {
  auto frame = decodeFrame(bytes, options);
  EXPECT_FALSE(frame.has_value());
  if (frame.has_value()) {
    return CodecError{};
  }
  expectSameErrorWhenStreamed(bytes, options, frame.error());
  return frame.error();
}

void expectError(const CodecError& e, ErrorCode code, const std::string& field, size_t offset) {
  EXPECT_EQ(errorCodeName(e.code), errorCodeName(code)) << e.toString();
  EXPECT_EQ(e.field, field) << e.toString();
  EXPECT_EQ(e.offset, offset) << e.toString();
  EXPECT_FALSE(e.detail.empty());
}

/// A device-measurement container holding `rssi_value` as its ap-rssi-list value.
Bytes measurementWithRssiList(const Bytes& rssi_value) {
  Bytes device;
  device.tlv(0x0010, Bytes{0x3c, 0x22, 0xfb, 0x10, 0x20, 0x30}).tlv(0x0011, Bytes{1});
  device.tlv(0x0012, rssi_value);
  return Bytes().tlv(0x8001, device);
}

Bytes apRecords(uint8_t count, size_t records) {
  Bytes b;
  b.u8(count);
  for (size_t i = 0; i < records; ++i) {
    b.raw({0x70, 0xdb, 0x98, 0x2a, 0x11, 0x40, 0, 1, 0, 0xc4, 0x20, 0}).u64(1763942400000);
  }
  return b;
}

TEST(Malformed, TruncatedHeader) {
  expectError(decodeError({0x01, 0x00, 0x00, 0x01, 0x00}), ErrorCode::TruncatedHeader, "header", 5);
  auto header = decodeHeader(std::vector<uint8_t>(11, 0));
  ASSERT_FALSE(header.has_value());
  EXPECT_EQ(header.error().code, ErrorCode::TruncatedHeader);
}

TEST(Malformed, TruncatedPayload) {
  auto bytes = frameBytes(kInit, initRequestPayload());
  bytes.resize(bytes.size() - 3);
  expectError(decodeError(bytes), ErrorCode::TruncatedPayload, "payload", bytes.size());
}

TEST(Malformed, TrailingBytesAfterDeclaredPayload) {
  auto bytes = frameBytes(kEcho, Bytes());
  bytes.push_back(0);
  expectError(decodeError(bytes), ErrorCode::BadValue, "header.payload_length", 8);
}

TEST(Malformed, UnsupportedVersion) {
  expectError(decodeError(frameBytes(kEcho, Bytes(), 0, 1, 2)), ErrorCode::UnsupportedVersion,
              "header.version", 0);
  expectError(decodeError(frameBytes(kEcho, Bytes(), 0, 1, 0)), ErrorCode::UnsupportedVersion,
              "header.version", 0);
  DecoderOptions v2;
  v2.max_version = 2;
  EXPECT_TRUE(decodeFrame(frameBytes(kEcho, Bytes(), 0, 1, 2), v2).has_value());
}

TEST(Malformed, DeclaredLengthBeyondMaximum) {
  // Only the header: the error comes before any payload byte is needed.
  Bytes header;
  header.u8(1).u8(0).u16(kEcho).u32(1).u32(65536 - 12 + 1);
  expectError(decodeError(header.bytes()), ErrorCode::FrameTooLarge, "header.payload_length", 8);
  header = Bytes();
  header.u8(1).u8(0).u16(kEcho).u32(1).u32(0xFFFFFFFF);
  expectError(decodeError(header.bytes()), ErrorCode::FrameTooLarge, "header.payload_length", 8);
  DecoderOptions small;
  small.max_frame_size = 100;
  auto bytes = frameBytes(
      kEcho, Bytes().tlv(0x0006, Bytes().u64(1)).tlv(0x7000, Bytes().text(std::string(80, 'x'))));
  expectError(decodeError(bytes, small), ErrorCode::FrameTooLarge, "header.payload_length", 8);
}

TEST(Malformed, PayloadShorterThanMandatoryAttributes) {
  Bytes p;
  p.tlv(0x0001, Bytes{1}).tlv(0x0002, Bytes{1});
  expectError(decodeError(frameBytes(kInit, p)), ErrorCode::MissingAttribute, "peer-role", 12);
}

TEST(Malformed, MissingAttributeInsideContainer) {
  Bytes device;
  device.tlv(0x0010, Bytes{1, 2, 3, 4, 5, 6}).tlv(0x0012, apRecords(0, 0));
  const auto bytes = frameBytes(kMeasurementNotification, Bytes().tlv(0x8001, device));
  expectError(decodeError(bytes), ErrorCode::MissingAttribute, "device-measurement[0].device-kind",
              12);
}

TEST(Malformed, TlvOverrunsThePayload) {
  Bytes p;
  p.tlvClaiming(0x0006, 10, Bytes().u32(7));
  expectError(decodeError(frameBytes(kEcho, p)), ErrorCode::AttributeOverrun, "clock-utc-ms", 12);
}

TEST(Malformed, TruncatedTlvHeader) {
  Bytes p;
  p.tlv(0x0006, Bytes().u64(7)).u8(0x00).u8(0x06);
  expectError(decodeError(frameBytes(kEcho, p)), ErrorCode::AttributeOverrun, "attribute-header",
              24);
}

TEST(Malformed, TlvOverrunsItsContainer) {
  Bytes device;
  device.tlv(0x0010, Bytes{1, 2, 3, 4, 5, 6}).tlv(0x0011, Bytes{1});
  device.tlvClaiming(0x0012, 21, Bytes{0});  // claims more than the container holds
  const auto bytes = frameBytes(kMeasurementNotification, Bytes().tlv(0x8001, device));
  // payload 12 + container header 4 + mac TLV 10 + kind TLV 5 = 31
  expectError(decodeError(bytes), ErrorCode::AttributeOverrun, "device-measurement[0].ap-rssi-list",
              31);
}

TEST(Malformed, UnknownContainerIsStructurallyValidated) {
  Bytes inner;
  inner.tlvClaiming(0x0001, 9, Bytes{1});
  const auto bytes = frameBytes(kEcho, Bytes().tlv(0x9001, inner));
  expectError(decodeError(bytes), ErrorCode::AttributeOverrun, "attribute-0x9001.min-version", 16);
}

TEST(Malformed, NestingDeeperThanTheLimit) {
  // Unknown containers five deep inside an Echo Request: the innermost scalar is at depth 5.
  Bytes level = Bytes().tlv(0x7001, Bytes{1});
  for (int i = 0; i < 4; ++i) {
    level = Bytes().tlv(0x9000, level);
  }
  // Offsets: containers at 12, 16, 20, 24; the depth-5 scalar at 28.
  expectError(decodeError(frameBytes(kEcho, level)), ErrorCode::NestingTooDeep,
              "attribute-0x9000.attribute-0x9000.attribute-0x9000.attribute-0x9000", 28);
  // Four deep is fine, and counted as one skipped attribute.
  Bytes ok = Bytes().tlv(0x7001, Bytes{1});
  for (int i = 0; i < 3; ++i) {
    ok = Bytes().tlv(0x9000, ok);
  }
  DecoderStats stats;
  EXPECT_TRUE(decodeFrame(frameBytes(kEcho, ok), {}, &stats).has_value());
  EXPECT_EQ(stats.unknown_attributes, 1u);
}

TEST(Malformed, NestingLimitAppliesToKnownContainers) {
  Bytes radio;
  radio.tlv(0x002A, Bytes{0}).tlv(0x0018, Bytes{1}).tlv(0x002B, Bytes{6}).tlv(0x002C, Bytes{17});
  Bytes ap;
  ap.tlv(0x0028, Bytes{1, 2, 3, 4, 5, 6}).tlv(0x0029, Bytes().text("AP1")).tlv(0x8005, radio);
  const auto bytes = frameBytes(kApInfoNotification, Bytes().tlv(0x8004, ap));
  DecoderOptions shallow;
  shallow.max_depth = 2;
  // ap-info at 12 (value 16), ap-mac 16..25, ap-name 26..32, ap-radio at 33, radio-slot at 37.
  expectError(decodeError(bytes, shallow), ErrorCode::NestingTooDeep, "ap-info[0].ap-radio[0]", 37);
  EXPECT_TRUE(decodeFrame(bytes).has_value());
}

TEST(Malformed, UnknownMessageIdIsDecodedAndCounted) {
  Bytes garbage{0xde, 0xad, 0xbe};  // not a TLV sequence: unknown payloads are not interpreted
  DecoderStats stats;
  auto frame = decodeFrame(frameBytes(0x0777, garbage, kFlagRequest, 42), {}, &stats);
  ASSERT_TRUE(frame.has_value()) << frame.error().toString();
  const auto* unknown = std::get_if<UnknownMessage>(&frame->message);
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->id, 0x0777);
  EXPECT_EQ(unknown->payload, garbage.bytes());
  EXPECT_EQ(frame->flags, kFlagRequest);
  EXPECT_EQ(frame->transaction_id, 42u);
  EXPECT_EQ(stats.unknown_messages, 1u);
  EXPECT_EQ(messageName(0x0777), std::nullopt);
}

TEST(Malformed, UnknownAttributesAreSkippedAndCounted) {
  Bytes p;
  p.tlv(0x0001, Bytes{1}).tlv(0x0002, Bytes{1});
  p.tlv(0x7777, Bytes{9, 9, 9});                 // unknown scalar
  p.tlv(0x9999, Bytes().tlv(0x0001, Bytes{5}));  // unknown container
  p.tlv(0x0010, Bytes{1, 2, 3, 4, 5, 6});        // known type, not defined here
  p.tlv(0x0003, Bytes{2}).tlv(0x0004, Bytes().text("mse-1")).tlv(0x0005, Bytes().text("8.0"));
  p.tlv(0x0006, Bytes().u64(1763942400123));
  DecoderStats stats;
  auto frame = decodeFrame(frameBytes(kInit, p, kFlagRequest), {}, &stats);
  ASSERT_TRUE(frame.has_value()) << frame.error().toString();
  EXPECT_EQ(stats.unknown_attributes, 3u);
  const auto& init = std::get<InitRequest>(frame->message);
  EXPECT_EQ(init.name, "mse-1");
  EXPECT_EQ(init.software_version, "8.0");
  EXPECT_EQ(init.role, PeerRole::Mse);
  EXPECT_EQ(init.clock_utc_ms, 1763942400123u);
}

TEST(Malformed, AttributesInAnyOrderAreAccepted) {
  Bytes p;
  p.tlv(0x0006, Bytes().u64(5)).tlv(0x0005, Bytes()).tlv(0x0004, Bytes().text("m"));
  p.tlv(0x0003, Bytes{2}).tlv(0x0002, Bytes{3}).tlv(0x0001, Bytes{1});
  auto frame = decodeFrame(frameBytes(kInit, p));
  ASSERT_TRUE(frame.has_value()) << frame.error().toString();
  EXPECT_EQ(std::get<InitRequest>(frame->message).max_version, 3);
}

TEST(Malformed, ZeroLengthPayloads) {
  auto echo = decodeFrame(frameBytes(kEcho, Bytes(), kFlagRequest));
  ASSERT_TRUE(echo.has_value());
  EXPECT_EQ(std::get<EchoRequest>(echo->message), EchoRequest{});
  auto echo_response = decodeFrame(frameBytes(0x0004, Bytes()));
  ASSERT_TRUE(echo_response.has_value());
  EXPECT_EQ(std::get<EchoResponse>(echo_response->message), EchoResponse{});
  auto notification = decodeFrame(frameBytes(kMeasurementNotification, Bytes()));
  ASSERT_TRUE(notification.has_value());
  EXPECT_TRUE(std::get<MeasurementNotification>(notification->message).devices.empty());
  expectError(decodeError(frameBytes(kInit, Bytes())), ErrorCode::MissingAttribute, "min-version",
              12);
  expectError(decodeError(frameBytes(0x0005, Bytes())), ErrorCode::MissingAttribute, "error-reason",
              12);
}

TEST(Malformed, CountLargerThanTheBytesThatFollow) {
  const auto bytes = frameBytes(kMeasurementNotification, measurementWithRssiList(apRecords(2, 1)));
  // container at 12, value 16; mac TLV 16..25, kind TLV 26..30, ap-rssi-list at 31, count at 35
  expectError(decodeError(bytes), ErrorCode::CountMismatch,
              "device-measurement[0].ap-rssi-list.count", 35);
}

TEST(Malformed, BytesLeftOverAfterTheRecords) {
  Bytes value = apRecords(1, 1);
  value.u8(0);
  const auto bytes = frameBytes(kMeasurementNotification, measurementWithRssiList(value));
  expectError(decodeError(bytes), ErrorCode::BadAttributeLength,
              "device-measurement[0].ap-rssi-list", 31);
}

TEST(Malformed, MoreThanSixteenAps) {
  const auto bytes =
      frameBytes(kMeasurementNotification, measurementWithRssiList(apRecords(17, 17)));
  expectError(decodeError(bytes), ErrorCode::TooManyItems,
              "device-measurement[0].ap-rssi-list.count", 35);
  const auto sixteen =
      frameBytes(kMeasurementNotification, measurementWithRssiList(apRecords(16, 16)));
  auto frame = decodeFrame(sixteen);
  ASSERT_TRUE(frame.has_value()) << frame.error().toString();
  EXPECT_EQ(std::get<MeasurementNotification>(frame->message).devices[0].aps.size(), 16u);
}

TEST(Malformed, BadEnumValues) {
  Bytes p = initRequestPayload();
  auto bytes = frameBytes(kInit, p);
  bytes[12 + 5 + 5 + 4] = 3;  // peer-role value: neither controller (1) nor mse (2)
  expectError(decodeError(bytes), ErrorCode::BadValue, "peer-role", 22);

  Bytes record = apRecords(1, 1);
  auto rssi = frameBytes(kMeasurementNotification, measurementWithRssiList(record));
  rssi[36 + 7] = 9;  // band of record 0
  expectError(decodeError(rssi), ErrorCode::BadValue, "device-measurement[0].ap-rssi-list[0].band",
              43);
}

TEST(Malformed, BadUtf8) {
  Bytes p;
  p.tlv(0x0001, Bytes{1}).tlv(0x0002, Bytes{1}).tlv(0x0003, Bytes{2});
  p.tlv(0x0004, Bytes{'m', 0xc3, 0x28});  // 0xc3 must be followed by a continuation byte
  p.tlv(0x0005, Bytes()).tlv(0x0006, Bytes().u64(1));
  expectError(decodeError(frameBytes(kInit, p)), ErrorCode::BadValue, "peer-name", 27);
  for (const Bytes& bad : {Bytes{0xc0, 0x80}, Bytes{0xed, 0xa0, 0x80},
                           Bytes{0xf4, 0x90, 0x80, 0x80}, Bytes{0xff}, Bytes{0xe2, 0x82}}) {
    Bytes e;
    e.tlv(0x000A, Bytes().u16(2)).tlv(0x000B, Bytes().u16(1)).tlv(0x000C, bad);
    expectError(decodeError(frameBytes(0x0005, e)), ErrorCode::BadValue, "error-text", 24);
  }
}

TEST(Malformed, RangesAndLengths) {
  expectError(decodeError(frameBytes(kEcho, Bytes().tlv(0x0006, Bytes().u32(1)))),
              ErrorCode::BadAttributeLength, "clock-utc-ms", 12);
  Bytes name_too_short;
  name_too_short.tlv(0x0001, Bytes{1}).tlv(0x0002, Bytes{1}).tlv(0x0003, Bytes{2});
  name_too_short.tlv(0x0004, Bytes()).tlv(0x0005, Bytes()).tlv(0x0006, Bytes().u64(1));
  expectError(decodeError(frameBytes(kInit, name_too_short)), ErrorCode::BadValue, "peer-name", 27);
  Bytes versions;
  versions.tlv(0x0001, Bytes{3}).tlv(0x0002, Bytes{1}).tlv(0x0003, Bytes{2});
  versions.tlv(0x0004, Bytes().text("m")).tlv(0x0005, Bytes()).tlv(0x0006, Bytes().u64(1));
  expectError(decodeError(frameBytes(kInit, versions)), ErrorCode::BadValue, "min-version", 12);
  Bytes interval;
  interval.tlv(0x0040, Bytes{0}).tlv(0x0041, Bytes().u16(181));
  Bytes subscribe;
  subscribe.tlv(0x0009, Bytes().u64(1)).tlv(0x8008, interval);
  expectError(decodeError(frameBytes(0x0011, subscribe, kFlagRequest)), ErrorCode::BadValue,
              "service-interval[0].interval-s", 33);
}

TEST(Malformed, DuplicateAttribute) {
  Bytes p = initRequestPayload();
  p.tlv(0x0004, Bytes().text("again"));
  const size_t second = 12 + p.size() - 9;
  expectError(decodeError(frameBytes(kInit, p)), ErrorCode::DuplicateAttribute, "peer-name",
              second);
}

TEST(Malformed, RepeatedAttributesKeepTheirOrder) {
  Bytes p;
  p.tlv(0x0010, Bytes{1, 1, 1, 1, 1, 1}).tlv(0x0010, Bytes{2, 2, 2, 2, 2, 2});
  p.tlv(0x0010, Bytes{0, 0, 0, 0, 0, 3});
  auto frame = decodeFrame(frameBytes(0x0030, p, kFlagRequest));
  ASSERT_TRUE(frame.has_value());
  const auto& devices = std::get<InfoRequest>(frame->message).devices;
  ASSERT_EQ(devices.size(), 3u);
  EXPECT_EQ(devices[0].toString(), "01:01:01:01:01:01");
  EXPECT_EQ(devices[2].toString(), "00:00:00:00:00:03");
}

TEST(Malformed, ReservedFlagBitsAreIgnored) {
  auto frame = decodeFrame(frameBytes(kEcho, Bytes(), 0xFF));
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->flags, kFlagRequest);
}

}  // namespace
}  // namespace nmsp::proto
