#include "measurement/json_lines.h"

#include <fmt/format.h>

#include <iterator>
#include <limits>

#include "proto_json/enum_names.h"
#include "proto_json/json_documents.h"
#include "proto_json/json_reader.h"
#include "venue/json_members.h"
#include "venue/json_number.h"

namespace nmsp::measurement {
namespace {

using nlohmann::json;
using proto_json::ReadErrors;
using venue::JsonMembers;

constexpr uint64_t kMaxTimestamp = std::numeric_limits<int64_t>::max();

// A line is line 1 of its own document: say only the column.
std::string syntaxError(std::string message) {
  constexpr std::string_view kLineOne = "at line 1, column ";
  if (const auto at = message.find(kLineOne); at != std::string::npos) {
    message.replace(at, kLineOne.size(), "at column ");
  }
  return message;
}

template <class Int>
Int requiredInteger(JsonMembers& m, std::string_view key, ReadErrors& errors,
                    Int lo = std::numeric_limits<Int>::min(),
                    Int hi = std::numeric_limits<Int>::max()) {
  const auto* v = m.required(key);
  return v ? proto_json::readInteger<Int>(*v, m.pathOf(key), errors, lo, hi) : Int{};
}

template <class Int>
std::optional<Int> optionalInteger(JsonMembers& m, std::string_view key, ReadErrors& errors) {
  const auto* v = m.optional(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  return proto_json::readInteger<Int>(*v, m.pathOf(key), errors);
}

MacAddress requiredMac(JsonMembers& m, std::string_view key, ReadErrors& errors) {
  const auto* v = m.required(key);
  return v ? proto_json::readMac(*v, m.pathOf(key), errors) : MacAddress{};
}

template <class E>
std::optional<E> optionalEnum(JsonMembers& m, std::string_view key, ReadErrors& errors) {
  const auto* v = m.optional(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  return proto_json::readEnum<E>(*v, m.pathOf(key), errors);
}

double requiredNumber(JsonMembers& m, std::string_view key, ReadErrors& errors) {
  const auto* v = m.required(key);
  return v ? venue::readNumber(*v, m.pathOf(key), errors) : 0.0;
}

// Parses the line and hands its members to read(); the first problem wins.
template <class Read>
Result<void, std::string> parseObject(std::string_view line, Read&& read) {
  auto document = proto_json::parseJsonValue(line);
  if (!document) {
    return Unexpected{syntaxError(document.error())};
  }
  ReadErrors errors;
  JsonMembers members(*document, "", errors);
  read(members, errors);
  if (errors.failed()) {
    return Unexpected{errors.message()};
  }
  return {};
}

template <class E>
std::string_view nameOf(E value) {
  return proto_json::enumName(value).value_or("?");
}

}  // namespace

Result<void, std::string> parseLine(std::string_view line, Observation& out) {
  return parseObject(line, [&](JsonMembers& m, ReadErrors& errors) {
    out.ts_ms = requiredInteger<uint64_t>(m, "ts_ms", errors, 0, kMaxTimestamp);
    out.device = requiredMac(m, "device", errors);
    if (const auto* kind = m.required("kind")) {
      out.kind = proto_json::readEnum<proto::DeviceKind>(*kind, m.pathOf("kind"), errors);
    }
    out.ap = requiredMac(m, "ap", errors);
    out.slot = requiredInteger<uint8_t>(m, "slot", errors);
    out.rssi = requiredInteger<int8_t>(m, "rssi", errors);
    out.snr = optionalInteger<int8_t>(m, "snr", errors);
    out.band = optionalEnum<proto::Band>(m, "band", errors);
    out.antenna = optionalInteger<uint8_t>(m, "antenna", errors);
    out.extra.clear();
    m.appendExtras(out.extra);
  });
}

Result<void, std::string> parseLine(std::string_view line, TruthRecord& out) {
  return parseObject(line, [&](JsonMembers& m, ReadErrors& errors) {
    out.ts_ms = requiredInteger<uint64_t>(m, "ts_ms", errors, 0, kMaxTimestamp);
    out.device = requiredMac(m, "device", errors);
    out.kind = optionalEnum<proto::DeviceKind>(m, "kind", errors);
    if (const auto* floor = m.required("floor")) {
      out.floor = proto_json::readString(*floor, m.pathOf("floor"), errors);
    }
    out.x_m = requiredNumber(m, "x_m", errors);
    out.y_m = requiredNumber(m, "y_m", errors);
    out.z_m.reset();
    if (const auto* z = m.optional("z_m")) {
      out.z_m = venue::readNumber(*z, m.pathOf("z_m"), errors);
    }
    out.motion.reset();
    if (const auto* motion = m.optional("motion")) {
      const auto name = proto_json::readString(*motion, m.pathOf("motion"), errors);
      out.motion = motionFromName(name);
      if (!out.motion && !errors.failed()) {
        errors.fail(m.pathOf("motion"), fmt::format("expected still, walking or stairs, got {}",
                                                    proto_json::describeJson(*motion)));
      }
    }
    out.extra.clear();
    m.appendExtras(out.extra);
  });
}

void appendLine(std::string& out, const Observation& o) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, R"({{"ts_ms":{},"device":"{}","kind":"{}","ap":"{}","slot":{},"rssi":{})",
                 o.ts_ms, o.device.toString(), nameOf(o.kind), o.ap.toString(), o.slot,
                 static_cast<int>(o.rssi));
  if (o.snr) {
    fmt::format_to(it, R"(,"snr":{})", static_cast<int>(*o.snr));
  }
  if (o.band) {
    fmt::format_to(it, R"(,"band":"{}")", nameOf(*o.band));
  }
  if (o.antenna) {
    fmt::format_to(it, R"(,"antenna":{})", *o.antenna);
  }
  if (!o.extra.empty()) {
    out += ',';
    out += o.extra;
  }
  out += "}\n";
}

void appendLine(std::string& out, const TruthRecord& t) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, R"({{"ts_ms":{},"device":"{}")", t.ts_ms, t.device.toString());
  if (t.kind) {
    fmt::format_to(it, R"(,"kind":"{}")", nameOf(*t.kind));
  }
  fmt::format_to(it, R"(,"floor":{},"x_m":{:.3f},"y_m":{:.3f})", json(t.floor).dump(), t.x_m,
                 t.y_m);
  if (t.z_m) {
    fmt::format_to(it, R"(,"z_m":{:.3f})", *t.z_m);
  }
  if (t.motion) {
    fmt::format_to(it, R"(,"motion":"{}")", motionName(*t.motion));
  }
  if (!t.extra.empty()) {
    out += ',';
    out += t.extra;
  }
  out += "}\n";
}

}  // namespace nmsp::measurement
