#pragma once
// Trust on first use for controller certificates, like SSH's known_hosts: the SHA-256
// fingerprint seen on the first successful connection to an endpoint (host:port, as
// endpointName() spells it; the key format has not changed since the first release) is pinned in
// DATA/known_controllers.json and later connections must present the same certificate.
//   {"10.0.0.5:16113": {"sha256": "ab12...", "pinned_at": "2026-11-23T23:40:00Z"}}
// The pins belong to one thread (the MSE's io thread, which checks them during a connect;
// asserted). A change takes effect at once; its file write runs on the writer given by
// setWriter() (the role's persistence worker), so the io thread never waits for the disk.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/owner_thread.h"
#include "common/result.h"

namespace nmsp::mse {

class PinStore {
 public:
  /// Hands a file write to the thread that does the disk I/O; false when it refuses it.
  using Writer = std::function<bool(std::function<void()>)>;

  /// Loads the file (absent: no pins). Error text if it is corrupt.
  static Result<PinStore, std::string> open(const std::filesystem::path& data_dir);
  /// Where the file writes run from now on. Without a writer they run at once on the caller's
  /// thread, and their errors are returned (tools, tests).
  void setWriter(Writer writer) { writer_ = std::move(writer); }

  std::optional<std::string> lookup(const std::string& endpoint) const;
  /// Pins at once; error text if the file write could not be queued (a failure of the write
  /// itself, later, is logged).
  Result<void, std::string> pin(const std::string& endpoint, const std::string& sha256_hex);
  /// Forgets the pin of one "host:port" endpoint (deleting a controller forgets its
  /// certificate; another controller on the same host keeps its pin). Errors as pin().
  Result<void, std::string> forget(const std::string& endpoint);

 private:
  struct Pin {
    std::string sha256;
    std::string pinned_at;
  };
  explicit PinStore(std::filesystem::path path) : path_(std::move(path)) {}
  /// Writes the pins; `what_failed` starts the log line if a queued write fails.
  Result<void, std::string> save(std::string what_failed) const;

  std::filesystem::path path_;
  Writer writer_;
  OwnerThread owner_;
  std::map<std::string, Pin> pins_;
};

/// The host part of "host:port" / "[v6]:port".
std::string hostOfEndpoint(const std::string& endpoint);

}  // namespace nmsp::mse
