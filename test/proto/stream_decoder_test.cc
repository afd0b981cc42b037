// The stream Decoder: any fragmentation, several frames per read, bounded buffering, and a
// failed state after the first malformed frame.
#include <gtest/gtest.h>

#include "frame_builder.h"
#include "proto/codec.h"
#include "sample_frames.h"

namespace nmsp::proto {
namespace {

using testing::Bytes;
using testing::frameBytes;

class CollectFrames : public DecoderCallbacks {
 public:
  void onFrame(Frame&& frame) override { frames.push_back(std::move(frame)); }
  std::vector<Frame> frames;
};

std::vector<uint8_t> allSamplesBackToBack(std::vector<Frame>& frames) {
  std::vector<uint8_t> stream;
  Encoder encoder;
  for (const auto& s : testing::sampleFrames()) {
    EXPECT_TRUE(encoder.encode(s.frame, stream).has_value());
    frames.push_back(s.frame);
  }
  return stream;
}

TEST(StreamDecoder, ManyFramesInOneRead) {
  std::vector<Frame> expected;
  const auto stream = allSamplesBackToBack(expected);
  CollectFrames sink;
  Decoder decoder(sink);
  ASSERT_TRUE(decoder.decode(stream).has_value());
  EXPECT_EQ(sink.frames, expected);
  EXPECT_EQ(decoder.stats().frames, expected.size());
  EXPECT_EQ(decoder.stats().bytes, stream.size());
  EXPECT_EQ(decoder.pendingBytes(), 0u);
}

TEST(StreamDecoder, FragmentsStraddlingFrameBoundaries) {
  std::vector<Frame> expected;
  const auto stream = allSamplesBackToBack(expected);
  for (size_t chunk : {1, 3, 7, 12, 13, 64, 1000}) {
    CollectFrames sink;
    Decoder decoder(sink);
    for (size_t pos = 0; pos < stream.size(); pos += chunk) {
      const size_t n = std::min(chunk, stream.size() - pos);
      ASSERT_TRUE(decoder.decode(std::span(stream).subspan(pos, n)).has_value());
      EXPECT_LE(decoder.pendingBytes(), kDefaultMaxFrameSize);
    }
    EXPECT_EQ(sink.frames, expected) << "chunk " << chunk;
    EXPECT_EQ(decoder.pendingBytes(), 0u);
  }
}

TEST(StreamDecoder, PendingBytesTrackAnIncompleteFrame) {
  const auto bytes = frameBytes(0x0003, Bytes().tlv(0x0006, Bytes().u64(9)), kFlagRequest);
  CollectFrames sink;
  Decoder decoder(sink);
  ASSERT_TRUE(decoder.decode(std::span(bytes).first(7)).has_value());
  EXPECT_EQ(decoder.pendingBytes(), 7u);
  ASSERT_TRUE(decoder.decode(std::span(bytes).subspan(7, 10)).has_value());
  EXPECT_EQ(decoder.pendingBytes(), 17u);
  EXPECT_TRUE(sink.frames.empty());
  ASSERT_TRUE(decoder.decode(std::span(bytes).subspan(17)).has_value());
  ASSERT_EQ(sink.frames.size(), 1u);
  EXPECT_EQ(std::get<EchoRequest>(sink.frames[0].message).clock_utc_ms, 9u);
}

TEST(StreamDecoder, OversizedFrameIsRejectedFromItsHeaderAlone) {
  Bytes header;
  header.u8(1).u8(0).u16(0x0022).u32(0).u32(1'000'000);
  CollectFrames sink;
  Decoder decoder(sink);
  // Header split in two: nothing of the payload is ever buffered.
  ASSERT_TRUE(decoder.decode(std::span(header.bytes()).first(6)).has_value());
  auto st = decoder.decode(std::span(header.bytes()).subspan(6));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::FrameTooLarge);
  EXPECT_EQ(st.error().field, "header.payload_length");
  EXPECT_EQ(st.error().offset, 8u);
  EXPECT_EQ(decoder.pendingBytes(), 0u);
  EXPECT_TRUE(decoder.failed());
}

TEST(StreamDecoder, FailsForGoodAfterAMalformedFrame) {
  auto good = frameBytes(0x0003, Bytes(), kFlagRequest);
  auto bad = frameBytes(0x0001, Bytes());  // Init Request without attributes
  std::vector<uint8_t> stream = good;
  stream.insert(stream.end(), bad.begin(), bad.end());
  stream.insert(stream.end(), good.begin(), good.end());
  CollectFrames sink;
  Decoder decoder(sink);
  auto st = decoder.decode(stream);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::MissingAttribute);
  EXPECT_EQ(sink.frames.size(), 1u);  // the frame before the bad one was delivered
  EXPECT_TRUE(decoder.failed());
  auto again = decoder.decode(good);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::DecoderFailed);
  EXPECT_EQ(errorCodeName(again.error().code), "decoder-failed");
  EXPECT_EQ(sink.frames.size(), 1u);
}

TEST(StreamDecoder, CountsUnknownMessagesAndAttributes) {
  std::vector<uint8_t> stream = frameBytes(0x0abc, Bytes{1, 2, 3});
  const auto echo = frameBytes(0x0003, Bytes().tlv(0x7000, Bytes{1}), kFlagRequest);
  stream.insert(stream.end(), echo.begin(), echo.end());
  CollectFrames sink;
  Decoder decoder(sink);
  ASSERT_TRUE(decoder.decode(stream).has_value());
  EXPECT_EQ(sink.frames.size(), 2u);
  EXPECT_EQ(decoder.stats().unknown_messages, 1u);
  EXPECT_EQ(decoder.stats().unknown_attributes, 1u);
}

TEST(StreamDecoder, HonoursASmallerMaximum) {
  DecoderOptions options;
  options.max_frame_size = 64;
  CollectFrames sink;
  Decoder decoder(sink, options);
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(Encoder().encode(testing::sampleFrames()[0].frame, bytes).has_value());
  ASSERT_GT(bytes.size(), 64u);
  auto st = decoder.decode(bytes);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::FrameTooLarge);
}

}  // namespace
}  // namespace nmsp::proto
