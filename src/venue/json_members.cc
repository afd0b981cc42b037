#include "venue/json_members.h"

#include <fmt/format.h>

#include <algorithm>

namespace nmsp::venue {

JsonMembers::JsonMembers(const nlohmann::json& value, std::string path,
                         proto_json::ReadErrors& errors)
    : path_(std::move(path)), errors_(errors) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    errors_.fail(path_, fmt::format("expected object, got {}", proto_json::describeJson(value)));
  }
}

const nlohmann::json* JsonMembers::optional(std::string_view key) {
  known_.push_back(key);
  if (object_ == nullptr) {
    return nullptr;
  }
  const auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

const nlohmann::json* JsonMembers::required(std::string_view key) {
  const auto* v = optional(key);
  if (v == nullptr && object_ != nullptr) {
    errors_.fail(pathOf(key), "missing (required)");
  }
  return v;
}

bool JsonMembers::isExtra(std::string_view key) const {
  return std::find(known_.begin(), known_.end(), key) == known_.end();
}

nlohmann::json JsonMembers::extras() const {
  auto extra = nlohmann::json::object();
  if (object_ != nullptr) {
    for (const auto& [key, value] : object_->items()) {
      if (isExtra(key)) {
        extra[key] = value;
      }
    }
  }
  return extra;
}

void JsonMembers::appendExtras(std::string& out) const {
  if (object_ == nullptr) {
    return;
  }
  for (const auto& [key, value] : object_->items()) {
    if (isExtra(key)) {
      if (!out.empty()) {
        out += ',';
      }
      out += nlohmann::json(key).dump();
      out += ':';
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
}

}  // namespace nmsp::venue
