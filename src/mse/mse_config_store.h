#pragma once
// The MSE's persisted operator configuration, DATA/controllers.json:
//   {"controllers": [{"host": "10.0.0.5", "port": 16113}], "unauthenticated_nmsp": false}
// Controllers are keyed by host:port (two controllers may share a host). Files written before
// that (at most one entry per host) load unchanged. Every change is written atomically (fsync)
// before it is acknowledged, so it survives restarts. It belongs to one thread (the MSE's
// persistence worker; asserted), never the io thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/owner_thread.h"
#include "common/result.h"

namespace nmsp::mse {

struct ControllerAddress {
  std::string host;
  uint16_t port = 16113;
  bool operator==(const ControllerAddress&) const = default;
};

/// "host:port", or "[v6]:port" for IPv6 literals (keys of known_controllers.json, logs).
std::string endpointName(const ControllerAddress& address);

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

 private:
  explicit MseConfigStore(std::filesystem::path path) : path_(std::move(path)) {}
  Result<void, std::string> save() const;

  std::filesystem::path path_;
  OwnerThread owner_;
  std::vector<ControllerAddress> controllers_;
  bool unauthenticated_nmsp_ = false;
};

}  // namespace nmsp::mse
