#include "radio/site.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto_json/json_reader.h"
#include "venue/json_number.h"

namespace nmsp::radio {
namespace {

using nlohmann::json;
using proto_json::elementPath;
using proto_json::memberPath;
using proto_json::ObjectReader;
using proto_json::ReadErrors;

constexpr double kMaxMetres = 100000;

void optionalNumber(ObjectReader& r, std::string_view key, double& out, double lo, double hi) {
  if (const auto* v = r.member(key, false)) {
    out = venue::readNumber(*v, memberPath(r.path(), key), r.errors(), lo, hi);
  }
}

double requiredNumber(ObjectReader& r, std::string_view key, double lo, double hi) {
  const auto* v = r.member(key, true);
  return v ? venue::readNumber(*v, memberPath(r.path(), key), r.errors(), lo, hi) : lo;
}

// The member `key` of a venue-level or floor-level `extra`, if present.
const json* extraMember(const json& extra, std::string_view key) {
  const auto it = extra.find(key);
  return it == extra.end() ? nullptr : &*it;
}

template <class F>
void forEachElement(const json& list, const std::string& path, ReadErrors& errors, F&& read) {
  if (!list.is_array()) {
    errors.fail(path, fmt::format("expected array, got {}", proto_json::describeJson(list)));
    return;
  }
  for (size_t i = 0; i < list.size() && !errors.failed(); ++i) {
    read(list[i], elementPath(path, i));
  }
}

void readEnvironment(ObjectReader& r, FloorEnvironment& env) {
  optionalNumber(r, "path_loss_exponent", env.path_loss_exponent, 1.5, 6.0);
  optionalNumber(r, "shadowing_sigma_db", env.shadowing_sigma_db, 0, 20);
  optionalNumber(r, "shadowing_correlation_m", env.shadowing_correlation_m, 0.5, 1000);
  optionalNumber(r, "fading_sigma_db", env.fading_sigma_db, 0, 20);
}

void readRadioParams(const json& value, RadioParams& p, ReadErrors& errors) {
  ObjectReader r(value, "radio", errors);
  readEnvironment(r, p.environment);
  optionalNumber(r, "ref_loss_2_4ghz_db", p.ref_loss_2_4ghz_db, 0, 150);
  optionalNumber(r, "ref_loss_5ghz_db", p.ref_loss_5ghz_db, 0, 150);
  optionalNumber(r, "ref_loss_6ghz_db", p.ref_loss_6ghz_db, 0, 150);
  optionalNumber(r, "device_tx_spread_db", p.device_tx_spread_db, 0, 20);
  optionalNumber(r, "ap_calibration_db", p.ap_calibration_db, 0, 20);
  optionalNumber(r, "slab_db", p.slab_db, 0, 100);
  optionalNumber(r, "wall_factor_5ghz", p.wall_factor_5ghz, 0.5, 5);
  optionalNumber(r, "max_wall_loss_db", p.max_wall_loss_db, 0, 200);
  p.sensitivity_dbm =
      r.optionalInteger<int>("sensitivity_dbm", -128, 0).value_or(p.sensitivity_dbm);
  p.max_aps = r.optionalInteger<int>("max_aps", 1, 16).value_or(p.max_aps);
  optionalNumber(r, "hear_probability", p.hear_probability, 0, 1);
  p.noise_floor_dbm =
      r.optionalInteger<int>("noise_floor_dbm", -128, 0).value_or(p.noise_floor_dbm);
  r.finish();
}

Wall readWall(const json& value, std::string path, ReadErrors& errors) {
  ObjectReader r(value, std::move(path), errors);
  Wall w;
  w.x1_m = requiredNumber(r, "x1_m", -kMaxMetres, kMaxMetres);
  w.y1_m = requiredNumber(r, "y1_m", -kMaxMetres, kMaxMetres);
  w.x2_m = requiredNumber(r, "x2_m", -kMaxMetres, kMaxMetres);
  w.y2_m = requiredNumber(r, "y2_m", -kMaxMetres, kMaxMetres);
  w.attenuation_db = requiredNumber(r, "attenuation_db", 0, 100);
  (void)r.optionalString("material");  // documentation for people; the loss is what counts
  r.finish();
  return w;
}

bool inside(const venue::Floor& floor, double x, double y) {
  return x >= 0 && y >= 0 && x <= floor.width_m && y <= floor.length_m;
}

Room readRoom(const json& value, std::string path, const venue::Floor& floor, ReadErrors& errors) {
  ObjectReader r(value, std::move(path), errors);
  Room room;
  room.name = r.optionalString("name").value_or("");
  room.x_m = requiredNumber(r, "x_m", 0, floor.width_m);
  room.y_m = requiredNumber(r, "y_m", 0, floor.length_m);
  room.width_m = requiredNumber(r, "width_m", 0.1, floor.width_m);
  room.length_m = requiredNumber(r, "length_m", 0.1, floor.length_m);
  if (const auto* door = r.member("door", false)) {
    ObjectReader d(*door, memberPath(r.path(), "door"), errors);
    const double x = requiredNumber(d, "x_m", 0, floor.width_m);
    const double y = requiredNumber(d, "y_m", 0, floor.length_m);
    d.finish();
    room.door = std::pair{x, y};
  }
  r.finish();
  if (!errors.failed() && !inside(floor, room.x_m + room.width_m, room.y_m + room.length_m)) {
    errors.fail(r.path(), fmt::format("room reaches beyond its floor ({} x {} m)", floor.width_m,
                                      floor.length_m));
  }
  return room;
}

Stairs readStairs(const json& value, std::string path, const venue::Venue& venue,
                  ReadErrors& errors) {
  ObjectReader r(value, std::move(path), errors);
  Stairs stairs;
  stairs.name = r.optionalString("name").value_or("");
  stairs.x_m = requiredNumber(r, "x_m", 0, kMaxMetres);
  stairs.y_m = requiredNumber(r, "y_m", 0, kMaxMetres);
  auto readFloorId = [&](const json& element, const std::string& element_path) {
    const std::string id = proto_json::readString(element, element_path, errors);
    const auto it = std::find_if(venue.floors.begin(), venue.floors.end(),
                                 [&](const venue::Floor& f) { return f.id == id; });
    if (errors.failed()) {
      return;
    }
    if (it == venue.floors.end()) {
      errors.fail(element_path, fmt::format("no floor with id \"{}\"", id));
      return;
    }
    const auto index = static_cast<uint32_t>(it - venue.floors.begin());
    if (std::find(stairs.floors.begin(), stairs.floors.end(), index) != stairs.floors.end()) {
      errors.fail(element_path, fmt::format("floor \"{}\" listed twice", id));
      return;
    }
    if (!inside(*it, stairs.x_m, stairs.y_m)) {
      errors.fail(element_path, fmt::format("the stairs at ({}, {}) are outside floor \"{}\"",
                                            stairs.x_m, stairs.y_m, id));
      return;
    }
    stairs.floors.push_back(index);
  };
  if (const auto* floors = r.member("floors", true)) {
    forEachElement(*floors, memberPath(r.path(), "floors"), errors, readFloorId);
  }
  r.finish();
  if (!errors.failed() && stairs.floors.size() < 2) {
    errors.fail(memberPath(r.path(), "floors"), "stairs join at least two floors");
  }
  return stairs;
}

void readFloorSite(const venue::Floor& floor, const std::string& path, FloorSite& site,
                   ReadErrors& errors) {
  if (const auto* radio = extraMember(floor.extra, "radio")) {
    ObjectReader r(*radio, memberPath(path, "radio"), errors);
    readEnvironment(r, site.environment);
    r.finish();
  }
  if (const auto* slab = extraMember(floor.extra, "slab_db")) {
    site.slab_db = venue::readNumber(*slab, memberPath(path, "slab_db"), errors, 0, 100);
  }
  if (const auto* walls = extraMember(floor.extra, "walls")) {
    forEachElement(*walls, memberPath(path, "walls"), errors, [&](const json& w, std::string p) {
      site.walls.push_back(readWall(w, std::move(p), errors));
    });
  }
  if (const auto* rooms = extraMember(floor.extra, "rooms")) {
    forEachElement(*rooms, memberPath(path, "rooms"), errors, [&](const json& w, std::string p) {
      site.rooms.push_back(readRoom(w, std::move(p), floor, errors));
    });
  }
}

}  // namespace

Result<Site, std::string> siteFromVenue(const venue::Venue& venue) {
  ReadErrors errors;
  Site site;
  if (const auto* radio = extraMember(venue.extra, "radio")) {
    readRadioParams(*radio, site.params, errors);
  }
  site.floors.resize(venue.floors.size());
  for (size_t f = 0; f < venue.floors.size() && !errors.failed(); ++f) {
    site.floors[f].environment = site.params.environment;
    site.floors[f].slab_db = site.params.slab_db;
    readFloorSite(venue.floors[f], elementPath("floors", f), site.floors[f], errors);
  }
  if (const auto* stairs = extraMember(venue.extra, "stairs"); stairs && !errors.failed()) {
    forEachElement(*stairs, "stairs", errors, [&](const json& s, std::string p) {
      site.stairs.push_back(readStairs(s, std::move(p), venue, errors));
    });
  }
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  return site;
}

}  // namespace nmsp::radio
