#include "common/mac_address.h"

#include <cctype>

namespace nmsp {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// Checks that separators sit exactly where the given form puts them.
bool separatorsAt(std::string_view text, char sep, size_t first, size_t step) {
  for (size_t i = 0; i < text.size(); ++i) {
    const bool expected_sep = i >= first && (i - first) % step == 0;
    if (expected_sep != (text[i] == sep)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  bool ok = false;
  if (text.size() == 17) {
    ok = separatorsAt(text, ':', 2, 3) || separatorsAt(text, '-', 2, 3);
  } else if (text.size() == 14) {
    ok = separatorsAt(text, '.', 4, 5);
  } else if (text.size() == 12) {
    ok = true;
  }
  if (!ok) {
    return std::nullopt;
  }
  MacAddress mac;
  size_t nibble = 0;
  for (char c : text) {
    if (c == ':' || c == '-' || c == '.') {
      continue;
    }
    const int v = hexValue(c);
    if (v < 0) {
      return std::nullopt;
    }
    auto& byte = mac.bytes[nibble / 2];
    byte = static_cast<uint8_t>(byte << 4 | v);
    ++nibble;
  }
  if (nibble != 12) {
    return std::nullopt;
  }
  return mac;
}

std::string MacAddress::toString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(17);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) {
      out.push_back(':');
    }
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

std::string MacAddress::toCompactString() const {
  std::string out = toString();
  std::erase(out, ':');
  return out;
}

bool MacAddress::isZero() const {
  for (auto b : bytes) {
    if (b != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace nmsp
