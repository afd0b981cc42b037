// JSON -> Frame, checked against the schema of docs/protocol-json.md by walking the message's
// Schema (proto/schema.h), member by member in schema order; ObjectReader keeps the first error
// with its JSON path.
#include <array>

#include "proto/codec.h"
#include "proto/schema.h"
#include "proto_json/frame_json.h"
#include "proto_json/hex.h"
#include "proto_json/json_reader.h"

namespace nmsp::proto_json {
namespace {

using nlohmann::json;
using proto::Cardinality;

template <class S>
void readFields(ObjectReader& r, S& s);

/// One JSON value as codec C reads it. Integers are checked against the codec's range (which
/// includes the protocol limits JSON cannot express, e.g. vlan 0..4094).
template <class C>
typename C::Value readValue(const json& v, std::string_view path, ReadErrors& errors) {
  using T = typename C::Value;
  if constexpr (std::is_same_v<C, proto::codec::ServiceMaskCodec>) {
    return readServiceMask(v, path, errors);
  } else if constexpr (std::is_same_v<C, proto::codec::ServiceCodec>) {
    return readService(v, path, errors);
  } else if constexpr (requires { typename C::Struct; }) {
    ObjectReader item(v, std::string(path), errors);
    T value{};
    readFields(item, value);
    item.finish();
    return value;
  } else if constexpr (proto::TableEnum<T>) {
    return readEnum<T>(v, path, errors);
  } else if constexpr (std::is_same_v<T, MacAddress>) {
    return readMac(v, path, errors);
  } else if constexpr (std::is_same_v<T, IpAddress>) {
    return readIp(v, path, errors);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return readString(v, path, errors);  // lengths are left to the encoder
  } else {
    return readInteger<T>(v, path, errors, static_cast<T>(C::kMin), static_cast<T>(C::kMax));
  }
}

/// Why a bounded list codec refused one more element (one overload per such codec).
std::string tooManyItems(std::type_identity<proto::codec::ApRssiListCodec> /*codec*/) {
  return fmt::format("too many APs (at most {} per device)", proto::kMaxApsPerDevice);
}

/// Members are read in schema order, so "expected: ..." lists them in that order. Lists may be
/// left out; optional members may be left out or null.
template <class S>
void readFields(ObjectReader& r, S& s) {
  proto::forEachMember<S>([&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    using C = typename F::Codec;
    auto& member = F::of(s);
    if constexpr (F::kCardinality == Cardinality::Many) {
      r.list(field.key, [&](const json& v, const std::string& path) {
        member.push_back(readValue<C>(v, path, r.errors()));
      });
    } else if constexpr (requires { typename C::Element; }) {
      r.list(field.key, [&](const json& v, const std::string& path) {
        if (!member.push_back(readValue<typename C::ElementCodec>(v, path, r.errors()))) {
          r.errors().fail(path, tooManyItems(std::type_identity<C>{}));
        }
      });
    } else if (const json* v = r.member(field.key, F::kCardinality == Cardinality::One)) {
      member = readValue<C>(*v, memberPath(r.path(), field.key), r.errors());
    }
  });
}

template <class M>
proto::Message readMessageAs(ObjectReader& r) {
  M m;
  readFields(r, m);
  return m;
}

// One reader per catalogue entry, in catalogue (= variant) order.
using MessageReader = proto::Message (*)(ObjectReader&);
template <size_t... I>
constexpr auto makeReaders(std::index_sequence<I...>) {
  return std::array<MessageReader, sizeof...(I)>{
      &readMessageAs<std::variant_alternative_t<I, proto::Message>>...};
}
constexpr auto kReaders = makeReaders(std::make_index_sequence<proto::kMessages.size()>());

proto::UnknownMessage readUnknownMessage(ObjectReader& r) {
  proto::UnknownMessage m;
  m.id = r.integer<uint16_t>("id");
  if (auto name = proto::messageName(m.id)) {
    r.errors().fail(
        memberPath(r.path(), "id"),
        fmt::format("0x{:04x} is a known message: write \"message\": \"{}\"", m.id, *name));
  }
  const std::string hex = r.string("payload_hex");
  if (auto bytes = parseHex(hex)) {
    m.payload = std::move(*bytes);
  } else {
    r.errors().fail(memberPath(r.path(), "payload_hex"), bytes.error());
  }
  return m;
}

constexpr auto kAllMessageIds = [] {
  std::array<proto::MessageId, proto::kMessages.size()> ids{};
  for (size_t i = 0; i < ids.size(); ++i) {
    ids[i] = proto::kMessages[i].id;
  }
  return ids;
}();

}  // namespace

std::span<const proto::MessageId> allMessageIds() {
  return kAllMessageIds;
}

Result<proto::Frame, std::string> fromJson(const nlohmann::json& value) {
  ReadErrors errors;
  ObjectReader r(value, "", errors);
  proto::Frame frame;
  const json* message = r.member("message", true);
  if (message == nullptr && !errors.failed()) {
    errors.fail("message", "missing (required: the message name, e.g. \"init-request\")");
  }
  const std::string name = message ? readString(*message, "message", errors) : std::string();
  frame.transaction_id = r.optionalInteger<uint32_t>("transaction_id").value_or(0);
  frame.version = r.optionalInteger<uint8_t>("version").value_or(proto::kProtocolVersion);
  const auto flags = r.optionalInteger<uint8_t>("flags");
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  if (name == "unknown") {
    frame.message = readUnknownMessage(r);
  } else if (const auto id = proto::messageIdFromName(name)) {
    const proto::MessageInfo* info = proto::findMessage(static_cast<uint16_t>(*id));
    frame.message = kReaders[static_cast<size_t>(info - proto::kMessages.data())](r);
  } else {
    errors.fail("message", fmt::format("unknown message name \"{}\" (e.g. \"init-request\", "
                                       "\"measurement-notification\", or \"unknown\")",
                                       name));
  }
  r.finish();
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  const bool request = proto::isRequest(proto::messageIdOf(frame.message));
  frame.flags = flags.value_or(request ? proto::kFlagRequest : 0);
  return frame;
}

}  // namespace nmsp::proto_json
