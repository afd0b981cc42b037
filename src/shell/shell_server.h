#pragma once
// Serves a CommandRegistry on a Unix socket (mode 0600) with Boost.Asio coroutines.
// Wire protocol between `nmsp cli` and the daemon (documented in docs/operator-guide.md):
// the client sends one command line terminated by '\n'; the daemon answers with the reply text
// followed by a line "\x1e<status>\n" where status is 0 (ok) or 1 (error). Several lines may
// be sent on one connection; the shell Session (mode) lives as long as the connection.
// The io_context must outlive the ShellServer, and the registry must outlive both. Commands run
// on the io_context's thread: the daemons give the shell one of its own (ShellServerThread).

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "shell/shell.h"

namespace nmsp::shell {

struct ShellLimits {
  size_t max_line_bytes = 4096;  // longer lines get an error and the connection is closed
  size_t max_connections = 16;   // further clients get an error and are closed
  std::chrono::seconds idle_timeout{600};
  std::chrono::seconds write_timeout{10};  // a client that stops reading is dropped
};

class ShellServer {
 public:
  /// Binds `socket_path` (replacing a stale socket file) and chmods it 0600. Throws on failure
  /// (start-up edge: the daemon reports and exits).
  ShellServer(boost::asio::io_context& io, std::filesystem::path socket_path,
              const CommandRegistry& registry);
  ~ShellServer();
  /// Before start(): overrides the defaults above (tests use short timeouts).
  void setLimits(const ShellLimits& limits);
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A ShellServer on a thread and io_context of its own, as the daemons run it: a command that
/// waits (for the daemon's io thread or a disk write, each with a timeout) never stalls the
/// daemon's sessions, handshakes and timers, and one such command at a time runs.
class ShellServerThread {
 public:
  /// Binds like ShellServer (throws at the start-up edge).
  ShellServerThread(std::filesystem::path socket_path, const CommandRegistry& registry);
  /// stop(), then waits for the thread (a command in progress finishes or times out first).
  ~ShellServerThread();
  void setLimits(const ShellLimits& limits) { server_.setLimits(limits); }
  void start();
  /// Closes the socket and every session; returns at once. From the constructing thread.
  void stop();

 private:
  boost::asio::io_context io_{1};
  ShellServer server_;
  std::thread thread_;
};

}  // namespace nmsp::shell
