#include "proto_json/hex.h"

#include <gtest/gtest.h>

namespace nmsp::proto_json {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Hex, AcceptsTheLayoutsPeoplePaste) {
  EXPECT_EQ(*parseHex("0102ff"), (Bytes{0x01, 0x02, 0xff}));
  EXPECT_EQ(*parseHex("01 02\nFF\t0a"), (Bytes{0x01, 0x02, 0xff, 0x0a}));
  EXPECT_EQ(*parseHex("01:02-03,04"), (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(*parseHex("0x01 0X02 0x0304"), (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(*parseHex("# header\n01 01 # version, flags\n00 22\n"), (Bytes{1, 1, 0, 0x22}));
  EXPECT_EQ(*parseHex("00 0000"), (Bytes{0, 0, 0}));
  EXPECT_EQ(*parseHex(""), Bytes{});
  EXPECT_EQ(*parseHex("  # only a comment"), Bytes{});
}

TEST(Hex, ErrorsNameLineAndColumn) {
  EXPECT_EQ(parseHex("01 0g").error(), "line 1, column 5: unexpected 'g' (not a hex digit)");
  EXPECT_EQ(parseHex("01\n02 x3").error(), "line 2, column 4: unexpected 'x' (not a hex digit)");
  EXPECT_EQ(parseHex("01 2 03").error(),
            "line 1, column 4: odd number of hex digits (a byte needs two digits)");
  EXPECT_EQ(parseHex("010").error(),
            "line 1, column 3: odd number of hex digits (a byte needs two digits)");
  EXPECT_EQ(parseHex("0").error(),
            "line 1, column 1: odd number of hex digits (a byte needs two digits)");
  EXPECT_EQ(parseHex("01\x01").error(), "line 1, column 3: unexpected byte 0x01 (not a hex digit)");
  EXPECT_EQ(parseHex("10x2").error(), "line 1, column 3: unexpected 'x' (not a hex digit)");
  EXPECT_EQ(parseHex("01 0x 02").error(), "line 1, column 4: \"0x\" without hex digits");
  EXPECT_EQ(parseHex("01 0x").error(), "line 1, column 4: \"0x\" without hex digits");
}

TEST(Hex, IncrementalFeedMatchesOneShot) {
  const std::string text = "# c\n0x0a0B 0c:0d # x\n 00 ee\n0";
  const std::string full = text + "f";
  HexParser parser;
  Bytes out;
  for (char c : full) {
    ASSERT_TRUE(parser.feed(std::string_view(&c, 1), out));
  }
  ASSERT_TRUE(parser.finish(out));
  EXPECT_EQ(out, *parseHex(full));
  EXPECT_EQ(out, (Bytes{0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0xee, 0x0f}));
}

TEST(Hex, ParserStaysFailed) {
  HexParser parser;
  Bytes out;
  EXPECT_FALSE(parser.feed("zz", out));
  EXPECT_FALSE(parser.feed("00", out));
  EXPECT_FALSE(parser.finish(out));
  EXPECT_TRUE(out.empty());
}

TEST(Hex, Format) {
  const Bytes bytes{0x00, 0xab, 0x10};
  EXPECT_EQ(formatHex(bytes), "00ab10");
  EXPECT_EQ(formatHex(bytes, " "), "00 ab 10");
  EXPECT_EQ(formatHex({}), "");
}

TEST(Hex, Detection) {
  EXPECT_TRUE(looksLikeHex("01 01 00 22\n# comment with any text: é!\n0x00"));
  EXPECT_TRUE(looksLikeHex(""));
  EXPECT_FALSE(looksLikeHex(std::string("\x01\x01\x00\x22", 4)));
  EXPECT_FALSE(looksLikeHex("01 zz"));
}

}  // namespace
}  // namespace nmsp::proto_json
