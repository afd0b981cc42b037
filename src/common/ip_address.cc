#include "common/ip_address.h"

#include <arpa/inet.h>

#include <cstdio>

namespace nmsp {

// inet_pton/inet_ntop are pure conversions (no I/O), so the protocol core may use them.
std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string s(text);
  IpAddress ip;
  if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) {
    ip.family = Family::V4;
    return ip;
  }
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) {
    ip.family = Family::V6;
    return ip;
  }
  return std::nullopt;
}

namespace {

// RFC 5952 section 4: lowercase hex without leading zeros, the longest run (first on a tie) of
// two or more zero groups shortened to "::", and (section 5) mixed dotted notation only for
// IPv4-mapped addresses (::ffff:0:0/96). Written out because inet_ntop also prints the
// deprecated IPv4-compatible form (::a.b.c.d), which is neither shortest nor canonical.
std::string formatV6(const std::array<uint8_t, 16>& b) {
  std::array<uint16_t, 8> words{};
  for (size_t i = 0; i < words.size(); ++i) {
    words[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  }
  char buf[64];
  const bool mapped = words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 &&
                      words[4] == 0 && words[5] == 0xffff;
  if (mapped) {
    std::snprintf(buf, sizeof(buf), "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    return buf;
  }
  size_t best_start = words.size();
  size_t best_len = 0;
  for (size_t i = 0; i < words.size();) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < words.size() && words[j] == 0) {
      ++j;
    }
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) {
    best_start = words.size();
  }
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') {
      out += ':';
    }
    std::snprintf(buf, sizeof(buf), "%x", words[i]);
    out += buf;
  }
  return out;
}

}  // namespace

std::string IpAddress::toString() const {
  if (family == Family::V6) {
    return formatV6(bytes);
  }
  char buf[INET_ADDRSTRLEN] = {};
  if (inet_ntop(AF_INET, bytes.data(), buf, sizeof(buf)) == nullptr) {
    return "?";
  }
  return buf;
}

}  // namespace nmsp
