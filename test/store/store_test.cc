// The Store against a real database: SQLite (store_sqlite_test) or PostgreSQL
// (store_postgres_test), the same tests for both.

#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>

#include "await_reply.h"
#include "store/postgres_connection.h"
#include "store/schema.h"
#include "store/statements.h"
#include "store/write_queue.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "test_database.h"

namespace nmsp::store {
namespace {

using namespace std::chrono_literals;
using proto::DeviceKind;

MacAddress mac(uint64_t n) {
  return statements::macFromInteger(static_cast<int64_t>(n));
}

LocationRecord location(uint64_t device, uint64_t ts_ms, std::string floor = "f1") {
  LocationRecord r;
  r.device = mac(device);
  r.kind = DeviceKind::Client;
  r.ts_ms = ts_ms;
  r.venue = "hq";
  r.floor = std::move(floor);
  r.x_m = 1.25 + static_cast<double>(ts_ms % 50);
  r.y_m = 0.1 * static_cast<double>(device);
  r.uncertainty_m = 3.5;
  r.aps_used = 4;
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  StoreOptions options() const {
    StoreOptions o;
    o.target = db_->target();
    return o;
  }
  std::unique_ptr<Store> open(StoreOptions o) {
    auto store = openStore(std::move(o));
    EXPECT_TRUE(store) << (store ? "" : store.error());
    return store ? std::move(*store) : nullptr;
  }
  std::unique_ptr<Store> open() { return open(options()); }

  int64_t count(const std::string& sql_text) {
    auto rows = inspect_->query(sql_text, {});
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? (*rows)[0].integer(0) : -1;
  }

  std::unique_ptr<TestDatabase> db_ = TestDatabase::create();
  std::unique_ptr<sql::Connection> inspect_ = db_->connect();
};

TEST_F(StoreTest, OpensAnEmptyDatabaseAtTheLatestSchemaVersion) {
  auto store = open();
  ASSERT_TRUE(store);
  auto s = store->status();
  EXPECT_EQ(s.backend, std::string(options().target.backendName()));
  EXPECT_TRUE(s.connected);
  EXPECT_EQ(s.schema_version, latestSchemaVersion());
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_version"), latestSchemaVersion());
  EXPECT_EQ(s.queue_limit_bytes, options().queue_limit_bytes);
}

TEST_F(StoreTest, LocationsReachHistoryAndCurrent) {
  auto store = open();
  ASSERT_TRUE(store);
  for (uint64_t ts = 1000; ts < 1010; ++ts) {
    for (uint64_t device = 1; device <= 3; ++device) {
      EXPECT_GT(store->submit(location(device, ts, device == 3 ? "f2" : "f1")), 0u);
    }
  }
  ASSERT_TRUE(store->flush(10s));
  auto s = store->status();
  EXPECT_EQ(s.written, 30u);
  EXPECT_EQ(s.dropped, 0u);
  EXPECT_EQ(s.settled_seq, 30u);
  EXPECT_EQ(s.queued, 0u);

  auto current = awaitReply<std::optional<LocationRecord>>(
      [&](auto reply) { store->currentLocation(mac(2), reply); });
  ASSERT_TRUE(current);
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ(**current, location(2, 1009));

  auto history = awaitReply<std::vector<LocationRecord>>(
      [&](auto reply) { store->locationHistory(mac(2), 1003, 1006, 100, reply); });
  ASSERT_TRUE(history);
  EXPECT_EQ(*history,
            (std::vector<LocationRecord>{location(2, 1003), location(2, 1004), location(2, 1005)}));

  LocationFilter on_f1;
  on_f1.floor = "f1";
  auto listed = awaitReply<std::vector<LocationRecord>>(
      [&](auto reply) { store->currentLocations(on_f1, reply); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, (std::vector<LocationRecord>{location(1, 1009), location(2, 1009)}));

  auto counts =
      awaitReply<std::vector<FloorKindCount>>([&](auto reply) { store->locationCounts(reply); });
  ASSERT_TRUE(counts);
  EXPECT_EQ(*counts, (std::vector<FloorKindCount>{{"hq", "f1", DeviceKind::Client, 2},
                                                  {"hq", "f2", DeviceKind::Client, 1}}));

  auto unknown = awaitReply<std::optional<LocationRecord>>(
      [&](auto reply) { store->currentLocation(mac(99), reply); });
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(StoreTest, AnOlderFixNeverMovesTheCurrentLocationBack) {
  auto store = open();
  ASSERT_TRUE(store);
  // One device several times in one batch (PostgreSQL refuses an upsert of one row twice),
  // then a late, older fix in a batch of its own.
  store->submit(location(7, 500));
  store->submit(location(7, 900));
  store->submit(location(7, 700));
  ASSERT_TRUE(store->flush(10s));
  store->submit(location(7, 800));
  ASSERT_TRUE(store->flush(10s));
  EXPECT_EQ(count("SELECT ts_ms FROM location_current"), 900);
  EXPECT_EQ(count("SELECT COUNT(*) FROM location_history"), 4);
  // The same fix twice (a batch retried after a lost commit acknowledgement) is one row.
  store->submit(location(7, 800));
  ASSERT_TRUE(store->flush(10s));
  EXPECT_EQ(count("SELECT COUNT(*) FROM location_history"), 4);
  EXPECT_EQ(store->status().failed, 0u);
}

TEST_F(StoreTest, DeviceInfoAndStatisticsKeepEveryField) {
  auto store = open();
  ASSERT_TRUE(store);
  DeviceInfoRecord info;
  info.device = mac(0xf48c5053bc09);
  info.kind = DeviceKind::RfidTag;
  info.ip_addresses = {*IpAddress::parse("10.1.2.3"), *IpAddress::parse("fe80::1")};
  info.ssid = "corp \"wifi\" \\ é";
  info.vlan = 42;
  info.username = "alice";
  info.assoc_state = proto::AssocState::Associated;
  info.band = proto::Band::Band5GHz;
  info.serving_ap = mac(0x002b01000a00);
  info.battery_pct = 87;
  info.telemetry = {{proto::TelemetryKind::TemperatureCentiC, -1250},
                    {proto::TelemetryKind::MotionCount, 7}};
  info.updated_ms = 1'700'000'000'000;
  DeviceInfoRecord bare;
  bare.device = mac(5);
  bare.updated_ms = 1;

  DeviceStatisticsRecord stats;
  stats.device = info.device;
  stats.kind = DeviceKind::RfidTag;
  stats.tx_bytes = 18'446'744'073'709'551'615ull;  // above 2^63: kept bit for bit
  stats.rx_bytes = 12;
  stats.tx_failed = 0;
  stats.timestamp_utc_ms = 1'700'000'000'123;
  stats.updated_ms = 1'700'000'000'500;

  store->submit(info);
  store->submit(bare);
  store->submit(stats);
  ASSERT_TRUE(store->flush(10s));

  auto got = awaitReply<std::optional<DeviceInfoRecord>>(
      [&](auto reply) { store->deviceInfo(info.device, reply); });
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, info);
  auto got_bare = awaitReply<std::optional<DeviceInfoRecord>>(
      [&](auto reply) { store->deviceInfo(bare.device, reply); });
  ASSERT_TRUE(got_bare && got_bare->has_value());
  EXPECT_EQ(**got_bare, bare);
  auto got_stats = awaitReply<std::optional<DeviceStatisticsRecord>>(
      [&](auto reply) { store->deviceStatistics(stats.device, reply); });
  ASSERT_TRUE(got_stats && got_stats->has_value());
  EXPECT_EQ(**got_stats, stats);

  // Newer info replaces; older info (another MSE's, late) does not.
  DeviceInfoRecord newer = bare;
  newer.ssid = "guest";
  newer.updated_ms = 10;
  DeviceInfoRecord older = bare;
  older.ssid = "stale";
  older.updated_ms = 5;
  store->submit(newer);
  ASSERT_TRUE(store->flush(10s));
  store->submit(older);
  ASSERT_TRUE(store->flush(10s));
  got_bare = awaitReply<std::optional<DeviceInfoRecord>>(
      [&](auto reply) { store->deviceInfo(bare.device, reply); });
  ASSERT_TRUE(got_bare && got_bare->has_value());
  EXPECT_EQ(**got_bare, newer);
}

TEST_F(StoreTest, VenuesAndControllersArePutListedAndDeleted) {
  auto store = open();
  ASSERT_TRUE(store);
  VenueRecord venue{"hq",
                    "Head office",
                    R"({"name":"Head office","floors":[],"x":"\"q\""})",
                    {{"g", "Ground", 0, 50, 30}, {"f1", "First", 4.5, 50, 30}}};
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putVenue(venue, reply); }));
  venue.floors.push_back({"b", "Basement", -3, 20, 10});  // replaced as a whole, order kept
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putVenue(venue, reply); }));
  VenueRecord annex{"annex", "Annex", "{}", {}};
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putVenue(annex, reply); }));
  auto listed = awaitReply<std::vector<VenueRecord>>([&](auto reply) { store->venues(reply); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, (std::vector<VenueRecord>{annex, venue}));
  auto deleted = awaitReply<bool>([&](auto reply) { store->deleteVenue("hq", reply); });
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(*deleted);
  deleted = awaitReply<bool>([&](auto reply) { store->deleteVenue("hq", reply); });
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(*deleted);
  EXPECT_EQ(count("SELECT COUNT(*) FROM floors"), 0);

  ControllerRecord wlc{"10.0.0.5", 16113, 0x7fffff, {{"rssi-clients", 2}, {"rssi-rfid", 30}}};
  ControllerRecord other{"10.0.0.5", 16114, 1, {}};
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putController(other, reply); }));
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putController(wlc, reply); }));
  wlc.intervals_s = {{"rssi-clients", 5}};
  ASSERT_TRUE(awaitReply<void>([&](auto reply) { store->putController(wlc, reply); }));
  auto controllers =
      awaitReply<std::vector<ControllerRecord>>([&](auto reply) { store->controllers(reply); });
  ASSERT_TRUE(controllers);
  EXPECT_EQ(*controllers, (std::vector<ControllerRecord>{wlc, other}));
  auto removed =
      awaitReply<bool>([&](auto reply) { store->deleteController("10.0.0.5", 16113, reply); });
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM controller_intervals"), 0);
}

TEST_F(StoreTest, RetentionPrunesOldHistoryInBoundedSteps) {
  std::atomic<uint64_t> now_ms{1'000'000'000};
  StoreOptions o = options();
  o.wall_clock_ms = [&] { return now_ms.load(); };
  o.retention = 1h;
  o.prune_batch_rows = 10;
  o.prune_interval = 20ms;
  auto store = open(o);
  ASSERT_TRUE(store);
  for (uint64_t ts = 1; ts <= 35; ++ts) {
    store->submit(location(1, ts));
  }
  ASSERT_TRUE(store->flush(10s));
  now_ms += 2 * 3'600'000;  // two hours later
  for (uint64_t ts = 36; ts <= 40; ++ts) {
    store->submit(location(1, ts));
  }
  ASSERT_TRUE(store->flush(10s));
  ASSERT_TRUE(test_support::waitFor([&] { return store->status().pruned >= 35; }, 10s));
  EXPECT_EQ(store->status().pruned, 35u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM location_history"), 5);
  EXPECT_EQ(count("SELECT MIN(ts_ms) FROM location_history"), 36);
  EXPECT_EQ(count("SELECT ts_ms FROM location_current"), 40);  // current is never pruned
}

TEST_F(StoreTest, ADatabaseFromANewerVersionIsRefusedUntouched) {
  ASSERT_TRUE(open());
  ASSERT_TRUE(inspect_->execute(
      "INSERT INTO schema_version (version, description, applied_ms) VALUES (99, 'future', 0)",
      {}));
  auto refused = openStore(options());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("version 99"), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("version " + std::to_string(latestSchemaVersion())),
            std::string::npos)
      << refused.error();
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_version"), 99);
}

#if !NMSP_STORE_TEST_POSTGRES  // needs no server: once, in the SQLite (unit) binary
TEST(StoreOpen, AFileThatIsNotADatabaseIsRefusedWithItsName) {
  test_support::TempDir dir("nmsp-store-bad");
  const auto path = dir.path() / "mse.db";
  std::ofstream(path) << std::string(8192, 'x');
  StoreOptions o;
  o.target.sqlite_path = path;
  auto refused = openStore(o);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find(path.string()), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("not a database"), std::string::npos) << refused.error();
}

TEST(StoreOpen, AnUnreachablePostgresServerStartsTheStoreDisconnected) {
  test_support::TempDir dir("nmsp-store-nopg");
  StoreOptions o;
  o.target.kind = StoreTarget::Kind::Postgres;
  o.target.postgres_uri = "postgresql:///nmsp?host=" + dir.path().string() + "&user=postgres";
  auto store = openStore(o);
  ASSERT_TRUE(store) << store.error();
  auto s = (*store)->status();
  EXPECT_FALSE(s.connected);
  EXPECT_NE(s.last_error.find("No such file or directory"), std::string::npos) << s.last_error;
  EXPECT_GT((*store)->submit(location(1, 1)), 0u);  // queued all the same
  auto write = awaitReply<void>([&](auto reply) {
    (*store)->putVenue({"v", "v", "{}", {}}, reply);
  });
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, StoreError::Code::Unavailable);
  auto read = awaitReply<std::vector<VenueRecord>>([&](auto reply) { (*store)->venues(reply); });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, StoreError::Code::Unavailable);
}
#endif

#if NMSP_STORE_TEST_POSTGRES
TEST_F(StoreTest, TheUriParametersWinOverTheStoreDefaults) {
  auto setting = [](const std::string& uri) -> std::string {
    auto c = sql::PostgresConnection::open(uri, {});
    if (!c) {
      return "cannot connect: " + c.error().message;
    }
    auto rows = (*c)->query("SHOW application_name", {});
    return rows && !rows->empty() ? (*rows)[0].text(0) : "?";
  };
  const std::string uri = options().target.postgres_uri;
  EXPECT_EQ(setting(uri), "nmsp-mse");
  EXPECT_EQ(setting(uri + "&application_name=mse-7"), "mse-7");
}
#endif

TEST_F(StoreTest, MigrationStepsApplyInOrderEachWhollyOrNotAtAll) {
  const Migration two_steps[] = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                                 {2, "b", "CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (2)"}};
  auto version = migrate(*inspect_, two_steps, 0);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(count("SELECT x FROM a"), 2);

  // Step 3 fails half way: its first statement is undone with it, the version stays 2.
  const Migration broken[] = {
      two_steps[0],
      two_steps[1],
      {3, "c", "CREATE TABLE c (x INTEGER); INSERT INTO nowhere VALUES (1)"}};
  auto failed = migrate(*inspect_, broken, 0);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("step 3 (c)"), std::string::npos) << failed.error().message;
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_version"), 2);
  EXPECT_FALSE(inspect_->query("SELECT COUNT(*) FROM c", {}));

  const Migration mended[] = {two_steps[0], two_steps[1], {3, "c", "CREATE TABLE c (x INTEGER)"}};
  version = migrate(*inspect_, mended, 0);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_version"), 3);
  // Again: nothing to do.
  version = migrate(*inspect_, mended, 0);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, 3);
}

TEST_F(StoreTest, AFullQueueDropsTheOldestRecordsAndCountsThem) {
  // Room for 100 records (the batch being written included); the writer is held at its first
  // batch while 1,000 are submitted. Then: the first batch, the newest of the rest, and an
  // exact count of the others.
  const size_t per_record = queuedBytes(QueuedRecord{location(1, 1)});
  StoreOptions o = options();
  o.queue_limit_bytes = 100 * per_record;
  o.batch_records = 10;
  auto store = open(o);
  ASSERT_TRUE(store);
  auto lock = db_->stallWriter();
  constexpr uint64_t kSubmitted = 1000;
  for (uint64_t ts = 1; ts <= kSubmitted; ++ts) {
    EXPECT_GT(store->submit(location(ts % 7, ts)), 0u);
  }
  auto stalled = store->status();
  EXPECT_EQ(stalled.queued, 100u);
  EXPECT_EQ(stalled.queued_bytes, 100 * per_record);
  EXPECT_EQ(stalled.dropped, kSubmitted - 100);
  EXPECT_TRUE(test_support::waitFor([&] { return store->status().lag >= 20ms; }, 10s));
  lock->rollback();
  ASSERT_TRUE(store->flush(30s));

  auto s = store->status();
  EXPECT_EQ(s.written, 100u);
  EXPECT_EQ(s.dropped, kSubmitted - 100);
  EXPECT_EQ(s.written + s.dropped, kSubmitted);
  EXPECT_EQ(s.lag, 0ms);
  auto rows = inspect_->query("SELECT ts_ms FROM location_history ORDER BY ts_ms", {});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 100u);
  // The newest records, and before them at most one batch the writer may have taken while
  // the records came in (a run of at most 10): the others are the dropped ones.
  std::vector<int64_t> ts;
  for (const auto& row : *rows) {
    ts.push_back(row.integer(0));
  }
  size_t newest = 0;
  while (newest < ts.size() &&
         ts[ts.size() - 1 - newest] == static_cast<int64_t>(kSubmitted - newest)) {
    ++newest;
  }
  const size_t held = ts.size() - newest;
  EXPECT_LE(held, o.batch_records);
  for (size_t i = 1; i < held; ++i) {
    EXPECT_EQ(ts[i], ts[0] + static_cast<int64_t>(i));
  }
}

TEST_F(StoreTest, RequestsNotAnsweredInTimeGetATimeout) {
  StoreOptions o = options();
  o.request_timeout = -1ms;  // every deadline has already passed
  auto store = open(o);
  ASSERT_TRUE(store);
  auto read = awaitReply<std::optional<LocationRecord>>(
      [&](auto reply) { store->currentLocation(mac(1), reply); });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, StoreError::Code::Timeout);
  auto write = awaitReply<void>([&](auto reply) { store->putVenue({"v", "v", "{}", {}}, reply); });
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, StoreError::Code::Timeout);
}

TEST_F(StoreTest, ARecordTheDatabaseRefusesCostsOnlyItself) {
  if (options().target.kind == StoreTarget::Kind::Sqlite) {
    GTEST_SKIP() << "SQLite stores any bytes as text; PostgreSQL refuses invalid UTF-8";
  }
  auto store = open();
  ASSERT_TRUE(store);
  for (uint64_t ts = 1; ts <= 20; ++ts) {
    store->submit(location(ts, ts, ts == 13 ? std::string("f\xff") : "f1"));
  }
  ASSERT_TRUE(store->flush(30s));
  auto s = store->status();
  EXPECT_EQ(s.written, 19u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_NE(s.last_error.find("UTF8"), std::string::npos) << s.last_error;
  EXPECT_EQ(count("SELECT COUNT(*) FROM location_history"), 19);
  EXPECT_EQ(count("SELECT COUNT(*) FROM location_history WHERE ts_ms = 13"), 0);
}

TEST_F(StoreTest, ReadersSeeCommittedDataWhileTheWriterIsHeld) {
  auto store = open();
  ASSERT_TRUE(store);
  store->submit(location(1, 100));
  ASSERT_TRUE(store->flush(10s));
  auto lock = db_->stallWriter();
  store->submit(location(1, 200));
  auto current = awaitReply<std::optional<LocationRecord>>(
      [&](auto reply) { store->currentLocation(mac(1), reply); });
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->ts_ms, 100u);
  lock->rollback();
  ASSERT_TRUE(store->flush(10s));
}

}  // namespace
}  // namespace nmsp::store
