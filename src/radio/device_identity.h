#pragma once
// Names and addresses of simulated devices, derived from (seed, kind, index) so that they are
// stable for a seed and unique: MAC addresses under a few real-looking OUIs per kind, IPv4 and
// IPv6 addresses per VLAN, user names.

#include <cstdint>
#include <string>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/messages.h"

namespace nmsp::radio {

/// Unique per (kind, index) for index < 2^24 (per OUI); `salt` > 0 gives another set (used
/// when a MAC collides with a venue AP).
MacAddress deviceMac(uint64_t seed, proto::DeviceKind kind, uint32_t index, uint32_t salt = 0);

/// The WLANs a client may join: name, VLAN, and whether users log in (user names).
struct Wlan {
  const char* ssid;
  uint16_t vlan;
  bool named_users;
  double share;  // of associating clients
};
inline constexpr Wlan kWlans[] = {
    {"corp", 10, true, 0.6},
    {"guest", 20, false, 0.3},
    {"iot", 30, false, 0.1},
};

/// 10.<vlan>.<index / 250 % 256>.<index % 250 + 2>: unique per VLAN for 64,000 clients.
IpAddress clientIpv4(uint16_t vlan, uint32_t index);
/// 2001:db8:<vlan>::<index + 1> (documentation prefix).
IpAddress clientIpv6(uint16_t vlan, uint32_t index);
std::string userName(uint32_t index);  // "user00042"
/// Managed APs: 10.255.<index / 250>.<index % 250 + 2>.
IpAddress apIpv4(uint32_t index);

}  // namespace nmsp::radio
