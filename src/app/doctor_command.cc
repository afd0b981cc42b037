// `nmsp doctor --data-dir DIR [TARGET]`: the checks an engineer runs on a tunnel that stays
// down, in order, stopping at the first failure with its fix (docs/operator-guide.md "nmsp
// doctor"). The role comes from the data directory: on an MSE, TARGET is a controller
// HOST[:PORT] (default: the configured controllers) and the doctor connects as this MSE; on a
// controller, TARGET is an MSE MAC (default: the last MSE that presented a certificate) and the
// facts come from the running controller's shell. The checks themselves are in src/doctor.

#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <fmt/format.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/subcommands.h"
#include "authlist/auth_list.h"
#include "doctor/controller_doctor.h"
#include "doctor/data_dir.h"
#include "doctor/mse_doctor.h"
#include "doctor/probe.h"
#include "identity/identity.h"
#include "mse/mse_config_store.h"
#include "mse/mse_role.h"
#include "mse/pin_store.h"
#include "shell/shell.h"
#include "surface/controller_address.h"

namespace nmsp::app {
namespace {

namespace fs = std::filesystem;

struct DoctorFlags {
  std::string data_dir;
  std::string target;
  double timeout_s = 5;
  double clock_tolerance_s = 60;
};

std::chrono::milliseconds toMs(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000.0));
}

// --- MSE ------------------------------------------------------------------------------------

int runMseDoctor(const DoctorFlags& flags) {
  const fs::path dir = flags.data_dir;
  auto id = identity::loadOrCreate(dir);
  if (!id) {
    std::cerr << "nmsp doctor: " << id.error() << '\n';
    return 1;
  }
  auto config = mse::MseConfigStore::open(dir);
  if (!config) {
    std::cerr << "nmsp doctor: " << config.error() << '\n';
    return 1;
  }
  auto pins = mse::PinStore::open(dir);
  if (!pins) {
    std::cerr << "nmsp doctor: " << pins.error() << '\n';
    return 1;
  }
  std::vector<mse::ControllerAddress> targets;
  if (!flags.target.empty()) {
    auto parsed = surface::parseControllerAddress(flags.target);
    if (!parsed) {
      std::cerr << "nmsp doctor: " << parsed.error() << '\n';
      return 2;
    }
    targets.push_back({parsed->host, parsed->port});
  } else {
    targets = config->controllers();
    if (targets.empty()) {
      std::cerr << "nmsp doctor: no controller is configured in " << dir.string()
                << ": give HOST[:PORT]\n";
      return 2;
    }
  }
  doctor::ProbeOptions options;
  options.step_timeout = toMs(flags.timeout_s);
  options.software_version = mse::softwareVersion();
  const auto prober = doctor::tlsProber(*id, options);
  const auto resolver = doctor::systemResolver();
  int exit_code = 0;
  for (const auto& target : targets) {
    doctor::MseDoctorInput in;
    in.self = *id;
    in.host = target.host;
    in.port = target.port;
    in.pinned = pins->lookup(mse::endpointName(target));
    in.unauthenticated = config->unauthenticatedNmsp();
    in.clock_tolerance = toMs(flags.clock_tolerance_s);
    in.now = std::chrono::system_clock::now();
    std::cout << fmt::format("MSE {} to controller {}\n", id->mac.toString(),
                             mse::endpointName(target));
    const auto report = doctor::mseDoctor(in, resolver, prober);
    std::cout << report.text();
    exit_code = std::max(exit_code, report.exitCode());
  }
  return exit_code;
}

// --- Controller -----------------------------------------------------------------------------

std::optional<std::string> shellCommand(const fs::path& dir, const std::string& command) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  if (shell::runCli(dir, {command}, in, out, err) != 0) {
    return std::nullopt;
  }
  return out.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) {
    s.pop_back();
  }
  size_t start = 0;
  while (start < s.size() && s[start] == ' ') {
    ++start;
  }
  return s.substr(start);
}

std::chrono::system_clock::time_point parseUtc(const std::string& text) {
  std::tm tm{};
  if (::strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm) == nullptr) {
    return {};
  }
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

// "Label      : value" blocks, each starting with a heading line and its dashes.
std::vector<std::map<std::string, std::string>> parseBlocks(const std::string& text) {
  std::vector<std::map<std::string, std::string>> blocks;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(" : ");
    if (colon == std::string::npos) {
      if (!line.empty() && line.find_first_not_of('-') != std::string::npos &&
          line.find(':') != std::string::npos && line.rfind("MSE ", 0) == 0) {
        blocks.emplace_back();
        blocks.back()["heading"] = line.substr(4);
      } else if (line.rfind("NMSP Connection", 0) == 0) {
        blocks.emplace_back();
      }
      continue;
    }
    if (blocks.empty()) {
      blocks.emplace_back();
    }
    blocks.back()[trim(line.substr(0, colon))] = trim(line.substr(colon + 3));
  }
  return blocks;
}

std::vector<doctor::PresentedCertificate> parseAdmissions(const std::string& text) {
  std::vector<doctor::PresentedCertificate> out;
  for (auto& b : parseBlocks(text)) {
    const auto mac = MacAddress::parse(b["heading"]);
    if (!mac) {
      continue;
    }
    doctor::PresentedCertificate p;
    p.mac = *mac;
    p.verdict = b["Result"];
    p.sha1_hex = b["SHA1 Key Hash presented"];
    p.sha256_hex = b["SHA2 Key Hash presented"];
    p.validity = {parseUtc(b["Certificate not before"]), parseUtc(b["Certificate not after"])};
    p.at = b["Last attempt"];
    out.push_back(std::move(p));
  }
  return out;
}

// `show nmsp status detail` rows (fixed columns) and `show nmsp statistics connection` blocks.
std::vector<doctor::SessionFacts> parseSessions(const std::string& detail,
                                                const std::string& connections) {
  std::map<MacAddress, std::string> services;
  for (auto& b : parseBlocks(connections)) {
    if (const auto mac = MacAddress::parse(b["MAC Address"])) {
      services[*mac] = b["Subscribed services"];
    }
  }
  std::vector<doctor::SessionFacts> out;
  std::istringstream in(detail);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.size() < 102) {
      continue;
    }
    std::istringstream counters(line.substr(17, 83 - 17));
    std::string active;
    uint64_t tx_echo = 0;
    uint64_t rx_echo = 0;
    uint64_t tx_data = 0;
    uint64_t rx_data = 0;
    counters >> active >> tx_echo >> rx_echo >> tx_data >> rx_data;
    std::istringstream extra(line.substr(83));
    std::string mac_text;
    int64_t skew = 0;
    extra >> mac_text >> skew;
    const auto mac = MacAddress::parse(mac_text);
    if (!mac) {
      continue;
    }
    doctor::SessionFacts s;
    s.mac = *mac;
    s.active = active == "Active";
    s.clock_skew_ms = skew;
    s.rx_data = rx_data;
    s.tx_echo_resp = tx_echo;
    if (s.active) {
      s.services = services[*mac];
    }
    out.push_back(s);
  }
  return out;
}

int runControllerDoctor(const DoctorFlags& flags) {
  const fs::path dir = flags.data_dir;
  doctor::ControllerDoctorInput in;
  in.now = std::chrono::system_clock::now();
  in.clock_tolerance = toMs(flags.clock_tolerance_s);
  if (!flags.target.empty()) {
    auto mac = authlist::parseMac(flags.target);
    if (!mac) {
      std::cerr << "nmsp doctor: " << mac.error() << '\n';
      return 2;
    }
    in.mac = *mac;
  }
  if (auto list = authlist::AuthList::open(dir)) {
    in.auth_list = (*list)->entries();
  }
  const auto version = shellCommand(dir, "show version");
  in.server.running = version.has_value();
  if (in.server.running) {
    std::ifstream port_file(dir / "controller.port");
    int port = 0;
    port_file >> port;
    in.server.endpoint = fmt::format("127.0.0.1:{}", port);
    doctor::probeServer(in.server, "127.0.0.1", static_cast<uint16_t>(port), toMs(flags.timeout_s));
    in.presented = parseAdmissions(shellCommand(dir, "show nmsp admission").value_or(""));
    in.sessions = parseSessions(shellCommand(dir, "show nmsp status detail").value_or(""),
                                shellCommand(dir, "show nmsp statistics connection").value_or(""));
  }
  std::cout << fmt::format("Controller {}{}\n", dir.string(),
                           in.mac ? " and MSE " + in.mac->toString() : std::string());
  const auto report = doctor::controllerDoctor(in);
  std::cout << report.text();
  return report.exitCode();
}

}  // namespace

void addDoctorCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DoctorFlags>();
  CLI::App* cmd = app.add_subcommand(
      "doctor",
      "Check, in order, what keeps an NMSP tunnel down and say how to fix the first problem.\n"
      "On an MSE's data dir TARGET is a controller HOST[:PORT] (default: each configured one);\n"
      "on a controller's, an MSE MAC (default: the last MSE seen). Exit 0 when every check\n"
      "passes, 1 when one fails, 2 on a usage error.");
  cmd->add_option("-d,--data-dir", flags->data_dir, "The MSE's or controller's data directory")
      ->required();
  cmd->add_option("target", flags->target, "MSE: controller HOST[:PORT]; controller: MSE MAC");
  cmd->add_option("--timeout", flags->timeout_s, "Seconds allowed for each network step")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 60.0));
  cmd->add_option("--clock-tolerance", flags->clock_tolerance_s,
                  "Largest clock difference accepted, seconds (the daemons' --clock-tolerance)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0));
  cmd->callback([flags, &exit_code] {
    const auto role = doctor::dataDirRole(flags->data_dir);
    if (!role) {
      std::cerr << "nmsp doctor: " << flags->data_dir
                << " is not the data directory of an nmsp controller or MSE\n";
      exit_code = 2;
      return;
    }
    exit_code =
        *role == doctor::DataDirRole::Mse ? runMseDoctor(*flags) : runControllerDoctor(*flags);
  });
}

}  // namespace nmsp::app
