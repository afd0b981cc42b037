#pragma once
// Schema-checked reading of JSON values into protocol values. The first problem wins and is
// reported with its JSON path ("devices[2].aps[0].rssi_dbm: expected integer -128..127, got
// \"x\""); after it every read returns a default, so readers stay straight-line code.

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/enums.h"
#include "proto/services.h"

namespace nmsp::proto_json {

/// Keeps the first schema error of one JSON document.
class ReadErrors {
 public:
  void fail(std::string_view path, std::string_view problem);
  bool failed() const { return first_.has_value(); }
  const std::string& message() const { return *first_; }

 private:
  std::optional<std::string> first_;
};

std::string memberPath(std::string_view parent, std::string_view key);
std::string elementPath(std::string_view parent, size_t index);
/// Compact JSON text of a value for error messages (shortened when long).
std::string describeJson(const nlohmann::json& value);

template <class Int>
Int readInteger(const nlohmann::json& value, std::string_view path, ReadErrors& errors,
                Int lo = std::numeric_limits<Int>::min(),
                Int hi = std::numeric_limits<Int>::max()) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<uint64_t>();
    if (std::cmp_greater_equal(v, lo) && std::cmp_less_equal(v, hi)) {
      return static_cast<Int>(v);
    }
  } else if (value.is_number_integer()) {
    const auto v = value.get<int64_t>();
    if (std::cmp_greater_equal(v, lo) && std::cmp_less_equal(v, hi)) {
      return static_cast<Int>(v);
    }
  }
  // Widen so that fmt prints 8-bit types as numbers.
  using Wide = std::conditional_t<std::is_signed_v<Int>, int64_t, uint64_t>;
  errors.fail(path, fmt::format("expected integer {}..{}, got {}", static_cast<Wide>(lo),
                                static_cast<Wide>(hi), describeJson(value)));
  return Int{};
}

std::string readString(const nlohmann::json& value, std::string_view path, ReadErrors& errors);
MacAddress readMac(const nlohmann::json& value, std::string_view path, ReadErrors& errors);
IpAddress readIp(const nlohmann::json& value, std::string_view path, ReadErrors& errors);
proto::Service readService(const nlohmann::json& value, std::string_view path, ReadErrors& errors);
/// An array of service names or a number (the 64-bit mask).
proto::ServiceMask readServiceMask(const nlohmann::json& value, std::string_view path,
                                   ReadErrors& errors);

template <proto::TableEnum E>
E readEnum(const nlohmann::json& value, std::string_view path, ReadErrors& errors) {
  if (value.is_string()) {
    if (auto e = proto::enumFromName<E>(value.get_ref<const std::string&>())) {
      return *e;
    }
  }
  errors.fail(path, fmt::format("expected {} (one of {}), got {}", proto::EnumTable<E>::kWhat,
                                proto::enumChoices<E>(), describeJson(value)));
  return proto::EnumTable<E>::kEntries[0].value;
}

/// Reads the members of one JSON object and, at finish(), rejects members nobody asked for
/// (a typo must not be silently ignored). Lists are optional and default to empty; `null`
/// counts as absent for optional members.
class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& value, std::string path, ReadErrors& errors);

  const std::string& path() const { return path_; }
  ReadErrors& errors() { return errors_; }

  /// The member, or nullptr (a missing required member is reported by finish()).
  const nlohmann::json* member(std::string_view key, bool required);

  template <class Int>
  Int integer(std::string_view key, Int lo = std::numeric_limits<Int>::min(),
              Int hi = std::numeric_limits<Int>::max()) {
    const auto* v = member(key, true);
    return v ? readInteger<Int>(*v, memberPath(path_, key), errors_, lo, hi) : Int{};
  }
  template <class Int>
  std::optional<Int> optionalInteger(std::string_view key, Int lo = std::numeric_limits<Int>::min(),
                                     Int hi = std::numeric_limits<Int>::max()) {
    const auto* v = member(key, false);
    if (!v) {
      return std::nullopt;
    }
    return readInteger<Int>(*v, memberPath(path_, key), errors_, lo, hi);
  }
  template <proto::TableEnum E>
  E enumeration(std::string_view key) {
    const auto* v = member(key, true);
    return v ? readEnum<E>(*v, memberPath(path_, key), errors_)
             : proto::EnumTable<E>::kEntries[0].value;
  }
  template <proto::TableEnum E>
  std::optional<E> optionalEnumeration(std::string_view key) {
    const auto* v = member(key, false);
    if (!v) {
      return std::nullopt;
    }
    return readEnum<E>(*v, memberPath(path_, key), errors_);
  }

  std::string string(std::string_view key);
  std::optional<std::string> optionalString(std::string_view key);
  MacAddress mac(std::string_view key);
  std::optional<MacAddress> optionalMac(std::string_view key);
  std::optional<IpAddress> optionalIp(std::string_view key);
  proto::Service service(std::string_view key);
  proto::ServiceMask serviceMask(std::string_view key);

  /// Calls `read(element, element_path)` for each element of the array member `key`.
  template <class F>
  void list(std::string_view key, F&& read) {
    const auto* v = member(key, false);
    if (!v) {
      return;
    }
    const std::string list_path = memberPath(path_, key);
    if (!v->is_array()) {
      errors_.fail(list_path, fmt::format("expected array, got {}", describeJson(*v)));
      return;
    }
    for (size_t i = 0; i < v->size() && !errors_.failed(); ++i) {
      read((*v)[i], elementPath(list_path, i));
    }
  }

  /// Reports the first member that no read asked for, else the first missing required one.
  void finish();

 private:
  const nlohmann::json* object_ = nullptr;  // null when the value was not an object
  std::string path_;
  ReadErrors& errors_;
  std::vector<std::string> known_;
  std::optional<std::string> missing_;
};

}  // namespace nmsp::proto_json
