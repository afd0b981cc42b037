#pragma once
// A real PostgreSQL server for tests and benchmarks: a fresh cluster (initdb) in a temporary
// directory, listening only on a Unix socket in that directory, stopped and removed at the end.
// PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` user
// (setpriv, which execs, so the child's pid is the postmaster's own).

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace nmsp::test_support {

class PostgresServer {
 public:
  /// initdb, then start(). The error says what is missing (binaries, the postgres user).
  static Result<std::unique_ptr<PostgresServer>, std::string> create();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  /// Starts the server on its data directory and waits until it accepts connections.
  Result<void, std::string> start();
  enum class Shutdown {
    Fast,       // SIGINT: clients disconnected, clean checkpoint
    Immediate,  // SIGQUIT: no checkpoint, crash recovery at the next start
  };
  /// Stops the server and waits for its exit; false if it did not exit in time.
  bool stop(Shutdown how = Shutdown::Fast);
  bool running() const { return server_ != nullptr; }

  /// libpq URI of `database` on this server (user postgres, trust authentication).
  std::string uri(const std::string& database = "postgres") const;
  /// Creates an empty database with a fresh name; its URI.
  Result<std::string, std::string> createDatabase();
  /// The directory holding the server's programs (initdb, postgres, pgbench, ...).
  const std::filesystem::path& binDir() const { return bin_dir_; }
  /// Runs one of those programs as the server's user (postgres when we are root).
  CommandResult runTool(std::vector<std::string> argv,
                        std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;
  std::string log() const;

 private:
  PostgresServer() = default;
  std::vector<std::string> asServerUser(std::vector<std::string> argv) const;

  TempDir dir_{"nmsp-pg"};
  std::filesystem::path bin_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  bool as_postgres_ = false;
  int databases_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace nmsp::test_support
