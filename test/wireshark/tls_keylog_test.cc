// `--tls-keylog` end to end: a real controller and MSE on loopback, the TLS session captured by
// dumpcap, then decrypted by tshark with the daemons' key log and decoded by
// tools/wireshark/nmsp.lua. Checks the Init, Capability, Subscribe, Echo and (the controller
// replays a tiny measurement file) Measurement Notification frames with their fields. Needs dumpcap
// with capture rights on lo (CI runs as root); skipped otherwise.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nmsp::test_support::ChildProcess;
using nmsp::test_support::Command;
using nmsp::test_support::CommandResult;
using nmsp::test_support::waitFor;

const std::string kBinary = NMSP_BINARY;
const std::string kMac = "00:50:56:9c:34:89";

bool installed(const std::string& program) {
  return nmsp::test_support::runShell("command -v " + program).exit_code == 0;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Sends `marker` in UDP datagrams to 127.0.0.1:port until the capture file holds it (dumpcap
// writes on its own schedule: a state, not a sleep, decides).
bool captured(const fs::path& pcap, uint16_t port, const std::string& marker) {
  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = waitFor(
      [&] {
        ::sendto(udp, marker.data(), marker.size(), 0, reinterpret_cast<sockaddr*>(&addr),
                 sizeof addr);
        return readFile(pcap).find(marker) != std::string::npos;
      },
      30s);
  ::close(udp);
  return ok;
}

class TlsKeylog : public ::testing::Test {
 protected:
  CommandResult cli(const fs::path& dir, const std::string& command) {
    return nmsp::test_support::run(Command({kBinary, "cli", "--data-dir", dir.string(), command}));
  }
  void TearDown() override {
    if (HasFailure()) {
      for (const char* name : {"controller.log", "mse.log", "dumpcap.log"}) {
        std::cerr << "----- " << name << " -----\n" << readFile(dir_.path() / name) << '\n';
      }
    }
  }
  nmsp::test_support::TempDir dir_{"nmsp-keylog"};
};

TEST_F(TlsKeylog, DecryptedCaptureShowsTheNmspSession) {
  if (!installed("dumpcap") || !installed("tshark")) {
    GTEST_SKIP() << "dumpcap and tshark are needed (scripts/install-deps installs them)";
  }
  const fs::path ctrl_dir = dir_.path() / "controller";
  const fs::path mse_dir = dir_.path() / "mse";
  const fs::path ctrl_keys = dir_.path() / "controller.keys";
  const fs::path mse_keys = dir_.path() / "mse.keys";
  const fs::path pcap = dir_.path() / "nmsp-tls.pcapng";
  // Two observations, one client heard by two APs: one Measurement Notification once the MSE
  // subscribes (relative times; each travels with its own ts_ms).
  const fs::path replay = dir_.path() / "replay.jsonl";
  {
    std::ofstream out(replay);
    out << R"({"ts_ms":1000,"device":"f4:8c:50:53:bc:09","kind":"client","ap":"00:2b:01:00:0a:00","slot":0,"rssi":-67})"
        << '\n'
        << R"({"ts_ms":1000,"device":"f4:8c:50:53:bc:09","kind":"client","ap":"00:2b:01:00:0b:02","slot":1,"rssi":-74,"snr":21,"band":"5ghz"})"
        << '\n';
  }

  auto controller = std::make_unique<ChildProcess>(
      std::vector<std::string>{kBinary, "controller", "--data-dir", ctrl_dir.string(), "--listen",
                               "127.0.0.1:0", "--name", "wlc-keylog", "--tls-keylog",
                               ctrl_keys.string(), "--replay", replay.string()},
      dir_.path() / "controller.log");
  uint16_t port = 0;
  ASSERT_TRUE(waitFor(
      [&] {
        std::ifstream in(ctrl_dir / "controller.port");
        int value = 0;
        if (in >> value && value > 0) {
          port = static_cast<uint16_t>(value);
          return true;
        }
        return false;
      },
      15s));
  // Off by default, 0600 when on, and said loudly.
  struct stat st {};
  ASSERT_EQ(::stat(ctrl_keys.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(
      waitFor([&] { return controller->log().find("TLS KEY LOG ON") != std::string::npos; }, 5s))
      << controller->log();

  const std::string p = std::to_string(port);
  ChildProcess dumpcap({"dumpcap", "-q", "-i", "lo", "-f", "tcp port " + p + " or udp port " + p,
                        "-w", pcap.string()},
                       dir_.path() / "dumpcap.log");
  if (!captured(pcap, port, "nmsp-keylog-started")) {
    GTEST_SKIP() << "dumpcap cannot capture on lo here (needs root or capabilities): "
                 << dumpcap.log();
  }

  auto mse = std::make_unique<ChildProcess>(
      std::vector<std::string>{kBinary, "mse", "--data-dir", mse_dir.string(), "--mac", kMac,
                               "--key-type", "ecdsa", "--echo-interval", "1", "--max-backoff", "1",
                               "--name", "mse-keylog", "--tls-keylog", mse_keys.string()},
      dir_.path() / "mse.log");
  CommandResult info;
  ASSERT_TRUE(waitFor(
      [&] {
        info = cli(mse_dir, "show server-auth-info");
        return info.exit_code == 0;
      },
      15s));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA2 Key Hash: ([0-9a-f]{64})")));
  ASSERT_EQ(cli(ctrl_dir, "config auth-list add sha256-lbs-ssc " + kMac + " " + std::string(m[1]))
                .exit_code,
            0);
  ASSERT_EQ(cli(mse_dir, "config controllers add 127.0.0.1:" + p).exit_code, 0);
  // Two echoes answered: Init, Capability, Subscribe and Echo have all crossed the wire.
  ASSERT_TRUE(waitFor(
      [&] {
        const auto status = cli(ctrl_dir, "show nmsp status").out;
        std::smatch e;
        return std::regex_search(status, e, std::regex(R"(127\.0\.0\.1\s+Active\s+(\d+))")) &&
               std::stol(e[1]) >= 2;
      },
      20s))
      << cli(ctrl_dir, "show nmsp status").out;
  // The MSE holds the replayed client: its Measurement Notification has crossed the wire.
  ASSERT_TRUE(waitFor(
      [&] {
        return cli(mse_dir, "show devices").out.find("f4:8c:50:53:bc:09  client        2 ") !=
               std::string::npos;
      },
      20s))
      << cli(mse_dir, "show devices").out;
  EXPECT_EQ(mse->stop(), 0);
  ASSERT_TRUE(captured(pcap, port, "nmsp-keylog-complete")) << dumpcap.log();
  dumpcap.stop();
  EXPECT_EQ(controller->stop(), 0);

  // Both key logs hold the TLS 1.3 traffic secrets of the session, in the NSS format.
  for (const auto& keys : {ctrl_keys, mse_keys}) {
    const auto text = readFile(keys);
    EXPECT_TRUE(std::regex_search(text, std::regex("(^|\n)CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} "
                                                   "[0-9a-f]+\n")))
        << keys << ":\n"
        << text;
  }

  // Decrypt with the controller's key log alone, decode with the dissector.
  const std::vector<std::string> base{"tshark", "-n",
                                      "-r",     pcap.string(),
                                      "-X",     std::string("lua_script:") + NMSP_DISSECTOR,
                                      "-o",     "nmsp.tcp_port:" + p,
                                      "-o",     "tls.keylog_file:" + ctrl_keys.string()};
  // A display filter (-Y) and the output options.
  auto shown = [&](const std::string& filter, std::vector<std::string> extra) {
    auto argv = base;
    argv.push_back("-Y");
    argv.push_back(filter);
    argv.insert(argv.end(), extra.begin(), extra.end());
    return nmsp::test_support::run(Command(argv).separateStderr());
  };
  auto with = [&](std::vector<std::string> extra) { return shown("nmsp", std::move(extra)); };
  const auto fields =
      with({"-T", "fields", "-e", "nmsp.message", "-E", "occurrence=a", "-E", "aggregator=|"});
  ASSERT_EQ(fields.exit_code, 0) << fields.err;
  for (const char* message : {"init-request", "init-response", "capability-notification",
                              "service-subscribe-request", "service-subscribe-response",
                              "echo-request", "echo-response", "measurement-notification"}) {
    EXPECT_NE(fields.out.find(message), std::string::npos) << message << " in\n" << fields.out;
  }
  const auto verbose = with({"-V"});
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  for (const char* field : {"peer-role: 2 (mse)", "peer-name: \"mse-keylog\"",
                            "peer-name: \"wlc-keylog\"", "result-code: 0 (success)",
                            "clock-utc-ms: ", "service-mask: 0x", "echoed-clock-utc-ms: "}) {
    EXPECT_NE(verbose.out.find(field), std::string::npos) << field;
  }
  // The Measurement Notification's fields: the device, its kind and each AP's report.
  const auto measurement = shown("nmsp.message == \"measurement-notification\"",
                                 {"-T", "fields",
                                  "-E", "occurrence=a",
                                  "-E", "aggregator=|",
                                  "-e", "nmsp.device_mac",
                                  "-e", "nmsp.device_kind",
                                  "-e", "nmsp.ap_rssi_list.count",
                                  "-e", "nmsp.ap_rssi.ap_mac",
                                  "-e", "nmsp.ap_rssi.slot",
                                  "-e", "nmsp.ap_rssi.band",
                                  "-e", "nmsp.ap_rssi.rssi_dbm",
                                  "-e", "nmsp.ap_rssi.snr_db",
                                  "-e", "nmsp.ap_rssi.timestamp_utc_ms"});
  ASSERT_EQ(measurement.exit_code, 0) << measurement.err;
  EXPECT_NE(measurement.out.find("f4:8c:50:53:bc:09\t1\t2\t00:2b:01:00:0a:00|00:2b:01:00:0b:02\t"
                                 "0|1\t1|2\t-67|-74\t"),
            std::string::npos)
      << measurement.out;
  EXPECT_NE(measurement.out.find("\t1000|1000\n"), std::string::npos) << measurement.out;
  const auto tree = shown("nmsp.message == \"measurement-notification\"", {"-V"});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  for (const char* field :
       {"measurement-notification", "device-measurement", "device-mac: f4:8c:50:53:bc:09",
        "device-kind: 1 (client)", "ap_mac: 00:2b:01:00:0a:00", "rssi_dbm: -67", "rssi_dbm: -74",
        "snr_db: 21", "timestamp_utc_ms: 1000"}) {
    EXPECT_NE(tree.out.find(field), std::string::npos) << field << " in\n" << tree.out;
  }
}

}  // namespace
