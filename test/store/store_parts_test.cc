// The store's parts that need no database: --store values, the bounded write queue, the
// latency histogram, MAC addresses as integers.

#include <gtest/gtest.h>

#include "store/latency_histogram.h"
#include "store/statements.h"
#include "store/store_target.h"
#include "store/write_queue.h"

namespace nmsp::store {
namespace {

using namespace std::chrono_literals;

TEST(StoreTarget, NothingMeansSqliteInTheDataDirectory) {
  auto t = parseStoreTarget("", "/var/lib/nmsp");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, StoreTarget::Kind::Sqlite);
  EXPECT_EQ(t->sqlite_path, "/var/lib/nmsp/mse.db");
  EXPECT_EQ(t->backendName(), "sqlite");
}

TEST(StoreTarget, SqliteWithAPath) {
  auto t = parseStoreTarget("sqlite:/srv/x.db", "/d");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, StoreTarget::Kind::Sqlite);
  EXPECT_EQ(t->sqlite_path, "/srv/x.db");
  EXPECT_FALSE(parseStoreTarget("sqlite:", "/d"));
}

TEST(StoreTarget, PostgresUrisAreKeptAndShownWithoutPassword) {
  for (const char* uri : {"postgresql://mse:s3cret@db.example:5433/nmsp?sslmode=require",
                          "postgres://mse:s3cret@db.example/nmsp"}) {
    auto t = parseStoreTarget(uri, "/d");
    ASSERT_TRUE(t) << uri;
    EXPECT_EQ(t->kind, StoreTarget::Kind::Postgres);
    EXPECT_EQ(t->postgres_uri, uri);
    EXPECT_EQ(t->backendName(), "postgresql");
    EXPECT_EQ(t->display().find("s3cret"), std::string::npos) << t->display();
    EXPECT_NE(t->display().find("mse:***@db.example"), std::string::npos) << t->display();
  }
  auto param = parseStoreTarget("postgresql:///nmsp?host=/run/pg&password=s3cret&user=m", "/d");
  ASSERT_TRUE(param);
  EXPECT_EQ(param->display(), "postgresql:///nmsp?host=/run/pg&password=***&user=m");
  auto no_password = parseStoreTarget("postgresql://db:5432/nmsp", "/d");
  ASSERT_TRUE(no_password);
  EXPECT_EQ(no_password->display(), "postgresql://db:5432/nmsp");
}

TEST(StoreTarget, AnythingElseIsRefusedNamingTheForms) {
  auto t = parseStoreTarget("mysql://x", "/d");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error(),
            "--store mysql://x: expected postgresql://..., postgres://... or sqlite:PATH");
}

LocationRecord location(uint64_t ts) {
  LocationRecord r;
  r.ts_ms = ts;
  r.floor = "f1";
  return r;
}

uint64_t tsOf(const QueueEntry& e) {
  return std::get<LocationRecord>(e.record).ts_ms;
}

TEST(WriteQueue, DropsTheOldestQueuedRecordsWhenFull) {
  const size_t per = queuedBytes(QueuedRecord{location(0)});
  WriteQueue q(5 * per, 100);
  const auto t0 = SteadyClock::now();
  for (uint64_t i = 1; i <= 8; ++i) {
    EXPECT_EQ(q.push(location(i), t0 + std::chrono::milliseconds(i)), i);
  }
  auto s = q.snapshot();
  EXPECT_EQ(s.queued, 5u);
  EXPECT_EQ(s.bytes, 5 * per);
  EXPECT_EQ(s.accepted, 8u);
  EXPECT_EQ(s.dropped, 3u);
  EXPECT_EQ(s.oldest, t0 + 4ms);  // records 1..3 went
  std::vector<QueueEntry> batch;
  q.take(batch, 2);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(tsOf(batch[0]), 4u);
  EXPECT_EQ(tsOf(batch[1]), 5u);
  // The writer's batch still counts against the bound, and is never dropped.
  EXPECT_EQ(q.push(location(9), t0), 9u);
  s = q.snapshot();
  EXPECT_EQ(s.queued, 5u);
  EXPECT_EQ(s.dropped, 4u);  // record 6
  EXPECT_EQ(s.oldest, t0 + 4ms);
  q.release(batch);
  s = q.snapshot();
  EXPECT_EQ(s.queued, 3u);
  EXPECT_EQ(s.settled_seq, 5u);
  EXPECT_EQ(s.oldest, t0 + 7ms);
}

TEST(WriteQueue, ARecordThatCannotFitBesideTheBatchIsDroppedAtOnce) {
  const size_t per = queuedBytes(QueuedRecord{location(0)});
  WriteQueue q(2 * per, 100);
  const auto now = SteadyClock::now();
  q.push(location(1), now);
  q.push(location(2), now);
  std::vector<QueueEntry> batch;
  q.take(batch, 10);
  EXPECT_EQ(q.push(location(3), now), 0u);
  auto s = q.snapshot();
  EXPECT_EQ(s.accepted, 2u);
  EXPECT_EQ(s.dropped, 1u);
  EXPECT_EQ(s.queued, 2u);
}

TEST(WriteQueue, BytesCountTheTextOnTheHeap) {
  LocationRecord small = location(1);
  LocationRecord large = location(1);
  large.venue = std::string(200, 'v');
  EXPECT_GE(queuedBytes(QueuedRecord{large}), queuedBytes(QueuedRecord{small}) + 200);
  DeviceInfoRecord info;
  info.ssid = std::string(100, 's');
  EXPECT_GE(queuedBytes(QueuedRecord{std::make_unique<DeviceInfoRecord>(info)}),
            sizeof(DeviceInfoRecord) + 100);
}

TEST(WriteQueue, SettledCoversEverythingOnceNothingWaits) {
  WriteQueue q(1 << 20, 100);
  const auto now = SteadyClock::now();
  q.push(location(1), now);
  q.push(location(2), now);
  EXPECT_EQ(q.snapshot().settled_seq, 0u);
  EXPECT_EQ(q.dropQueued(), 2u);
  auto s = q.snapshot();
  EXPECT_EQ(s.settled_seq, 2u);
  EXPECT_EQ(s.dropped, 2u);
  EXPECT_FALSE(s.oldest);
}

TEST(WriteQueue, TheWriterWakesForAFullBatchOrAWake) {
  WriteQueue q(1 << 20, 3);
  const auto now = SteadyClock::now();
  for (uint64_t i = 1; i <= 3; ++i) {
    q.push(location(i), now);
  }
  // A full batch: no wait even though neither time has come.
  q.waitForRecords(SteadyClock::time_point::max(), SteadyClock::time_point::max());
  std::vector<QueueEntry> batch;
  q.take(batch, 10);
  EXPECT_EQ(batch.size(), 3u);
  q.wake();
  q.waitForRecords(SteadyClock::time_point::max(), SteadyClock::time_point::max());
  q.wake();
  q.sleepUntil(SteadyClock::time_point::max());
}

TEST(LatencyHistogram, QuantilesInWholeMilliseconds) {
  LatencyHistogram h;
  EXPECT_EQ(h.snapshot().quantileMs(0.99), 0u);
  h.add(3ms, 98);
  h.add(40ms);
  h.add(10s);  // beyond the last bucket: counted there
  auto s = h.snapshot();
  EXPECT_EQ(s.total(), 100u);
  EXPECT_EQ(s.quantileMs(0.5), 4u);
  EXPECT_EQ(s.quantileMs(0.98), 4u);
  EXPECT_EQ(s.quantileMs(0.99), 41u);
  EXPECT_EQ(s.quantileMs(1.0), LatencyHistogram::kBuckets);
  auto before = h.snapshot();
  h.add(7ms, 10);
  auto recent = h.snapshot().since(before);
  EXPECT_EQ(recent.total(), 10u);
  EXPECT_EQ(recent.quantileMs(0.99), 8u);
}

TEST(MacIntegers, RoundTripAllSixBytes) {
  auto mac = *MacAddress::parse("f4:8c:50:53:bc:09");
  EXPECT_EQ(statements::macToInteger(mac), 0xf48c5053bc09);
  EXPECT_EQ(statements::macFromInteger(0xf48c5053bc09), mac);
  auto top = *MacAddress::parse("ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(statements::macFromInteger(statements::macToInteger(top)), top);
}

}  // namespace
}  // namespace nmsp::store
