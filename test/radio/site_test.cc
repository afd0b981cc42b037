// The simulator-only parts of a venue file: read with defaults, refused with their JSON path,
// and invisible to (but kept by) the venue library.
#include "radio/site.h"

#include <gtest/gtest.h>

#include <functional>

#include "venue/venue_file.h"

namespace nmsp::radio {
namespace {

using nlohmann::json;

json twoFloorVenue() {
  return json::parse(R"({
    "name": "site",
    "radio": {"path_loss_exponent": 3.3, "shadowing_sigma_db": 5, "slab_db": 15,
              "sensitivity_dbm": -90, "max_aps": 8, "ref_loss_5ghz_db": 47},
    "stairs": [{"name": "west", "x_m": 1, "y_m": 15, "floors": ["g", "1"]}],
    "floors": [
      {"id": "g", "name": "Ground", "width_m": 50, "length_m": 30,
       "radio": {"path_loss_exponent": 2.8, "fading_sigma_db": 2},
       "slab_db": 20,
       "walls": [{"x1_m": 10, "y1_m": 0, "x2_m": 10, "y2_m": 30, "attenuation_db": 4,
                  "material": "drywall"}],
       "rooms": [{"name": "A", "x_m": 0, "y_m": 0, "width_m": 10, "length_m": 12,
                  "door": {"x_m": 5, "y_m": 12}},
                 {"x_m": 10, "y_m": 0, "width_m": 40, "length_m": 30}],
       "aps": [{"mac": "00:2b:01:00:0a:00", "name": "ap", "x_m": 5, "y_m": 5}]},
      {"id": "1", "name": "First", "elevation_m": 4, "width_m": 50, "length_m": 30, "aps": []}
    ]
  })");
}

Result<Site, std::string> siteOf(const json& document) {
  auto venue = venue::venueFromJson(document);
  EXPECT_TRUE(venue.has_value()) << venue.error();
  return siteFromVenue(*venue);
}

TEST(Site, ReadsParametersWallsRoomsAndStairs) {
  auto site = siteOf(twoFloorVenue());
  ASSERT_TRUE(site.has_value()) << site.error();
  const RadioParams& p = site->params;
  EXPECT_EQ(p.environment.path_loss_exponent, 3.3);
  EXPECT_EQ(p.environment.shadowing_sigma_db, 5.0);
  EXPECT_EQ(p.environment.fading_sigma_db, 3.0);  // default
  EXPECT_EQ(p.sensitivity_dbm, -90);
  EXPECT_EQ(p.max_aps, 8);
  EXPECT_EQ(p.refLossDb(proto::Band::Band5GHz), 47.0);
  EXPECT_EQ(p.refLossDb(proto::Band::Band2_4GHz), 40.0);  // default
  ASSERT_EQ(site->floors.size(), 2u);
  // Floor overrides, and venue values where the floor says nothing.
  EXPECT_EQ(site->floors[0].environment.path_loss_exponent, 2.8);
  EXPECT_EQ(site->floors[0].environment.fading_sigma_db, 2.0);
  EXPECT_EQ(site->floors[0].environment.shadowing_sigma_db, 5.0);
  EXPECT_EQ(site->floors[1].environment.path_loss_exponent, 3.3);
  EXPECT_EQ(site->floors[0].slab_db, 20.0);
  EXPECT_EQ(site->floors[1].slab_db, 15.0);
  ASSERT_EQ(site->floors[0].walls.size(), 1u);
  EXPECT_EQ(site->floors[0].walls[0].attenuation_db, 4.0);
  ASSERT_EQ(site->floors[0].rooms.size(), 2u);
  EXPECT_EQ(site->floors[0].rooms[0].door, (std::pair{5.0, 12.0}));
  EXPECT_FALSE(site->floors[0].rooms[1].door.has_value());
  ASSERT_EQ(site->stairs.size(), 1u);
  EXPECT_EQ(site->stairs[0].floors, (std::vector<uint32_t>{0, 1}));
}

TEST(Site, DefaultsWithoutAnySimulatorMembers) {
  auto site = siteOf(json::parse(R"({"name": "bare", "floors": [
      {"id": "1", "name": "1", "width_m": 10, "length_m": 10, "aps": []}]})"));
  ASSERT_TRUE(site.has_value()) << site.error();
  EXPECT_EQ(site->params, RadioParams{});
  EXPECT_EQ(site->floors[0].slab_db, 14.0);
  EXPECT_TRUE(site->floors[0].walls.empty());
  EXPECT_TRUE(site->stairs.empty());
}

TEST(Site, RefusesWithTheJsonPath) {
  struct Case {
    std::function<void(json&)> spoil;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["radio"]["shadowing_sigma"] = 4; },
       "radio.shadowing_sigma: unknown field (expected: path_loss_exponent, shadowing_sigma_db, "
       "shadowing_correlation_m, fading_sigma_db, ref_loss_2_4ghz_db, ref_loss_5ghz_db, "
       "ref_loss_6ghz_db, device_tx_spread_db, ap_calibration_db, slab_db, wall_factor_5ghz, "
       "max_wall_loss_db, sensitivity_dbm, max_aps, hear_probability, noise_floor_dbm)"},
      {[](json& d) { d["radio"]["path_loss_exponent"] = 9; },
       "radio.path_loss_exponent: expected number 1.5..6, got 9"},
      {[](json& d) { d["radio"]["max_aps"] = 17; },
       "radio.max_aps: expected integer 1..16, got 17"},
      {[](json& d) { d["floors"][0]["radio"]["slab_db"] = 3; },
       "floors[0].radio.slab_db: unknown field (expected: path_loss_exponent, "
       "shadowing_sigma_db, shadowing_correlation_m, fading_sigma_db)"},
      {[](json& d) { d["floors"][0]["walls"][0].erase("attenuation_db"); },
       "floors[0].walls[0].attenuation_db: missing (required)"},
      {[](json& d) { d["floors"][0]["walls"][0]["attenuation_db"] = -3; },
       "floors[0].walls[0].attenuation_db: expected number 0..100, got -3"},
      {[](json& d) { d["floors"][0]["walls"] = 1; }, "floors[0].walls: expected array, got 1"},
      {[](json& d) { d["floors"][1]["slab_db"] = "thick"; },
       "floors[1].slab_db: expected number 0..100, got \"thick\""},
      {[](json& d) { d["floors"][0]["rooms"][1]["width_m"] = 45; },
       "floors[0].rooms[1]: room reaches beyond its floor (50 x 30 m)"},
      {[](json& d) { d["floors"][0]["rooms"][0]["door"]["y_m"] = 31; },
       "floors[0].rooms[0].door.y_m: expected number 0..30, got 31"},
      {[](json& d) { d["stairs"][0]["floors"][1] = "7"; },
       "stairs[0].floors[1]: no floor with id \"7\""},
      {[](json& d) { d["stairs"][0]["floors"] = json::array({"g"}); },
       "stairs[0].floors: stairs join at least two floors"},
      {[](json& d) {
         d["stairs"][0]["floors"] = json::array({"g", "g"});
       },
       "stairs[0].floors[1]: floor \"g\" listed twice"},
      {[](json& d) { d["stairs"][0]["x_m"] = 51; },
       "stairs[0].floors[0]: the stairs at (51, 15) are outside floor \"g\""},
  };
  for (const auto& c : cases) {
    json doc = twoFloorVenue();
    c.spoil(doc);
    SCOPED_TRACE(c.error);
    auto site = siteOf(doc);
    ASSERT_FALSE(site.has_value());
    EXPECT_EQ(site.error(), c.error);
  }
}

TEST(Site, VenueLibraryKeepsButDoesNotReadThem) {
  auto venue = venue::venueFromJson(twoFloorVenue());
  ASSERT_TRUE(venue.has_value());
  EXPECT_TRUE(venue->extra.contains("radio"));
  EXPECT_TRUE(venue->floors[0].extra.contains("walls"));
  auto again = venue::parseVenue(venue::formatVenue(*venue));
  ASSERT_TRUE(again.has_value());
  auto site = siteFromVenue(*again);
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->floors[0].walls.size(), 1u);
}

}  // namespace
}  // namespace nmsp::radio
