// Prints the golden vectors of docs/protocol.md: every sample frame (encoded), then the extra
// and negative vectors built by hand. Run it when the samples change and paste the blocks.
#include <cstdio>
#include <string>
#include <vector>

#include "frame_builder.h"
#include "proto/codec.h"
#include "sample_frames.h"

namespace {

using nmsp::proto::testing::Bytes;
using nmsp::proto::testing::frameBytes;

void print(const std::string& marker, const std::vector<uint8_t>& bytes) {
  std::printf("<!-- %s -->\n```hex\n", marker.c_str());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::printf("%02x%s", bytes[i], (i + 1) % 16 == 0 || i + 1 == bytes.size() ? "\n" : " ");
  }
  std::printf("```\n\n");
}

Bytes device(uint8_t count, size_t records, const Bytes& extra = {}) {
  Bytes rssi;
  rssi.u8(count);
  for (size_t i = 0; i < records; ++i) {
    rssi.raw({0x70, 0xdb, 0x98, 0x2a, 0x11, 0x40, 0x00, 0x01, 0x00, 0xcc, 0x26, 0x00});
    rssi.u64(1763942400206);
  }
  Bytes d;
  d.tlv(0x0010, Bytes{0x3c, 0x22, 0xfb, 0x10, 0x20, 0x30}).tlv(0x0011, Bytes{0x01});
  d.raw(extra.bytes()).tlv(0x0012, rssi);
  return Bytes().tlv(0x8001, d);
}

}  // namespace

int main() {
  for (const auto& [name, frame] : nmsp::proto::testing::sampleFrames()) {
    auto bytes = nmsp::proto::encodeFrame(frame);
    if (!bytes) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), bytes.error().toString().c_str());
      return 1;
    }
    print("vector: " + name, *bytes);
  }
  const Bytes clock = Bytes().tlv(0x0006, Bytes().u64(1763942415123));
  // Extra valid vectors.
  print("vector: echo-request-empty", frameBytes(0x0003, Bytes(), 0x01, 0x0000002a));
  print("vector: echo-request-unknown-attribute",
        frameBytes(0x0003, Bytes(clock).tlv(0x7f01, Bytes{0xca, 0xfe, 0x01}), 0x01, 0x0000002b));
  print("vector: measurement-notification-unknown-attribute",
        frameBytes(0x0022, device(1, 1, Bytes().tlv(0x7f02, Bytes{0x05})), 0x00, 0x00000003));
  print("vector: unknown-message",
        frameBytes(0x0777, Bytes().tlv(0x0001, Bytes{0x02}), 0x01, 0x0000002c));
  // Negative vectors.
  Bytes huge;
  huge.u8(1).u8(0).u16(0x0022).u32(3).u32(65536 - 12 + 1);
  print("bad-vector: oversized-header frame-too-large", huge.bytes());
  print("bad-vector: version-2 unsupported-version", frameBytes(0x0003, clock, 0x01, 5, 2));
  print("bad-vector: overrun attribute-overrun",
        frameBytes(0x0003, Bytes().tlvClaiming(0x0006, 0x0010, Bytes().u64(1)), 0x01, 6));
  Bytes nest = Bytes().tlv(0x7001, Bytes{0x01});
  for (int i = 0; i < 4; ++i) {
    nest = Bytes().tlv(0x9000, nest);
  }
  print("bad-vector: five-deep nesting-too-deep", frameBytes(0x0003, nest, 0x01, 7));
  print("bad-vector: empty-init missing-attribute", frameBytes(0x0001, Bytes(), 0x01, 8));
  print("bad-vector: two-clocks duplicate-attribute",
        frameBytes(0x0003, Bytes(clock).raw(clock.bytes()), 0x01, 9));
  print("bad-vector: short-clock bad-attribute-length",
        frameBytes(0x0003, Bytes().tlv(0x0006, Bytes().u32(1)), 0x01, 10));
  Bytes role = nmsp::proto::testing::initRequestPayload();
  auto bad_role = frameBytes(0x0001, role, 0x01, 11);
  bad_role[26] = 0x03;
  print("bad-vector: peer-role-3 bad-value", bad_role);
  print("bad-vector: bad-utf8 bad-value",
        frameBytes(0x0005,
                   Bytes()
                       .tlv(0x000a, Bytes().u16(2))
                       .tlv(0x000b, Bytes().u16(0x0001))
                       .tlv(0x000c, Bytes{0x62, 0x61, 0x64, 0xc3, 0x28}),
                   0x00, 12));
  print("bad-vector: count-2-one-record count-mismatch", frameBytes(0x0022, device(2, 1), 0, 3));
  print("bad-vector: seventeen-aps too-many-items", frameBytes(0x0022, device(17, 0), 0, 3));
  return 0;
}
