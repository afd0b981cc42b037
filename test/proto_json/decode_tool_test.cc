// runDecode on in-memory streams: output, errors with offsets, and exit codes.
#include "proto_json/decode_tool.h"

#include <gtest/gtest.h>

#include <sstream>

#include "proto_json/frame_json.h"
#include "proto_json/hex.h"
#include "sample_frames.h"

namespace nmsp::proto_json {
namespace {

using Bytes = std::vector<uint8_t>;

struct ToolRun {
  int code;
  std::string out;
  std::string err;
};

ToolRun decode(const std::string& input, DecodeOptions options = {}) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = runDecode(options, in, out, err);
  return {code, out.str(), err.str()};
}

Bytes encoded(const proto::Frame& frame) {
  auto bytes = proto::encodeFrame(frame);
  EXPECT_TRUE(bytes) << bytes.error().toString();
  return bytes ? *bytes : Bytes{};
}

std::string asBinary(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

proto::Frame echo(uint32_t txn) {
  proto::Frame f;
  f.transaction_id = txn;
  f.flags = proto::kFlagRequest;
  f.message = proto::EchoRequest{1795428000000};
  return f;
}

TEST(DecodeTool, MultipleHexFramesAsText) {
  const std::string input = "# two echoes\n" + formatHex(encoded(echo(1)), " ") + "\n" +
                            formatHex(encoded(echo(2))) + "\n";
  const ToolRun r = decode(input);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "frame 0: echo-request (0x0003) v1 flags=0x01 txn=1 length=12\n"
            "  clock_utc_ms=1795428000000 (2026-11-23T10:00:00.000Z)\n"
            "frame 1: echo-request (0x0003) v1 flags=0x01 txn=2 length=12\n"
            "  clock_utc_ms=1795428000000 (2026-11-23T10:00:00.000Z)\n");
}

TEST(DecodeTool, BinaryIsDetectedAndJsonLinesAreCanonical) {
  std::string input;
  const auto frames = testing::sampleFrames();
  for (const auto& f : frames) {
    input += asBinary(encoded(f));
  }
  DecodeOptions options;
  options.json = true;
  const ToolRun r = decode(input, options);
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  size_t i = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, frames.size());
    auto back = fromJson(nlohmann::json::parse(line));
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(*back, frames[i]) << line;
    EXPECT_EQ(line, toJson(frames[i]).dump());
    ++i;
  }
  EXPECT_EQ(i, frames.size());
}

TEST(DecodeTool, ForcedFormats) {
  const Bytes bytes = encoded(echo(5));
  DecodeOptions binary;
  binary.input = DecodeOptions::Input::Binary;
  // Hex text forced through the binary path is not a frame: its first byte is '0' (0x30).
  const ToolRun wrong = decode(formatHex(bytes), binary);
  EXPECT_EQ(wrong.code, 1);
  EXPECT_EQ(wrong.err.rfind("error: unsupported-version at offset 0", 0), 0u) << wrong.err;
  DecodeOptions hex;
  hex.input = DecodeOptions::Input::Hex;
  const ToolRun bad = decode(asBinary(bytes), hex);
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err, "error: hex input line 1, column 1: unexpected byte 0x01 (not a hex digit)\n");
  EXPECT_EQ(decode(asBinary(bytes), binary).code, 0);
}

TEST(DecodeTool, BadFrameAfterGoodOnesReportsOffsetFromInputStart) {
  Bytes good = encoded(echo(1));
  Bytes bad = encoded(echo(2));
  bad[0] = 9;  // version 9
  Bytes input = good;
  input.insert(input.end(), bad.begin(), bad.end());
  const ToolRun r = decode(formatHex(input));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind("frame 0: echo-request", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("frame 1"), std::string::npos);
  EXPECT_EQ(r.err.rfind("error: unsupported-version at offset 24 (", 0), 0u) << r.err;
}

TEST(DecodeTool, MalformedPayloadOffsetIsAbsolute) {
  // Init Request with an empty payload: mandatory attributes missing.
  Bytes good = encoded(echo(1));
  const Bytes empty_init = *parseHex("01 01 0001 00000001 00000000");
  good.insert(good.end(), empty_init.begin(), empty_init.end());
  const ToolRun r = decode(asBinary(good));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("error: missing-attribute at offset ", 0), 0u) << r.err;
  // The offset lies inside the second frame.
  const size_t at = r.err.find("offset ") + 7;
  const size_t offset = std::stoul(r.err.substr(at));
  EXPECT_GE(offset, 24u);
  EXPECT_LE(offset, 36u);
}

TEST(DecodeTool, TruncatedHeaderAndPayload) {
  const Bytes frame = encoded(echo(1));
  Bytes header_cut = frame;
  header_cut.insert(header_cut.end(), frame.begin(), frame.begin() + 5);
  const ToolRun h = decode(formatHex(header_cut));
  EXPECT_EQ(h.code, 1);
  EXPECT_NE(h.out.find("frame 0:"), std::string::npos);
  // The codec reports where the input stopped: 5 bytes into the frame that starts at 24.
  EXPECT_EQ(h.err,
            "error: truncated-header at offset 29 (header): a frame header needs 12 bytes, "
            "got 5\n");

  const Bytes payload_cut(frame.begin(), frame.end() - 3);
  const ToolRun p = decode(formatHex(payload_cut));
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.out, "");
  EXPECT_EQ(p.err.rfind("error: truncated-payload at offset ", 0), 0u) << p.err;
}

TEST(DecodeTool, FrameTooLargeIsCheckedFromTheHeader) {
  // Header declares 100000 bytes of payload; none follow.
  const ToolRun r = decode("01 00 0022 00000000 000186a0");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: frame-too-large at offset 8 (header.payload_length): frame of 100012 "
            "bytes exceeds the 65536-byte maximum\n");
  DecodeOptions small;
  small.max_frame_size = 20;
  const ToolRun s = decode(formatHex(encoded(echo(1))), small);
  EXPECT_EQ(s.code, 1);
  EXPECT_EQ(s.err.rfind("error: frame-too-large at offset 8 ", 0), 0u) << s.err;
}

TEST(DecodeTool, BadHexAfterAFrame) {
  DecodeOptions hex;  // forced: detection would call this input binary
  hex.input = DecodeOptions::Input::Hex;
  const ToolRun r = decode(formatHex(encoded(echo(1))) + "\n01 zz\n", hex);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("frame 0: echo-request"), std::string::npos);
  EXPECT_EQ(r.err, "error: hex input line 2, column 4: unexpected 'z' (not a hex digit)\n");
}

TEST(DecodeTool, EmptyInputIsNoFrames) {
  const ToolRun r = decode("");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(decode("# nothing here\n").code, 0);
}

TEST(DecodeTool, SkippedUnknownAttributesAreCounted) {
  // Echo Request with clock-utc-ms plus an unknown attribute 0x0fff (2 bytes).
  const Bytes bytes = *parseHex(
      "01 01 0003 00000007 00000012"
      "0006 0008 000001a2 0a7c8e00"
      "0fff 0002 abcd");
  const ToolRun text = decode(formatHex(bytes));
  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("  skipped_unknown_attributes=1\n"), std::string::npos) << text.out;
  DecodeOptions json;
  json.json = true;
  const ToolRun j = decode(formatHex(bytes), json);
  EXPECT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(j.err, "note: frame 0 (offset 0): skipped 1 unknown attributes\n");
  EXPECT_EQ(j.out, R"({"clock_utc_ms":1795472264704,"flags":1,"message":"echo-request",)"
                   R"("transaction_id":7,"version":1})"
                   "\n");
}

TEST(DecodeTool, LongStreamInSmallChunks) {
  // More than one 4 KiB read chunk of hex, so frames straddle chunk boundaries.
  std::string input;
  const int kFrames = 300;
  for (int i = 0; i < kFrames; ++i) {
    input += formatHex(encoded(echo(static_cast<uint32_t>(i + 1))), " ") + "\n";
  }
  ASSERT_GT(input.size(), 3u * 4096);
  DecodeOptions json;
  json.json = true;
  const ToolRun r = decode(input, json);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n')), kFrames);
  EXPECT_NE(r.out.find(R"("transaction_id":300)"), std::string::npos);
}

// A typo in hex text is reported as such, with the character and its position, instead of
// the text being decoded as a binary frame of version 0x30 ('0').
TEST(DecodeTool, NonHexCharacterInHexLookingInputIsNamed) {
  const auto run = decode("01 01 00 0g 00\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "error: hex input line 1, column 11: unexpected 'g' (not a hex digit)\n");
}

}  // namespace
}  // namespace nmsp::proto_json
