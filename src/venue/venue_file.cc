#include "venue/venue_file.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "fileio/atomic_file.h"
#include "proto_json/json_documents.h"
#include "venue/json_members.h"
#include "venue/json_number.h"

namespace nmsp::venue {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using proto_json::elementPath;
using proto_json::ReadErrors;

constexpr size_t kMaxVenueFileBytes = size_t{64} << 20;

std::string readRequiredString(JsonMembers& members, std::string_view key, ReadErrors& errors) {
  const auto* v = members.required(key);
  return v ? proto_json::readString(*v, members.pathOf(key), errors) : std::string();
}

double readRequiredNumber(JsonMembers& members, std::string_view key, ReadErrors& errors) {
  const auto* v = members.required(key);
  return v ? readNumber(*v, members.pathOf(key), errors) : 0.0;
}

double readOptionalNumber(JsonMembers& members, std::string_view key, double fallback,
                          ReadErrors& errors) {
  const auto* v = members.optional(key);
  return v ? readNumber(*v, members.pathOf(key), errors) : fallback;
}

// Calls read(element, path) for each element of a required array member.
template <class F>
void readArray(JsonMembers& members, std::string_view key, ReadErrors& errors, F&& read) {
  const auto* v = members.required(key);
  if (v == nullptr) {
    return;
  }
  const std::string path = members.pathOf(key);
  if (!v->is_array()) {
    errors.fail(path, fmt::format("expected array, got {}", proto_json::describeJson(*v)));
    return;
  }
  for (size_t i = 0; i < v->size() && !errors.failed(); ++i) {
    read((*v)[i], elementPath(path, i));
  }
}

Ap readAp(const json& value, std::string path, ReadErrors& errors) {
  JsonMembers m(value, std::move(path), errors);
  Ap ap;
  if (const auto* mac = m.required("mac")) {
    ap.mac = proto_json::readMac(*mac, m.pathOf("mac"), errors);
  }
  ap.name = readRequiredString(m, "name", errors);
  ap.x_m = readRequiredNumber(m, "x_m", errors);
  ap.y_m = readRequiredNumber(m, "y_m", errors);
  ap.z_m = readOptionalNumber(m, "z_m", kDefaultApHeightM, errors);
  ap.extra = m.extras();
  return ap;
}

Floor readFloor(const json& value, std::string path, ReadErrors& errors) {
  JsonMembers m(value, std::move(path), errors);
  Floor floor;
  floor.id = readRequiredString(m, "id", errors);
  floor.name = readRequiredString(m, "name", errors);
  floor.elevation_m = readOptionalNumber(m, "elevation_m", 0.0, errors);
  floor.width_m = readRequiredNumber(m, "width_m", errors);
  floor.length_m = readRequiredNumber(m, "length_m", errors);
  readArray(m, "aps", errors, [&](const json& element, std::string element_path) {
    floor.aps.push_back(readAp(element, std::move(element_path), errors));
  });
  floor.extra = m.extras();
  return floor;
}

std::string floorPath(size_t f) {
  return elementPath("floors", f);
}
std::string apPath(size_t f, size_t a) {
  return elementPath(floorPath(f) + ".aps", a);
}

// The kept unknown members, after the known ones.
void appendExtras(ordered_json& j, const json& extra) {
  for (const auto& [key, value] : extra.items()) {
    j[key] = ordered_json(value);
  }
}

ordered_json apToJson(const Ap& ap) {
  ordered_json j;
  j["mac"] = ap.mac.toString();
  j["name"] = ap.name;
  j["x_m"] = ap.x_m;
  j["y_m"] = ap.y_m;
  j["z_m"] = ap.z_m;
  appendExtras(j, ap.extra);
  return j;
}

ordered_json floorToJson(const Floor& floor) {
  ordered_json j;
  j["id"] = floor.id;
  j["name"] = floor.name;
  j["elevation_m"] = floor.elevation_m;
  j["width_m"] = floor.width_m;
  j["length_m"] = floor.length_m;
  j["aps"] = ordered_json::array();
  for (const auto& ap : floor.aps) {
    j["aps"].push_back(apToJson(ap));
  }
  appendExtras(j, floor.extra);
  return j;
}

}  // namespace

Result<void, std::string> validateVenue(const Venue& venue) {
  if (venue.floors.empty()) {
    return Unexpected{std::string("floors: a venue needs at least one floor")};
  }
  std::map<std::string_view, size_t> floor_ids;
  std::map<MacAddress, std::string> ap_macs;
  for (size_t f = 0; f < venue.floors.size(); ++f) {
    const Floor& floor = venue.floors[f];
    const std::string path = floorPath(f);
    if (floor.id.empty()) {
      return Unexpected{path + ".id: must not be empty"};
    }
    if (auto [it, fresh] = floor_ids.emplace(floor.id, f); !fresh) {
      return Unexpected{fmt::format("{}.id: duplicate floor id \"{}\" (also {})", path, floor.id,
                                    floorPath(it->second))};
    }
    if (!std::isfinite(floor.elevation_m)) {
      return Unexpected{path + ".elevation_m: must be a finite number"};
    }
    for (const auto& [key, value] :
         {std::pair{"width_m", floor.width_m}, std::pair{"length_m", floor.length_m}}) {
      if (!(std::isfinite(value) && value > 0)) {
        return Unexpected{
            fmt::format("{}.{}: expected a positive number of metres, got {}", path, key, value)};
      }
    }
    for (size_t a = 0; a < floor.aps.size(); ++a) {
      const Ap& ap = floor.aps[a];
      const std::string ap_path = apPath(f, a);
      if (ap.mac.isZero()) {
        return Unexpected{ap_path + ".mac: 00:00:00:00:00:00 is not an AP's MAC address"};
      }
      if (auto [it, fresh] = ap_macs.emplace(ap.mac, ap_path); !fresh) {
        return Unexpected{fmt::format("{}.mac: duplicate AP MAC {} (also {})", ap_path,
                                      ap.mac.toString(), it->second)};
      }
      if (!(std::isfinite(ap.x_m) && std::isfinite(ap.y_m) && ap.x_m >= 0 && ap.y_m >= 0 &&
            ap.x_m <= floor.width_m && ap.y_m <= floor.length_m)) {
        return Unexpected{
            fmt::format("{}: position ({}, {}) is outside its floor (x 0..{}, y 0..{} m)", ap_path,
                        ap.x_m, ap.y_m, floor.width_m, floor.length_m)};
      }
      if (!(std::isfinite(ap.z_m) && ap.z_m >= 0)) {
        return Unexpected{
            fmt::format("{}.z_m: expected a height of 0 m or more, got {}", ap_path, ap.z_m)};
      }
    }
  }
  return {};
}

Result<Venue, std::string> venueFromJson(const json& document) {
  ReadErrors errors;
  JsonMembers m(document, "", errors);
  Venue venue;
  venue.name = readRequiredString(m, "name", errors);
  readArray(m, "floors", errors, [&](const json& element, std::string path) {
    venue.floors.push_back(readFloor(element, std::move(path), errors));
  });
  venue.extra = m.extras();
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  if (auto valid = validateVenue(venue); !valid) {
    return Unexpected{valid.error()};
  }
  return venue;
}

Result<Venue, std::string> parseVenue(std::string_view text) {
  auto document = proto_json::parseJsonValue(text);
  if (!document) {
    return Unexpected{document.error()};
  }
  return venueFromJson(*document);
}

Result<Venue, std::string> loadVenueFile(const std::filesystem::path& path) {
  auto text = fileio::readFile(path, kMaxVenueFileBytes);
  if (!text) {
    return Unexpected{text.error()};
  }
  auto venue = parseVenue(*text);
  if (!venue) {
    return Unexpected{fmt::format("{}: {}", path.string(), venue.error())};
  }
  return venue;
}

ordered_json venueToJson(const Venue& venue) {
  ordered_json j;
  j["name"] = venue.name;
  j["floors"] = ordered_json::array();
  for (const auto& floor : venue.floors) {
    j["floors"].push_back(floorToJson(floor));
  }
  appendExtras(j, venue.extra);
  return j;
}

std::string formatVenue(const Venue& venue) {
  return venueToJson(venue).dump(2) + "\n";
}

Result<void, std::string> saveVenueFile(const std::filesystem::path& path, const Venue& venue) {
  return fileio::writeFileAtomically(path, formatVenue(venue), 0644);
}

}  // namespace nmsp::venue
