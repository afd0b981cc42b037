// The golden vectors of docs/protocol.md: each decodes to the sample frame of its name,
// re-encodes to the same bytes, and decodes identically through the stream decoder whatever the
// fragmentation. Bad vectors fail with the error code the document names.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "proto/codec.h"
#include "sample_frames.h"
#include "vector_file.h"

namespace nmsp::proto {
namespace {

using testing::DocVector;

std::vector<DocVector> docVectors() {
  std::string error;
  auto vectors = testing::readDocVectors(NMSP_PROTOCOL_DOC, error);
  EXPECT_EQ(error, "");
  return vectors;
}

class CollectFrames : public DecoderCallbacks {
 public:
  void onFrame(Frame&& frame) override { frames.push_back(std::move(frame)); }
  std::vector<Frame> frames;
};

TEST(GoldenVectors, DocumentHasVectorsAndNegativeVectors) {
  const auto vectors = docVectors();
  size_t bad = 0;
  for (const auto& v : vectors) {
    bad += v.bad ? 1 : 0;
  }
  EXPECT_GE(vectors.size(), 25u);
  EXPECT_GE(bad, 5u);
}

TEST(GoldenVectors, EveryMessageIdHasAVector) {
  std::set<std::string> names;
  for (const auto& v : docVectors()) {
    if (!v.bad) {
      names.insert(v.name);
    }
  }
  size_t known = 0;
  for (uint32_t id = 0; id <= 0xFFFF; ++id) {
    if (auto name = messageName(static_cast<uint16_t>(id))) {
      ++known;
      EXPECT_TRUE(names.count(std::string(*name)) == 1) << "no vector for " << *name;
    }
  }
  EXPECT_EQ(known, std::variant_size_v<Message> - 1);
}

TEST(GoldenVectors, DecodeToSampleAndReencodeToSameBytes) {
  std::map<std::string, Frame> samples;
  for (auto& s : testing::sampleFrames()) {
    samples.emplace(s.name, s.frame);
  }
  size_t checked = 0;
  for (const auto& v : docVectors()) {
    if (v.bad) {
      continue;
    }
    SCOPED_TRACE("vector " + v.name + " (line " + std::to_string(v.line) + ")");
    DecoderStats stats;
    auto frame = decodeFrame(v.bytes, {}, &stats);
    ASSERT_TRUE(frame.has_value()) << frame.error().toString();
    const uint16_t id = static_cast<uint16_t>(v.bytes[2] << 8 | v.bytes[3]);
    EXPECT_EQ(messageIdOf(frame->message), id);
    if (auto name = messageName(id)) {
      // Named after the message type (extra vectors: "<type>-<variant>").
      EXPECT_EQ(v.name.rfind(std::string(*name), 0), 0u);
    } else {
      EXPECT_TRUE(std::holds_alternative<UnknownMessage>(frame->message));
    }
    if (auto it = samples.find(v.name); it != samples.end()) {
      EXPECT_EQ(*frame, it->second);
    }
    if (stats.unknown_attributes == 0) {
      auto again = encodeFrame(*frame);
      ASSERT_TRUE(again.has_value()) << again.error().toString();
      EXPECT_EQ(*again, v.bytes);
    }
    ++checked;
  }
  EXPECT_GE(checked, samples.size());
}

TEST(GoldenVectors, StreamDecoderAgreesForEveryFragmentSize) {
  for (const auto& v : docVectors()) {
    if (v.bad) {
      continue;
    }
    auto expected = decodeFrame(v.bytes);
    ASSERT_TRUE(expected.has_value());
    for (size_t chunk : {1, 2, 5, 10, 100}) {
      SCOPED_TRACE(v.name + " in chunks of " + std::to_string(chunk));
      CollectFrames sink;
      Decoder decoder(sink);
      for (size_t pos = 0; pos < v.bytes.size(); pos += chunk) {
        const size_t n = std::min(chunk, v.bytes.size() - pos);
        ASSERT_TRUE(decoder.decode(std::span(v.bytes).subspan(pos, n)).has_value());
      }
      ASSERT_EQ(sink.frames.size(), 1u);
      EXPECT_EQ(sink.frames[0], *expected);
      EXPECT_EQ(decoder.pendingBytes(), 0u);
      EXPECT_EQ(decoder.stats().frames, 1u);
      EXPECT_EQ(decoder.stats().bytes, v.bytes.size());
    }
  }
}

TEST(GoldenVectors, BadVectorsFailWithTheDocumentedCode) {
  size_t checked = 0;
  for (const auto& v : docVectors()) {
    if (!v.bad) {
      continue;
    }
    SCOPED_TRACE("bad vector " + v.name + " (line " + std::to_string(v.line) + ")");
    auto frame = decodeFrame(v.bytes);
    ASSERT_FALSE(frame.has_value());
    EXPECT_EQ(errorCodeName(frame.error().code), v.error_code) << frame.error().toString();
    // The stream decoder reports the same error, and then refuses more input.
    CollectFrames sink;
    Decoder decoder(sink);
    auto st = decoder.decode(v.bytes);
    if (frame.error().code != ErrorCode::TruncatedPayload &&
        frame.error().code != ErrorCode::TruncatedHeader) {
      ASSERT_FALSE(st.has_value());
      EXPECT_EQ(st.error().code, frame.error().code);
      EXPECT_TRUE(decoder.failed());
    }
    EXPECT_TRUE(sink.frames.empty());
    ++checked;
  }
  EXPECT_GE(checked, 5u);
}

}  // namespace
}  // namespace nmsp::proto
