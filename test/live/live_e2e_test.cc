// End to end: a test-side controller (test/mse/test_controller.h, real TLS on loopback) streams
// Measurement Notifications of a simulated set to a real `nmsp mse --venue V --store URI` process
// (SQLite, and PostgreSQL on a server the test starts); `show location <mac>` over the shell then
// gives, for every device, the location `nmsp locate` writes last for it from the same
// observations (run as a process on a measurement file of them), which is also what the engine
// gives in process (calibration pass, recalibrate(), then the device reports in order); the store
// commits one row per location and `nmsp locate` writes one line per location. The controller also
// sends Info and Statistics Notifications: the store then holds them (read through store::Store),
// and `show devices` shows each located device's floor, x, y and uncertainty as `show location`
// does. The store's controllers table follows the MSE's configuration: the controller added, its
// service set changed, put again when the MSE restarts, deleted.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "await_reply.h"
#include "identity/identity.h"
#include "locate/engine.h"
#include "measurement/observation.h"
#include "measurement/record_writer.h"
#include "mse/mse_config_store.h"
#include "postgres_server.h"
#include "radio/simulator.h"
#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "test_controller.h"
#include "venue/venue_file.h"

namespace nmsp {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::Command;
using test_support::CommandResult;
using test_support::waitFor;

const std::string kBinary = NMSP_BINARY;
const std::string kVenue = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json";

CommandResult cli(const fs::path& dir, const std::string& line) {
  return test_support::run(
      Command({kBinary, "cli", "--data-dir", dir.string(), line}).timeout(10s));
}

uint64_t nowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

struct Collect : radio::SimulatorSink {
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    reports.push_back(m);
  }
  std::vector<proto::DeviceMeasurement> reports;
};

std::string fixed2(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", v);
  return text;
}

// `text` left-aligned in `width` columns, one space at least (a `show devices` cell).
std::string padded(const std::string& text, size_t width) {
  return text.size() < width ? text + std::string(width - text.size(), ' ') : text + " ";
}

// The value of "Label         : value" in `show location <mac>` output, without " m" and what
// follows it; empty if absent.
std::string field(const std::string& text, const std::string& label) {
  const std::string key = "\n" + label + std::string(14 - label.size(), ' ') + ": ";
  const auto at = ("\n" + text).find(key);
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + key.size() - 1;
  const auto end = text.find_first_of(" \n", start);
  return text.substr(start, end - start);
}

std::vector<store::ControllerRecord> storedControllers(store::Store& store) {
  auto rows = store::awaitReply<std::vector<store::ControllerRecord>>(
      [&](auto reply) { store.controllers(std::move(reply)); });
  return rows ? *rows : std::vector<store::ControllerRecord>{};
}

enum class Backend { Sqlite, Postgres };

// One PostgreSQL server for the whole binary (a database per test).
test_support::PostgresServer* postgres(std::string& error) {
  static std::unique_ptr<test_support::PostgresServer> server;
  static std::string failed;
  if (!server && failed.empty()) {
    auto made = test_support::PostgresServer::create();
    if (made) {
      server = std::move(*made);
    } else {
      failed = made.error();
    }
  }
  error = failed;
  return server.get();
}

class LiveLocationEndToEnd : public ::testing::TestWithParam<Backend> {};

TEST_P(LiveLocationEndToEnd, ControllerReportsReachTheStoreAndShowLocationAgreesWithNmspLocate) {
  test_support::TempDir tmp("nmsp-live-e2e");
  std::string store_uri = "sqlite:" + (tmp.path() / "locations.db").string();
  if (GetParam() == Backend::Postgres) {
    std::string error;
    auto* server = postgres(error);
    if (server == nullptr) {
      GTEST_SKIP() << "no PostgreSQL server: " << error;
    }
    auto database = server->createDatabase();
    ASSERT_TRUE(database) << database.error();
    store_uri = *database;
  }
  auto venue = venue::loadVenueFile(kVenue);
  ASSERT_TRUE(venue) << venue.error();

  // The simulated set, moved to the present (the MSE forgets devices unheard for 15 minutes).
  radio::SimulatorConfig config;
  config.seed = 21;
  config.population.clients = 10;
  config.population.tags = 4;
  auto sim = radio::Simulator::create(*venue, config);
  ASSERT_TRUE(sim);
  Collect sink;
  (*sim)->advanceTo(90'000, sink);
  const uint64_t base = nowMs() - 90'000;
  std::vector<proto::DeviceMeasurement> ap_reports, device_reports;
  for (auto m : sink.reports) {
    for (size_t i = 0; i < m.aps.size(); ++i) {
      m.aps[i].timestamp_utc_ms += base;
    }
    (m.kind == proto::DeviceKind::Ap ? ap_reports : device_reports).push_back(m);
  }
  ASSERT_FALSE(ap_reports.empty());
  ASSERT_GT(device_reports.size(), 50u);

  // What `nmsp locate` computes from these reports.
  locate::Engine reference(*venue);
  for (const auto& m : ap_reports) {
    for (const auto& ap : m.aps) {
      reference.addApReport(m.mac, ap.ap_mac, ap.band, ap.rssi_dbm);
    }
  }
  reference.recalibrate();
  std::map<MacAddress, locate::Location> last;
  uint64_t locations = 0;
  for (const auto& m : device_reports) {
    std::vector<locate::Reading> readings;
    for (const auto& ap : m.aps) {
      readings.push_back(locate::Reading{ap.ap_mac, ap.rssi_dbm, ap.band, ap.timestamp_utc_ms});
    }
    if (auto where = reference.update(m.mac, m.kind, readings)) {
      ++locations;
      last[m.mac] = *where;
    }
  }

  // And `nmsp locate` itself on the same observations (a measurement file, AP reports first).
  {
    std::ofstream file(tmp.path() / "m.jsonl", std::ios::binary);
    measurement::RecordWriter writer(file);
    for (const auto* list : {&ap_reports, &device_reports}) {
      for (const auto& m : *list) {
        for (const auto& ap : m.aps) {
          writer.write(measurement::fromApRssi(m.mac, m.kind, ap));
        }
      }
    }
    ASSERT_TRUE(writer.flush());
  }
  const auto offline = test_support::run(
      Command({kBinary, "locate", "--venue", kVenue, "--measurements",
               (tmp.path() / "m.jsonl").string(), "--out", (tmp.path() / "l.jsonl").string()})
          .timeout(60s));
  ASSERT_EQ(offline.exit_code, 0) << offline.out;
  std::map<std::string, nlohmann::json> offline_last;
  size_t offline_lines = 0;
  {
    std::ifstream in(tmp.path() / "l.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      offline_last[j["device"].get<std::string>()] = j;
      ++offline_lines;
    }
  }
  EXPECT_EQ(offline_lines, locations) << offline.out;
  ASSERT_EQ(offline_last.size(), last.size());
  for (const auto& [mac, where] : last) {
    const auto& j = offline_last[mac.toString()];
    EXPECT_EQ(j["floor"], reference.floorId(where.floor)) << mac.toString();
    EXPECT_NEAR(j["x_m"].get<double>(), where.x_m, 0.0005) << mac.toString();
    EXPECT_NEAR(j["y_m"].get<double>(), where.y_m, 0.0005) << mac.toString();
    EXPECT_NEAR(j["uncertainty_m"].get<double>(), where.uncertainty_m, 0.005) << mac.toString();
    EXPECT_EQ(j["aps_used"].get<uint32_t>(), where.aps_used) << mac.toString();
    EXPECT_EQ(j["ts_ms"].get<uint64_t>(), where.ts_ms) << mac.toString();
  }

  // Info and statistics of three located devices (sent after the measurements).
  std::vector<proto::DeviceInfo> infos;
  std::vector<proto::DeviceStatistics> statistics;
  std::map<MacAddress, proto::DeviceKind> kinds;
  for (const auto& m : device_reports) {
    kinds[m.mac] = m.kind;
  }
  for (const auto& [mac, where] : last) {
    if (infos.size() == 3) {
      break;
    }
    const auto n = static_cast<uint8_t>(infos.size());
    proto::DeviceInfo info;
    info.mac = mac;
    info.kind = kinds.at(mac);
    info.ip_addresses = {*IpAddress::parse("10.10.0." + std::to_string(10 + n))};
    info.ssid = "corp";
    info.vlan = static_cast<uint16_t>(100 + n);
    info.username = "user" + std::to_string(n);
    info.assoc_state = proto::AssocState::Associated;
    info.band = proto::Band::Band5GHz;
    info.serving_ap = venue->floors[0].aps[n].mac;
    infos.push_back(info);
    proto::DeviceStatistics st;
    st.mac = mac;
    st.kind = info.kind;
    st.tx_bytes = 1000u * (n + 1u);
    st.rx_bytes = 2000u * (n + 1u);
    st.tx_packets = 10u + n;
    st.timestamp_utc_ms = base + 90'000;
    statistics.push_back(st);
  }
  ASSERT_EQ(infos.size(), 3u);

  // The controller: the AP reports in one notification, then the device reports, 20 a frame,
  // then the info and the statistics.
  std::vector<proto::Message> stream;
  stream.push_back(proto::MeasurementNotification{ap_reports});
  for (size_t i = 0; i < device_reports.size(); i += 20) {
    proto::MeasurementNotification n;
    n.devices.assign(device_reports.begin() + static_cast<std::ptrdiff_t>(i),
                     device_reports.begin() +
                         static_cast<std::ptrdiff_t>(std::min(i + 20, device_reports.size())));
    stream.push_back(std::move(n));
  }
  stream.push_back(proto::InfoNotification{infos});
  stream.push_back(proto::StatisticsNotification{statistics});
  identity::CreateOptions id_options;
  id_options.mac = MacAddress::parse("00:11:22:33:44:55");
  id_options.key_type = identity::KeyType::EcdsaP256;
  auto controller_id = identity::create(tmp.path() / "wlc-identity", id_options);
  ASSERT_TRUE(controller_id) << controller_id.error();
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  testing::TestController wlc(io, *controller_id, TLS1_3_VERSION);
  wlc.sendAfterSubscribe(std::move(stream));
  std::thread io_thread([&] { io.run(); });

  const fs::path dir = tmp.path() / "mse";
  const std::vector<std::string> mse_argv{
      kBinary,   "mse",  "--data-dir", dir.string(), "--mac", "00:50:56:9c:34:89",
      "--venue", kVenue, "--store",    store_uri};
  auto mse = std::make_unique<ChildProcess>(mse_argv, tmp.path() / "mse.log");
  ASSERT_TRUE(waitFor([&] { return cli(dir, "show version").exit_code == 0; }, 15s)) << mse->log();
  const std::string via = "127.0.0.1:" + std::to_string(wlc.port());
  const auto added = cli(dir, "config controllers add " + via);
  ASSERT_EQ(added.exit_code, 0) << added.out;

  // Every location, info and statistics report is one record written.
  const std::string written = "Store written                           : " +
                              std::to_string(locations + infos.size() + statistics.size()) + "\n";
  std::string summary;
  EXPECT_TRUE(waitFor(
      [&] {
        summary = cli(dir, "show location summary").out;
        return summary.find(written) != std::string::npos;
      },
      20s))
      << summary << mse->log();
  EXPECT_NE(
      summary.find("Locations                               : " + std::to_string(locations) + "\n"),
      std::string::npos)
      << summary;
  EXPECT_NE(summary.find("accuracy-a          1       12    " + std::to_string(last.size())),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("Store dropped                           : 0\n"), std::string::npos);
  std::printf("%s", summary.c_str());  // the evidence, in the test's log

  for (const auto& [mac, where] : last) {
    const auto shown = cli(dir, "show location " + mac.toString());
    ASSERT_EQ(shown.exit_code, 0) << shown.out;
    EXPECT_NE(shown.out.find("Floor         : " + reference.floorId(where.floor) + "\n"),
              std::string::npos)
        << shown.out;
    EXPECT_NE(shown.out.find("X             : " + fixed2(where.x_m) + " m\n"), std::string::npos)
        << mac.toString() << "\n"
        << shown.out;
    EXPECT_NE(shown.out.find("Y             : " + fixed2(where.y_m) + " m\n"), std::string::npos)
        << shown.out;
    EXPECT_NE(shown.out.find("Uncertainty   : " + fixed2(where.uncertainty_m) + " m"),
              std::string::npos)
        << shown.out;
    EXPECT_NE(shown.out.find("APs used      : " + std::to_string(where.aps_used) + "\n"),
              std::string::npos)
        << shown.out;
    EXPECT_NE(shown.out.find("Source        : engine\n"), std::string::npos) << shown.out;
    if (mac == last.begin()->first) {
      std::printf("%s", shown.out.c_str());  // one device's, as evidence in the test's log
    }
  }

  // `show devices`: each located device's row shows what `show location <mac>` shows.
  const auto devices = cli(dir, "show devices");
  ASSERT_EQ(devices.exit_code, 0) << devices.out;
  EXPECT_NE(devices.out.find("Last Seen (UTC)           Floor  X(m)     Y(m)     +-m     Via\n"),
            std::string::npos)
      << devices.out;
  for (const auto& [mac, where] : last) {
    const auto shown = cli(dir, "show location " + mac.toString());
    const std::string cells = padded(field(shown.out, "Floor"), 7) +
                              padded(field(shown.out, "X"), 9) + padded(field(shown.out, "Y"), 9) +
                              padded(field(shown.out, "Uncertainty"), 8) + via + "\n";
    const auto row = devices.out.find("\n" + mac.toString() + "  ");
    ASSERT_NE(row, std::string::npos) << mac.toString() << "\n" << devices.out;
    const auto row_end = devices.out.find('\n', row + 1);
    const std::string line = devices.out.substr(row + 1, row_end - row);
    EXPECT_EQ(line.substr(94), cells) << line << "\n" << shown.out;
    EXPECT_EQ(field(shown.out, "X"), fixed2(where.x_m)) << shown.out;
    if (mac == last.begin()->first) {
      std::printf("%s", line.c_str());  // one row, as evidence in the test's log
    }
  }

  // The store, read through its interface: the info and statistics as sent, the controller.
  store::StoreOptions store_options;
  auto target = store::parseStoreTarget(store_uri, dir);
  ASSERT_TRUE(target) << target.error();
  store_options.target = *target;
  auto opened = store::openStore(std::move(store_options));
  ASSERT_TRUE(opened) << opened.error();
  store::Store& db = **opened;
  for (size_t i = 0; i < infos.size(); ++i) {
    auto info = store::awaitReply<std::optional<store::DeviceInfoRecord>>(
        [&](auto reply) { db.deviceInfo(infos[i].mac, std::move(reply)); });
    ASSERT_TRUE(info) << info.error().message;
    ASSERT_TRUE(*info) << infos[i].mac.toString();
    EXPECT_EQ((*info)->kind, infos[i].kind);
    EXPECT_EQ((*info)->ip_addresses, infos[i].ip_addresses);
    EXPECT_EQ((*info)->ssid, infos[i].ssid);
    EXPECT_EQ((*info)->vlan, infos[i].vlan);
    EXPECT_EQ((*info)->username, infos[i].username);
    EXPECT_EQ((*info)->assoc_state, infos[i].assoc_state);
    EXPECT_EQ((*info)->band, infos[i].band);
    EXPECT_EQ((*info)->serving_ap, infos[i].serving_ap);
    EXPECT_GE((*info)->updated_ms, base + 90'000);  // the MSE's clock when it arrived
    auto st = store::awaitReply<std::optional<store::DeviceStatisticsRecord>>(
        [&](auto reply) { db.deviceStatistics(statistics[i].mac, std::move(reply)); });
    ASSERT_TRUE(st) << st.error().message;
    ASSERT_TRUE(*st) << statistics[i].mac.toString();
    EXPECT_EQ((*st)->kind, statistics[i].kind);
    EXPECT_EQ((*st)->tx_bytes, statistics[i].tx_bytes);
    EXPECT_EQ((*st)->rx_bytes, statistics[i].rx_bytes);
    EXPECT_EQ((*st)->tx_packets, statistics[i].tx_packets);
    EXPECT_FALSE((*st)->rx_packets.has_value());
    EXPECT_EQ((*st)->timestamp_utc_ms, statistics[i].timestamp_utc_ms);
    EXPECT_GE((*st)->updated_ms, base + 90'000);
  }
  // Waits until the controllers table holds only this controller with `services` (none:
  // empty).
  const auto stored_as = [&](std::optional<proto::ServiceMask> services) {
    std::vector<store::ControllerRecord> want;
    if (services) {
      want.push_back(store::ControllerRecord{"127.0.0.1", wlc.port(), *services, {}});
    }
    return waitFor([&] { return storedControllers(db) == want; }, 15s);
  };
  EXPECT_TRUE(stored_as(mse::kDefaultServices)) << mse->log();

  // The operator changes the service set: the row follows.
  const auto changed = cli(dir, "config controllers services " + via + " rssi-ms,info-ms");
  ASSERT_EQ(changed.exit_code, 0) << changed.out;
  const proto::ServiceMask two =
      proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::InfoMs);
  EXPECT_TRUE(stored_as(two)) << mse->log();

  // A restart puts the configured controllers again (the row deleted meanwhile comes back).
  EXPECT_EQ(mse->stop(), 0) << mse->log();
  auto removed = store::awaitReply<bool>(
      [&](auto reply) { db.deleteController("127.0.0.1", wlc.port(), std::move(reply)); });
  ASSERT_TRUE(removed && *removed);
  ASSERT_TRUE(storedControllers(db).empty());
  mse = std::make_unique<ChildProcess>(mse_argv, tmp.path() / "mse2.log");
  EXPECT_TRUE(stored_as(two)) << mse->log();

  // The operator deletes it: so does the store.
  ASSERT_TRUE(waitFor([&] { return cli(dir, "show version").exit_code == 0; }, 15s)) << mse->log();
  const auto deleted = cli(dir, "config controllers delete " + via);
  ASSERT_EQ(deleted.exit_code, 0) << deleted.out;
  EXPECT_TRUE(stored_as(std::nullopt)) << mse->log();

  EXPECT_EQ(mse->stop(), 0) << mse->log();
  opened->reset();
  wlc.stop();
  work.reset();
  io.stop();
  io_thread.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveLocationEndToEnd,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace nmsp
