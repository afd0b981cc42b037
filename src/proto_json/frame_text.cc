// Frame -> operator text, by walking the message's Schema (proto/schema.h). The layout rules are
// below ("The generic layout"); UnknownMessage, which has no schema, has its own printFields.
#include "proto_json/frame_text.h"

#include <fmt/format.h>

#include <array>
#include <iterator>

#include "proto/codec.h"
#include "proto/schema.h"
#include "proto/services.h"
#include "proto_json/hex.h"
#include "proto_json/utc_time.h"

namespace nmsp::proto_json {
namespace {

constexpr size_t kHexBytesPerLine = 16;

class TextWriter {
 public:
  template <class... Args>
  void line(int indent, fmt::format_string<Args...> format, Args&&... args) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_.push_back('\n');
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string clockText(uint64_t ms) {
  return fmt::format("{} ({})", ms, formatUtcMs(ms));
}

std::string serviceText(proto::Service s) {
  const auto name = proto::serviceName(static_cast<uint8_t>(s));
  return name ? std::string(*name) : fmt::format("bit{}", static_cast<unsigned>(s));
}

std::string maskText(proto::ServiceMask mask) {
  std::string names;
  for (uint8_t i = 0; i < 64; ++i) {
    if ((mask & (proto::ServiceMask{1} << i)) == 0) {
      continue;
    }
    const auto name = proto::serviceName(i);
    names += names.empty() ? "" : ", ";
    names += name ? std::string(*name) : fmt::format("bit{}", i);
  }
  return fmt::format("0x{:016x} [{}]", mask, names);
}

std::string messageIdText(uint16_t id) {
  const auto name = proto::messageName(id);
  return fmt::format("0x{:04x} ({})", id, name ? *name : "unknown");
}

// --- The generic layout (docs/protocol-json.md section 5) --------------------------------------
// A message prints one line per member: `key=value`, and a list as `key=N` followed by its
// elements `item[i]...`. An element that is a structure prints on its own line its mandatory
// values and the counts of its lists (`device[0] mac=... kind=... aps=2`), then, indented once
// more, its optional values and the elements of its lists. Members whose key ends in a unit
// suffix show it after the value (`rssi_dbm` -> `rssi=-60dBm`); on an element's line a time is
// `ts=<ISO 8601>`, elsewhere `key=<ms> (<ISO 8601>)`.

/// Spellings of a list that the generic rules do not give.
struct ListStyle {
  std::string_view item;         // one element's label; default: the key without its final 's'
  std::string_view empty_note;   // shown after the count of an empty list: "devices=0 (...)"
  bool count_on_element = true;  // inside an element: the list's count on the element's line
};
template <auto Member>
inline constexpr ListStyle kListStyle{};
template <>
inline constexpr ListStyle kListStyle<&proto::MeasurementRequest::devices>{{}, "all known devices"};
template <>
inline constexpr ListStyle kListStyle<&proto::InfoRequest::devices>{{}, "all known devices"};
template <>
inline constexpr ListStyle kListStyle<&proto::StatisticsRequest::devices>{{}, "all known devices"};
template <>
inline constexpr ListStyle kListStyle<&proto::ServiceSubscribeRequest::ap_groups>{{}, "all APs"};
template <>
inline constexpr ListStyle kListStyle<&proto::DeviceInfo::ip_addresses>{"ip", {}, false};
template <>
inline constexpr ListStyle kListStyle<&proto::DeviceInfo::telemetry>{{}, {}, false};

struct Unit {
  std::string_view suffix;
  std::string_view shown;
};
constexpr std::array<Unit, 5> kUnits = {{
    {"_dbm", "dBm"},
    {"_db", "dB"},
    {"_pct", "%"},
    {"_mm", "mm"},
    {"_s", "s"},
}};

/// Where a value is printed: on a line of its own, or on its element's line.
enum class Place { Line, Element };

template <class C>
std::string valueText(const typename C::Value& v, Place place) {
  using T = typename C::Value;
  if constexpr (std::is_same_v<C, proto::codec::ServiceMaskCodec>) {
    return maskText(v);
  } else if constexpr (std::is_same_v<C, proto::codec::ServiceCodec>) {
    return serviceText(v);
  } else if constexpr (std::is_same_v<C, proto::codec::MessageIdCodec>) {
    return messageIdText(v);
  } else if constexpr (std::is_same_v<C, proto::codec::UtcMs>) {
    return place == Place::Line ? clockText(v) : formatUtcMs(v);
  } else if constexpr (proto::TableEnum<T>) {
    return proto::enumText(v);
  } else if constexpr (std::is_same_v<T, MacAddress> || std::is_same_v<T, IpAddress>) {
    return v.toString();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return quoted(v);
  } else {
    return fmt::format("{}", v);
  }
}

/// `key=value`, with the key's unit moved behind the value.
template <class C>
std::string memberText(std::string_view key, const typename C::Value& v, Place place) {
  if constexpr (std::is_same_v<C, proto::codec::UtcMs>) {
    if (place == Place::Element) {
      return fmt::format("ts={}", valueText<C>(v, place));
    }
  }
  for (const Unit& unit : kUnits) {
    if (key.ends_with(unit.suffix)) {
      key.remove_suffix(unit.suffix.size());
      return fmt::format("{}={}{}", key, valueText<C>(v, place), unit.shown);
    }
  }
  return fmt::format("{}={}", key, valueText<C>(v, place));
}

template <class F>
constexpr bool kIsList = F::kCardinality == proto::Cardinality::Many || requires {
  typename F::Codec::Element;
};

/// The codec of one element of a list member (a repeated attribute, or a list codec).
template <class F>
constexpr auto elementCodecOf() {
  if constexpr (F::kCardinality == proto::Cardinality::Many) {
    return std::type_identity<typename F::Codec>{};
  } else {
    return std::type_identity<typename F::Codec::ElementCodec>{};
  }
}
template <class F>
using ElementCodec = typename decltype(elementCodecOf<F>())::type;

template <class C>
constexpr bool kIsStructure = requires {
  typename C::Struct;
};

template <class S>
std::string elementLine(const S& s);
template <class S>
void elementDetails(TextWriter& w, int indent, const S& s);

/// A member that is one structure: its key and element line, its details indented below.
template <class C, class V>
void printStructure(TextWriter& w, int indent, std::string_view key, const V& member) {
  if constexpr (proto::IsOptional<V>::value) {
    if (member) {
      printStructure<C>(w, indent, key, *member);
    }
  } else {
    w.line(indent, "{}{}", key, elementLine(member));
    elementDetails(w, indent + 1, member);
  }
}

/// The elements of a list member, one line each (structures: with their details below).
template <class F, class List>
void printElements(TextWriter& w, int indent, const F& field, const List& items) {
  using C = ElementCodec<F>;
  constexpr ListStyle kStyle = kListStyle<F::kMember>;
  std::string_view item = kStyle.item;
  if (item.empty()) {
    item = field.key.ends_with('s') ? field.key.substr(0, field.key.size() - 1) : field.key;
  }
  size_t i = 0;
  for (const auto& element : items) {
    if constexpr (kIsStructure<C>) {
      w.line(indent, "{}[{}]{}", item, i, elementLine(element));
      elementDetails(w, indent + 1, element);
    } else {
      w.line(indent, "{}[{}]={}", item, i, valueText<C>(element, Place::Line));
    }
    ++i;
  }
}

/// " mac=... kind=... aps=2": an element's mandatory values and the counts of its lists.
template <class S>
std::string elementLine(const S& s) {
  std::string line;
  proto::forEachMember<S>([&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    const auto& member = F::of(s);
    if constexpr (kIsList<F>) {
      if constexpr (kListStyle<F::kMember>.count_on_element) {
        line += fmt::format(" {}={}", field.key, member.size());
      }
    } else if constexpr (F::kCardinality == proto::Cardinality::One &&
                         !kIsStructure<typename F::Codec>) {
      line += ' ';
      line += memberText<typename F::Codec>(field.key, member, Place::Element);
    }
  });
  return line;
}

/// Below an element's line: its optional values, structures and the elements of its lists.
template <class S>
void elementDetails(TextWriter& w, int indent, const S& s) {
  proto::forEachMember<S>([&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    using C = typename F::Codec;
    const auto& member = F::of(s);
    if constexpr (kIsList<F>) {
      printElements(w, indent, field, member);
    } else if constexpr (kIsStructure<C>) {
      printStructure<C>(w, indent, field.key, member);
    } else if constexpr (F::kCardinality == proto::Cardinality::Optional) {
      if (member) {
        w.line(indent, "{}", memberText<C>(field.key, *member, Place::Line));
      }
    }
  });
}

/// A message's members, one per line at indent 1.
template <class M>
void printFields(TextWriter& w, const M& m) {
  proto::forEachMember<M>([&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    using C = typename F::Codec;
    const auto& member = F::of(m);
    if constexpr (kIsList<F>) {
      constexpr ListStyle kStyle = kListStyle<F::kMember>;
      const bool note = member.size() == 0 && !kStyle.empty_note.empty();
      w.line(1, "{}={}{}", field.key, member.size(),
             note ? fmt::format(" ({})", kStyle.empty_note) : std::string());
      printElements(w, 1, field, member);
    } else if constexpr (kIsStructure<C>) {
      printStructure<C>(w, 1, field.key, member);
    } else if constexpr (F::kCardinality == proto::Cardinality::One) {
      w.line(1, "{}", memberText<C>(field.key, member, Place::Line));
    } else if (member) {
      w.line(1, "{}", memberText<C>(field.key, *member, Place::Line));
    }
  });
}

void printFields(TextWriter& w, const proto::UnknownMessage& m) {
  w.line(1, "payload={} bytes (unknown message id, not decoded)", m.payload.size());
  for (size_t i = 0; i < m.payload.size(); i += kHexBytesPerLine) {
    const size_t n = std::min(kHexBytesPerLine, m.payload.size() - i);
    w.line(2, "{:04x}: {}", i, formatHex(std::span(m.payload).subspan(i, n), " "));
  }
}

}  // namespace

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string toText(const proto::Frame& frame, const TextOptions& options) {
  const uint16_t id = proto::messageIdOf(frame.message);
  const bool unknown = std::holds_alternative<proto::UnknownMessage>(frame.message);
  const auto name = unknown ? std::nullopt : proto::messageName(id);
  std::string length = "?";
  if (options.payload_length) {
    length = std::to_string(*options.payload_length);
  } else if (auto bytes = proto::encodeFrame(frame)) {
    length = std::to_string(bytes->size() - proto::kHeaderSize);
  }
  TextWriter w;
  w.line(0, "frame {}: {} (0x{:04x}) v{} flags=0x{:02x} txn={} length={}", options.index,
         name ? *name : "unknown", id, frame.version, frame.flags, frame.transaction_id, length);
  std::visit([&w](const auto& m) { printFields(w, m); }, frame.message);
  if (options.skipped_attributes > 0) {
    w.line(1, "skipped_unknown_attributes={}", options.skipped_attributes);
  }
  return w.take();
}

}  // namespace nmsp::proto_json
