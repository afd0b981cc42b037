#pragma once
// Reading and writing venue files. A file is accepted whole or refused with the JSON path of the
// first problem ("floors[1].aps[3].mac: expected MAC address ..."), never half-loaded.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "venue/venue.h"

namespace nmsp::venue {

/// The checks a parsed file gets, for venues built in code: unique floor ids and AP MACs,
/// positive dimensions, every AP on its floor, finite numbers.
Result<void, std::string> validateVenue(const Venue& venue);

Result<Venue, std::string> venueFromJson(const nlohmann::json& document);
/// Parse errors name the line and column; schema errors the JSON path.
Result<Venue, std::string> parseVenue(std::string_view text);
/// As parseVenue; errors start with the file name. Files above 64 MiB are refused.
Result<Venue, std::string> loadVenueFile(const std::filesystem::path& path);

/// Known members in the documented order, then the kept unknown ones.
nlohmann::ordered_json venueToJson(const Venue& venue);
/// Pretty-printed (2 spaces) with a final newline: what saveVenueFile writes.
std::string formatVenue(const Venue& venue);
/// Replaces the file atomically (mode 0644) with formatVenue().
Result<void, std::string> saveVenueFile(const std::filesystem::path& path, const Venue& venue);

}  // namespace nmsp::venue
