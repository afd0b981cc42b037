#pragma once
// The MSE's persisted operator configuration, DATA/controllers.json:
//   {"controllers": [{"host": "10.0.0.5", "port": 16113}], "unauthenticated_nmsp": false}
// A controller entry may carry "services": ["rssi-ms", "info-ms", ...], the service set the MSE
// subscribes to on that controller (absent: kDefaultServices).
// Controllers are keyed by host:port (two controllers may share a host). Files written before
// that (at most one entry per host) load unchanged. Every change is written atomically (fsync)
// before it is acknowledged, so it survives restarts. It belongs to one thread (the MSE's
// persistence worker; asserted), never the io thread.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/owner_thread.h"
#include "common/result.h"
#include "proto/services.h"

namespace nmsp::mse {

struct ControllerAddress {
  std::string host;
  uint16_t port = 16113;
  bool operator==(const ControllerAddress&) const = default;
};

/// "host:port", or "[v6]:port" for IPv6 literals (keys of known_controllers.json, logs).
std::string endpointName(const ControllerAddress& address);

/// The service set subscribed to by default (docs/data-path.md, "Wiring / MSE"): RSSI, info
/// and statistics of clients, tags and rogues, AP-to-AP RSSI, attachment and AP info.
inline constexpr proto::ServiceMask kDefaultServices =
    proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::RssiRfid) |
    proto::bit(proto::Service::RssiRogue) | proto::bit(proto::Service::ApMonitor) |
    proto::bit(proto::Service::InfoMs) | proto::bit(proto::Service::InfoRfid) |
    proto::bit(proto::Service::InfoRogue) | proto::bit(proto::Service::StatsMs) |
    proto::bit(proto::Service::StatsRfid) | proto::bit(proto::Service::StatsRogue) |
    proto::bit(proto::Service::Attach) | proto::bit(proto::Service::ApInfo);

class MseConfigStore {
 public:
  /// Loads DATA/controllers.json (absent: empty configuration). Error text if it is corrupt.
  static Result<MseConfigStore, std::string> open(const std::filesystem::path& data_dir);

  std::vector<ControllerAddress> controllers() const;
  bool unauthenticatedNmsp() const;

  /// Adds a controller (an existing host:port is left as is); error if the file cannot be
  /// written.
  Result<void, std::string> addController(const ControllerAddress& address);
  /// Removes host:port, or with no port the entry on 16113, else the only entry of `host`.
  /// Returns the removed entry; error text for the operator if none matches, if `host` has
  /// several entries and no port was given, or if the file cannot be written.
  Result<ControllerAddress, std::string> deleteController(const std::string& host,
                                                          std::optional<uint16_t> port);
  Result<void, std::string> setUnauthenticatedNmsp(bool on);

  /// The service sets set explicitly, by endpointName; a controller not listed uses
  /// kDefaultServices.
  std::map<std::string, proto::ServiceMask> services() const;
  /// Sets (nullopt: back to the default) the service set of the controller `host[:port]`
  /// (matched as deleteController does). Returns the controller; error text for the operator.
  Result<ControllerAddress, std::string> setServices(const std::string& host,
                                                     std::optional<uint16_t> port,
                                                     std::optional<proto::ServiceMask> services);

 private:
  Result<ControllerAddress, std::string> match(const std::string& host,
                                               std::optional<uint16_t> port) const;
  explicit MseConfigStore(std::filesystem::path path) : path_(std::move(path)) {}
  Result<void, std::string> save() const;

  std::filesystem::path path_;
  OwnerThread owner_;
  std::vector<ControllerAddress> controllers_;
  bool unauthenticated_nmsp_ = false;
  std::map<std::string, proto::ServiceMask> services_;  // by endpointName
};

}  // namespace nmsp::mse
