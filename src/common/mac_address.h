#pragma once
// 48-bit IEEE MAC address value type. Parsing accepts the forms operators type:
// 00:50:56:9c:34:89, 00-50-56-9C-34-89, 0050.569c.3489 and 0050569c3489.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nmsp {

struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  /// Parses any of the accepted forms; nullopt if the text is not a MAC address.
  static std::optional<MacAddress> parse(std::string_view text);

  /// "00:50:56:9c:34:89" (lowercase, colon separated).
  std::string toString() const;
  /// "0050569c3489" (lowercase, no separators: IOS-XE username form).
  std::string toCompactString() const;

  bool isZero() const;
  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace nmsp

// Lets a MAC key a hash map (the controller's O(1) auth-list lookup).
namespace std {
template <>
struct hash<nmsp::MacAddress> {
  size_t operator()(const nmsp::MacAddress& mac) const noexcept {
    uint64_t value = 0;
    for (const uint8_t byte : mac.bytes) {
      value = (value << 8) | byte;
    }
    return std::hash<uint64_t>{}(value);
  }
};
}  // namespace std
