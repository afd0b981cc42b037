#pragma once
// IPv4 or IPv6 address as carried on the wire (4 or 16 bytes, network order).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nmsp {

struct IpAddress {
  enum class Family : uint8_t { V4 = 4, V6 = 6 };
  Family family = Family::V4;
  std::array<uint8_t, 16> bytes{};  // V4 uses the first 4

  size_t size() const { return family == Family::V4 ? 4 : 16; }
  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string toString() const;
  auto operator<=>(const IpAddress&) const = default;
};

}  // namespace nmsp
