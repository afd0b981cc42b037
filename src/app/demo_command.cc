// `nmsp demo`: the whole system on one machine. Starts a controller and an MSE as real daemons
// (this same binary, in child processes with their own data directories) and drives them with the
// operator commands, replaying the seed's story: refused with alert 46, then admitted once the
// MSE's key hash is in the controller's auth list.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/subcommands.h"
#include "authlist/auth_list.h"
#include "proto/codec.h"
#include "proto_json/frame_text.h"
#include "radio/office_venue.h"
#include "shell/shell.h"
#include "venue/venue_file.h"

namespace nmsp::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Set by SIGINT/SIGTERM: the demo stops its daemons and exits 128 + the signal.
volatile std::sig_atomic_t g_signal = 0;

void onSignal(int signal_number) {
  g_signal = signal_number;
}

struct DemoOptions {
  std::string dir;
  int duration_s = 30;
  uint16_t port = 16113;
  std::string mac = "00:50:56:9c:34:89";
};

/// A daemon started from this binary; stopped with SIGTERM when the demo ends.
class Child {
 public:
  Child(std::string name, const std::vector<std::string>& args, const fs::path& log)
      : name_(std::move(name)) {
    pid_ = ::fork();
    if (pid_ == 0) {
      // Should the demo die without stopping us (SIGKILL), the kernel stops us instead.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
      }
      std::vector<char*> argv;
      std::string self = "nmsp";
      argv.push_back(self.data());
      for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
      }
      argv.push_back(nullptr);
      ::execv("/proc/self/exe", argv.data());
      ::_exit(127);
    }
  }
  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool running() {
    if (pid_ <= 0) {
      return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      return true;
    }
    pid_ = -1;  // reaped: never signal a pid the system may have reused
    return false;
  }
  void stop() {
    if (pid_ <= 0) {
      return;
    }
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) != 0) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  pid_t pid_ = -1;
};

struct CliResult {
  int code = 0;
  std::string out;
};

/// Runs operator command lines on the daemon owning `dir`, exactly as `nmsp cli` does.
CliResult cli(const fs::path& dir, const std::string& lines) {
  std::istringstream in(lines);
  std::ostringstream out;
  std::ostringstream err;
  CliResult r;
  if (lines.find('\n') == std::string::npos) {
    std::istringstream empty;
    r.code = shell::runCli(dir, {lines}, empty, out, err);
  } else {
    r.code = shell::runCli(dir, {}, in, out, err);
  }
  r.out = out.str() + err.str();
  return r;
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && g_signal == 0) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(200ms);
  }
  return condition();
}

/// The port the controller in `dir` listens on, once it has written DATA/controller.port
/// (it binds first, so a port read here is held by the controller: no bind-then-release race).
std::optional<uint16_t> boundPort(const fs::path& dir) {
  std::ifstream in(dir / "controller.port");
  unsigned port = 0;
  if (in >> port && port > 0 && port <= 65535) {
    return static_cast<uint16_t>(port);
  }
  return std::nullopt;
}

/// Starts the controller on 127.0.0.1:`port` and waits until it listens. Returns the bound
/// port, or nothing if it exited first (the port is taken) or did not come up in time.
std::optional<uint16_t> startController(std::unique_ptr<Child>& controller, const fs::path& dir,
                                        uint16_t port, const fs::path& venue, const fs::path& log) {
  std::error_code ignored;
  fs::remove(dir / "controller.port", ignored);  // left by an earlier run in --dir
  controller = std::make_unique<Child>(
      "controller",
      std::vector<std::string>{"controller", "--data-dir", dir.string(), "--listen",
                               "127.0.0.1:" + std::to_string(port), "--name", "demo-wlc", "--venue",
                               venue.string(), "--simulate", "--clients", "20", "--tags", "4",
                               "--rogues", "2", "--seed", "1"},
      log);
  std::optional<uint16_t> bound;
  waitFor([&] { return (bound = boundPort(dir)).has_value() || !controller->running(); }, 10s);
  if (!bound) {
    controller.reset();
  }
  return bound;
}

void heading(const std::string& text) {
  std::cout << "\n==== " << text << "\n" << std::flush;
}

void show(const std::string& who, const std::string& command, const std::string& output) {
  std::cout << who << "# " << command << "\n" << output << std::flush;
}

/// Lines of `text` containing any of `needles` (the trace lines an engineer looks for first).
std::string grepLines(const std::string& text, const std::vector<std::string>& needles) {
  std::istringstream in(text);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    for (const auto& n : needles) {
      if (line.find(n) != std::string::npos) {
        out += line + "\n";
        break;
      }
    }
  }
  return out;
}

std::string fieldAfter(const std::string& text, const std::string& label) {
  const auto pos = text.find(label);
  if (pos == std::string::npos) {
    return {};
  }
  const auto start = pos + label.size();
  return text.substr(start, text.find('\n', start) - start);
}

void sampleFrames() {
  heading("1. The wire format: two sample frames, encoded and decoded (docs/protocol.md)");
  proto::MeasurementNotification m;
  proto::DeviceMeasurement d;
  d.mac = *MacAddress::parse("a4:5e:60:11:22:33");
  d.kind = proto::DeviceKind::Client;
  const uint64_t now_ms =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  for (uint8_t i = 0; i < 3; ++i) {
    proto::ApRssi a;
    a.ap_mac = *MacAddress::parse("00:3a:99:00:00:0" + std::to_string(i + 1));
    a.band = proto::Band::Band5GHz;
    a.slot = 1;
    a.rssi_dbm = static_cast<int8_t>(-52 - 7 * i);
    a.snr_db = static_cast<int8_t>(40 - 7 * i);
    a.timestamp_utc_ms = now_ms;
    d.aps.push_back(a);
  }
  m.devices.push_back(d);
  const std::vector<proto::Frame> frames = {
      proto::Frame{.transaction_id = 1, .message = proto::EchoRequest{now_ms}},
      proto::Frame{.transaction_id = 7, .message = m},
  };
  for (const auto& f : frames) {
    auto bytes = proto::encodeFrame(f);
    if (!bytes) {
      std::cout << "encode failed: " << bytes.error().toString() << "\n";
      continue;
    }
    std::ostringstream hex;
    for (size_t i = 0; i < bytes->size(); ++i) {
      static constexpr char kHex[] = "0123456789abcdef";
      hex << kHex[(*bytes)[i] >> 4] << kHex[(*bytes)[i] & 0xf] << ((i % 32 == 31) ? "\n  " : " ");
    }
    std::cout << "hex (" << bytes->size() << " bytes):\n  " << hex.str() << "\n";
    auto decoded = proto::decodeFrame(*bytes);
    if (decoded) {
      std::cout << proto_json::toText(*decoded) << "\n";
    }
  }
}

int runDemo(const DemoOptions& opt) {
  if (auto mac = authlist::parseMseMac(opt.mac); !mac) {
    std::cerr << "nmsp demo: --mac: " << mac.error() << '\n';
    return 2;
  }
  fs::path base = opt.dir.empty()
                      ? fs::temp_directory_path() / ("nmsp-demo-" + std::to_string(::getpid()))
                      : fs::path(opt.dir);
  const fs::path ctl_dir = base / "controller";
  const fs::path mse_dir = base / "mse";
  // A re-run on the same --dir starts clean: the failure scenario needs an empty auth list and
  // an MSE without controllers. A demo still running there holds the directories' locks.
  for (const auto& dir : {ctl_dir, mse_dir}) {
    std::error_code ec;
    if (fs::exists(dir / ".lock", ec)) {
      const int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CLOEXEC);
      const bool busy = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0;
      if (fd >= 0) {
        ::close(fd);
      }
      if (busy) {
        std::cerr << "nmsp demo: " << dir.string()
                  << " is in use by a running daemon (another demo?); stop it or use another "
                     "--dir\n";
        return 1;
      }
    }
    fs::remove_all(dir, ec);
  }
  fs::create_directories(ctl_dir);
  fs::create_directories(mse_dir);
  // From here on every return runs the Child destructors, which stop the daemons.
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = &onSignal;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  const auto stopped = [] {
    if (g_signal == 0) {
      return false;
    }
    std::cerr << "\nnmsp demo: signal " << g_signal << ": stopping the controller and the MSE\n";
    return true;
  };

  std::cout
      << "OpenNMSP demo: a controller and an MSE on this machine, talking NMSP over mutual TLS.\n"
      << "Data directories: " << base.string() << " (daemon logs: controller.log, mse.log)\n";
  sampleFrames();

  // The radio simulator's building (one generated office floor, 50 x 30 m, 12 APs): the
  // controller simulates people in it, the MSE locates them on the same map.
  const fs::path venue_file = base / "venue.json";
  if (auto saved = venue::saveVenueFile(venue_file, radio::makeOfficeVenue(radio::OfficeSpec{}));
      !saved) {
    std::cerr << "nmsp demo: cannot write " << venue_file.string() << ": " << saved.error() << "\n";
    return 1;
  }

  // The controller binds the port itself (0: any free one) and reports it in
  // DATA/controller.port; a busy --port falls back to a port the kernel picks.
  std::unique_ptr<Child> controller;
  auto bound = startController(controller, ctl_dir, opt.port, venue_file, base / "controller.log");
  if (!bound && opt.port != 0) {
    bound = startController(controller, ctl_dir, 0, venue_file, base / "controller.log");
    if (bound) {
      std::cout << "\n(TCP " << opt.port << " is busy on this machine; the demo controller uses "
                << *bound << " instead)\n";
    }
  }
  if (stopped()) {
    return 128 + g_signal;
  }
  if (!bound) {
    std::cerr << "nmsp demo: the controller did not start; see " << base << "/controller.log\n";
    return 1;
  }
  const std::string endpoint = "127.0.0.1:" + std::to_string(*bound);

  heading("2. Start the controller (nmsp controller) and the MSE (nmsp mse)");
  Child mse("mse",
            {"mse", "--data-dir", mse_dir.string(), "--mac", opt.mac, "--name", "demo-mse",
             "--echo-interval", "2", "--max-backoff", "2", "--venue", venue_file.string()},
            base / "mse.log");
  const auto reachable = [](const fs::path& dir) {
    return [dir] { return cli(dir, "show trace messages nmsp").code == 0; };
  };
  if (!waitFor(reachable(ctl_dir), 10s) || !waitFor(reachable(mse_dir), 10s)) {
    if (stopped()) {
      return 128 + g_signal;
    }
    std::cerr << "nmsp demo: the daemons did not come up; see " << base << "/*.log\n";
    return 1;
  }
  std::cout << "controller listening on " << endpoint << ", MSE started with MAC " << opt.mac
            << "\n";

  heading("3. The MSE's identity: what the controller must know");
  const auto auth = cli(mse_dir, "show server-auth-info");
  show("mse", "show server-auth-info", auth.out);
  const std::string sha2 = fieldAfter(auth.out, "SHA2 Key Hash: ");

  heading("4. Failure scenario: the controller's auth list does not hold the MSE yet");
  show("controller", "set trace nmsp connection level debug",
       cli(ctl_dir, "set trace nmsp connection level debug").out);
  show("mse", "config controllers add " + endpoint,
       cli(mse_dir, "config controllers add " + endpoint).out);
  waitFor(
      [&] {
        return cli(mse_dir, "show controllers").out.find("certificate unknown") !=
               std::string::npos;
      },
      15s);
  if (stopped()) {
    return 128 + g_signal;
  }
  show("mse", "show controllers", cli(mse_dir, "show controllers").out);
  std::cout << "controller# show trace messages nmsp   (the admission lines)\n"
            << grepLines(cli(ctl_dir, "show trace messages nmsp").out,
                         {"New NMSP Connection", "calling authlist", "Authlist", "AuthList",
                          "ret_desc_string=certificate", "handshake failed", "freeing"});

  heading("5. Fix: paste the IOS-XE lines from show server-auth-info on the controller");
  const std::string block =
      "configure terminal\nusername " + MacAddress::parse(opt.mac)->toCompactString() +
      " aaa attribute list NMSP\naaa attribute list NMSP\nattribute type password " + sha2 +
      "\naaa authorization credential-download wcm_loc_serv_cert local\nend\n";
  std::cout << block;
  const auto configured = cli(ctl_dir, block);
  std::cout << configured.out;
  show("controller", "show running-config", cli(ctl_dir, "show running-config").out);

  heading("6. Success scenario: the MSE reconnects by itself");
  const bool active = waitFor(
      [&] {
        return cli(mse_dir, "show controllers").out.find("ACTIVE") != std::string::npos &&
               cli(mse_dir, "show controllers").out.find("INACTIVE") == std::string::npos;
      },
      20s);
  if (stopped()) {
    return 128 + g_signal;
  }
  show("mse", "show controllers", cli(mse_dir, "show controllers").out);
  waitFor([] { return false; }, 3s);  // let a couple of echoes go by (a signal ends it)
  if (stopped()) {
    return 128 + g_signal;
  }
  show("controller", "show nmsp status", cli(ctl_dir, "show nmsp status").out);
  std::cout << "controller# show trace messages nmsp   (the admission lines)\n"
            << grepLines(cli(ctl_dir, "show trace messages nmsp").out,
                         {"Authlist authentication succeeded", "Peer Validated",
                          "SSL_do_handshake() succeeded", "NMSP Connection successful"});
  if (!active) {
    std::cerr << "nmsp demo: the tunnel did not come up; see " << base << "/*.log\n";
    return 1;
  }

  heading("7. Data: the simulated people stream to the MSE, which locates them");
  waitFor([&] { return cli(mse_dir, "show devices").out.find("client") != std::string::npos; },
          10s);
  show("controller", "show nmsp subscription detail",
       cli(ctl_dir, "show nmsp subscription detail").out);
  show("mse", "show devices", cli(mse_dir, "show devices").out);
  show("mse", "show location summary", cli(mse_dir, "show location summary").out);

  heading("8. Running");
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
  while (opt.duration_s == 0 || elapsed() < std::chrono::seconds(opt.duration_s)) {
    const auto left = std::chrono::seconds(opt.duration_s) - elapsed();
    waitFor([] { return false; },
            std::chrono::duration_cast<std::chrono::milliseconds>(
                opt.duration_s == 0 ? std::chrono::nanoseconds(10s)
                                    : std::clamp<std::chrono::nanoseconds>(left, 0s, 10s)));
    if (stopped()) {
      return 128 + g_signal;
    }
    if (!controller->running() || !mse.running()) {
      std::cerr << "nmsp demo: a daemon exited; see " << base << "/*.log\n";
      return 1;
    }
    show("controller", "show nmsp status", cli(ctl_dir, "show nmsp status").out);
    show("mse", "show location summary", cli(mse_dir, "show location summary").out);
  }
  std::cout
      << "\nDemo done. To explore, run `nmsp demo --duration 0 --dir DIR` and in another shell:\n"
      << "  nmsp cli --data-dir DIR/controller show nmsp statistics summary\n"
      << "  nmsp cli --data-dir DIR/mse show controllers\n"
      << "  nmsp cli --data-dir DIR/mse show devices\n"
      << "  nmsp cli --data-dir DIR/mse show location summary\n";
  return 0;
}

}  // namespace

void addDemoCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<DemoOptions>();
  auto* cmd =
      app.add_subcommand("demo", "Run a controller and an MSE on this machine and show the tunnel");
  cmd->add_option(
      "--dir", opt->dir,
      "Data directories here: DIR/controller and DIR/mse, recreated at each run (default: a "
      "fresh temp dir)");
  cmd->add_option("--duration", opt->duration_s,
                  "Seconds to keep running once the tunnel is up (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--port", opt->port, "Controller port (default 16113; a free port if busy)");
  cmd->add_option("--mac", opt->mac, "The MSE's MAC address");
  cmd->callback([opt, &exit_code] { exit_code = runDemo(*opt); });
}

}  // namespace nmsp::app
