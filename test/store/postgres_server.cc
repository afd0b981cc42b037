#include "postgres_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "store/postgres_connection.h"
#include "support/wait.h"

namespace nmsp::test_support {
namespace {

constexpr const char* kPort = "5432";  // only names the socket file in our own directory

std::filesystem::path findBinDir() {
  auto configured =
      run(Command({"pg_config", "--bindir"}).separateStderr().timeout(std::chrono::seconds(10)));
  if (configured.exit_code == 0) {
    std::string dir = configured.out.substr(0, configured.out.find('\n'));
    if (std::filesystem::exists(std::filesystem::path(dir) / "postgres")) {
      return dir;
    }
  }
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ignored)) {
    if (std::filesystem::exists(entry.path() / "bin" / "postgres")) {
      return entry.path() / "bin";
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<PostgresServer>, std::string> PostgresServer::create() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_dir_ = findBinDir();
  if (server->bin_dir_.empty()) {
    return Unexpected{std::string("PostgreSQL server binaries not found (Debian: postgresql)")};
  }
  server->data_dir_ = server->dir_.path() / "data";
  server->socket_dir_ = server->dir_.path() / "socket";
  std::filesystem::create_directory(server->data_dir_);
  std::filesystem::create_directory(server->socket_dir_);
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) {
      return Unexpected{std::string("running as root and there is no postgres user")};
    }
    server->as_postgres_ = true;
    std::filesystem::permissions(server->dir_.path(), std::filesystem::perms(0755));
    for (const auto& dir : {server->data_dir_, server->socket_dir_}) {
      if (::chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0) {
        return Unexpected{"chown " + dir.string() + " failed"};
      }
    }
  }
  auto made = server->runTool({(server->bin_dir_ / "initdb").string(), "-D",
                               server->data_dir_.string(), "-U", "postgres", "-A", "trust", "-E",
                               "UTF8", "--no-sync", "--no-instructions"});
  if (made.exit_code != 0) {
    return Unexpected{"initdb failed (exit " + std::to_string(made.exit_code) + "): " + made.out};
  }
  if (auto started = server->start(); !started) {
    return Unexpected{started.error()};
  }
  return server;
}

PostgresServer::~PostgresServer() {
  stop(Shutdown::Immediate);
}

std::vector<std::string> PostgresServer::asServerUser(std::vector<std::string> argv) const {
  if (!as_postgres_) {
    return argv;
  }
  std::vector<std::string> wrapped = {"setpriv", "--reuid=postgres", "--regid=postgres",
                                      "--init-groups", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

CommandResult PostgresServer::runTool(std::vector<std::string> argv,
                                      std::chrono::milliseconds timeout) const {
  return run(Command(asServerUser(std::move(argv))).timeout(timeout));
}

Result<void, std::string> PostgresServer::start() {
  if (server_) {
    return {};
  }
  server_ = std::make_unique<ChildProcess>(
      asServerUser({(bin_dir_ / "postgres").string(), "-D", data_dir_.string(), "-k",
                    socket_dir_.string(), "-p", kPort, "-c", "listen_addresses=", "-c",
                    "max_connections=40", "-c", "shared_buffers=64MB"}),
      dir_.path() / "server.log");
  if (!server_->started()) {
    auto reason = server_->spawnError();
    server_.reset();
    return Unexpected{"cannot start postgres: " + reason};
  }
  const std::string probe = uri();
  bool ready = waitFor(
      [&] {
        return PQping(probe.c_str()) == PQPING_OK ||
               server_->waitExit(std::chrono::milliseconds(0));
      },
      std::chrono::seconds(60));
  if (!ready || PQping(probe.c_str()) != PQPING_OK) {
    std::string reason = "postgres did not come up: " + log();
    stop(Shutdown::Immediate);
    return Unexpected{reason};
  }
  return {};
}

bool PostgresServer::stop(Shutdown how) {
  if (!server_) {
    return true;
  }
  ::kill(server_->pid(), how == Shutdown::Fast ? SIGINT : SIGQUIT);
  bool exited = server_->waitExit(std::chrono::seconds(60)).has_value();
  if (!exited) {
    server_->stop(std::chrono::milliseconds(0));
  }
  server_.reset();
  return exited;
}

std::string PostgresServer::uri(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + socket_dir_.string() + "&port=" + kPort +
         "&user=postgres";
}

Result<std::string, std::string> PostgresServer::createDatabase() {
  auto admin = store::sql::PostgresConnection::open(uri(), {});
  if (!admin) {
    return Unexpected{admin.error().message};
  }
  const std::string name = "test" + std::to_string(++databases_);
  if (auto made = (*admin)->script("CREATE DATABASE " + name); !made) {
    return Unexpected{made.error().message};
  }
  return uri(name);
}

std::string PostgresServer::log() const {
  std::ifstream in(dir_.path() / "server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace nmsp::test_support
