// `nmsp locate` and `nmsp accuracy` as processes: the output contract of docs/accuracy.md.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace nmsp {
namespace {

using test_support::Command;
using test_support::run;

constexpr const char* kVenue = R"({"name": "t", "floors": [
  {"id": "G", "name": "ground", "elevation_m": 0, "width_m": 30, "length_m": 20, "aps": [
    {"mac": "00:2b:01:00:00:01", "name": "a", "x_m": 2, "y_m": 2},
    {"mac": "00:2b:01:00:00:02", "name": "b", "x_m": 28, "y_m": 2},
    {"mac": "00:2b:01:00:00:03", "name": "c", "x_m": 15, "y_m": 18},
    {"mac": "00:2b:01:00:00:04", "name": "d", "x_m": 15, "y_m": 8}]},
  {"id": "first floor", "name": "one", "elevation_m": 4, "width_m": 30, "length_m": 20, "aps": [
    {"mac": "00:2b:01:00:01:01", "name": "e", "x_m": 5, "y_m": 5}]}]})";

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

TEST(LocateCommand, WritesOneLinePerUpdateInTheDocumentedShape) {
  test_support::TempDir dir;
  write(dir.path() / "v.json", kVenue);
  write(
      dir.path() / "m.jsonl",
      // a device heard by four APs, absolute times
      R"({"ts_ms":1700000000000,"device":"f4:8c:50:00:00:01","kind":"client","ap":"00:2b:01:00:00:01","slot":0,"rssi":-55})"
      "\n"
      R"({"ts_ms":1700000000000,"device":"f4:8c:50:00:00:01","kind":"client","ap":"00:2b:01:00:00:04","slot":0,"rssi":-58})"
      "\n"
      "this is not json\n"
      R"({"ts_ms":1700000000000,"device":"f4:8c:50:00:00:01","kind":"client","ap":"00:2b:01:00:00:02","slot":0,"rssi":-70})"
      "\n"
      R"({"ts_ms":1700000000000,"device":"f4:8c:50:00:00:01","kind":"client","ap":"00:2b:01:00:00:03","slot":0,"rssi":-68})"
      "\n"
      // a tag heard by one AP only: presence-only
      R"({"ts_ms":1700000000500,"device":"00:0c:cc:00:00:09","kind":"rfid-tag","ap":"00:2b:01:00:01:01","slot":0,"rssi":-80})"
      "\n"
      // an AP heard by another (calibration, no location line), an AP not in the venue
      R"({"ts_ms":1700000000600,"device":"00:2b:01:00:00:01","kind":"ap","ap":"00:2b:01:00:00:02","slot":1,"rssi":-75})"
      "\n"
      R"({"ts_ms":1700000000700,"device":"0a:4e:21:00:00:01","kind":"rogue-client","ap":"00:99:99:00:00:01","slot":0,"rssi":-60})"
      "\n"
      R"({"ts_ms":1700000004000,"device":"f4:8c:50:00:00:01","kind":"client","ap":"00:2b:01:00:00:01","slot":1,"rssi":-56,"band":"5ghz"})"
      "\n");
  const auto r = run(Command({NMSP_BINARY, "locate", "--venue", (dir.path() / "v.json").string(),
                              "--measurements", (dir.path() / "m.jsonl").string()})
                         .separateStderr());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("line 3: invalid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("9 lines, 8 observations, 1 skipped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 locations (2 presence-only)"), std::string::npos) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r.out;
  const std::vector<std::string> keys{"ts_ms", "device", "kind",          "floor",
                                      "x_m",   "y_m",    "uncertainty_m", "aps_used"};
  for (const auto& j : out) {
    ASSERT_EQ(j.size(), keys.size()) << j.dump();
    for (const auto& k : keys) {
      EXPECT_TRUE(j.contains(k)) << k << " in " << j.dump();
    }
    EXPECT_TRUE(j["floor"].is_string());
    EXPECT_TRUE(j["ts_ms"].is_number_unsigned());
    EXPECT_TRUE(j["aps_used"].is_number_unsigned());
  }
  EXPECT_EQ(out[0]["ts_ms"], 1700000000000u);
  EXPECT_EQ(out[0]["device"], "f4:8c:50:00:00:01");
  EXPECT_EQ(out[0]["kind"], "client");
  EXPECT_EQ(out[0]["floor"], "G");
  EXPECT_EQ(out[0]["aps_used"], 4u);
  EXPECT_NEAR(out[0]["x_m"].get<double>(), 8, 7);
  EXPECT_EQ(out[1]["device"], "00:0c:cc:00:00:09");
  EXPECT_EQ(out[1]["floor"], "first floor");
  EXPECT_EQ(out[1]["aps_used"], 1u);
  EXPECT_EQ(out[1]["x_m"], 5.0);
  EXPECT_GE(out[1]["uncertainty_m"].get<double>(), 10.0);
  // 4 s later only one AP: its old readings are outside the window.
  EXPECT_EQ(out[2]["ts_ms"], 1700000004000u);
  EXPECT_EQ(out[2]["aps_used"], 1u);
}

TEST(LocateCommand, OutFileAndErrors) {
  test_support::TempDir dir;
  write(dir.path() / "v.json", kVenue);
  write(
      dir.path() / "m.jsonl",
      R"({"ts_ms":5,"device":"f4:8c:50:00:00:01","kind":"interferer","ap":"00:2b:01:00:00:01","slot":0,"rssi":-55})"
      "\n");
  const auto out = dir.path() / "l.jsonl";
  auto r =
      run(Command({NMSP_BINARY, "locate", "--venue", (dir.path() / "v.json").string(),
                   "--measurements", (dir.path() / "m.jsonl").string(), "--out", out.string()}));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(out);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(nlohmann::json::parse(line)["kind"], "interferer");

  r = run(Command({NMSP_BINARY, "locate", "--venue", (dir.path() / "missing.json").string(),
                   "--measurements", (dir.path() / "m.jsonl").string()}));
  EXPECT_EQ(r.exit_code, 1);
  r = run(Command({NMSP_BINARY, "locate", "--venue", (dir.path() / "v.json").string(),
                   "--measurements", (dir.path() / "none.jsonl").string()}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("cannot open"), std::string::npos);
  r = run(Command({NMSP_BINARY, "locate", "--venue", (dir.path() / "v.json").string()}));
  EXPECT_EQ(r.exit_code, 2);
}

TEST(AccuracyCommand, ScoresLocationsAgainstTheTruth) {
  test_support::TempDir dir;
  write(
      dir.path() / "t.jsonl",
      R"({"ts_ms":10,"device":"f4:8c:50:00:00:01","floor":"1","x_m":10,"y_m":10,"motion":"still"})"
      "\n"
      R"({"ts_ms":20,"device":"f4:8c:50:00:00:01","floor":"1","x_m":10,"y_m":10,"motion":"still"})"
      "\n"
      R"({"ts_ms":10,"device":"f4:8c:50:00:00:02","floor":"2","x_m":0,"y_m":0,"motion":"walking"})"
      "\n");
  write(
      dir.path() / "l.jsonl",
      R"({"ts_ms":10,"device":"f4:8c:50:00:00:01","kind":"client","floor":"1","x_m":13,"y_m":14,"uncertainty_m":6,"aps_used":5})"
      "\n"
      R"({"ts_ms":20,"device":"f4:8c:50:00:00:01","kind":"client","floor":"1","x_m":11,"y_m":10,"uncertainty_m":0.5,"aps_used":5})"
      "\n"
      R"({"ts_ms":10,"device":"f4:8c:50:00:00:02","kind":"client","floor":"1","x_m":0,"y_m":2,"uncertainty_m":9,"aps_used":3})"
      "\n");
  auto r = run(Command({NMSP_BINARY, "accuracy", "--truth", (dir.path() / "t.jsonl").string(),
                        "--locations", (dir.path() / "l.jsonl").string(), "--json"})
                   .separateStderr());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["records"], 3u);
  EXPECT_DOUBLE_EQ(j["median_m"].get<double>(), 2.0);
  EXPECT_NEAR(j["right_floor_pct"].get<double>(), 66.67, 0.01);
  EXPECT_NEAR(j["coverage_pct"].get<double>(), 33.33, 0.01);  // wrong floor is not covered
  EXPECT_DOUBLE_EQ(j["located_devices_pct"].get<double>(), 100.0);
  r = run(Command({NMSP_BINARY, "accuracy", "--truth", (dir.path() / "t.jsonl").string(),
                   "--locations", (dir.path() / "l.jsonl").string(), "--goal-median", "1.5"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("goal missed: median_m 2.00"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace nmsp
