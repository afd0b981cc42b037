#include "live/venues.h"

#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "venue/venue_file.h"

namespace nmsp::live {

Result<std::vector<LoadedVenue>, std::string> loadVenues(
    const std::vector<std::filesystem::path>& files) {
  std::vector<LoadedVenue> out;
  std::set<std::string> ids;
  std::unordered_map<MacAddress, std::string> ap_owner;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return Unexpected{"--venue " + file.string() + ": cannot open the file"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = venue::parseVenue(text.str());
    if (!parsed) {
      return Unexpected{"--venue " + file.string() + ": " + parsed.error()};
    }
    LoadedVenue loaded{file.stem().string(), text.str(), std::move(*parsed)};
    if (!ids.insert(loaded.id).second) {
      return Unexpected{"--venue " + file.string() + ": a venue with id \"" + loaded.id +
                        "\" is already loaded (ids are file names without .json)"};
    }
    for (const auto& floor : loaded.venue.floors) {
      for (const auto& ap : floor.aps) {
        auto [it, inserted] = ap_owner.emplace(ap.mac, loaded.id);
        if (!inserted && it->second != loaded.id) {
          return Unexpected{"--venue " + file.string() + ": AP " + ap.mac.toString() +
                            " is also in venue \"" + it->second + "\""};
        }
      }
    }
    out.push_back(std::move(loaded));
  }
  return out;
}

store::VenueRecord venueRecord(const LoadedVenue& venue) {
  store::VenueRecord record;
  record.id = venue.id;
  record.name = venue.venue.name;
  record.json = venue.json;
  for (const auto& floor : venue.venue.floors) {
    record.floors.push_back(
        store::FloorRecord{floor.id, floor.name, floor.elevation_m, floor.width_m, floor.length_m});
  }
  return record;
}

}  // namespace nmsp::live
