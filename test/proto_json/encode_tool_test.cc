// runEncode on in-memory streams: input forms, errors, atomic output, round trip with decode.
#include "proto_json/encode_tool.h"

#include <gtest/gtest.h>

#include <sstream>

#include "proto_json/decode_tool.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"
#include "sample_frames.h"

namespace nmsp::proto_json {
namespace {

struct ToolRun {
  int code;
  std::string out;
  std::string err;
};

ToolRun encode(const std::string& input, EncodeOptions options = {}) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = runEncode(options, in, out, err);
  return {code, out.str(), err.str()};
}

constexpr const char* kEcho = R"({"message":"echo-request","transaction_id":7,"clock_utc_ms":1})";
constexpr const char* kEchoHex = "01010003000000070000000c00060008000000000000000";

TEST(EncodeTool, OneObjectGivesOneHexLine) {
  const ToolRun r = encode(kEcho);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, std::string(kEchoHex) + "1\n");
}

TEST(EncodeTool, ArrayAndJsonLines) {
  const std::string two_lines = std::string(kEcho) + "\n\n" + kEcho + "\n";
  const ToolRun lines = encode(two_lines);
  EXPECT_EQ(lines.code, 0) << lines.err;
  const std::string line = std::string(kEchoHex) + "1\n";
  EXPECT_EQ(lines.out, line + line);
  const ToolRun array = encode(std::string("[") + kEcho + ",\n" + kEcho + "]");
  EXPECT_EQ(array.code, 0) << array.err;
  EXPECT_EQ(array.out, line + line);
  EXPECT_EQ(encode("[]").out, "");
  EXPECT_EQ(encode("[]").code, 0);
}

TEST(EncodeTool, BinaryOutput) {
  EncodeOptions options;
  options.binary = true;
  const ToolRun r = encode(kEcho, options);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto expected = *parseHex(std::string(kEchoHex) + "1");
  EXPECT_EQ(r.out, std::string(expected.begin(), expected.end()));
}

TEST(EncodeTool, SchemaErrorNamesFrameAndPathAndWritesNothing) {
  const std::string input =
      std::string(kEcho) + "\n" + R"({"message":"echo-request","clock_utc_ms":"soon"})" + "\n";
  const ToolRun r = encode(input);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: frame 1 (line 2): clock_utc_ms: expected integer 0..18446744073709551615, "
            "got \"soon\"\n");
  const ToolRun a = encode(std::string("[") + kEcho + R"(,{"message":"nope"}])");
  EXPECT_EQ(a.code, 1);
  EXPECT_EQ(a.out, "");
  EXPECT_EQ(a.err.rfind("error: frame 1 (element [1]): message: unknown message name", 0), 0u)
      << a.err;
}

TEST(EncodeTool, InvalidJson) {
  const ToolRun r = encode("{\"message\": \"echo-request\",\n  \"clock_utc_ms\": }\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("error: invalid JSON: parse error at line 2, column 19", 0), 0u) << r.err;
  const ToolRun l = encode(std::string(kEcho) + "\n{oops}\n");
  EXPECT_EQ(l.code, 1);
  EXPECT_EQ(l.err.rfind("error: invalid JSON: parse error at line 2, column 2", 0), 0u) << l.err;
  const ToolRun empty = encode("  \n");
  EXPECT_EQ(empty.code, 1);
  EXPECT_EQ(empty.err, "error: no JSON in the input\n");
}

TEST(EncodeTool, CodecLimitsAreReportedPerFrame) {
  EncodeOptions options;
  options.max_frame_size = 20;
  const ToolRun r = encode(kEcho, options);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("error: frame 0: frame-limit-exceeded", 0), 0u) << r.err;
  // A protocol range the JSON schema leaves to the codec: peer-name must be 1..255 bytes.
  const ToolRun name = encode(R"({"message":"init-request","min_version":1,"max_version":1,
      "role":"mse","name":"","software_version":"","clock_utc_ms":0})");
  EXPECT_EQ(name.code, 1);
  EXPECT_EQ(name.err.rfind("error: frame 0: bad-value", 0), 0u) << name.err;
}

TEST(EncodeTool, DeepNestingIsRejectedBeforeParsing) {
  const std::string deep = R"({"message":"echo-request","clock_utc_ms":)" +
                           std::string(100000, '[') + std::string(100000, ']') + "}";
  const ToolRun r = encode(deep);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: JSON nested deeper than 32 levels at line 1, column 73\n");
  // Brackets inside strings do not count.
  const ToolRun s = encode(R"({"message":"error","reason":"shutdown","offending_message_id":0,)"
                           R"("text":")" +
                           std::string(100, '[') + R"("})");
  EXPECT_EQ(s.code, 0) << s.err;
}

TEST(EncodeTool, InputSizeIsBounded) {
  EncodeOptions options;
  options.max_input_bytes = 10;
  const ToolRun r = encode(kEcho, options);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: input larger than 10 bytes\n");
}

TEST(EncodeTool, EncodeThenDecodeGivesCanonicalJsonBack) {
  std::string input;
  std::string canonical;
  for (const auto& f : testing::sampleFrames()) {
    input += toJson(f).dump(2) + "\n";  // pretty-printed objects, one after another
    canonical += toJson(f).dump() + "\n";
  }
  const ToolRun enc = encode(input);
  ASSERT_EQ(enc.code, 0) << enc.err;
  std::istringstream in(enc.out);
  std::ostringstream out;
  std::ostringstream err;
  DecodeOptions options;
  options.json = true;
  EXPECT_EQ(runDecode(options, in, out, err), 0) << err.str();
  EXPECT_EQ(out.str(), canonical);
}

}  // namespace
}  // namespace nmsp::proto_json
