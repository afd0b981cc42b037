// Replay -> record end to end: `nmsp controller --replay FILE --speed 10` and `nmsp mse --record
// OUT` on loopback over TLS, admitted through `nmsp cli` as an operator would. With the default
// settings (half-life 0, notify threshold 0) every observation travels as it came, so OUT must
// hold exactly the replayed observations (docs/data-path.md); OUT replayed again through a second
// controller to a second MSE gives them back once more.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace nmsp::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::Command;
using test_support::CommandResult;
using test_support::waitFor;

const std::string kBinary = NMSP_BINARY;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

size_t lineCount(const fs::path& path) {
  const auto text = readFile(path);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The members an observation must keep through replay and record.
using Observation = std::tuple<int64_t, std::string, std::string, std::string, int, int>;

std::vector<Observation> observations(const fs::path& path) {
  std::vector<Observation> out;
  std::istringstream lines(readFile(path));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    out.emplace_back(j.at("ts_ms").get<int64_t>(), j.at("device").get<std::string>(),
                     j.at("kind").get<std::string>(), j.at("ap").get<std::string>(),
                     j.at("slot").get<int>(), j.at("rssi").get<int>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string mac(int a, int b) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:00:00:%02x", a, b, a ^ b, b);
  return text;
}

// 6 clients and 4 RFID tags heard by 4 APs (slots 0 and 1), one report every 500 ms for 10 s,
// relative times: 10 x 20 x 4 = 800 observations, 1 s of playing at speed 10.
constexpr int kClients = 6;
constexpr int kTags = 4;
constexpr int kDevices = kClients + kTags;

void writeMeasurements(const fs::path& path) {
  std::ofstream out(path);
  for (int step = 0; step < 20; ++step) {
    for (int d = 0; d < kDevices; ++d) {
      const bool tag = d >= kClients;
      for (int a = 0; a < 4; ++a) {
        nlohmann::json j;
        j["ts_ms"] = 1000 + step * 500 + d;
        j["device"] = tag ? mac(0x00, 0x10 + d) : mac(0xf4, 0x20 + d);
        j["kind"] = tag ? "rfid-tag" : "client";
        j["ap"] = "00:2b:01:00:0" + std::to_string(a) + ":00";
        j["slot"] = a % 2;
        j["rssi"] = -40 - ((step * 7 + d * 3 + a * 11) % 50);
        out << j.dump() << '\n';
      }
    }
  }
}

class ReplayRecordTest : public ::testing::Test {
 protected:
  struct Daemon {
    fs::path dir;
    fs::path log;
    std::unique_ptr<ChildProcess> process;
  };

  void TearDown() override {
    for (auto* d : {&mse2_, &ctrl2_, &mse_, &ctrl_}) {
      d->process.reset();
    }
    if (HasFailure()) {
      for (const auto* d : {&ctrl_, &mse_, &ctrl2_, &mse2_}) {
        if (!d->log.empty())
          std::cerr << "----- " << d->log << " -----\n" << readFile(d->log);
      }
    }
  }

  CommandResult cli(const fs::path& dir, const std::string& command) {
    return test_support::run(Command({kBinary, "cli", "--data-dir", dir.string(), command}));
  }

  void startController(Daemon& d, const std::string& name, const fs::path& replay, uint16_t& port) {
    d.dir = dir_.path() / name;
    d.log = dir_.path() / (name + ".log");
    d.process = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "controller", "--data-dir", d.dir.string(), "--listen",
                                 "127.0.0.1:0", "--name", name, "--replay", replay.string(),
                                 "--speed", "10"},
        d.log);
    ASSERT_TRUE(waitFor(
        [&] {
          std::ifstream in(d.dir / "controller.port");
          int value = 0;
          if (in >> value && value > 0) {
            port = static_cast<uint16_t>(value);
            return true;
          }
          return false;
        },
        15s))
        << "controller did not write its port";
    ASSERT_TRUE(waitFor([&] { return cli(d.dir, "show nmsp status").exit_code == 0; }, 10s));
  }

  // Starts an MSE recording to `record`, admits it at the controller (auth list) and points it
  // at the controller.
  void startMse(Daemon& d, const std::string& name, const std::string& mac_address,
                const fs::path& record, const Daemon& controller, uint16_t port) {
    d.dir = dir_.path() / name;
    d.log = dir_.path() / (name + ".log");
    d.process = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "mse", "--data-dir", d.dir.string(), "--mac", mac_address,
                                 "--key-type", "ecdsa", "--echo-interval", "1", "--max-backoff",
                                 "1", "--name", name, "--record", record.string()},
        d.log);
    CommandResult info;
    ASSERT_TRUE(waitFor(
        [&] {
          info = cli(d.dir, "show server-auth-info");
          return info.exit_code == 0;
        },
        15s))
        << info.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA2 Key Hash: ([0-9a-f]{64})")));
    const auto added = cli(controller.dir, "config auth-list add sha256-lbs-ssc " + mac_address +
                                               " " + std::string(m[1]));
    ASSERT_EQ(added.exit_code, 0) << added.out;
    const auto pointed = cli(d.dir, "config controllers add 127.0.0.1:" + std::to_string(port));
    ASSERT_EQ(pointed.exit_code, 0) << pointed.out;
  }

  // Waits until `record` holds `lines` lines and the MSE says it wrote them, none dropped.
  void waitForRecording(const Daemon& mse, const fs::path& record, size_t lines) {
    ASSERT_TRUE(waitFor([&] { return lineCount(record) >= lines; }, 60s))
        << lineCount(record) << " of " << lines << " lines recorded\n"
        << cli(mse.dir, "show controllers").out;
    // The counter follows the flush that put the lines in the file: wait for it as well.
    std::string recording;
    EXPECT_TRUE(waitFor(
        [&] {
          recording = cli(mse.dir, "show recording").out;
          return recording.find("Observations written: " + std::to_string(lines) + "\n") !=
                 std::string::npos;
        },
        10s))
        << recording;
    EXPECT_NE(recording.find("Recording to: " + record.string()), std::string::npos) << recording;
    EXPECT_NE(recording.find("Observations dropped: 0"), std::string::npos) << recording;
    EXPECT_NE(recording.find("Write errors: 0"), std::string::npos) << recording;
  }

  void expectDevices(const Daemon& mse) {
    const auto devices = cli(mse.dir, "show devices");
    ASSERT_EQ(devices.exit_code, 0) << devices.out;
    EXPECT_TRUE(std::regex_search(
        devices.out, std::regex("(^|\n)Devices: " + std::to_string(kDevices) + " of at most")))
        << devices.out;
    EXPECT_TRUE(
        std::regex_search(devices.out, std::regex("\nclient +" + std::to_string(kClients) + "\n")))
        << devices.out;
    EXPECT_TRUE(
        std::regex_search(devices.out, std::regex("\nrfid-tag +" + std::to_string(kTags) + "\n")))
        << devices.out;
    // One row per device, each with its 4 APs.
    const std::regex row("\n[0-9a-f:]{17}  (client|rfid-tag) +4 +-[0-9]+ dBm ");
    EXPECT_EQ(std::distance(std::sregex_iterator(devices.out.begin(), devices.out.end(), row),
                            std::sregex_iterator()),
              kDevices)
        << devices.out;
  }

  test_support::TempDir dir_{"nmsp-replay-record"};
  Daemon ctrl_, mse_, ctrl2_, mse2_;
};

TEST_F(ReplayRecordTest, RecordedObservationsEqualTheReplayedOnesAndReplayAgain) {
  const fs::path input = dir_.path() / "input.jsonl";
  const fs::path recorded = dir_.path() / "recorded.jsonl";
  const fs::path recorded2 = dir_.path() / "recorded2.jsonl";
  writeMeasurements(input);
  const auto expected = observations(input);
  ASSERT_EQ(expected.size(), 800u);

  uint16_t port = 0;
  ASSERT_NO_FATAL_FAILURE(startController(ctrl_, "wlc-replay", input, port));
  ASSERT_NO_FATAL_FAILURE(startMse(mse_, "mse-record", "00:50:56:9c:34:89", recorded, ctrl_, port));
  ASSERT_NO_FATAL_FAILURE(waitForRecording(mse_, recorded, expected.size()));
  EXPECT_EQ(observations(recorded), expected);
  ASSERT_NO_FATAL_FAILURE(expectDevices(mse_));

  // The controller's view: the pass ended, every observation played, nothing skipped or lost.
  const std::string finished =
      "replay " + input.string() + ": finished: 800 lines, 800 observations played, 0 skipped";
  EXPECT_TRUE(waitFor([&] { return readFile(ctrl_.log).find(finished) != std::string::npos; }, 10s))
      << finished;
  std::string stats;
  EXPECT_TRUE(waitFor(
      [&] {
        stats = cli(ctrl_.dir, "show nmsp statistics summary").out;
        return std::regex_search(stats, std::regex(R"(Replay observations played +: 800\n)"));
      },
      10s))
      << stats;
  EXPECT_TRUE(std::regex_search(stats, std::regex(R"(Source +: replay\n)"))) << stats;
  EXPECT_TRUE(std::regex_search(stats, std::regex(R"(Replay lines skipped \(malformed\) +: 0\n)")))
      << stats;
  EXPECT_TRUE(std::regex_search(stats, std::regex(R"(Notification entries lost +: 0\n)"))) << stats;

  // What was recorded replays as well: a second controller plays it to a second MSE.
  uint16_t port2 = 0;
  ASSERT_NO_FATAL_FAILURE(startController(ctrl2_, "wlc-replay2", recorded, port2));
  ASSERT_NO_FATAL_FAILURE(
      startMse(mse2_, "mse-record2", "00:50:56:9c:34:8a", recorded2, ctrl2_, port2));
  ASSERT_NO_FATAL_FAILURE(waitForRecording(mse2_, recorded2, expected.size()));
  EXPECT_EQ(observations(recorded2), expected);
  ASSERT_NO_FATAL_FAILURE(expectDevices(mse2_));
}

}  // namespace
}  // namespace nmsp::testing
