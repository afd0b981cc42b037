// One line of a measurement or ground-truth file: the documented example, round trips with
// unknown members kept, and each refusal naming the member.
#include "measurement/json_lines.h"

#include <gtest/gtest.h>

namespace nmsp::measurement {
namespace {

Observation parsed(std::string_view line) {
  Observation o;
  auto result = parseLine(line, o);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error());
  return o;
}

std::string refusal(std::string_view line) {
  Observation o;
  auto result = parseLine(line, o);
  EXPECT_FALSE(result.has_value()) << line;
  return result ? std::string() : result.error();
}

std::string written(const Observation& o) {
  std::string out;
  appendLine(out, o);
  return out;
}

TEST(ObservationLine, ReadsTheDocumentedExample) {
  const auto o = parsed(
      R"({"ts_ms": 1000, "device": "f4:8c:50:53:bc:09", "kind": "client", "ap": "00:2b:01:00:0a:00", "slot": 0, "rssi": -67})");
  EXPECT_EQ(o.ts_ms, 1000u);
  EXPECT_EQ(o.device, *MacAddress::parse("f4:8c:50:53:bc:09"));
  EXPECT_EQ(o.kind, proto::DeviceKind::Client);
  EXPECT_EQ(o.ap, *MacAddress::parse("00:2b:01:00:0a:00"));
  EXPECT_EQ(o.slot, 0);
  EXPECT_EQ(o.rssi, -67);
  EXPECT_FALSE(o.snr.has_value());
  EXPECT_FALSE(o.band.has_value());
  EXPECT_TRUE(o.extra.empty());
  EXPECT_EQ(written(o),
            "{\"ts_ms\":1000,\"device\":\"f4:8c:50:53:bc:09\",\"kind\":\"client\",\"ap\":"
            "\"00:2b:01:00:0a:00\",\"slot\":0,\"rssi\":-67}\n");
}

TEST(ObservationLine, EveryKindNameOfTheProtocol) {
  const std::pair<const char*, proto::DeviceKind> kinds[] = {
      {"client", proto::DeviceKind::Client},
      {"rfid-tag", proto::DeviceKind::RfidTag},
      {"rogue-ap", proto::DeviceKind::RogueAp},
      {"rogue-client", proto::DeviceKind::RogueClient},
      {"interferer", proto::DeviceKind::Interferer},
      {"ap", proto::DeviceKind::Ap},
  };
  for (const auto& [name, kind] : kinds) {
    const std::string line = std::string(R"({"ts_ms":5,"device":"02:00:00:00:00:01","kind":")") +
                             name + R"(","ap":"00:2b:01:00:0a:00","slot":1,"rssi":-80})";
    const auto o = parsed(line);
    EXPECT_EQ(o.kind, kind) << name;
    EXPECT_EQ(written(o), line + "\n");
  }
}

TEST(ObservationLine, KeepsOptionalAndUnknownMembers) {
  const std::string line =
      R"({"ts_ms":1700000000123,"device":"f4:8c:50:53:bc:09","kind":"rfid-tag","ap":"00:2b:01:00:0a:00","slot":1,"rssi":-128,"snr":-5,"band":"5ghz","antenna":2,"channel":36,"note":{"a":[1,"x"]}})";
  const auto o = parsed(line);
  EXPECT_EQ(o.ts_ms, 1700000000123u);
  EXPECT_EQ(o.rssi, -128);
  EXPECT_EQ(o.snr, -5);
  EXPECT_EQ(o.band, proto::Band::Band5GHz);
  EXPECT_EQ(o.antenna, 2);
  EXPECT_EQ(o.extra, R"("channel":36,"note":{"a":[1,"x"]})");
  EXPECT_EQ(written(o), line + "\n");
  // Parsing into a used record leaves nothing of the previous line behind.
  Observation reused = o;
  ASSERT_TRUE(
      parseLine(
          R"({"ts_ms":1,"device":"02:00:00:00:00:01","kind":"ap","ap":"00:2b:01:00:0a:00","slot":0,"rssi":-1})",
          reused)
          .has_value());
  EXPECT_FALSE(reused.snr || reused.band || reused.antenna);
  EXPECT_TRUE(reused.extra.empty());
}

TEST(ObservationLine, RefusesWithTheMemberAndReason) {
  const std::string head = R"({"ts_ms":1000,"device":"f4:8c:50:53:bc:09","kind":"client",)";
  EXPECT_EQ(refusal(head + R"("ap":"00:2b:01:00:0a:00","slot":0,"rssi":"x"})"),
            "rssi: expected integer -128..127, got \"x\"");
  EXPECT_EQ(refusal(head + R"("ap":"00:2b:01:00:0a:00","slot":0,"rssi":-67.5})"),
            "rssi: expected integer -128..127, got -67.5");
  EXPECT_EQ(refusal(head + R"("ap":"00:2b:01:00:0a:00","slot":256,"rssi":-67})"),
            "slot: expected integer 0..255, got 256");
  EXPECT_EQ(refusal(head + R"("slot":0,"rssi":-67})"), "ap: missing (required)");
  EXPECT_EQ(refusal(head + R"("ap":"nope","slot":0,"rssi":-67})"),
            "ap: expected MAC address like \"00:11:22:33:44:55\", got \"nope\"");
  EXPECT_EQ(refusal(head + R"("ap":"00:2b:01:00:0a:00","slot":0,"rssi":-67,"band":"7ghz"})"),
            "band: expected band (one of 2.4ghz, 5ghz, 6ghz), got \"7ghz\"");
  EXPECT_EQ(
      refusal(
          R"({"ts_ms":-1,"device":"f4:8c:50:53:bc:09","kind":"client","ap":"00:2b:01:00:0a:00","slot":0,"rssi":-67})"),
      "ts_ms: expected integer 0..9223372036854775807, got -1");
  EXPECT_EQ(
      refusal(
          R"({"ts_ms":1,"device":"f4:8c:50:53:bc:09","kind":"phone","ap":"00:2b:01:00:0a:00","slot":0,"rssi":-67})"),
      "kind: expected device kind (one of client, rfid-tag, rogue-ap, rogue-client, "
      "interferer, ap), got \"phone\"");
  EXPECT_EQ(refusal("[1,2]"), "expected object, got [1,2]");
  const std::string syntax = refusal(R"({"ts_ms":1000,"device":})");
  EXPECT_EQ(syntax.rfind("invalid JSON: ", 0), 0u) << syntax;
  EXPECT_NE(syntax.find("at column 24"), std::string::npos) << syntax;
}

TEST(TruthLine, RoundTripAndRefusals) {
  const std::string line =
      R"({"ts_ms":2000,"device":"f4:8c:50:53:bc:09","kind":"client","floor":"2","x_m":12.345,"y_m":0.500,"z_m":1.200,"motion":"stairs","speed_mps":1.2})";
  TruthRecord t;
  ASSERT_TRUE(parseLine(line, t).has_value());
  EXPECT_EQ(t.floor, "2");
  EXPECT_DOUBLE_EQ(t.x_m, 12.345);
  EXPECT_DOUBLE_EQ(t.y_m, 0.5);
  EXPECT_EQ(t.z_m, 1.2);
  EXPECT_EQ(t.motion, Motion::Stairs);
  EXPECT_EQ(t.extra, R"("speed_mps":1.2)");
  std::string out;
  appendLine(out, t);
  EXPECT_EQ(out, line + "\n");

  // The minimal form of the brief: no kind, no height, no motion.
  const std::string minimal =
      R"({"ts_ms":0,"device":"f4:8c:50:53:bc:09","floor":"g","x_m":1,"y_m":2})";
  ASSERT_TRUE(parseLine(minimal, t).has_value());
  EXPECT_FALSE(t.kind || t.z_m || t.motion);
  out.clear();
  appendLine(out, t);
  EXPECT_EQ(out, R"({"ts_ms":0,"device":"f4:8c:50:53:bc:09","floor":"g","x_m":1.000,"y_m":2.000})"
                 "\n");

  auto bad = parseLine(
      R"({"ts_ms":0,"device":"f4:8c:50:53:bc:09","floor":"g","x_m":1,"y_m":2,"motion":"running"})",
      t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), "motion: expected still, walking or stairs, got \"running\"");
  bad = parseLine(R"({"ts_ms":0,"device":"f4:8c:50:53:bc:09","floor":3,"x_m":1,"y_m":2})", t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), "floor: expected string, got 3");
  bad = parseLine(R"({"ts_ms":0,"device":"f4:8c:50:53:bc:09","floor":"g","y_m":2})", t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), "x_m: missing (required)");
}

TEST(ObservationProto, ConvertsToAndFromApReports) {
  EXPECT_EQ(bandForSlot(0), proto::Band::Band2_4GHz);
  EXPECT_EQ(bandForSlot(1), proto::Band::Band5GHz);
  EXPECT_EQ(bandForSlot(2), proto::Band::Band6GHz);
  EXPECT_EQ(bandForSlot(3), proto::Band::Band5GHz);
  Observation o = parsed(
      R"({"ts_ms":77,"device":"f4:8c:50:53:bc:09","kind":"client","ap":"00:2b:01:00:0a:00","slot":1,"rssi":-70})");
  const proto::ApRssi ap = toApRssi(o);
  EXPECT_EQ(ap.ap_mac, o.ap);
  EXPECT_EQ(ap.band, proto::Band::Band5GHz);
  EXPECT_EQ(ap.rssi_dbm, -70);
  EXPECT_EQ(ap.timestamp_utc_ms, 77u);
  const Observation back = fromApRssi(o.device, o.kind, ap);
  EXPECT_EQ(back.rssi, -70);
  EXPECT_EQ(back.band, proto::Band::Band5GHz);
  EXPECT_EQ(back.snr, 0);
  EXPECT_EQ(toApRssi(back), ap);
}

}  // namespace
}  // namespace nmsp::measurement
