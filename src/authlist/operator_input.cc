// Validation of what operators type into the auth list (MACs, key hashes, list names).
#include <fmt/format.h>

#include <array>
#include <cctype>

#include "authlist/auth_list.h"

namespace nmsp::authlist {

Result<MacAddress, std::string> parseMac(const std::string& text) {
  auto mac = MacAddress::parse(text);
  if (!mac) {
    return Unexpected{fmt::format("malformed MAC address \"{}\"", text)};
  }
  return *mac;
}

Result<void, std::string> validateMseMac(const MacAddress& mac) {
  if (mac.isZero()) {
    return Unexpected{
        fmt::format("{} is the all-zero MAC address, not an MSE's address", mac.toString())};
  }
  if (mac.bytes == std::array<uint8_t, 6>{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) {
    return Unexpected{
        fmt::format("{} is the broadcast MAC address, not an MSE's address", mac.toString())};
  }
  if ((mac.bytes[0] & 0x01) != 0) {
    return Unexpected{fmt::format(
        "{} is a multicast MAC address (group bit set in the first octet), not an MSE's address",
        mac.toString())};
  }
  return {};
}

Result<MacAddress, std::string> parseMseMac(const std::string& text) {
  auto mac = parseMac(text);
  if (!mac) {
    return mac;
  }
  if (auto valid = validateMseMac(*mac); !valid) {
    return Unexpected{valid.error()};
  }
  return mac;
}

Result<std::pair<HashType, std::string>, std::string> parseHash(const std::string& text,
                                                                std::optional<HashType> type) {
  std::string hash;
  hash.reserve(text.size());
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Unexpected{fmt::format("key hash \"{}\" is not hexadecimal", text)};
    }
    hash.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (type == HashType::Sha1 && hash.size() != 40) {
    return Unexpected{
        fmt::format("a SHA1 key hash has 40 hex digits, \"{}\" has {}", text, hash.size())};
  }
  if (type == HashType::Sha256 && hash.size() != 64) {
    return Unexpected{
        fmt::format("a SHA2 key hash has 64 hex digits, \"{}\" has {}", text, hash.size())};
  }
  if (hash.size() == 40) {
    return std::pair{HashType::Sha1, hash};
  }
  if (hash.size() == 64) {
    return std::pair{HashType::Sha256, hash};
  }
  return Unexpected{fmt::format("a key hash has 40 (SHA1) or 64 (SHA2) hex digits, \"{}\" has {}",
                                text, hash.size())};
}

Result<void, std::string> validateListName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  }
  if (!ok) {
    return Unexpected{fmt::format(
        "invalid attribute list name \"{}\": use 1 to 64 letters, digits, '_', '.' or '-'", name)};
  }
  return {};
}

}  // namespace nmsp::authlist
