#pragma once
// Reading JSON numbers (metres, dB) with the path-naming errors of proto_json's readers. Shared
// by the venue file and the simulator-only parts of it (src/radio).

#include <nlohmann/json.hpp>
#include <string_view>

#include "proto_json/json_reader.h"

namespace nmsp::venue {

/// Any finite number (integer or not); reports and returns 0 otherwise.
double readNumber(const nlohmann::json& value, std::string_view path,
                  proto_json::ReadErrors& errors);
/// A finite number in [lo, hi]; reports and returns `lo` otherwise.
double readNumber(const nlohmann::json& value, std::string_view path,
                  proto_json::ReadErrors& errors, double lo, double hi);

}  // namespace nmsp::venue
