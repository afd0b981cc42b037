// Names and ids: messages, services, error codes.
#include <gtest/gtest.h>

#include <set>

#include "proto/codec.h"

namespace nmsp::proto {
namespace {

TEST(Names, MessageNamesAndIds) {
  EXPECT_EQ(messageName(0x0001), "init-request");
  EXPECT_EQ(messageName(0x0005), "error");
  EXPECT_EQ(messageName(0x0022), "measurement-notification");
  EXPECT_EQ(messageName(0x0052), "location-notification");
  EXPECT_EQ(messageName(0x0006), std::nullopt);
  EXPECT_EQ(messageIdOf(Message{ApInfoNotification{}}), 0x0050);
  EXPECT_EQ(messageIdOf(Message{UnknownMessage{0x1234, {}}}), 0x1234);
  std::set<std::string_view> names;
  for (uint32_t id = 0; id <= 0xFFFF; ++id) {
    if (auto n = messageName(static_cast<uint16_t>(id))) {
      EXPECT_TRUE(names.insert(*n).second) << *n;
    }
  }
  EXPECT_EQ(names.size(), 22u);
}

TEST(Names, RequestsAreExactlyTheRequestMessages) {
  size_t requests = 0;
  for (uint32_t id = 0; id <= 0xFFFF; ++id) {
    if (isRequest(static_cast<uint16_t>(id))) {
      ++requests;
      EXPECT_NE(std::string(*messageName(static_cast<uint16_t>(id))).find("-request"),
                std::string::npos);
    }
  }
  EXPECT_EQ(requests, 7u);
}

TEST(Names, Services) {
  EXPECT_EQ(serviceName(0), "rssi-ms");
  EXPECT_EQ(serviceName(5), "rssi-ms-associated-only");
  EXPECT_EQ(serviceName(22), "ap-info");
  EXPECT_EQ(serviceName(23), std::nullopt);
  for (uint8_t i = 0; i < kServiceCount; ++i) {
    EXPECT_EQ(serviceFromName(*serviceName(i)), static_cast<Service>(i));
  }
  EXPECT_EQ(serviceFromName("rssi"), std::nullopt);
  EXPECT_EQ(kKnownServices, 0x7FFFFFu);
  // The mask a live Catalyst 9800 reports (public-facts 3.1): 15 services.
  EXPECT_EQ(std::popcount(ServiceMask{0x68EBE7} & kKnownServices), 15);
}

TEST(Names, ErrorCodesAndToString) {
  EXPECT_EQ(errorCodeName(ErrorCode::TruncatedHeader), "truncated-header");
  EXPECT_EQ(errorCodeName(ErrorCode::FrameTooLarge), "frame-too-large");
  EXPECT_EQ(errorCodeName(ErrorCode::CountMismatch), "count-mismatch");
  std::set<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(ErrorCode::DecoderFailed); ++c) {
    EXPECT_TRUE(names.insert(errorCodeName(static_cast<ErrorCode>(c))).second);
  }
  CodecError e{ErrorCode::AttributeOverrun, "device[0]", 27,
               "length 40 exceeds the 12 bytes left in parent"};
  EXPECT_EQ(e.toString(),
            "attribute-overrun at offset 27 (device[0]): length 40 exceeds the 12 bytes left in "
            "parent");
}

}  // namespace
}  // namespace nmsp::proto
