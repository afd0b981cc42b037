// Frame -> canonical JSON, by walking the message's Schema (proto/schema.h): one JSON member per
// C++ member, named like it; how a value looks depends only on its codec.
#include <string_view>

#include "proto/schema.h"
#include "proto/services.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"

namespace nmsp::proto_json {
namespace {

using nlohmann::json;

template <class E>
json enumJson(E value) {
  if (auto name = proto::enumName(value)) {
    return std::string(*name);
  }
  return static_cast<uint64_t>(value);  // outside the enum: only frames built in code
}

// Names while every bit is a known service; the number otherwise, so no bit is lost.
json serviceMaskJson(proto::ServiceMask mask) {
  if ((mask & ~proto::kKnownServices) != 0) {
    return mask;
  }
  json names = json::array();
  for (uint8_t i = 0; i < proto::kServiceCount; ++i) {
    if ((mask & (proto::ServiceMask{1} << i)) != 0) {
      names.push_back(std::string(*proto::serviceName(i)));
    }
  }
  return names;
}

template <class S>
json structJson(const S& s);

/// One value as its codec shows it in JSON.
template <class C>
json valueJson(const typename C::Value& v) {
  if constexpr (std::is_same_v<C, proto::codec::ServiceMaskCodec>) {
    return serviceMaskJson(v);
  } else if constexpr (requires { typename C::Struct; }) {
    return structJson(v);
  } else if constexpr (requires { typename C::Element; }) {
    json list = json::array();
    for (const auto& item : v) {
      list.push_back(structJson(item));
    }
    return list;
  } else if constexpr (proto::TableEnum<typename C::Value>) {
    return enumJson(v);
  } else if constexpr (std::is_same_v<typename C::Value, MacAddress> ||
                       std::is_same_v<typename C::Value, IpAddress>) {
    return v.toString();
  } else {
    return v;  // integers, times, message ids, text
  }
}

/// Lists are always written, optional members only when present.
template <class S>
void addFields(json& j, const S& s) {
  proto::forEachMember<S>([&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    using C = typename F::Codec;
    const auto& member = F::of(s);
    const std::string key(field.key);
    if constexpr (F::kCardinality == proto::Cardinality::One) {
      j[key] = valueJson<C>(member);
    } else if constexpr (F::kCardinality == proto::Cardinality::Optional) {
      if (member) {
        j[key] = valueJson<C>(*member);
      }
    } else {
      json list = json::array();
      for (const auto& item : member) {
        list.push_back(valueJson<C>(item));
      }
      j[key] = std::move(list);
    }
  });
}

template <class S>
json structJson(const S& s) {
  json j = json::object();
  addFields(j, s);
  return j;
}

void addFields(json& j, const proto::UnknownMessage& m) {
  j["id"] = m.id;
  j["payload_hex"] = formatHex(m.payload);
}

}  // namespace

nlohmann::json toJson(const proto::Frame& frame) {
  json j = json::object();
  const uint16_t id = proto::messageIdOf(frame.message);
  const bool unknown = std::holds_alternative<proto::UnknownMessage>(frame.message);
  const auto name = unknown ? std::nullopt : proto::messageName(id);
  j["message"] = name ? std::string(*name) : std::string("unknown");
  j["transaction_id"] = frame.transaction_id;
  j["version"] = frame.version;
  j["flags"] = frame.flags;
  std::visit([&j](const auto& m) { addFields(j, m); }, frame.message);
  return j;
}

}  // namespace nmsp::proto_json
