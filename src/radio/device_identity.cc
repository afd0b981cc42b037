#include "radio/device_identity.h"

#include <fmt/format.h>

#include <array>

#include "radio/random.h"
#include "radio/seed_streams.h"

namespace nmsp::radio {
namespace {

using Oui = std::array<uint8_t, 3>;

// A few OUIs per kind: phones and laptops, Wi-Fi tags, consumer routers; locally administered
// prefixes where no vendor would fit.
constexpr Oui kClientOuis[] = {
    {0xf4, 0x8c, 0x50}, {0x3c, 0x22, 0xfb}, {0xa4, 0x83, 0xe7}, {0xdc, 0xa6, 0x32}};
constexpr Oui kTagOuis[] = {{0x00, 0x0c, 0xcc}};
constexpr Oui kRogueApOuis[] = {{0xc8, 0x3a, 0x35}, {0x50, 0xc7, 0xbf}};
constexpr Oui kRogueClientOuis[] = {{0x0a, 0x4e, 0x21}};
constexpr Oui kInterfererOuis[] = {{0x02, 0x1f, 0x00}};
constexpr Oui kOtherOuis[] = {{0x06, 0x00, 0x00}};

template <size_t N>
MacAddress fromOuis(const Oui (&ouis)[N], uint32_t index, uint32_t mask) {
  const Oui& oui = ouis[index % N];
  const uint32_t low = ((index / static_cast<uint32_t>(N)) ^ mask) & 0xffffff;
  return MacAddress{{oui[0], oui[1], oui[2], static_cast<uint8_t>(low >> 16),
                     static_cast<uint8_t>(low >> 8), static_cast<uint8_t>(low)}};
}

}  // namespace

MacAddress deviceMac(uint64_t seed, proto::DeviceKind kind, uint32_t index, uint32_t salt) {
  const auto mask = static_cast<uint32_t>(
      hashOf(seed, SeedStream::Identity, static_cast<uint64_t>(kind), salt) & 0xffffff);
  switch (kind) {
    case proto::DeviceKind::Client:
      return fromOuis(kClientOuis, index, mask);
    case proto::DeviceKind::RfidTag:
      return fromOuis(kTagOuis, index, mask);
    case proto::DeviceKind::RogueAp:
      return fromOuis(kRogueApOuis, index, mask);
    case proto::DeviceKind::RogueClient:
      return fromOuis(kRogueClientOuis, index, mask);
    case proto::DeviceKind::Interferer:
      return fromOuis(kInterfererOuis, index, mask);
    default:
      return fromOuis(kOtherOuis, index, mask);
  }
}

IpAddress clientIpv4(uint16_t vlan, uint32_t index) {
  IpAddress ip;
  ip.family = IpAddress::Family::V4;
  ip.bytes[0] = 10;
  ip.bytes[1] = static_cast<uint8_t>(vlan);
  ip.bytes[2] = static_cast<uint8_t>(index / 250 % 256);
  ip.bytes[3] = static_cast<uint8_t>(index % 250 + 2);
  return ip;
}

IpAddress clientIpv6(uint16_t vlan, uint32_t index) {
  IpAddress ip;
  ip.family = IpAddress::Family::V6;
  ip.bytes = {0x20, 0x01, 0x0d, 0xb8, static_cast<uint8_t>(vlan >> 8), static_cast<uint8_t>(vlan)};
  const uint32_t host = index + 1;
  ip.bytes[12] = static_cast<uint8_t>(host >> 24);
  ip.bytes[13] = static_cast<uint8_t>(host >> 16);
  ip.bytes[14] = static_cast<uint8_t>(host >> 8);
  ip.bytes[15] = static_cast<uint8_t>(host);
  return ip;
}

std::string userName(uint32_t index) {
  return fmt::format("user{:05}", index);
}

IpAddress apIpv4(uint32_t index) {
  IpAddress ip;
  ip.bytes[0] = 10;
  ip.bytes[1] = 255;
  ip.bytes[2] = static_cast<uint8_t>(index / 250 % 256);
  ip.bytes[3] = static_cast<uint8_t>(index % 250 + 2);
  return ip;
}

}  // namespace nmsp::radio
