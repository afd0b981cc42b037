// Crash and outage, on real databases and real processes:
//  - kill -9 of a process writing through the store (SQLite and PostgreSQL): the store opens
//    cleanly afterwards, everything it acknowledged as committed is there, and at most the last
//    second of history is lost;
//  - PostgreSQL stopped under a running store: submit() keeps returning at once, the records
//    wait in the bounded queue (the oldest dropped beyond it, counted exactly), the store
//    reconnects when the server is back and catches up.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <thread>

#include "postgres_server.h"
#include "store/sqlite_connection.h"
#include "store/statements.h"
#include "store/store.h"
#include "store/write_queue.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace nmsp::store {
namespace {

using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::PostgresServer;
using test_support::TempDir;
using test_support::waitFor;

struct Report {
  int64_t t_ms = 0;
  uint64_t submitted = 0;
  uint64_t settled = 0;
  uint64_t dropped = 0;
};

// Whole lines only: the child may die in the middle of one.
std::vector<Report> reports(const std::string& log) {
  static const std::regex line(
      R"(report t_ms=(\d+) submitted=(\d+) settled=(\d+) dropped=(\d+) written=\d+)");
  std::vector<Report> out;
  std::istringstream in(log);
  std::string text;
  while (std::getline(in, text)) {
    if (in.eof()) {
      break;  // no newline after it: unfinished
    }
    std::smatch m;
    if (std::regex_match(text, m, line)) {
      out.push_back({std::stoll(m[1]), std::stoull(m[2]), std::stoull(m[3]), std::stoull(m[4])});
    }
  }
  return out;
}

int64_t monotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t scalar(sql::Connection& c, const std::string& query) {
  auto rows = c.query(query, {});
  EXPECT_TRUE(rows) << query << ": " << (rows ? "" : rows.error().message);
  return rows && !rows->empty() ? (*rows)[0].integer(0) : -1;
}

// Runs the writer child on `store_value`, kills it with SIGKILL after it has run ~2.5 s, and
// checks the database through `inspect` and a store reopened on it.
void killAndCheck(const std::string& store_value, const StoreTarget& target,
                  const std::function<std::unique_ptr<sql::Connection>()>& inspect) {
  TempDir dir("nmsp-crash");
  auto log_path = dir.path() / "child.log";
  ChildProcess child({NMSP_STORE_WRITER_CHILD, store_value, "5000"}, log_path);
  ASSERT_TRUE(child.started()) << child.spawnError();
  int64_t first_report = 0;
  ASSERT_TRUE(waitFor(
      [&] {
        auto r = reports(child.log());
        if (r.empty()) {
          return false;
        }
        first_report = r.front().t_ms;
        return r.back().t_ms - first_report >= 2500 && r.back().settled > 5000;
      },
      60s))
      << child.log();
  const int64_t kill_ms = monotonicMs();
  ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
  ASSERT_EQ(child.waitExit(30s), 128 + SIGKILL);

  const auto all = reports(child.log());
  ASSERT_FALSE(all.empty());
  uint64_t acknowledged = 0;
  uint64_t submitted_a_second_before = 0;
  for (const Report& r : all) {
    EXPECT_EQ(r.dropped, 0u);  // so settled means committed
    acknowledged = std::max(acknowledged, r.settled);
    if (r.t_ms <= kill_ms - 1000) {
      submitted_a_second_before = r.submitted;
    }
  }
  ASSERT_GT(submitted_a_second_before, 0u);

  // Opens cleanly (the schema is current, nothing to repair by hand).
  StoreOptions options;
  options.target = target;
  auto reopened = openStore(options);
  ASSERT_TRUE(reopened) << reopened.error();
  EXPECT_TRUE((*reopened)->status().connected);

  auto c = inspect();
  const int64_t rows = scalar(*c, "SELECT COUNT(*) FROM location_history");
  // Every acknowledged record, and everything submitted more than a second before the kill.
  EXPECT_GE(rows, static_cast<int64_t>(acknowledged));
  EXPECT_GE(rows, static_cast<int64_t>(submitted_a_second_before));
  // Batches commit in order: what is there is 1..rows, with no hole.
  EXPECT_EQ(scalar(*c, "SELECT MAX(ts_ms) FROM location_history"), rows);
  // History and current locations were committed together.
  EXPECT_EQ(scalar(*c,
                   "SELECT COUNT(*) FROM location_current c WHERE c.ts_ms <> (SELECT MAX(ts_ms) "
                   "FROM location_history h WHERE h.device = c.device)"),
            0);
  EXPECT_EQ(scalar(*c, "SELECT COUNT(*) FROM location_current"), std::min<int64_t>(rows, 100));
  std::cout << "[ info ] " << target.backendName() << ": last report " << all.back().submitted
            << " submitted, " << acknowledged << " acknowledged; " << rows
            << " in the database after kill -9\n";
}

TEST(StoreCrash, KillDashNineOnSqliteLosesAtMostTheLastSecond) {
  TempDir dir("nmsp-crash-db");
  StoreTarget target;
  target.sqlite_path = dir.path() / "mse.db";
  killAndCheck("sqlite:" + target.sqlite_path.string(), target, [&] {
    auto c =
        sql::SqliteConnection::open(target.sqlite_path, sql::SqliteConnection::Role::Writer, 10s);
    EXPECT_TRUE(c);
    return std::unique_ptr<sql::Connection>(std::move(*c));
  });
  auto c =
      sql::SqliteConnection::open(target.sqlite_path, sql::SqliteConnection::Role::Writer, 10s);
  ASSERT_TRUE(c);
  auto check = (*c)->query("PRAGMA integrity_check", {});
  ASSERT_TRUE(check);
  ASSERT_EQ(check->size(), 1u);
  EXPECT_EQ((*check)[0].text(0), "ok");
}

TEST(StoreCrash, KillDashNineOnPostgresLosesAtMostTheLastSecond) {
  auto server = PostgresServer::create();
  ASSERT_TRUE(server) << server.error();
  auto uri = (*server)->createDatabase();
  ASSERT_TRUE(uri) << uri.error();
  StoreTarget target;
  target.kind = StoreTarget::Kind::Postgres;
  target.postgres_uri = *uri;
  killAndCheck(*uri, target, [&] {
    auto c = sql::PostgresConnection::open(*uri, {});
    EXPECT_TRUE(c);
    return std::unique_ptr<sql::Connection>(std::move(*c));
  });
}

LocationRecord numbered(uint64_t n) {
  LocationRecord r;
  r.device = statements::macFromInteger(static_cast<int64_t>(n % 50 + 1));
  r.ts_ms = n;
  r.venue = "hq";
  r.floor = "f1";
  return r;
}

TEST(StoreOutage, PostgresStoppedMidStreamBuffersReconnectsAndCatchesUp) {
  auto server = PostgresServer::create();
  ASSERT_TRUE(server) << server.error();
  auto uri = (*server)->createDatabase();
  ASSERT_TRUE(uri) << uri.error();
  constexpr uint64_t kCapacity = 2000;  // records the queue holds
  StoreOptions options;
  options.target.kind = StoreTarget::Kind::Postgres;
  options.target.postgres_uri = *uri;
  options.queue_limit_bytes = kCapacity * queuedBytes(QueuedRecord{numbered(1)});
  options.batch_records = 500;
  options.reconnect_initial = 50ms;
  options.reconnect_max = 400ms;
  auto store = openStore(options);
  ASSERT_TRUE(store) << store.error();

  uint64_t n = 0;
  for (; n < 1000; ++n) {
    (*store)->submit(numbered(n + 1));
  }
  ASSERT_TRUE((*store)->flush(30s));
  ASSERT_EQ((*store)->status().written, 1000u);

  ASSERT_TRUE((*server)->stop(PostgresServer::Shutdown::Fast));
  // The writer finds out at its next batch.
  (*store)->submit(numbered(++n));
  ASSERT_TRUE(waitFor([&] { return !(*store)->status().connected; }, 30s))
      << "written " << (*store)->status().written << ", queued " << (*store)->status().queued
      << ", last error: " << (*store)->status().last_error;
  auto slowest = std::chrono::steady_clock::duration::zero();
  for (; n < 1000 + 3000; ++n) {
    const auto before = std::chrono::steady_clock::now();
    (*store)->submit(numbered(n + 1));
    slowest = std::max(slowest, std::chrono::steady_clock::now() - before);
  }
  auto during = (*store)->status();
  EXPECT_FALSE(during.connected);
  EXPECT_EQ(during.written, 1000u);
  EXPECT_EQ(during.queued, kCapacity);
  EXPECT_EQ(during.dropped, 3000 - kCapacity);
  EXPECT_FALSE(during.last_error.empty());
  EXPECT_LT(slowest, 500ms) << "submit() waited for the database";
  // The queue's age grows while the server is away.
  EXPECT_TRUE(waitFor([&] { return (*store)->status().lag >= 200ms; }, 30s));

  ASSERT_TRUE((*server)->start()) << (*server)->log();
  ASSERT_TRUE((*store)->flush(60s));
  auto after = (*store)->status();
  EXPECT_TRUE(after.connected);
  EXPECT_EQ(after.written, 1000 + kCapacity);
  EXPECT_EQ(after.dropped, 3000 - kCapacity);
  EXPECT_GE(after.reconnects, 1u);
  EXPECT_EQ(after.failed, 0u);

  auto c = sql::PostgresConnection::open(*uri, {});
  ASSERT_TRUE(c) << c.error().message;
  auto rows = (*c)->query("SELECT ts_ms FROM location_history ORDER BY ts_ms", {});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1000 + kCapacity);
  // 1..1000 before the outage; then the batch the writer held when the server went (never
  // dropped), then the newest records: the oldest in between are the dropped ones.
  size_t i = 0;
  while (i < rows->size() && (*rows)[i].integer(0) == static_cast<int64_t>(i + 1)) {
    ++i;
  }
  EXPECT_GE(i, 1001u);
  EXPECT_LE(i, 1000 + options.batch_records);
  for (; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].integer(0), static_cast<int64_t>(n - (rows->size() - i) + 1));
  }
}

// A server that takes the TCP connection and never answers (a black hole): every connection
// attempt hangs for connect_timeout. submit() must not notice, and reads must get their answer.
TEST(StoreOutage, AServerThatNeverAnswersNeverBlocksSubmit) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 64), 0);  // the kernel completes handshakes; nobody reads
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);

  StoreOptions options;
  options.target.kind = StoreTarget::Kind::Postgres;
  options.target.postgres_uri =
      "postgresql://nmsp@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/nmsp";
  options.postgres.connect_timeout = 2s;
  options.reconnect_initial = 10ms;
  options.reconnect_max = 10ms;
  auto store = openStore(options);  // waits out one connect_timeout, then starts disconnected
  ASSERT_TRUE(store) << store.error();
  EXPECT_FALSE((*store)->status().connected);

  auto slowest = std::chrono::steady_clock::duration::zero();
  uint64_t submitted = 0;
  const auto until = std::chrono::steady_clock::now() + 3s;  // over a whole attempt
  while (std::chrono::steady_clock::now() < until) {
    const auto before = std::chrono::steady_clock::now();
    EXPECT_GT((*store)->submit(numbered(++submitted)), 0u);
    slowest = std::max(slowest, std::chrono::steady_clock::now() - before);
    if (submitted % 100 == 0) {
      std::this_thread::sleep_for(1ms);  // a steady stream, not a burst
    }
  }
  EXPECT_LT(slowest, 500ms) << "submit() waited for the database";
  const auto s = (*store)->status();
  EXPECT_FALSE(s.connected);
  EXPECT_EQ(s.accepted, submitted);
  EXPECT_EQ(s.written, 0u);
  EXPECT_NE(s.last_error.find("timeout expired"), std::string::npos) << s.last_error;
  ::close(listener);
}

}  // namespace
}  // namespace nmsp::store
