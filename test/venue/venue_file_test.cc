// The venue file: defaults, round trip with unknown members kept, and every refusal naming the
// JSON path of the problem.
#include "venue/venue_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "../support/temp_dir.h"

namespace nmsp::venue {
namespace {

using nlohmann::json;

json twoFloors() {
  return json::parse(R"({
    "name": "HQ",
    "floors": [
      {"id": "1", "name": "Ground", "width_m": 50, "length_m": 30,
       "aps": [{"mac": "00:2b:01:00:0a:00", "name": "ap-1", "x_m": 5, "y_m": 5},
               {"mac": "00:2b:01:00:0a:01", "name": "ap-2", "x_m": 45.5, "y_m": 25, "z_m": 2.5}]},
      {"id": "2", "name": "First", "elevation_m": 4, "width_m": 50, "length_m": 30,
       "aps": [{"mac": "00:2b:01:00:0b:00", "name": "ap-3", "x_m": 0, "y_m": 0},
               {"mac": "00:2b:01:00:0b:01", "name": "ap-4", "x_m": 10, "y_m": 10},
               {"mac": "00:2b:01:00:0b:02", "name": "ap-5", "x_m": 20, "y_m": 10},
               {"mac": "00:2b:01:00:0b:03", "name": "ap-6", "x_m": 50, "y_m": 30}]}
    ]
  })");
}

std::string refusal(const json& document) {
  auto venue = venueFromJson(document);
  EXPECT_FALSE(venue.has_value());
  return venue ? std::string() : venue.error();
}

TEST(VenueFile, ReadsFloorsApsAndDefaults) {
  auto venue = venueFromJson(twoFloors());
  ASSERT_TRUE(venue.has_value()) << venue.error();
  EXPECT_EQ(venue->name, "HQ");
  ASSERT_EQ(venue->floors.size(), 2u);
  const Floor& ground = venue->floors[0];
  EXPECT_EQ(ground.id, "1");
  EXPECT_EQ(ground.elevation_m, 0.0);  // default
  EXPECT_EQ(ground.width_m, 50.0);
  ASSERT_EQ(ground.aps.size(), 2u);
  EXPECT_EQ(ground.aps[0].z_m, 3.0);  // default
  EXPECT_EQ(ground.aps[1].z_m, 2.5);
  EXPECT_EQ(ground.aps[1].x_m, 45.5);
  EXPECT_EQ(venue->floors[1].elevation_m, 4.0);
  EXPECT_EQ(apCount(*venue), 6u);

  auto ref = findAp(*venue, *MacAddress::parse("00:2b:01:00:0b:02"));
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->floor, 1u);
  EXPECT_EQ(ref->ap, 2u);
  EXPECT_FALSE(findAp(*venue, *MacAddress::parse("00:2b:01:00:0c:00")).has_value());
  ASSERT_NE(findFloor(*venue, "2"), nullptr);
  EXPECT_EQ(findFloor(*venue, "2")->name, "First");
  EXPECT_EQ(findFloor(*venue, "3"), nullptr);
}

TEST(VenueFile, RoundTripKeepsUnknownMembersAtEveryLevel) {
  json doc = twoFloors();
  doc["site"] = {{"city", "Zurich"}, {"tags", {1, 2, 3}}};
  doc["floors"][0]["walls"] = json::array({{{"x1_m", 0}, {"y1_m", 1}}});
  doc["floors"][0]["slab_db"] = 14;
  doc["floors"][1]["aps"][2]["model"] = "C9130AXI";
  auto venue = venueFromJson(doc);
  ASSERT_TRUE(venue.has_value()) << venue.error();
  EXPECT_EQ(venue->extra.at("site").at("city"), "Zurich");
  EXPECT_EQ(venue->floors[0].extra.at("slab_db"), 14);
  EXPECT_EQ(venue->floors[1].aps[2].extra.at("model"), "C9130AXI");
  EXPECT_TRUE(venue->floors[1].aps[0].extra.empty());

  const std::string text = formatVenue(*venue);
  auto again = parseVenue(text);
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_EQ(formatVenue(*again), text);
  // Written explicitly, defaults included, and everything else kept as it was.
  json written = json::parse(text);
  json expected = doc;
  expected["floors"][0]["elevation_m"] = 0.0;
  for (auto& floor : expected["floors"]) {
    for (auto& ap : floor["aps"]) {
      if (!ap.contains("z_m")) {
        ap["z_m"] = 3.0;
      }
    }
  }
  EXPECT_EQ(written, expected);
  // Known members first, in the documented order.
  EXPECT_EQ(text.find("\"name\""), text.find_first_of('"'));
  EXPECT_LT(text.find("\"id\""), text.find("\"elevation_m\""));
  EXPECT_LT(text.find("\"length_m\""), text.find("\"aps\""));
}

TEST(VenueFile, RefusesWithTheJsonPathOfTheProblem) {
  struct Case {
    std::function<void(json&)> spoil;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["floors"][1]["aps"][3]["mac"] = "00:2b:01:zz"; },
       "floors[1].aps[3].mac: expected MAC address like \"00:11:22:33:44:55\", got "
       "\"00:2b:01:zz\""},
      {[](json& d) { d["floors"][1]["aps"][1]["mac"] = "00-2B-01-00-0A-01"; },
       "floors[1].aps[1].mac: duplicate AP MAC 00:2b:01:00:0a:01 (also floors[0].aps[1])"},
      {[](json& d) { d["floors"][0]["aps"][1]["mac"] = "00:00:00:00:00:00"; },
       "floors[0].aps[1].mac: 00:00:00:00:00:00 is not an AP's MAC address"},
      {[](json& d) { d["floors"][1]["id"] = "1"; },
       "floors[1].id: duplicate floor id \"1\" (also floors[0])"},
      {[](json& d) { d["floors"][0]["id"] = ""; }, "floors[0].id: must not be empty"},
      {[](json& d) { d["floors"][0]["width_m"] = 0; },
       "floors[0].width_m: expected a positive number of metres, got 0"},
      {[](json& d) { d["floors"][1]["length_m"] = -30; },
       "floors[1].length_m: expected a positive number of metres, got -30"},
      {[](json& d) { d["floors"][0]["aps"][0]["x_m"] = 50.5; },
       "floors[0].aps[0]: position (50.5, 5) is outside its floor (x 0..50, y 0..30 m)"},
      {[](json& d) { d["floors"][1]["aps"][0]["y_m"] = -0.1; },
       "floors[1].aps[0]: position (0, -0.1) is outside its floor (x 0..50, y 0..30 m)"},
      {[](json& d) { d["floors"][0]["aps"][0]["z_m"] = -1; },
       "floors[0].aps[0].z_m: expected a height of 0 m or more, got -1"},
      {[](json& d) { d["floors"][0]["aps"][1]["x_m"] = "12"; },
       "floors[0].aps[1].x_m: expected number, got \"12\""},
      {[](json& d) { d["floors"][1]["elevation_m"] = true; },
       "floors[1].elevation_m: expected number, got true"},
      {[](json& d) { d["floors"][0]["name"] = 7; }, "floors[0].name: expected string, got 7"},
      {[](json& d) { d["floors"][0]["aps"] = json::object(); },
       "floors[0].aps: expected array, got {}"},
      {[](json& d) { d["floors"][1]["aps"][2] = "ap"; },
       "floors[1].aps[2]: expected object, got \"ap\""},
      {[](json& d) { d["floors"][1]["aps"][2].erase("mac"); },
       "floors[1].aps[2].mac: missing (required)"},
      {[](json& d) { d["floors"][0].erase("aps"); }, "floors[0].aps: missing (required)"},
      {[](json& d) { d["floors"][1].erase("length_m"); }, "floors[1].length_m: missing (required)"},
      {[](json& d) { d.erase("name"); }, "name: missing (required)"},
      {[](json& d) { d["floors"] = json::array(); }, "floors: a venue needs at least one floor"},
      {[](json& d) { d = json::array(); }, "expected object, got []"},
  };
  for (const auto& c : cases) {
    json doc = twoFloors();
    c.spoil(doc);
    EXPECT_EQ(refusal(doc), c.error);
  }
}

TEST(VenueFile, RefusesTextThatIsNotJson) {
  auto venue = parseVenue("{\n  \"name\": \"x\",\n  \"floors\": [,]\n}");
  ASSERT_FALSE(venue.has_value());
  EXPECT_NE(venue.error().find("at line 3, column 14"), std::string::npos) << venue.error();
  auto deep = parseVenue(std::string(100, '[') + std::string(100, ']'));
  ASSERT_FALSE(deep.has_value());
  EXPECT_NE(deep.error().find("nested deeper than"), std::string::npos) << deep.error();
}

TEST(VenueFile, SavesAndLoadsFiles) {
  test_support::TempDir dir("venue-test");
  auto venue = venueFromJson(twoFloors());
  ASSERT_TRUE(venue.has_value());
  const auto path = dir.path() / "hq.json";
  ASSERT_TRUE(saveVenueFile(path, *venue).has_value());
  auto loaded = loadVenueFile(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  EXPECT_EQ(formatVenue(*loaded), formatVenue(*venue));

  std::ofstream(dir.path() / "bad.json") << R"({"name": "x", "floors": [{"id": 1}]})";
  auto bad = loadVenueFile(dir.path() / "bad.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(),
            (dir.path() / "bad.json").string() + ": floors[0].id: expected string, got 1");
  EXPECT_FALSE(loadVenueFile(dir.path() / "missing.json").has_value());
}

TEST(VenueFile, ValidatesVenuesBuiltInCode) {
  auto venue = venueFromJson(twoFloors());
  ASSERT_TRUE(venue.has_value());
  EXPECT_TRUE(validateVenue(*venue).has_value());
  venue->floors[0].aps.push_back(venue->floors[1].aps[0]);
  auto bad = validateVenue(*venue);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(),
            "floors[1].aps[0].mac: duplicate AP MAC 00:2b:01:00:0b:00 (also "
            "floors[0].aps[2])");
}

}  // namespace
}  // namespace nmsp::venue
