// The MSE's data path over real TLS on loopback (docs/data-path.md, "Wiring / MSE"): two
// in-test controllers grant the subscription and stream Measurement / Info / AP Info
// Notifications; the MSE's Subscribe Request is the configured service set AND-ed with the
// offer, the merged device table shows through `show devices` / `show device` (one row for a
// device heard via both controllers), the MeasurementSink seam sees every report, and
// `--record` gives back exactly the observations sent.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../transport/tls_test_support.h"
#include "measurement/json_lines.h"
#include "measurement/observation.h"
#include "mse/mse_role.h"
#include "shell/shell.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "surface/commands.h"
#include "test_controller.h"

namespace nmsp::mse {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test_support::waitFor;
using testing::TestController;

constexpr auto kTimeout = 20s;
constexpr uint64_t kT0 = 1764633600000;  // 2025-12-02T00:00:00.000Z

MacAddress mac(const char* text) {
  return *MacAddress::parse(text);
}

proto::ApRssi report(const char* ap, int8_t rssi, uint64_t ts, uint8_t slot = 0) {
  proto::ApRssi r;
  r.ap_mac = mac(ap);
  r.slot = slot;
  r.band = measurement::bandForSlot(slot);
  r.rssi_dbm = rssi;
  r.snr_db = 30;
  r.timestamp_utc_ms = ts;
  return r;
}

proto::DeviceMeasurement device(const char* device_mac, proto::DeviceKind kind,
                                std::vector<proto::ApRssi> aps) {
  proto::DeviceMeasurement m;
  m.mac = mac(device_mac);
  m.kind = kind;
  for (const auto& ap : aps) {
    m.aps.push_back(ap);
  }
  return m;
}

// What the seam hands a consumer, copied (the sink runs on the io thread).
struct CollectingSink final : MeasurementSink {
  void onMeasurement(const std::string& via, const proto::DeviceMeasurement& m,
                     uint64_t /*now_ms*/) override {
    std::lock_guard lock(mu);
    measurements.push_back(via + " " + m.mac.toString() + " " + std::to_string(m.aps.size()));
  }
  void onApInfo(const std::string& via, const proto::ApInfo& ap, uint64_t /*now_ms*/) override {
    std::lock_guard lock(mu);
    aps.push_back(via + " " + ap.mac.toString() + " " + ap.name);
  }
  void onInfo(const std::string& via, const proto::DeviceInfo& info, uint64_t now_ms) override {
    std::lock_guard lock(mu);
    infos.push_back(via + " " + info.mac.toString() + " " + info.ssid.value_or("-") +
                    (now_ms > 0 ? "" : " (no time)"));
  }
  void onStatistics(const std::string& via, const proto::DeviceStatistics& statistics,
                    uint64_t now_ms) override {
    std::lock_guard lock(mu);
    statistics_.push_back(via + " " + statistics.mac.toString() + " " +
                          std::to_string(statistics.tx_bytes.value_or(0)) +
                          (now_ms > 0 ? "" : " (no time)"));
  }
  size_t count() {
    std::lock_guard lock(mu);
    return measurements.size() + aps.size() + infos.size() + statistics_.size();
  }
  std::mutex mu;
  std::vector<std::string> measurements;
  std::vector<std::string> aps;
  std::vector<std::string> infos;
  std::vector<std::string> statistics_;
};

std::vector<std::string> readLines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

class MseDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mse_identity_ = testing::makeIdentity(dir_.path() / "mse-identity", testing::testMac(),
                                          identity::KeyType::EcdsaP256);
    controller_identity_ = testing::makeIdentity(
        dir_.path() / "wlc-identity", testing::testMac(0x55), identity::KeyType::EcdsaP256);
    wlc_a_ = std::make_unique<TestController>(io_, controller_identity_, TLS1_3_VERSION);
    wlc_b_ = std::make_unique<TestController>(io_, controller_identity_, TLS1_3_VERSION);
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (role_) {
      role_->stop();
    }
    wlc_a_->stop();
    wlc_b_->stop();
    work_.reset();
    io_.stop();
    io_thread_.join();
    role_.reset();
  }

  void createRole() {
    MseOptions options;
    options.data_dir = dir_.path() / "mse";
    std::filesystem::create_directories(options.data_dir);
    options.record_file = record_file_;
    options.link.name = "test-mse";
    options.link.software_version = "0.1.0";
    options.link.echo_interval = 1s;
    options.link.missed_echoes = 30;
    options.link.initial_backoff = 50ms;
    options.link.max_backoff = 400ms;
    options.link.resolve =
        [](const std::string& host,
           uint16_t port) -> Result<std::vector<asio::ip::tcp::endpoint>, std::string> {
      return std::vector<asio::ip::tcp::endpoint>{{asio::ip::make_address(host), port}};
    };
    auto role = MseRole::create(io_.get_executor(), mse_identity_, options);
    ASSERT_TRUE(role.has_value()) << role.error();
    role_ = std::move(*role);
  }

  std::string run(const std::string& line) {
    shell::Session session;
    return registry_.execute(session, line).text;
  }

  std::string name(const TestController& wlc) const {
    return "127.0.0.1:" + std::to_string(wlc.port());
  }

  test_support::TempDir dir_{"nmsp-mse-data"};
  std::filesystem::path record_file_ = dir_.path() / "recorded.jsonl";
  identity::Identity mse_identity_;
  identity::Identity controller_identity_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::thread io_thread_;
  std::unique_ptr<TestController> wlc_a_;
  std::unique_ptr<TestController> wlc_b_;
  std::unique_ptr<MseRole> role_;
  shell::CommandRegistry registry_;
};

TEST_F(MseDataTest, TwoControllersMergeIntoOneTableSeenByShowSinkAndRecord) {
  using proto::bit;
  using proto::Service;
  // A offers everything but stats-rogue, plus location: the MSE asks for its default set
  // AND-ed with that. B is configured to rssi-ms and ap-info only.
  wlc_a_->offered = (proto::kKnownServices & ~bit(Service::StatsRogue));
  wlc_b_->offered = proto::kKnownServices;

  const auto client_a =
      device("f4:8c:50:00:00:01", proto::DeviceKind::Client,
             {report("00:2b:01:00:0a:00", -52, kT0), report("00:2b:01:00:0a:01", -60, kT0 + 1, 1)});
  const auto tag_a = device("00:0c:cc:00:00:07", proto::DeviceKind::RfidTag,
                            {report("00:2b:01:00:0a:00", -80, kT0 + 3)});
  const auto client_b = device("f4:8c:50:00:00:01", proto::DeviceKind::Client,
                               {report("00:2b:01:00:0b:00", -71, kT0 + 2)});
  proto::ApInfo ap;
  ap.mac = mac("00:2b:01:00:0a:00");
  ap.name = "AP-1-01";
  proto::DeviceInfo info;
  info.mac = mac("f4:8c:50:00:00:01");
  info.ssid = "corp";
  info.vlan = 10;
  proto::DeviceStatistics statistics;
  statistics.mac = info.mac;
  statistics.tx_bytes = 1200;
  statistics.rx_bytes = 2800;
  proto::Attachment attachment;
  attachment.device = info.mac;
  attachment.ap_mac = ap.mac;
  attachment.ssid = "corp";
  attachment.timestamp_utc_ms = kT0 + 50;
  wlc_a_->sendAfterSubscribe(
      {proto::ApInfoNotification{{ap}}, proto::MeasurementNotification{{client_a, tag_a}},
       proto::InfoNotification{{info}}, proto::StatisticsNotification{{statistics}},
       proto::AttachmentNotification{{attachment}}});
  wlc_b_->sendAfterSubscribe({proto::MeasurementNotification{{client_b}}});

  createRole();
  surface::registerMseCommands(registry_, *role_);
  ASSERT_TRUE(role_->addController("127.0.0.1", wlc_a_->port()));
  ASSERT_TRUE(role_->addController("127.0.0.1", wlc_b_->port()));
  ASSERT_TRUE(role_->setControllerServices("127.0.0.1", wlc_b_->port(),
                                           bit(Service::RssiMs) | bit(Service::ApInfo)));
  EXPECT_NE(run("config controllers services 127.0.0.1:" + std::to_string(wlc_b_->port()) +
                " rssi-ms,bogus"),
            "");  // refused: an unknown name
  auto sink = std::make_shared<CollectingSink>();
  role_->addMeasurementSink(sink);
  role_->start();

  ASSERT_TRUE(waitFor([&] { return sink->count() == 6; }, kTimeout));
  ASSERT_TRUE(waitFor([&] { return role_->recording()->written == 4; }, kTimeout));
  ASSERT_TRUE(waitFor(
      [&] {
        auto d = role_->device(mac("f4:8c:50:00:00:01"));
        return d && *d && (*d)->record.attachment.has_value() && (*d)->aps.size() == 3;
      },
      kTimeout));

  // The Subscribe Requests: configured set AND offer.
  EXPECT_EQ(wlc_a_->subscribed_mask.load(), kDefaultServices & ~bit(Service::StatsRogue));
  EXPECT_EQ(wlc_b_->subscribed_mask.load(), bit(Service::RssiMs) | bit(Service::ApInfo));

  // The seam: every device measurement, info, statistics and AP, with the controller it came
  // through.
  {
    std::lock_guard lock(sink->mu);
    auto got = sink->measurements;
    std::sort(got.begin(), got.end());
    std::vector<std::string> want{name(*wlc_a_) + " 00:0c:cc:00:00:07 1",
                                  name(*wlc_a_) + " f4:8c:50:00:00:01 2",
                                  name(*wlc_b_) + " f4:8c:50:00:00:01 1"};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want);
    EXPECT_EQ(sink->aps, (std::vector<std::string>{name(*wlc_a_) + " 00:2b:01:00:0a:00 AP-1-01"}));
    EXPECT_EQ(sink->infos, (std::vector<std::string>{name(*wlc_a_) + " f4:8c:50:00:00:01 corp"}));
    EXPECT_EQ(sink->statistics_,
              (std::vector<std::string>{name(*wlc_a_) + " f4:8c:50:00:00:01 1200"}));
  }

  // show devices: one row for the client heard via both controllers.
  const std::string devices = run("show devices");
  EXPECT_NE(devices.find("Devices: 2 of at most 200000 (evicted: 0)\n"), std::string::npos)
      << devices;
  EXPECT_NE(devices.find("client        1\nrfid-tag      1\n"), std::string::npos) << devices;
  EXPECT_NE(devices.find("f4:8c:50:00:00:01  client        3    -52 dBm    00:2b:01:00:0a:00  "),
            std::string::npos)
      << devices;
  EXPECT_NE(devices.find("Z  " + name(*wlc_a_) + ", " + name(*wlc_b_) + "\n"), std::string::npos)
      << devices;
  EXPECT_EQ(std::count(devices.begin(), devices.end(), '\n'), 12) << devices;
  const std::string tags = run("show devices rfid-tag");
  EXPECT_NE(tags.find("00:0c:cc:00:00:07  rfid-tag      1    -80 dBm"), std::string::npos) << tags;
  EXPECT_EQ(tags.find("f4:8c:50:00:00:01"), std::string::npos) << tags;

  // show device: RSSI per AP strongest first, with the AP's name and the controller.
  const std::string one = run("show device f4:8c:50:00:00:01");
  EXPECT_NE(one.find("Device: f4:8c:50:00:00:01\n  Kind: client\n"), std::string::npos) << one;
  EXPECT_NE(one.find("  Via: " + name(*wlc_a_) + ", " + name(*wlc_b_) + "\n"), std::string::npos)
      << one;
  EXPECT_NE(one.find("RSSI per AP (3)\n"), std::string::npos) << one;
  EXPECT_NE(one.find("00:2b:01:00:0a:00  AP-1-01          0     2.4ghz  -52 dBm   30 dB  "
                     "2025-12-02T00:00:00.000Z  " +
                     name(*wlc_a_) + "\n"),
            std::string::npos)
      << one;
  EXPECT_NE(one.find("00:2b:01:00:0b:00  -                0     2.4ghz  -71 dBm   30 dB  "
                     "2025-12-02T00:00:00.002Z  " +
                     name(*wlc_b_) + "\n"),
            std::string::npos)
      << one;
  EXPECT_NE(one.find("  SSID: corp\n  VLAN: 10\n"), std::string::npos) << one;
  EXPECT_NE(one.find("  Tx bytes: 1200\n  Rx bytes: 2800\n"), std::string::npos) << one;
  EXPECT_NE(one.find("Last attachment: attach to 00:2b:01:00:0a:00 at 2025-12-02T00:00:00.050Z, "
                     "SSID corp\n"),
            std::string::npos)
      << one;
  EXPECT_EQ(run("show device 00:00:00:00:00:01"), "% Device 00:00:00:00:00:01 is not known\n");

  // show controllers detail: the service set of each controller and what it granted.
  const std::string detail = run("show controllers detail");
  EXPECT_NE(detail.find("  services: rssi-ms, ap-info\n  granted: rssi-ms, ap-info\n"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("  services: rssi-ms, rssi-rfid, rssi-rogue, info-ms, info-rfid, "
                        "info-rogue, stats-ms, stats-rfid, stats-rogue, attach, ap-monitor, "
                        "ap-info\n  granted: rssi-ms, rssi-rfid, rssi-rogue, info-ms, info-rfid, "
                        "info-rogue, stats-ms, stats-rfid, attach, ap-monitor, ap-info\n"),
            std::string::npos)
      << detail;

  // --record: exactly the observations sent, one line each (controllers interleave, so the
  // lines are compared as sets; within one controller the order is kept).
  std::vector<std::string> expected;
  for (const auto* m : {&client_a, &tag_a, &client_b}) {
    for (const auto& r : m->aps) {
      std::string line;
      measurement::appendLine(line, measurement::fromApRssi(m->mac, m->kind, r));
      line.pop_back();  // the newline
      expected.push_back(line);
    }
  }
  EXPECT_EQ(expected[0],
            R"({"ts_ms":1764633600000,"device":"f4:8c:50:00:00:01","kind":"client",)"
            R"("ap":"00:2b:01:00:0a:00","slot":0,"rssi":-52,"snr":30,"band":"2.4ghz"})");
  auto lines = readLines(record_file_);
  std::sort(lines.begin(), lines.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(lines, expected);
  EXPECT_EQ(run("show recording"), "Recording to: " + record_file_.string() +
                                       "\nObservations written: 4\nObservations dropped: 0\n"
                                       "Write errors: 0\n");

  // A changed service set applies to the live session: Unsubscribe what was removed, Subscribe
  // what was added.
  ASSERT_TRUE(role_->setControllerServices("127.0.0.1", wlc_b_->port(),
                                           bit(Service::RssiMs) | bit(Service::InfoMs)));
  EXPECT_TRUE(waitFor(
      [&] {
        return run("show controllers detail")
                   .find("  services: rssi-ms, info-ms\n  granted: rssi-ms, info-ms\n") !=
               std::string::npos;
      },
      kTimeout))
      << run("show controllers detail");
  EXPECT_EQ(wlc_b_->unsubscribes.load(), 1);
  EXPECT_EQ(wlc_b_->unsubscribed_mask.load(), bit(Service::ApInfo));
  EXPECT_EQ(wlc_b_->subscribes.load(), 2);
  EXPECT_EQ(wlc_b_->subscribed_mask.load(), bit(Service::InfoMs));
}

TEST(Recorder, DropsABatchBeyondItsBoundAndCountsIt) {
  test_support::TempDir dir("nmsp-recorder");
  const auto file = dir.path() / "r.jsonl";
  std::ofstream(file) << "kept\n";  // appended to, never truncated
  auto recorder = Recorder::open(file, /*max_pending=*/2);
  ASSERT_TRUE(recorder) << recorder.error();
  const auto three =
      device("f4:8c:50:00:00:01", proto::DeviceKind::Client,
             {report("00:2b:01:00:0a:00", -50, kT0), report("00:2b:01:00:0a:01", -51, kT0 + 1),
              report("00:2b:01:00:0a:02", -52, kT0 + 2)});
  const auto one = device("00:0c:cc:00:00:07", proto::DeviceKind::RfidTag,
                          {report("00:2b:01:00:0a:00", -80, kT0 + 3)});
  (*recorder)->add(three);
  (*recorder)->submit();  // 3 > 2: dropped whole
  (*recorder)->add(one);
  (*recorder)->submit();
  (*recorder)->close();
  const auto counters = (*recorder)->counters();
  EXPECT_EQ(counters.written, 1u);
  EXPECT_EQ(counters.dropped, 3u);
  EXPECT_EQ(counters.write_errors, 0u);
  const auto lines = readLines(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "kept");
  EXPECT_NE(lines[1].find(R"("device":"00:0c:cc:00:00:07","kind":"rfid-tag")"), std::string::npos)
      << lines[1];
  EXPECT_FALSE(Recorder::open(dir.path() / "no" / "such" / "dir.jsonl"));
}

TEST(MseConfigServices, PersistedPerControllerAndValidated) {
  test_support::TempDir dir("nmsp-mse-services");
  std::thread owner([&] {  // the store belongs to one thread (the persistence worker)
    auto store = MseConfigStore::open(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->addController({"10.0.0.5", 16113}));
    ASSERT_TRUE(store->addController({"10.0.0.6", 16113}));
    auto set =
        store->setServices("10.0.0.5", std::nullopt,
                           proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::Attach));
    ASSERT_TRUE(set) << set.error();
    EXPECT_FALSE(store->setServices("10.9.9.9", std::nullopt, 0));
  });
  owner.join();
  std::thread reader([&] {
    auto store = MseConfigStore::open(dir.path());
    ASSERT_TRUE(store);
    const auto services = store->services();
    ASSERT_EQ(services.size(), 1u);
    EXPECT_EQ(services.at("10.0.0.5:16113"),
              proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::Attach));
    // Back to the default: the entry goes.
    ASSERT_TRUE(store->setServices("10.0.0.5", 16113, std::nullopt));
    EXPECT_TRUE(store->services().empty());
  });
  reader.join();
  std::ofstream(dir.path() / "controllers.json")
      << R"({"controllers":[{"host":"h","port":1,"services":["rssi-ms","nope"]}]})";
  std::thread corrupt([&] {
    auto store = MseConfigStore::open(dir.path());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().find("unknown service \"nope\""), std::string::npos) << store.error();
  });
  corrupt.join();
}

}  // namespace
}  // namespace nmsp::mse
