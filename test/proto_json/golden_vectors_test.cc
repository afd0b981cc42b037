// The golden vectors of docs/protocol.md through the JSON view (hex -> frame -> JSON -> frame
// -> same bytes), and the JSON examples of docs/protocol-json.md (canonical, encodable, and
// equal to the vector of the same name).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "markdown_blocks.h"
#include "proto/codec.h"
#include "proto_json/decode_tool.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"

namespace nmsp::proto_json {
namespace {

using testing::markedBlocks;
using testing::readFile;

const std::string kProtocolDoc = std::string(NMSP_SOURCE_DIR) + "/docs/protocol.md";
const std::string kJsonDoc = std::string(NMSP_SOURCE_DIR) + "/docs/protocol-json.md";

std::map<std::string, std::vector<uint8_t>> goldenVectors() {
  std::map<std::string, std::vector<uint8_t>> vectors;
  for (const auto& block : markedBlocks(readFile(kProtocolDoc), "vector")) {
    auto bytes = parseHex(block.body);
    EXPECT_TRUE(bytes) << block.name << ": " << bytes.error();
    if (bytes) {
      vectors[block.name] = *bytes;
    }
  }
  return vectors;
}

TEST(GoldenVectors, SurviveTheJsonView) {
  const auto vectors = goldenVectors();
  ASSERT_GE(vectors.size(), allMessageIds().size()) << "vectors in " << kProtocolDoc;
  for (const auto& [name, bytes] : vectors) {
    SCOPED_TRACE(name);
    auto frame = proto::decodeFrame(bytes);
    ASSERT_TRUE(frame) << frame.error().toString();
    const auto j = toJson(*frame);
    auto back = fromJson(nlohmann::json::parse(j.dump()));
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(*back, *frame);
    auto again = proto::encodeFrame(*back);
    ASSERT_TRUE(again) << again.error().toString();
    // Vectors with unknown attributes lose them (skipped by design); all others are exact.
    proto::DecoderStats stats;
    (void)proto::decodeFrame(bytes, {}, &stats);
    if (stats.unknown_attributes == 0) {
      EXPECT_EQ(formatHex(*again, " "), formatHex(bytes, " "));
    }
  }
}

TEST(GoldenVectors, BadVectorsFailDecodeWithTheirCode) {
  const auto bad = markedBlocks(readFile(kProtocolDoc), "bad-vector");
  ASSERT_FALSE(bad.empty()) << "bad vectors in " << kProtocolDoc;
  for (const auto& block : bad) {
    SCOPED_TRACE(block.name);
    std::istringstream in(block.body);
    std::ostringstream out;
    std::ostringstream err;
    DecodeOptions options;
    options.input = DecodeOptions::Input::Hex;
    EXPECT_EQ(runDecode(options, in, out, err), 1);
    EXPECT_EQ(err.str().rfind("error: " + block.extra + " at offset ", 0), 0u) << err.str();
  }
}

TEST(JsonDocExamples, AreCanonicalEncodableAndMatchTheGoldenVectors) {
  const auto vectors = goldenVectors();
  const auto examples = markedBlocks(readFile(kJsonDoc), "json");
  std::set<uint16_t> covered;
  for (const auto& block : examples) {
    SCOPED_TRACE(block.name);
    const auto j = nlohmann::json::parse(block.body);
    auto frame = fromJson(j);
    ASSERT_TRUE(frame) << frame.error();
    EXPECT_EQ(toJson(*frame), j) << "not in canonical form";
    covered.insert(proto::messageIdOf(frame->message));
    auto bytes = proto::encodeFrame(*frame);
    ASSERT_TRUE(bytes) << bytes.error().toString();
    if (const auto it = vectors.find(block.name); it != vectors.end()) {
      EXPECT_EQ(formatHex(*bytes, " "), formatHex(it->second, " "));
    }
  }
  for (const auto id : allMessageIds()) {
    EXPECT_TRUE(covered.count(static_cast<uint16_t>(id)))
        << "no example for " << *proto::messageName(static_cast<uint16_t>(id));
  }
}

}  // namespace
}  // namespace nmsp::proto_json
