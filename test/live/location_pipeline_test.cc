// The live location path without sockets: simulated device reports (the radio simulator, as a
// controller would forward them) go through LocationPipeline into a real SQLite store in a
// temporary directory; the stored records are those the engine of `nmsp locate` gives for the
// same reports (locate::Engine, default settings, fed in the same order).
#include "live/location_pipeline.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <map>
#include <thread>
#include <vector>

#include "live/live_location.h"
#include "live/venues.h"
#include "locate/engine.h"
#include "radio/simulator.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace nmsp::live {
namespace {

using namespace std::chrono_literals;

const std::string kVenueA = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json";
const std::string kVenueB = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-b.json";

template <class T, class Call>
Result<T, store::StoreError> awaitReply(Call call) {
  auto promise = std::make_shared<std::promise<Result<T, store::StoreError>>>();
  auto future = promise->get_future();
  call([promise](Result<T, store::StoreError> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(30s) != std::future_status::ready) {
    ADD_FAILURE() << "no reply from the store";
    return Unexpected{store::StoreError{store::StoreError::Code::Timeout, "no reply"}};
  }
  return future.get();
}

struct Collect : radio::SimulatorSink {
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    reports.push_back(m);
  }
  std::vector<proto::DeviceMeasurement> reports;
};

std::vector<proto::DeviceMeasurement> simulate(const venue::Venue& venue, uint64_t seed,
                                               uint64_t duration_ms) {
  radio::SimulatorConfig config;
  config.seed = seed;
  config.population.clients = 12;
  config.population.tags = 4;
  auto sim = radio::Simulator::create(venue, config);
  EXPECT_TRUE(sim);
  Collect sink;
  (*sim)->advanceTo(duration_ms, sink);
  return sink.reports;
}

std::vector<LoadedVenue> load(const std::vector<std::filesystem::path>& files) {
  auto venues = loadVenues(files);
  EXPECT_TRUE(venues) << (venues ? "" : venues.error());
  return venues ? std::move(*venues) : std::vector<LoadedVenue>{};
}

std::unique_ptr<store::Store> openSqlite(const std::filesystem::path& file) {
  store::StoreOptions options;
  options.target.kind = store::StoreTarget::Kind::Sqlite;
  options.target.sqlite_path = file;
  options.commit_interval = 5ms;
  auto opened = store::openStore(std::move(options));
  EXPECT_TRUE(opened) << (opened ? "" : opened.error());
  return opened ? std::move(*opened) : nullptr;
}

store::LocationRecord expectedRecord(const locate::Engine& engine, const std::string& venue_id,
                                     const proto::DeviceMeasurement& m,
                                     const locate::Location& where) {
  store::LocationRecord r;
  r.device = m.mac;
  r.kind = m.kind;
  r.ts_ms = where.ts_ms;
  r.venue = venue_id;
  r.floor = engine.floorId(where.floor);
  r.x_m = where.x_m;
  r.y_m = where.y_m;
  r.uncertainty_m = where.uncertainty_m;
  r.aps_used = where.aps_used;
  return r;
}

std::vector<locate::Reading> readingsOf(const proto::DeviceMeasurement& m) {
  std::vector<locate::Reading> out;
  for (const auto& ap : m.aps) {
    out.push_back(locate::Reading{ap.ap_mac, ap.rssi_dbm, ap.band, ap.timestamp_utc_ms});
  }
  return out;
}

TEST(LocationPipeline, StoresWhatTheOfflineEngineComputesOnTheSameReports) {
  test_support::TempDir dir("nmsp-live");
  auto venues = load({kVenueA});
  ASSERT_EQ(venues.size(), 1u);
  EXPECT_EQ(venues[0].id, "accuracy-a");
  const auto reports = simulate(venues[0].venue, 7, 180'000);
  ASSERT_GT(reports.size(), 100u);

  // The reference: what `nmsp locate` does with the same observations: the engine with its
  // default settings, a calibration pass over the AP reports and recalibrate(), then every
  // device report in order. The live path gets the AP reports first (as a controller's AP
  // neighbour notification), then the device reports, with its ticks in between.
  std::vector<proto::DeviceMeasurement> ap_first;
  for (const auto& m : reports) {
    if (m.kind == proto::DeviceKind::Ap) {
      ap_first.push_back(m);
    }
  }
  const uint64_t ap_reports = ap_first.size();
  for (const auto& m : reports) {
    if (m.kind != proto::DeviceKind::Ap) {
      ap_first.push_back(m);
    }
  }
  locate::Engine reference(venues[0].venue);
  for (size_t i = 0; i < ap_reports; ++i) {
    for (const auto& ap : ap_first[i].aps) {
      reference.addApReport(ap_first[i].mac, ap.ap_mac, ap.band, ap.rssi_dbm);
    }
  }
  reference.recalibrate();

  auto store = openSqlite(dir.path() / "mse.db");
  ASSERT_TRUE(store);
  LocationPipeline pipeline(std::move(venues), store.get());
  std::map<MacAddress, store::LocationRecord> last;
  uint64_t locations = 0;
  uint64_t next_tick_ms = 1000;
  for (const auto& m : ap_first) {
    const uint64_t ts = m.aps.empty() ? 0 : m.aps[0].timestamp_utc_ms;
    pipeline.onMeasurement(m, ts);
    if (m.kind == proto::DeviceKind::Ap) {
      continue;
    }
    while (ts >= next_tick_ms) {
      pipeline.tick(next_tick_ms);
      next_tick_ms += 1000;
    }
    const auto where = reference.update(m.mac, m.kind, readingsOf(m));
    if (where) {
      ++locations;
      last[m.mac] = expectedRecord(reference, "accuracy-a", m, *where);
    }
  }
  EXPECT_EQ(pipeline.engine(0).model().floors[0].exponent, reference.model().floors[0].exponent);
  ASSERT_GT(ap_reports, 0u) << "the simulator sends AP neighbour reports";
  ASSERT_TRUE(pipeline.engine(0).model().floors[0].calibrated);
  EXPECT_EQ(pipeline.counters().locations, locations);
  EXPECT_EQ(pipeline.counters().ap_reports, ap_reports);
  EXPECT_EQ(pipeline.counters().submit_refused, 0u);
  ASSERT_TRUE(store->flush(10s));
  EXPECT_EQ(store->status().written, locations);
  EXPECT_EQ(store->status().dropped, 0u);
  EXPECT_EQ(store->commitLatency().total(), locations);

  for (const auto& [mac, expected] : last) {
    auto stored = awaitReply<std::optional<store::LocationRecord>>(
        [&](auto reply) { store->currentLocation(mac, std::move(reply)); });
    ASSERT_TRUE(stored);
    ASSERT_TRUE(*stored) << mac.toString();
    EXPECT_EQ(**stored, expected) << mac.toString();
    // And the pipeline's in-memory view agrees.
    const auto current = pipeline.current(mac);
    ASSERT_TRUE(current);
    EXPECT_EQ(current->floor, expected.floor);
    EXPECT_EQ(current->x_m, expected.x_m);
    EXPECT_EQ(current->y_m, expected.y_m);
    EXPECT_EQ(current->uncertainty_m, expected.uncertainty_m);
    EXPECT_EQ(current->aps_used, expected.aps_used);
    EXPECT_EQ(current->kind, expected.kind);
    EXPECT_EQ(current->last_seen_ms, expected.ts_ms);
    EXPECT_FALSE(current->from_store);
  }
  auto counts = awaitReply<std::vector<store::FloorKindCount>>(
      [&](auto reply) { store->locationCounts(std::move(reply)); });
  ASSERT_TRUE(counts);
  uint64_t devices = 0;
  for (const auto& c : *counts) {
    EXPECT_EQ(c.venue, "accuracy-a");
    devices += c.devices;
  }
  EXPECT_EQ(devices, last.size());
}

proto::DeviceMeasurement report(const MacAddress& device, const std::vector<venue::Ap>& aps,
                                int rssi, uint64_t ts) {
  proto::DeviceMeasurement m;
  m.mac = device;
  m.kind = proto::DeviceKind::Client;
  for (const auto& ap : aps) {
    proto::ApRssi r;
    r.ap_mac = ap.mac;
    r.band = proto::Band::Band5GHz;
    r.slot = 1;
    r.rssi_dbm = static_cast<int8_t>(rssi);
    r.timestamp_utc_ms = ts;
    m.aps.push_back(r);
  }
  return m;
}

TEST(LocationPipeline, FewerThanThreeApsGiveAPresenceOnlyRecord) {
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  LocationPipeline pipeline(std::move(venues), nullptr);
  const auto device = *MacAddress::parse("02:00:00:00:00:01");
  pipeline.onMeasurement(report(device, {aps[0], aps[1]}, -60, 5000), 5000);
  const auto where = pipeline.current(device);
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->presence_only);
  EXPECT_GE(where->uncertainty_m, 10.0);
  EXPECT_EQ(pipeline.counters().presence_only, 1u);
}

TEST(LocationPipeline, LocateRateIsOverTheLastTenSeconds) {
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  LocationPipeline pipeline(std::move(venues), nullptr);
  pipeline.tick(1000);
  for (int i = 0; i < 10; ++i) {
    const auto device = *MacAddress::parse("02:00:00:00:01:0" + std::to_string(i));
    pipeline.onMeasurement(report(device, {aps[0], aps[1], aps[2]}, -60, 1500), 1500);
  }
  EXPECT_DOUBLE_EQ(pipeline.summary(3000).locate_rate, 5.0);  // 10 in 2 s
  for (uint64_t t = 2000; t <= 13000; t += 1000) {
    pipeline.tick(t);
  }
  EXPECT_DOUBLE_EQ(pipeline.summary(13000).locate_rate, 0.0);  // none in the last 10 s
}

TEST(LocationPipeline, EvictionFollowsTheReportsClockNotTheMses) {
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  LocationPipeline pipeline(std::move(venues), nullptr);
  const auto old = *MacAddress::parse("02:00:00:00:02:01");
  const auto fresh = *MacAddress::parse("02:00:00:00:02:02");
  // A relative set: times from 0, the MSE's clock in 2026.
  const uint64_t wall = 1'796'253'052'000;
  pipeline.onMeasurement(report(old, {aps[0], aps[1], aps[2]}, -60, 0), wall);
  pipeline.tick(wall + 20'000);
  ASSERT_TRUE(pipeline.current(old)) << "kept: not 15 minutes older than the newest report";
  EXPECT_EQ(pipeline.current(old)->last_seen_ms, 0u);
  pipeline.onMeasurement(report(fresh, {aps[3], aps[4], aps[5]}, -60, 16 * 60'000), wall);
  pipeline.tick(wall + 40'000);
  EXPECT_FALSE(pipeline.current(old)) << "16 minutes older than the newest report";
  EXPECT_TRUE(pipeline.current(fresh));
}

TEST(LocationPipeline, AReportFromTheFarFutureDoesNotEvictEveryDevice) {
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  LocationPipeline pipeline(std::move(venues), nullptr);
  const uint64_t wall = 1'796'253'052'000;
  const auto device = *MacAddress::parse("02:00:00:00:03:01");
  pipeline.onMeasurement(report(device, {aps[0], aps[1], aps[2]}, -60, wall), wall);
  // A controller whose clock is a year ahead.
  pipeline.onMeasurement(report(*MacAddress::parse("02:00:00:00:03:02"), {aps[3], aps[4], aps[5]},
                                -60, wall + 365ull * 86'400'000),
                         wall);
  pipeline.tick(wall + 20'000);
  EXPECT_TRUE(pipeline.current(device));
}

TEST(LocationPipeline, WithoutAVenueNothingIsLocatedAndReportsAreCounted) {
  test_support::TempDir dir("nmsp-live");
  auto store = openSqlite(dir.path() / "mse.db");
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  LocationPipeline pipeline({}, store.get());
  EXPECT_FALSE(pipeline.locating());
  pipeline.onMeasurement(report(*MacAddress::parse("02:00:00:00:00:01"), aps, -60, 5000), 5000);
  EXPECT_EQ(pipeline.counters().reports, 1u);
  EXPECT_EQ(pipeline.counters().no_venue, 1u);
  EXPECT_EQ(pipeline.counters().locations, 0u);
  ASSERT_TRUE(store->flush(5s));
  EXPECT_EQ(store->status().accepted, 0u);
  EXPECT_TRUE(pipeline.summary(5000).venues.empty());
}

TEST(LocationPipeline, DeviceInfoAndStatisticsReachTheStoreWithOrWithoutAVenue) {
  test_support::TempDir dir("nmsp-live");
  auto store = openSqlite(dir.path() / "mse.db");
  ASSERT_TRUE(store);
  LocationPipeline pipeline({}, store.get());
  proto::DeviceInfo info;
  info.mac = *MacAddress::parse("02:00:00:00:00:01");
  info.kind = proto::DeviceKind::RfidTag;
  info.ip_addresses = {*IpAddress::parse("10.10.0.2"), *IpAddress::parse("2001:db8::2")};
  info.ssid = "corp";
  info.vlan = 10;
  info.username = "user00042";
  info.assoc_state = proto::AssocState::Associated;
  info.band = proto::Band::Band5GHz;
  info.serving_ap = *MacAddress::parse("00:2b:01:00:0a:00");
  info.battery_pct = 87;
  info.telemetry = {proto::Telemetry{proto::TelemetryKind::TemperatureCentiC, 2150}};
  proto::DeviceStatistics statistics;
  statistics.mac = info.mac;
  statistics.kind = info.kind;
  statistics.tx_bytes = 1200;
  statistics.rx_bytes = 2800;
  statistics.tx_packets = 12;
  statistics.rx_packets = 28;
  statistics.tx_retries = 1;
  statistics.tx_failed = 0;
  statistics.timestamp_utc_ms = 1764633600000;
  pipeline.onInfo(info, 5000);
  pipeline.onStatistics(statistics, 6000);
  EXPECT_EQ(pipeline.counters().infos, 1u);
  EXPECT_EQ(pipeline.counters().statistics, 1u);
  EXPECT_EQ(pipeline.counters().info_refused, 0u);
  EXPECT_EQ(pipeline.counters().statistics_refused, 0u);
  EXPECT_EQ(pipeline.counters().reports, 0u);  // not measurement reports
  ASSERT_TRUE(store->flush(5s));

  store::DeviceInfoRecord want_info{info.mac,        info.kind,        info.ip_addresses, info.ssid,
                                    info.vlan,       info.username,    info.assoc_state,  info.band,
                                    info.serving_ap, info.battery_pct, info.telemetry,    5000};
  EXPECT_EQ(deviceInfoRecord(info, 5000), want_info);
  auto stored_info = awaitReply<std::optional<store::DeviceInfoRecord>>(
      [&](auto reply) { store->deviceInfo(info.mac, std::move(reply)); });
  ASSERT_TRUE(stored_info);
  ASSERT_TRUE(*stored_info);
  EXPECT_EQ(**stored_info, want_info);

  store::DeviceStatisticsRecord want_statistics{statistics.mac,
                                                statistics.kind,
                                                statistics.tx_bytes,
                                                statistics.rx_bytes,
                                                statistics.tx_packets,
                                                statistics.rx_packets,
                                                statistics.tx_retries,
                                                statistics.tx_failed,
                                                statistics.timestamp_utc_ms,
                                                6000};
  EXPECT_EQ(deviceStatisticsRecord(statistics, 6000), want_statistics);
  auto stored_statistics = awaitReply<std::optional<store::DeviceStatisticsRecord>>(
      [&](auto reply) { store->deviceStatistics(statistics.mac, std::move(reply)); });
  ASSERT_TRUE(stored_statistics);
  ASSERT_TRUE(*stored_statistics);
  EXPECT_EQ(**stored_statistics, want_statistics);

  // Without a store they are only counted.
  LocationPipeline memory_only({}, nullptr);
  memory_only.onInfo(info, 5000);
  memory_only.onStatistics(statistics, 5000);
  EXPECT_EQ(memory_only.counters().infos, 1u);
  EXPECT_EQ(memory_only.counters().info_refused, 0u);
}

TEST(LocationPipeline, EachReportGoesToTheVenueWhoseApsHeardIt) {
  auto venues = load({kVenueA, kVenueB});
  ASSERT_EQ(venues.size(), 2u);
  const auto a_aps = venues[0].venue.floors[0].aps;
  const auto b_aps = venues[1].venue.floors[1].aps;
  const auto b_floor = venues[1].venue.floors[1].id;
  LocationPipeline pipeline(std::move(venues), nullptr);
  const auto in_a = *MacAddress::parse("02:00:00:00:00:0a");
  const auto in_b = *MacAddress::parse("02:00:00:00:00:0b");
  pipeline.onMeasurement(report(in_a, {a_aps[0], a_aps[1], a_aps[2], a_aps[3]}, -55, 5000), 5000);
  // Mostly venue b's APs, one of a's.
  pipeline.onMeasurement(report(in_b, {b_aps[0], b_aps[1], b_aps[2], a_aps[0]}, -55, 5000), 5000);
  ASSERT_TRUE(pipeline.current(in_a));
  EXPECT_EQ(pipeline.current(in_a)->venue, "accuracy-a");
  ASSERT_TRUE(pipeline.current(in_b));
  EXPECT_EQ(pipeline.current(in_b)->venue, "accuracy-b");
  EXPECT_EQ(pipeline.current(in_b)->floor, b_floor);
  // An unknown AP only: no venue.
  pipeline.onMeasurement(
      report(*MacAddress::parse("02:00:00:00:00:0c"),
             {venue::Ap{*MacAddress::parse("02:ff:ff:ff:ff:ff"), "x", 0, 0}}, -50, 5000),
      5000);
  EXPECT_EQ(pipeline.counters().no_venue, 1u);
  const auto summary = pipeline.summary(5000);
  ASSERT_EQ(summary.venues.size(), 2u);
  EXPECT_EQ(summary.venues[0].tracked, 1u);  // in_b goes to b only, though one AP of a heard it
  EXPECT_EQ(summary.venues[1].tracked, 1u);
}

TEST(LoadVenues, RefusesTheSameIdTwiceAndUnreadableFiles) {
  auto twice = loadVenues({kVenueA, kVenueA});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().find("already loaded"), std::string::npos) << twice.error();
  auto missing = loadVenues({"/nonexistent/v.json"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("/nonexistent/v.json"), std::string::npos);
}

// LiveLocation: the shell's calls from another thread reach the io thread (bounded), and a
// device the engine no longer holds is answered from the store.
TEST(LiveLocation, AnswersFromTheEngineThenFromTheStore) {
  test_support::TempDir dir("nmsp-live");
  auto store = openSqlite(dir.path() / "mse.db");
  ASSERT_TRUE(store);
  auto venues = load({kVenueA});
  const auto aps = venues[0].venue.floors[0].aps;
  // A record only in the store (a device located before a restart).
  store::LocationRecord old;
  old.device = *MacAddress::parse("02:00:00:00:00:99");
  old.kind = proto::DeviceKind::RfidTag;
  old.ts_ms = 1234;
  old.venue = "accuracy-a";
  old.floor = "f1";
  old.x_m = 3.5;
  old.y_m = 4.25;
  old.uncertainty_m = 2.5;
  old.aps_used = 5;
  ASSERT_NE(store->submit(old), 0u);
  ASSERT_TRUE(store->flush(5s));

  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  LiveOptions options;
  options.tick = 10ms;
  options.wall_clock_ms = [] { return uint64_t{1'000'000}; };
  LiveLocation live(io.get_executor(), std::move(venues), store.get(), options);
  std::thread io_thread([&] { io.run(); });
  live.start();
  const auto device = *MacAddress::parse("02:00:00:00:00:01");
  boost::asio::post(io, [&] {
    live.onMeasurement("c1", report(device, {aps[0], aps[1], aps[2], aps[3], aps[4]}, -62, 900'000),
                       900'000);
  });
  auto found = live.location(device);
  ASSERT_TRUE(found) << found.error();
  ASSERT_TRUE(*found);
  EXPECT_FALSE((*found)->from_store);
  EXPECT_EQ((*found)->aps_used, 5u);

  auto stored = live.location(old.device);
  ASSERT_TRUE(stored) << stored.error();
  ASSERT_TRUE(*stored);
  EXPECT_TRUE((*stored)->from_store);
  EXPECT_EQ((*stored)->x_m, 3.5);
  EXPECT_EQ((*stored)->kind, proto::DeviceKind::RfidTag);

  auto none = live.location(*MacAddress::parse("02:00:00:00:00:77"));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  // `show devices`: the engine's locations only (the store's device is not asked for).
  auto engine = live.engineLocations({device, old.device});
  ASSERT_TRUE(engine) << engine.error();
  EXPECT_TRUE(engine->locating);
  ASSERT_EQ(engine->locations.size(), 2u);
  ASSERT_TRUE(engine->locations[0]);
  EXPECT_EQ(engine->locations[0]->x_m, (*found)->x_m);
  EXPECT_EQ(engine->locations[0]->floor, (*found)->floor);
  EXPECT_FALSE(engine->locations[1]);

  ASSERT_TRUE(store->flush(5s));
  auto summary = live.locationSummary();
  ASSERT_TRUE(summary) << summary.error();
  EXPECT_EQ(summary->venues.size(), 1u);
  EXPECT_EQ(summary->locations, 1u);
  EXPECT_EQ(summary->store_backend, "sqlite");
  EXPECT_EQ(summary->store_written, 2u);
  EXPECT_TRUE(summary->counts_error.empty()) << summary->counts_error;
  uint64_t devices = 0;
  for (const auto& c : summary->counts) {
    devices += c.devices;
  }
  EXPECT_EQ(devices, 2u);

  live.stop();
  guard.reset();
  io_thread.join();  // the tick is cancelled: run() ends
}

}  // namespace
}  // namespace nmsp::live
