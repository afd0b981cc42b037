#include "proto_json/json_reader.h"

#include <algorithm>

namespace nmsp::proto_json {

using nlohmann::json;

void ReadErrors::fail(std::string_view path, std::string_view problem) {
  if (!first_) {
    first_ = path.empty() ? std::string(problem) : fmt::format("{}: {}", path, problem);
  }
}

std::string memberPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string elementPath(std::string_view parent, size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string describeJson(const json& value) {
  constexpr size_t kMaxShown = 40;
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kMaxShown) {
    text.resize(kMaxShown);
    text += "...";
  }
  return text;
}

std::string readString(const json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  errors.fail(path, fmt::format("expected string, got {}", describeJson(value)));
  return {};
}

MacAddress readMac(const json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_string()) {
    if (auto mac = MacAddress::parse(value.get_ref<const std::string&>())) {
      return *mac;
    }
  }
  errors.fail(path, fmt::format("expected MAC address like \"00:11:22:33:44:55\", got {}",
                                describeJson(value)));
  return {};
}

IpAddress readIp(const json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_string()) {
    if (auto ip = IpAddress::parse(value.get_ref<const std::string&>())) {
      return *ip;
    }
  }
  errors.fail(path, fmt::format("expected IPv4 or IPv6 address, got {}", describeJson(value)));
  return {};
}

proto::Service readService(const json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_string()) {
    if (auto s = proto::serviceFromName(value.get_ref<const std::string&>())) {
      return *s;
    }
  }
  errors.fail(path,
              fmt::format("expected service name (e.g. \"rssi-ms\"), got {}", describeJson(value)));
  return proto::Service::RssiMs;
}

proto::ServiceMask readServiceMask(const json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_number()) {
    return readInteger<proto::ServiceMask>(value, path, errors);
  }
  if (!value.is_array()) {
    errors.fail(path, fmt::format("expected array of service names or integer mask, got {}",
                                  describeJson(value)));
    return 0;
  }
  proto::ServiceMask mask = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    mask |= proto::bit(readService(value[i], elementPath(path, i), errors));
  }
  return mask;
}

ObjectReader::ObjectReader(const json& value, std::string path, ReadErrors& errors)
    : path_(std::move(path)), errors_(errors) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    errors_.fail(path_, fmt::format("expected object, got {}", describeJson(value)));
  }
}

const json* ObjectReader::member(std::string_view key, bool required) {
  known_.emplace_back(key);
  if (object_ == nullptr || errors_.failed()) {
    return nullptr;
  }
  const auto it = object_->find(key);
  if (it == object_->end() || (!required && it->is_null())) {
    if (required && !missing_) {
      missing_ = std::string(key);  // reported by finish(), after any unknown (misspelt) key
    }
    return nullptr;
  }
  return &*it;
}

std::string ObjectReader::string(std::string_view key) {
  const auto* v = member(key, true);
  return v ? readString(*v, memberPath(path_, key), errors_) : std::string();
}

std::optional<std::string> ObjectReader::optionalString(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) {
    return std::nullopt;
  }
  return readString(*v, memberPath(path_, key), errors_);
}

MacAddress ObjectReader::mac(std::string_view key) {
  const auto* v = member(key, true);
  return v ? readMac(*v, memberPath(path_, key), errors_) : MacAddress{};
}

std::optional<MacAddress> ObjectReader::optionalMac(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) {
    return std::nullopt;
  }
  return readMac(*v, memberPath(path_, key), errors_);
}

std::optional<IpAddress> ObjectReader::optionalIp(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) {
    return std::nullopt;
  }
  return readIp(*v, memberPath(path_, key), errors_);
}

proto::Service ObjectReader::service(std::string_view key) {
  const auto* v = member(key, true);
  return v ? readService(*v, memberPath(path_, key), errors_) : proto::Service::RssiMs;
}

proto::ServiceMask ObjectReader::serviceMask(std::string_view key) {
  const auto* v = member(key, true);
  return v ? readServiceMask(*v, memberPath(path_, key), errors_) : 0;
}

void ObjectReader::finish() {
  if (object_ == nullptr || errors_.failed()) {
    return;
  }
  for (const auto& [key, value] : object_->items()) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      std::string known;
      for (const auto& k : known_) {
        known += known.empty() ? k : ", " + k;
      }
      errors_.fail(memberPath(path_, key), fmt::format("unknown field (expected: {})", known));
      return;
    }
  }
  if (missing_) {
    errors_.fail(memberPath(path_, *missing_), "missing (required)");
  }
}

}  // namespace nmsp::proto_json
