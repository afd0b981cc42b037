#pragma once
// `--tls-keylog FILE` of `nmsp controller` and `nmsp mse` (docs/configuration.md): the flag, and
// installing the key log before the daemon makes its TLS contexts.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "transport/key_log.h"

namespace nmsp::app {

inline void addTlsKeylogOption(CLI::App* cmd, std::string& path) {
  cmd->add_option("--tls-keylog", path,
                  "Write TLS session secrets (NSS key-log format, mode 0600) to this file so a "
                  "capture can be decrypted; off by default, troubleshooting only");
}

/// Opens the key log and installs it for the process; logs the warning. False (the reason on
/// stderr) if the file cannot be opened. A no-op returning true when `path` is empty.
inline bool installKeyLog(const std::string& path, const char* who) {
  if (path.empty()) {
    return true;
  }
  auto log = transport::KeyLog::open(path);
  if (!log) {
    std::cerr << "nmsp " << who << ": " << log.error() << '\n';
    return false;
  }
  transport::setProcessKeyLog(*log);
  spdlog::warn("{}", transport::keyLogWarning(path));
  return true;
}

/// Writes what is queued and closes the key log (end of the daemon).
inline void closeKeyLog() {
  if (auto log = transport::processKeyLog()) {
    log->flush();
    if (log->dropped() > 0) {
      spdlog::warn("TLS key log: {} lines dropped (writer queue full)", log->dropped());
    }
  }
  transport::setProcessKeyLog(nullptr);
}

}  // namespace nmsp::app
