// Picks the MAC address an MSE identifies itself with, from sysfs.
#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

#include "identity/identity.h"

namespace nmsp::identity {
namespace {

constexpr int kArphrdLoopback = 772;  // /sys/class/net/*/type of a loopback device

std::string readFirstLine(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

struct Candidate {
  MacAddress mac;
  bool up = false;
};

}  // namespace

std::optional<MacAddress> primaryInterfaceMac(const std::filesystem::path& sysfs_net) {
  std::error_code ec;
  std::vector<std::filesystem::path> interfaces;
  for (const auto& entry : std::filesystem::directory_iterator(sysfs_net, ec)) {
    interfaces.push_back(entry.path());
  }
  // Directory order is arbitrary; sort so that the choice is stable across restarts.
  std::sort(interfaces.begin(), interfaces.end());
  std::vector<Candidate> candidates;
  for (const auto& dir : interfaces) {
    if (dir.filename() == "lo" || readFirstLine(dir / "type") == std::to_string(kArphrdLoopback)) {
      continue;
    }
    const auto mac = MacAddress::parse(readFirstLine(dir / "address"));
    if (!mac || mac->isZero()) {
      continue;
    }
    candidates.push_back({*mac, readFirstLine(dir / "operstate") == "up"});
  }
  for (const auto& c : candidates) {
    if (c.up) {
      return c.mac;
    }
  }
  if (!candidates.empty()) {
    return candidates.front().mac;
  }
  return std::nullopt;
}

std::optional<MacAddress> primaryInterfaceMac() {
  return primaryInterfaceMac("/sys/class/net");
}

}  // namespace nmsp::identity
