#pragma once
// Splits the input of `nmsp encode` into JSON documents: one value, an array of values (its
// elements), or any number of values one after another (JSON lines, or pretty-printed
// objects back to back, as `jq` prints them).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace nmsp::proto_json {

struct JsonDocument {
  nlohmann::json value;
  std::string origin;  // "line 3" (where it starts), "element [2]", or "" for a lone value
};

/// Deepest nesting accepted: the frame schema needs 5 levels; the bound keeps hostile input
/// (e.g. a million '[') away from nlohmann's recursive printing and comparison.
inline constexpr size_t kMaxJsonNesting = 32;

/// Parse errors name the line and column in `text`.
Result<std::vector<JsonDocument>, std::string> parseJsonDocuments(std::string_view text);

/// Exactly one JSON value (a file of another format: a venue, a settings file, one JSON line),
/// nesting bounded as above; errors name the line and column in `text`.
Result<nlohmann::json, std::string> parseJsonValue(std::string_view text);

}  // namespace nmsp::proto_json
