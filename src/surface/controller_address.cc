#include "surface/controller_address.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/ip_address.h"

namespace nmsp::surface {
namespace {

bool isHostName(const std::string& host) {
  // RFC 1123 letters, digits, '-' and '.', or an IP address literal.
  return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  });
}

// Only digits and dots: the resolver would read it as an IPv4 address (inet_aton even takes
// "1.2.3" or "10"), so it must be a valid dotted quad rather than fail later as a DNS name.
bool looksLikeIpv4(const std::string& host) {
  return std::all_of(host.begin(), host.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

Result<ControllerAddress, std::string> parseControllerAddress(const std::string& text) {
  ControllerAddress address;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) {
      return Unexpected{fmt::format("\"{}\" lacks the closing ']'", text)};
    }
    address.host = text.substr(1, close - 1);
    const std::string after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Unexpected{fmt::format("expected \":<port>\" after \"]\" in \"{}\"", text)};
      }
      port_text = after.substr(1);
    }
    if (!IpAddress::parse(address.host) ||
        IpAddress::parse(address.host)->family != IpAddress::Family::V6) {
      return Unexpected{fmt::format("\"{}\" is not an IPv6 address", address.host)};
    }
  } else if (std::count(text.begin(), text.end(), ':') > 1) {
    address.host = text;  // a bare IPv6 address: no port possible without brackets
    if (!IpAddress::parse(address.host)) {
      return Unexpected{
          fmt::format("\"{}\" is not an IPv6 address (write [address]:port to give a port)", text)};
    }
  } else {
    const auto colon = text.find(':');
    address.host = text.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = text.substr(colon + 1);
    }
    if (!isHostName(address.host)) {
      return Unexpected{fmt::format("\"{}\" is not a host name or IP address", address.host)};
    }
    if (looksLikeIpv4(address.host)) {
      const auto ip = IpAddress::parse(address.host);
      if (!ip || ip->family != IpAddress::Family::V4) {
        return Unexpected{fmt::format(
            "\"{}\" is not an IPv4 address (four numbers 0 to 255, e.g. 10.0.0.5)", address.host)};
      }
    }
  }
  if (!port_text.empty() || text.ends_with(":")) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return Unexpected{fmt::format("invalid port \"{}\": use 1 to 65535", port_text)};
    }
    address.port = static_cast<uint16_t>(value);
    address.port_given = true;
  }
  return address;
}

}  // namespace nmsp::surface
