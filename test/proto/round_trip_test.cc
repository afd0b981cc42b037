// Property: for random valid messages of every catalogue type (generated from the schemas),
// decode(encode(m)) == m and re-encoding gives the same bytes (the encoding is canonical).
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "proto/codec.h"
#include "random_messages.h"

namespace nmsp::proto {
namespace {

TEST(RoundTrip, RandomMessagesOfEveryType) {
  testing::RandomMessages random(20261124);
  constexpr int kPerType = 200;
  for (size_t index = 0; index < std::variant_size_v<Message>; ++index) {
    std::set<std::vector<uint8_t>> payloads;
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
      payloads.emplace(bytes->begin() + kHeaderSize, bytes->end());
    }
    // The generator varies what it fills (a generator that left the defaults would pass above).
    EXPECT_GT(payloads.size(), size_t{kPerType / 4}) << "type " << index;
  }
}

}  // namespace
}  // namespace nmsp::proto
