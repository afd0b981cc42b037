#pragma once
// The members of one JSON object in an open format (venue files, measurement lines): a reader asks
// for the members it knows, and everything else is handed back as `extras()` to be kept and written
// back. Errors use the wording of proto_json's strict ObjectReader ("floors[0].width_m: missing
// (required)").

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "proto_json/json_reader.h"

namespace nmsp::venue {

class JsonMembers {
 public:
  /// Reports a value that is not an object; every lookup then returns nullptr.
  JsonMembers(const nlohmann::json& value, std::string path, proto_json::ReadErrors& errors);

  const std::string& path() const { return path_; }
  std::string pathOf(std::string_view key) const { return proto_json::memberPath(path_, key); }

  /// The member, or nullptr after reporting it missing.
  const nlohmann::json* required(std::string_view key);
  /// The member, or nullptr when absent.
  const nlohmann::json* optional(std::string_view key);

  /// The members nobody asked for (an object, possibly empty).
  nlohmann::json extras() const;
  /// The same as compact JSON members without braces (`"snr":30,"x":[1]`), appended to `out`
  /// ("" when there are none): cheap to keep per line of a large file.
  void appendExtras(std::string& out) const;

 private:
  bool isExtra(std::string_view key) const;

  const nlohmann::json* object_ = nullptr;
  std::string path_;
  proto_json::ReadErrors& errors_;
  std::vector<std::string_view> known_;
};

}  // namespace nmsp::venue
