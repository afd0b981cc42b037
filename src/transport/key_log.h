#pragma once
// `--tls-keylog FILE`: TLS session secrets in the NSS key-log format (one "LABEL <client
// random> <secret>" line per secret, the format Wireshark's tls.keylog_file reads), so that a
// capture of NMSP can be decrypted. Off unless asked for; whoever holds the file can read every
// session it covers, so it is created 0600 and the daemons log a warning while it is on.
//
// One key log per process, installed before any TLS context is made: makeServerContext
// and makeClientContext (the one client builder) hook every context into it. OpenSSL calls the
// hook on the io thread, so the lines go to a writer thread through a bounded queue (256 lines;
// when full, the line is dropped and counted in dropped(), and the decryption of that session
// will fail: a debugging aid must never stall the io thread).

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/worker_thread.h"

namespace nmsp::transport {

class KeyLog {
 public:
  static constexpr size_t kQueueLines = 256;

  /// Opens (creating, mode 0600; appending to an existing file after setting it to 0600) the
  /// key-log file. Refuses a symbolic link, a non-regular file and a file it cannot make 0600.
  static Result<std::shared_ptr<KeyLog>, std::string> open(const std::filesystem::path& path);
  ~KeyLog();
  KeyLog(const KeyLog&) = delete;
  KeyLog& operator=(const KeyLog&) = delete;

  /// Queues one line (without its newline) for the writer.
  void add(std::string line);
  /// Waits until every queued line is written (tests, shutdown).
  void flush();
  uint64_t written() const { return written_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  KeyLog(std::filesystem::path path, int fd);
  void write(const std::string& line);

  std::filesystem::path path_;
  int fd_ = -1;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  WorkerThread writer_;  // last: its jobs use the members above
};

/// Installs the process's key log (nullptr: none). Call once, before any context is made.
void setProcessKeyLog(std::shared_ptr<KeyLog> key_log);
std::shared_ptr<KeyLog> processKeyLog();

/// Hooks `ctx` into the process's key log, if there is one (a no-op otherwise).
void attachKeyLog(SSL_CTX* ctx);

/// The loud start-up warning both daemons log while a key log is on.
std::string keyLogWarning(const std::filesystem::path& path);

}  // namespace nmsp::transport
