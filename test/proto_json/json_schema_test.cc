// fromJson rejects what the schema does not allow, naming the JSON path and the problem.
#include <gtest/gtest.h>

#include "proto_json/frame_json.h"

namespace nmsp::proto_json {
namespace {

std::string errorOf(const char* text) {
  auto f = fromJson(nlohmann::json::parse(text));
  if (f) {
    return "(accepted)";
  }
  return f.error();
}

constexpr const char* kMeasurement = R"({"message":"measurement-notification","devices":[
  {"mac":"00:11:22:33:44:55","kind":"client","aps":[]},
  {"mac":"00:11:22:33:44:56","kind":"client","aps":[]},
  {"mac":"00:11:22:33:44:57","kind":"client","aps":[{"ap_mac":"a0:b1:c2:00:00:01","slot":0,
   "band":"2.4ghz","antenna":0,"rssi_dbm":RSSI,"snr_db":30,"timestamp_utc_ms":0}]}]})";

std::string measurementWithRssi(const std::string& rssi) {
  std::string text = kMeasurement;
  text.replace(text.find("RSSI"), 4, rssi);
  return errorOf(text.c_str());
}

TEST(JsonSchema, WrongTypeNamesPathRangeAndValue) {
  EXPECT_EQ(measurementWithRssi("\"x\""),
            R"(devices[2].aps[0].rssi_dbm: expected integer -128..127, got "x")");
  EXPECT_EQ(measurementWithRssi("-129"),
            "devices[2].aps[0].rssi_dbm: expected integer -128..127, got -129");
  EXPECT_EQ(measurementWithRssi("1.5"),
            "devices[2].aps[0].rssi_dbm: expected integer -128..127, got 1.5");
  EXPECT_EQ(measurementWithRssi("-60"), "(accepted)");
}

TEST(JsonSchema, UnknownKeysAreErrors) {
  EXPECT_EQ(errorOf(R"({"message":"echo-request","clock_utc_msx":1})"),
            "clock_utc_msx: unknown field (expected: message, transaction_id, version, flags, "
            "clock_utc_ms)");
  EXPECT_EQ(errorOf(R"({"message":"measurement-request","devices":[],"txn":1})"),
            "txn: unknown field (expected: message, transaction_id, version, flags, devices)");
  // A misspelt required member is reported as the typo, not as the missing name.
  EXPECT_EQ(errorOf(R"({"message":"capability-notification","service":["rssi-ms"]})"),
            "service: unknown field (expected: message, transaction_id, version, flags, services)");
}

TEST(JsonSchema, MissingRequiredMembers) {
  EXPECT_EQ(errorOf(R"({"transaction_id":1})"),
            R"(message: missing (required: the message name, e.g. "init-request"))");
  EXPECT_EQ(errorOf(R"({"message":"error","reason":"shutdown"})"),
            "offending_message_id: missing (required)");
  EXPECT_EQ(errorOf(R"({"message":"attachment-notification","attachments":[
                {"device":"00:11:22:33:44:55","state":"attach"}]})"),
            "attachments[0].timestamp_utc_ms: missing (required)");
}

TEST(JsonSchema, EnumsMacsIpsAndServices) {
  EXPECT_EQ(errorOf(R"({"message":"info-notification","devices":[
                {"mac":"00:11:22:33:44:55","kind":"phone"}]})"),
            "devices[0].kind: expected device kind (one of client, rfid-tag, rogue-ap, "
            R"(rogue-client, interferer, ap), got "phone")");
  EXPECT_EQ(errorOf(R"({"message":"info-request","devices":["00:11:22:33:44"]})"),
            R"(devices[0]: expected MAC address like "00:11:22:33:44:55", got "00:11:22:33:44")");
  EXPECT_EQ(errorOf(R"({"message":"info-notification","devices":[
                {"mac":"00:11:22:33:44:55","kind":"client","ip_addresses":["10.0.0.300"]}]})"),
            R"(devices[0].ip_addresses[0]: expected IPv4 or IPv6 address, got "10.0.0.300")");
  EXPECT_EQ(errorOf(R"({"message":"capability-notification","services":["rssi-ms","gps"]})"),
            R"(services[1]: expected service name (e.g. "rssi-ms"), got "gps")");
  EXPECT_EQ(errorOf(R"({"message":"capability-notification","services":"rssi-ms"})"),
            R"(services: expected array of service names or integer mask, got "rssi-ms")");
  EXPECT_EQ(errorOf(R"({"message":"init-response","result":"ok","selected_version":1,
                "role":"controller","name":"w","software_version":"","clock_utc_ms":0})"),
            "result: expected result code (one of success, unsupported-version, "
            "unsupported-service, invalid-request, not-authorized, resource-exhausted, "
            R"(clock-skew, unknown-device, internal-error), got "ok")");
}

TEST(JsonSchema, ProtocolRangesJsonCannotExpress) {
  EXPECT_EQ(errorOf(R"({"message":"service-subscribe-request","services":["rssi-ms"],
                "intervals":[{"service":"rssi-ms","interval_s":0}]})"),
            "intervals[0].interval_s: expected integer 1..180, got 0");
  EXPECT_EQ(errorOf(R"({"message":"info-notification","devices":[
                {"mac":"00:11:22:33:44:55","kind":"client","vlan":4095}]})"),
            "devices[0].vlan: expected integer 0..4094, got 4095");
  std::string many = R"({"message":"measurement-notification","devices":[
      {"mac":"00:11:22:33:44:55","kind":"client","aps":[)";
  for (int i = 0; i < 17; ++i) {
    many += i ? "," : "";
    many += R"({"ap_mac":"a0:b1:c2:00:00:01","slot":0,"band":"5ghz","antenna":0,"rssi_dbm":-50,
               "snr_db":20,"timestamp_utc_ms":0})";
  }
  many += "]}]}";
  EXPECT_EQ(errorOf(many.c_str()), "devices[0].aps[16]: too many APs (at most 16 per device)");
}

TEST(JsonSchema, FrameHeaderMembers) {
  EXPECT_EQ(errorOf(R"({"message":"echo-request","transaction_id":-1})"),
            "transaction_id: expected integer 0..4294967295, got -1");
  EXPECT_EQ(errorOf(R"({"message":"echo-request","version":256})"),
            "version: expected integer 0..255, got 256");
  EXPECT_EQ(errorOf(R"({"message":"echo-request","flags":"request"})"),
            R"(flags: expected integer 0..255, got "request")");
  EXPECT_EQ(errorOf(R"({"message":"hello"})"),
            R"(message: unknown message name "hello" (e.g. "init-request", )"
            R"("measurement-notification", or "unknown"))");
  EXPECT_EQ(errorOf("[1]"), "expected object, got [1]");
  EXPECT_EQ(errorOf(R"({"message":"measurement-notification","devices":{}})"),
            "devices: expected array, got {}");
  EXPECT_EQ(errorOf(R"({"message":"measurement-notification","devices":[7]})"),
            "devices[0]: expected object, got 7");
}

TEST(JsonSchema, UnknownMessageChecks) {
  EXPECT_EQ(errorOf(R"({"message":"unknown","id":1,"payload_hex":""})"),
            R"(id: 0x0001 is a known message: write "message": "init-request")");
  EXPECT_EQ(errorOf(R"({"message":"unknown","id":32512,"payload_hex":"0g"})"),
            "payload_hex: line 1, column 2: unexpected 'g' (not a hex digit)");
}

TEST(JsonSchema, LongValuesAreShortenedInMessages) {
  const std::string long_name(100, 'a');
  const std::string text = R"({"message":"info-request","devices":[")" + long_name + R"("]})";
  EXPECT_EQ(errorOf(text.c_str()),
            R"(devices[0]: expected MAC address like "00:11:22:33:44:55", got ")" +
                std::string(39, 'a') + "...");
}

}  // namespace
}  // namespace nmsp::proto_json
