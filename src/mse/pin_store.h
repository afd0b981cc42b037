#pragma once
// Trust on first use for controller certificates, like SSH's known_hosts: the SHA-256
// fingerprint seen on the first successful connection to an endpoint (host:port, as
// endpointName() spells it; the key format has not changed since the first release) is pinned in
// DATA/known_controllers.json and later connections must present the same certificate.
//   {"10.0.0.5:16113": {"sha256": "ab12...", "pinned_at": "2026-11-23T23:40:00Z"}}
// Thread-safe.

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"

namespace nmsp::mse {

class PinStore {
 public:
  /// Loads the file (absent: no pins). Error text if it is corrupt.
  static Result<PinStore, std::string> open(const std::filesystem::path& data_dir);

  std::optional<std::string> lookup(const std::string& endpoint) const;
  Result<void, std::string> pin(const std::string& endpoint, const std::string& sha256_hex);
  /// Forgets the pin of one "host:port" endpoint (deleting a controller forgets its
  /// certificate; another controller on the same host keeps its pin).
  Result<void, std::string> forget(const std::string& endpoint);

  PinStore(PinStore&& other) noexcept;

 private:
  struct Pin {
    std::string sha256;
    std::string pinned_at;
  };
  explicit PinStore(std::filesystem::path path) : path_(std::move(path)) {}
  Result<void, std::string> saveLocked() const;

  std::filesystem::path path_;
  mutable std::mutex mu_;
  std::map<std::string, Pin> pins_;
};

/// The host part of "host:port" / "[v6]:port".
std::string hostOfEndpoint(const std::string& endpoint);

}  // namespace nmsp::mse
