#pragma once
// The venues the MSE locates in: the files given with `nmsp mse --venue FILE` (docs/simulator.md,
// "Venue file"). Each gets an id, its file name without ".json", which location records and the
// store's venue table use.

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "venue/venue.h"

namespace nmsp::live {

struct LoadedVenue {
  std::string id;    // file name without its extension: "building-a" for building-a.json
  std::string json;  // the file's text, verbatim (stored in the venues table)
  venue::Venue venue;
};

/// Reads and validates every file. Errors (for the operator) name the file: unreadable, invalid,
/// two files with the same id, or an AP MAC in two venues.
Result<std::vector<LoadedVenue>, std::string> loadVenues(
    const std::vector<std::filesystem::path>& files);

/// The venue as the store keeps it (VenueRecord: id, name, text, floors).
store::VenueRecord venueRecord(const LoadedVenue& venue);

}  // namespace nmsp::live
