// `nmsp controller`: the controller daemon. One io_context on one thread (this one) runs the
// NMSP server and every MSE session: sessions are I/O-bound and short handlers, so one thread
// owns all controller state (no locks on the hot path) and never blocks; the TLS handshakes are
// the only CPU work (see docs/benchmarks.md "TLS admission" for its ceiling). The operator
// shell runs on a thread of its own, file writes on the controller's persistence worker.

// g++ 12 reports "potential null pointer dereference" inside Asio's io_context/scheduler once
// they are inlined here (a known false positive); silence only that warning, only here.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <fmt/format.h>
#include <netdb.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "app/data_dir_guard.h"
#include "app/key_log_flag.h"
#include "app/subcommands.h"
#include "common/blocking.h"
#include "controller/controller.h"
#include "shell/shell.h"
#include "shell/shell_server.h"
#include "surface/commands.h"
#include "venue/venue_file.h"

namespace nmsp::app {
namespace {

struct ControllerFlags {
  std::string data_dir;
  std::string listen = "0.0.0.0:16113";
  size_t max_connections = 1000;
  double handshake_timeout_s = 10;
  double clock_tolerance_s = 60;
  double session_idle_timeout_s = 60;
  size_t mse_queue_mib = controller::kMseQueueBytes >> 20;
  std::string name;
  std::string log_level = "info";
  std::string tls_keylog;
  // Data source (docs/data-path.md).
  std::string venue;
  bool simulate = false;
  uint32_t clients = 50;
  uint32_t tags = 10;
  uint32_t rogues = 4;
  uint64_t seed = 1;
  std::string replay;
  double speed = 1.0;
  bool loop = false;
};

// The data source flags into options.source; error: operator text (exit 2).
Result<void, std::string> dataSource(const ControllerFlags& flags,
                                     controller::DataSourceOptions& source) {
  using Kind = controller::DataSourceOptions::Kind;
  if (flags.simulate && flags.venue.empty()) {
    return Unexpected{
        std::string("--simulate needs --venue FILE (the floors and APs to simulate)")};
  }
  if (!flags.venue.empty()) {
    auto venue = venue::loadVenueFile(flags.venue);
    if (!venue) {
      return Unexpected{fmt::format("--venue {}: {}", flags.venue, venue.error())};
    }
    source.venue = std::move(*venue);
  }
  if (flags.simulate) {
    source.kind = Kind::Simulate;
    source.simulator.seed = flags.seed;
    source.simulator.population.clients = flags.clients;
    source.simulator.population.tags = flags.tags;
    source.simulator.population.rogue_aps = (flags.rogues + 1) / 2;
    source.simulator.population.rogue_clients = flags.rogues / 2;
  } else if (!flags.replay.empty()) {
    source.kind = Kind::Replay;
    source.replay_file = flags.replay;
    source.replay.speed = flags.speed;
    source.replay.loop = flags.loop;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(source.replay_file, ec)) {
      return Unexpected{fmt::format("--replay {}: no such file", flags.replay)};
    }
  } else if (!flags.venue.empty()) {
    return Unexpected{std::string("--venue is used with --simulate or --replay FILE")};
  }
  return {};
}

// "HOST:PORT", "[v6]:PORT" or ":PORT" (HOST: an address or a name, resolved here; the first
// IPv4 address wins, as for a client). Error: operator text.
Result<void, std::string> splitHostPort(const std::string& text, std::string& host,
                                        uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Unexpected{"--listen wants HOST:PORT, got '" + text + "'"};
  }
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    host = "0.0.0.0";
  }
  const std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return Unexpected{"--listen wants HOST:PORT with a numeric port, got '" + text + "'"};
  }
  const unsigned long value = std::stoul(digits);
  if (value > 65535) {
    return Unexpected{"--listen port " + digits +
                      " is out of range (0 to 65535; 0: any free port)"};
  }
  port = static_cast<uint16_t>(value);
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* list = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list); rc != 0) {
      return Unexpected{"--listen host '" + host + "' does not resolve: " + ::gai_strerror(rc)};
    }
    std::string chosen;
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      char numeric[NI_MAXHOST];
      if (::getnameinfo(a->ai_addr, a->ai_addrlen, numeric, sizeof numeric, nullptr, 0,
                        NI_NUMERICHOST) == 0 &&
          (chosen.empty() || a->ai_family == AF_INET)) {
        chosen = numeric;
        if (a->ai_family == AF_INET) {
          break;
        }
      }
    }
    ::freeaddrinfo(list);
    if (chosen.empty()) {
      return Unexpected{"--listen host '" + host + "' has no address"};
    }
    host = chosen;
  }
  return {};
}

std::chrono::milliseconds toMillis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

int runController(const ControllerFlags& flags) {
  auto logger = spdlog::stderr_color_mt("nmsp-controller");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  controller::ControllerOptions options;
  options.data_dir = flags.data_dir;
  if (auto listen = splitHostPort(flags.listen, options.listen_host, options.listen_port);
      !listen) {
    std::cerr << "nmsp controller: " << listen.error() << '\n';
    return 2;
  }
  if (auto source = dataSource(flags, options.source); !source) {
    std::cerr << "nmsp controller: " << source.error() << '\n';
    return 2;
  }
  auto lock = DataDirLock::acquire(flags.data_dir, doctor::DataDirRole::Controller);
  if (!lock) {
    std::cerr << "nmsp controller: " << lock.error() << '\n';
    return 1;
  }
  options.max_connections = flags.max_connections;
  options.handshake_timeout = toMillis(flags.handshake_timeout_s);
  options.clock_tolerance = toMillis(flags.clock_tolerance_s);
  options.idle_timeout = toMillis(flags.session_idle_timeout_s);
  options.channel.max_queued_bytes = flags.mse_queue_mib << 20;
  options.name = flags.name;

  if (!installKeyLog(flags.tls_keylog, "controller")) {
    return 1;
  }
  boost::asio::io_context io(1);
  auto created = controller::Controller::create(io, options);
  if (!created) {
    spdlog::error("cannot start: {}", created.error());
    return 1;
  }
  auto& ctrl = **created;
  if (auto started = ctrl.start(); !started) {
    spdlog::error("cannot start: {}", started.error());
    return 1;
  }

  shell::CommandRegistry registry;
  surface::registerControllerCommands(registry, ctrl);
  shell::ShellServerThread shell_server(shell::socketPath(flags.data_dir), registry);
  shell_server.start();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) {
      return;
    }
    spdlog::info("signal {}: shutting down", signal_number);
    shell_server.stop();
    ctrl.stop();
  });
  // Tests and scripts that asked for port 0 read the bound port here: written last, once SIGTERM
  // is handled, so that a script that stops the daemon as soon as it appears gets an orderly stop.
  const auto port_file = std::filesystem::path(flags.data_dir) / "controller.port";
  std::ofstream(port_file) << ctrl.port() << '\n';
  std::cout << "listening on " << ctrl.listenAddress() << std::endl;
  {
    // Checked builds abort if the io thread ever blocks (docs/architecture.md).
    const NoBlockingScope io_thread("controller io thread");
    io.run();
  }
  closeKeyLog();
  std::error_code ignored;
  std::filesystem::remove(port_file, ignored);
  spdlog::info("controller stopped");
  return 0;
}

}  // namespace

void addControllerCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ControllerFlags>();
  CLI::App* cmd = app.add_subcommand(
      "controller",
      "Run the NMSP controller (TLS server for MSEs, default port 16113) with its operator\n"
      "shell on DATA/nmsp.sock (use `nmsp cli --data-dir DATA`). Stops on SIGINT/SIGTERM.");
  cmd->add_option("-d,--data-dir", flags->data_dir,
                  "Data directory: identity/, authlist.json, shell socket (created if absent)")
      ->required();
  cmd->add_option("--listen", flags->listen,
                  "HOST:PORT to listen on (port 0: any free port, "
                  "written to DATA/controller.port)")
      ->capture_default_str();
  cmd->add_option("--max-connections", flags->max_connections, "Concurrent MSE connections allowed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--handshake-timeout", flags->handshake_timeout_s,
                  "Seconds allowed for the TLS handshake (and then for Init)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--clock-tolerance", flags->clock_tolerance_s,
                  "Largest Init clock difference (seconds) accepted before ClockSkew")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--session-idle-timeout", flags->session_idle_timeout_s,
                  "Seconds without any frame from an MSE before its session is closed; must "
                  "exceed 3 x the MSE's --echo-interval (10..3600)")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 3600.0));
  cmd->add_option("--mse-queue-mib", flags->mse_queue_mib,
                  "Bound of each MSE's send queue in MiB: beyond it the oldest notifications "
                  "are dropped and counted (1..1024)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--name", flags->name, "Controller name sent to MSEs (default: host name)");
  cmd->add_option("--log-level", flags->log_level, "trace|debug|info|warn|error|critical|off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  addTlsKeylogOption(cmd, flags->tls_keylog);
  cmd->add_option("--venue", flags->venue,
                  "Venue file (JSON, docs/simulator.md): floors and APs to simulate, "
                  "or the AP table of a replay");
  auto* simulate = cmd->add_flag("--simulate", flags->simulate,
                                 "Feed the data path from the radio simulator (needs --venue; "
                                 "docs/simulator.md)");
  auto sim_option = [&](const char* name, auto& value, const char* help) {
    return cmd->add_option(name, value, help)->capture_default_str()->needs(simulate);
  };
  sim_option("--clients", flags->clients, "Simulated Wi-Fi clients")
      ->check(CLI::Range(0u, 1000000u));
  sim_option("--tags", flags->tags, "Simulated RFID tags")->check(CLI::Range(0u, 1000000u));
  sim_option("--rogues", flags->rogues,
             "Simulated rogue devices (half rogue APs, half rogue clients)")
      ->check(CLI::Range(0u, 1000000u));
  sim_option("--seed", flags->seed, "Simulator seed: the same seed gives the same stream");
  auto* replay = cmd->add_option("--replay", flags->replay,
                                 "Replay a measurement file (JSON Lines, docs/simulator.md) once "
                                 "the first MSE subscribes to data")
                     ->excludes(simulate);
  cmd->add_option("--speed", flags->speed, "Replay speed (0.01..1000; 2: twice as fast)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1000.0))
      ->needs(replay);
  cmd->add_flag("--loop", flags->loop, "Replay the file again and again")->needs(replay);
  cmd->callback([flags, &exit_code] {
    try {
      exit_code = runController(*flags);
    } catch (const std::exception& e) {  // start-up edge: e.g. the shell socket path
      spdlog::error("controller: {}", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace nmsp::app
