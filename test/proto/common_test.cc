// src/common value types: MAC address forms and IP addresses.
#include <gtest/gtest.h>

#include "common/ip_address.h"
#include "common/mac_address.h"

namespace nmsp {
namespace {

TEST(MacAddress, ParsesEveryOperatorForm) {
  for (const char* text :
       {"00:50:56:9c:34:89", "00-50-56-9C-34-89", "0050.569c.3489", "0050569C3489"}) {
    auto mac = MacAddress::parse(text);
    ASSERT_TRUE(mac.has_value()) << text;
    EXPECT_EQ(mac->toString(), "00:50:56:9c:34:89");
    EXPECT_EQ(mac->toCompactString(), "0050569c3489");
  }
}

TEST(MacAddress, RejectsMalformedText) {
  for (const char* text : {"", "00:50:56:9c:34", "00:50:56:9c:34:8g", "00:50-56:9c:34:89",
                           "0050.569c3489.", "00505 69c3489", "00:50:56:9c:34:89:", "0050569c348",
                           "00.50.56.9c.34.89", "0050:569c:3489"}) {
    EXPECT_EQ(MacAddress::parse(text), std::nullopt) << text;
  }
}

TEST(MacAddress, ZeroAndOrdering) {
  EXPECT_TRUE(MacAddress{}.isZero());
  EXPECT_FALSE(MacAddress::parse("00:00:00:00:00:01")->isZero());
  EXPECT_LT(*MacAddress::parse("00:00:00:00:00:01"), *MacAddress::parse("00:00:00:00:01:00"));
}

TEST(IpAddress, ParsesAndPrintsBothFamilies) {
  auto v4 = IpAddress::parse("10.20.30.41");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->family, IpAddress::Family::V4);
  EXPECT_EQ(v4->size(), 4u);
  EXPECT_EQ(v4->bytes[0], 10);
  EXPECT_EQ(v4->bytes[3], 41);
  EXPECT_EQ(v4->toString(), "10.20.30.41");
  auto v6 = IpAddress::parse("2001:DB8::41");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->family, IpAddress::Family::V6);
  EXPECT_EQ(v6->size(), 16u);
  EXPECT_EQ(v6->bytes[0], 0x20);
  EXPECT_EQ(v6->bytes[15], 0x41);
  EXPECT_EQ(v6->toString(), "2001:db8::41");
}

TEST(IpAddress, PrintsIpv6InRfc5952CanonicalForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"::", "::"},
      {"::1", "::1"},
      {"::2", "::2"},                                  // inet_ntop: ::0.0.0.2
      {"::a0f6:ab00", "::a0f6:ab00"},                  // IPv4-compatible: hex, not ::160.246.171.0
      {"::ffff:d8e1:0", "::ffff:216.225.0.0"},         // IPv4-mapped: mixed notation
      {"2001:0db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},  // first of two equal runs
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // a single zero group stays
      {"2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"},      // the longest run wins
      {"FE80:0000:0000:0000:0202:B3FF:FE1E:8329", "fe80::202:b3ff:fe1e:8329"},
      {"1:0:0:0:0:0:0:0", "1::"},
      {"0:0:0:0:0:0:0:1:", ""},
  };
  for (const auto& [in, want] : cases) {
    auto ip = IpAddress::parse(in);
    if (*want == '\0') {
      EXPECT_EQ(ip, std::nullopt) << in;
      continue;
    }
    ASSERT_TRUE(ip.has_value()) << in;
    EXPECT_EQ(ip->toString(), want) << in;
    EXPECT_EQ(IpAddress::parse(ip->toString()), ip) << in;
  }
}

TEST(IpAddress, RejectsMalformedText) {
  for (const char* text :
       {"", "10.20.30", "10.20.30.256", "1.2.3.4.5", "2001:db8:::1", "host", "10.20.30.41 "}) {
    EXPECT_EQ(IpAddress::parse(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace nmsp
