// `nmsp mse`: the MSE daemon. Creates (or loads) the MSE identity, connects to
// every configured controller (src/mse), and serves the operator shell on
// DIR/nmsp.sock. One io_context on one thread (this one) runs the links: they are
// I/O bound and tiny, and one thread owns their state without locks and never
// blocks. The shell runs on a thread of its own, file writes on the role's
// persistence worker.

// g++ 12 reports "potential null pointer dereference" inside Asio's
// io_context/scheduler once they are inlined here (a known false positive);
// silence only that warning, only here.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "app/data_dir_guard.h"
#include "app/key_log_flag.h"
#include "app/mse_location.h"
#include "app/subcommands.h"
#include "authlist/auth_list.h"
#include "common/blocking.h"
#include "identity/identity.h"
#include "mse/mse_role.h"
#include "shell/shell.h"
#include "shell/shell_server.h"
#include "surface/commands.h"
#include "surface/location_commands.h"

namespace nmsp::app {
namespace {

struct MseFlags {
  std::string data_dir;
  std::string mac;
  std::string key_type = "rsa";
  double echo_interval_s = 15;
  int missed_echoes = 3;
  double max_backoff_s = 10;
  double clock_tolerance_s = 60;
  std::string name;
  std::string log_level = "info";
  std::string tls_keylog;
  std::string record;
  MseLocationFlags location;
};

std::chrono::milliseconds toMs(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

std::string defaultName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') {
    return host;
  }
  return "opennmsp-mse";
}

int runMse(const MseFlags& flags) {
  auto logger = spdlog::stderr_color_mt("mse");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  const std::filesystem::path data_dir = flags.data_dir;
  // A MAC no controller will admit is refused before anything is created.
  std::optional<MacAddress> mac;
  if (!flags.mac.empty()) {
    auto parsed = authlist::parseMseMac(flags.mac);
    if (!parsed) {
      std::cerr << "nmsp mse: --mac: " << parsed.error() << '\n';
      return 2;
    }
    mac = *parsed;
  }
  // --venue and --store are checked before anything is created.
  auto location_plan = MseLocation::prepare(flags.location, data_dir);
  if (!location_plan) {
    std::cerr << "nmsp mse: " << location_plan.error() << '\n';
    return 1;
  }
  auto lock = DataDirLock::acquire(data_dir, doctor::DataDirRole::Mse);
  if (!lock) {
    std::cerr << "nmsp mse: " << lock.error() << '\n';
    return 1;
  }

  identity::CreateOptions create;
  create.key_type =
      flags.key_type == "ecdsa" ? identity::KeyType::EcdsaP256 : identity::KeyType::Rsa2048;
  if (mac) {
    create.mac = mac;
  } else if (!identity::primaryInterfaceMac()) {
    std::cerr << "nmsp mse: no network interface with a MAC address found: "
                 "give --mac\n";
    return 1;
  }
  auto id = identity::loadOrCreate(data_dir, create);
  if (!id) {
    std::cerr << "nmsp mse: " << id.error() << '\n';
    return 1;
  }
  spdlog::info("MSE identity: MAC {}, SHA2 key hash {}", id->mac.toString(), id->hashes.sha256_hex);

  mse::MseOptions options;
  options.data_dir = data_dir;
  options.link.name = flags.name.empty() ? defaultName() : flags.name;
  options.link.software_version = mse::softwareVersion();
  options.link.echo_interval = toMs(flags.echo_interval_s);
  options.link.missed_echoes = flags.missed_echoes;
  options.link.max_backoff = toMs(flags.max_backoff_s);
  options.link.initial_backoff = std::min(options.link.initial_backoff, options.link.max_backoff);
  options.link.clock_tolerance =
      std::chrono::seconds(static_cast<int64_t>(flags.clock_tolerance_s));
  options.record_file = flags.record;

  if (!installKeyLog(flags.tls_keylog, "mse")) {
    return 1;
  }
  boost::asio::io_context io;
  auto role = mse::MseRole::create(io.get_executor(), std::move(*id), std::move(options));
  if (!role) {
    std::cerr << "nmsp mse: " << role.error() << '\n';
    return 1;
  }
  // The store opens (blocking) before the io thread runs; closed after it stops.
  auto location = MseLocation::open(std::move(*location_plan), io.get_executor());
  if (!location) {
    std::cerr << "nmsp mse: " << location.error() << '\n';
    return 1;
  }
  shell::CommandRegistry registry;
  surface::registerMseCommands(registry, **role, &(*location)->live());
  surface::registerLocationCommands(registry, (*location)->live());
  (*role)->addMeasurementSink((*location)->sink());
  (*role)->setControllerObserver((*location)->controllerObserver());
  shell::ShellServerThread shell_server(shell::socketPath(data_dir),
                                        registry);  // throws at edge
  shell_server.start();
  (*role)->start();
  (*location)->live().start();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal_number) {
    if (error) {
      return;
    }
    spdlog::info("signal {}: stopping", signal_number);
    (*role)->stop();
    (*location)->live().stop();
    shell_server.stop();
    // Links close their sessions (close_notify) within their own timeouts,
    // then run() ends.
  });
  spdlog::info("MSE {} running; shell on {}", (*role)->name(),
               shell::socketPath(data_dir).string());
  {
    // Checked builds abort if the io thread ever blocks (docs/architecture.md).
    const NoBlockingScope io_thread("MSE io thread");
    io.run();
  }
  closeKeyLog();
  spdlog::info("MSE stopped");
  return 0;
}

}  // namespace

void addMseCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<MseFlags>();
  CLI::App* cmd = app.add_subcommand("mse", "Run the MSE role: NMSP links to controllers");
  cmd->add_option("-d,--data-dir", flags->data_dir, "State directory (identity, controllers, pins)")
      ->required();
  cmd->add_option("--mac", flags->mac,
                  "MAC address the certificate is bound to (default: the "
                  "primary interface's)");
  cmd->add_option("--key-type", flags->key_type,
                  "Key of a new identity: rsa (RSA-2048) or ecdsa "
                  "(P-256)")
      ->capture_default_str()
      ->check(CLI::IsMember({"rsa", "ecdsa"}));
  // The controller drops a session that sends nothing for its idle timeout (60 s by default);
  // 30 s keeps at least one echo in every such window even if one is lost.
  cmd->add_option("--echo-interval", flags->echo_interval_s,
                  "Seconds between Echo Requests, 1 to 30")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(text, value) || !(value >= 1.0 && value <= 30.0)) {
              return "--echo-interval must be 1 to 30 seconds, not " + text +
                     " (the controller drops a session silent for its idle timeout, 60 s by "
                     "default)";
            }
            return {};
          },
          "1..30"));
  cmd->add_option("--missed-echoes", flags->missed_echoes, "Unanswered echoes that end a session")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_option("--max-backoff", flags->max_backoff_s, "Cap of the reconnect delay, seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--clock-tolerance", flags->clock_tolerance_s,
                  "Largest accepted clock difference with a controller, seconds")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_option("--name", flags->name, "Name sent in Init Request (default: host name)");
  cmd->add_option("--log-level", flags->log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  cmd->add_option("--record", flags->record,
                  "Append every RSSI observation received to FILE (measurement JSON Lines)");
  addTlsKeylogOption(cmd, flags->tls_keylog);
  addMseLocationOptions(cmd, flags->location);
  cmd->callback([flags, &exit_code] { exit_code = runMse(*flags); });
}

}  // namespace nmsp::app
