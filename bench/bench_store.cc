// The store's write path on real databases (a SQLite file in $TMPDIR; a PostgreSQL server the
// program starts itself, as the tests do), beside the physical limits measured in the same run:
//  - BM_Paced: location updates (history + current) submitted at a fixed rate (default
//    20,000/s: 100,000 devices every 5 s) for 12 s; p50/p99/max of submit-to-commit latency
//    after a 2 s warm-up, the rate actually committed, drops; PostgreSQL also with
//    synchronous_commit=off (the commit does not wait for the server's WAL flush);
//  - BM_MaxRate: as fast as the store commits (the producer keeps at most 100,000 queued),
//    records/s, for a batch size of 1,000 and 5,000;
//  - BM_Fsync: write 4 KiB + fdatasync in a loop in $TMPDIR: the disk's commit limit;
//  - BM_Pgbench: pgbench inserting our rows server-side (5,000 history rows + 5,000 current
//    upserts per transaction, the store's batch shape without our client): PostgreSQL's limit.
//   build/bench/bench_store [--benchmark_filter=...]

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "postgres_server.h"
#include "store/statements.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace {

using namespace nmsp;
using namespace nmsp::store;
using namespace std::chrono;

// PostgresAsyncCommit: the same server, the session with synchronous_commit=off (set in the URI,
// docs/storage.md "Durability"): a commit does not wait for the WAL flush.
enum class Backend { Sqlite, Postgres, PostgresAsyncCommit };

constexpr uint64_t kDevices = 100'000;

test_support::TempDir& scratch() {
  static test_support::TempDir dir("nmsp-bench-store");
  return dir;
}

test_support::PostgresServer* postgres(benchmark::State& state) {
  static std::unique_ptr<test_support::PostgresServer> server;
  static std::string error;
  if (!server && error.empty()) {
    auto made = test_support::PostgresServer::create();
    if (made) {
      server = std::move(*made);
    } else {
      error = made.error();
    }
  }
  if (!server) {
    state.SkipWithError(error.c_str());
  }
  return server.get();
}

// A fresh, empty database for each run, so that every figure starts from the same tables.
std::optional<StoreTarget> freshTarget(benchmark::State& state, Backend backend) {
  static int runs = 0;
  StoreTarget target;
  if (backend == Backend::Sqlite) {
    target.sqlite_path = scratch().path() / ("run" + std::to_string(++runs) + ".db");
    return target;
  }
  auto* server = postgres(state);
  if (server == nullptr) {
    return std::nullopt;
  }
  auto uri = server->createDatabase();
  if (!uri) {
    state.SkipWithError(uri.error().c_str());
    return std::nullopt;
  }
  target.kind = StoreTarget::Kind::Postgres;
  target.postgres_uri = *uri;
  if (backend == Backend::PostgresAsyncCommit) {
    target.postgres_uri += "&options=-c%20synchronous_commit%3Doff";
  }
  return target;
}

// Update n: device n mod 100,000, a position that moves, the time n.
LocationRecord update(uint64_t n) {
  LocationRecord r;
  r.device = statements::macFromInteger(static_cast<int64_t>(0x0200'0000'0000 + n % kDevices));
  r.kind = proto::DeviceKind::Client;
  r.ts_ms = 1'700'000'000'000 + n;
  r.venue = "hq";
  r.floor = n % 3 == 0 ? "f1" : "f2";
  r.x_m = static_cast<double>(n % 50) + 0.25;
  r.y_m = static_cast<double>(n % 30) + 0.5;
  r.uncertainty_m = 4.5;
  r.aps_used = 6;
  return r;
}

std::unique_ptr<Store> open(benchmark::State& state, Backend backend, size_t batch_records) {
  auto target = freshTarget(state, backend);
  if (!target) {
    return nullptr;
  }
  StoreOptions options;
  options.target = *target;
  options.batch_records = batch_records;
  options.queue_limit_bytes = size_t{512} << 20;
  auto store = openStore(options);
  if (!store) {
    state.SkipWithError(store.error().c_str());
    return nullptr;
  }
  return std::move(*store);
}

void BM_Paced(benchmark::State& state, Backend backend) {
  const auto rate = static_cast<uint64_t>(state.range(0));
  auto store = open(state, backend, StoreOptions{}.batch_records);
  if (!store) {
    return;
  }
  LatencyHistogram::Snapshot warm, done;
  uint64_t submitted = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto start = steady_clock::now();
    const auto warm_until = start + 2s;
    const auto end = start + 12s;
    bool warmed = false;
    for (auto now = start; now < end; now = steady_clock::now()) {
      const auto due = static_cast<uint64_t>(duration_cast<microseconds>(now - start).count()) *
                       rate / 1'000'000;
      while (submitted < due) {
        store->submit(update(submitted++));
      }
      if (!warmed && now >= warm_until) {
        warm = store->commitLatency();
        warmed = true;
      }
      std::this_thread::sleep_for(1ms);
    }
    store->flush(60s);
    seconds = duration<double>(steady_clock::now() - warm_until).count();
    done = store->commitLatency();
  }
  const auto measured = done.since(warm);
  const auto s = store->status();
  state.counters["committed_per_s"] = static_cast<double>(measured.total()) / seconds;
  state.counters["p50_ms"] = static_cast<double>(measured.quantileMs(0.50));
  state.counters["p99_ms"] = static_cast<double>(measured.quantileMs(0.99));
  state.counters["p999_ms"] = static_cast<double>(measured.quantileMs(0.999));
  state.counters["max_ms"] = static_cast<double>(measured.quantileMs(1.0));
  state.counters["batches"] = static_cast<double>(s.batches);
  state.counters["dropped"] = static_cast<double>(s.dropped + s.failed);
}

void BM_MaxRate(benchmark::State& state, Backend backend) {
  const auto batch = static_cast<size_t>(state.range(0));
  auto store = open(state, backend, batch);
  if (!store) {
    return;
  }
  constexpr uint64_t kRecords = 400'000;
  uint64_t written_before = 0;
  for (auto _ : state) {
    written_before = store->status().written;
    for (uint64_t n = 0; n < kRecords; ++n) {
      if (n % 1000 == 0) {
        while (store->status().queued > 100'000) {
          std::this_thread::sleep_for(1ms);
        }
      }
      store->submit(update(n));
    }
    store->flush(300s);
  }
  const auto s = store->status();
  state.counters["updates_per_s"] = benchmark::Counter(
      static_cast<double>(s.written - written_before), benchmark::Counter::kIsRate);
  state.counters["batches"] = static_cast<double>(s.batches);
  state.counters["dropped"] = static_cast<double>(s.dropped + s.failed);
}

void BM_Fsync(benchmark::State& state) {
  const auto path = scratch().path() / "fsync.bin";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    state.SkipWithError("cannot create the file");
    return;
  }
  char block[4096] = {};
  off_t offset = 0;
  for (auto _ : state) {
    // Appending, as a WAL does; fdatasync, as SQLite does on Linux.
    if (::pwrite(fd, block, sizeof block, offset) != static_cast<ssize_t>(sizeof block) ||
        ::fdatasync(fd) != 0) {
      state.SkipWithError("write failed");
      break;
    }
    offset += sizeof block;
  }
  ::close(fd);
  state.counters["fsyncs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Pgbench(benchmark::State& state) {
  auto target = freshTarget(state, Backend::Postgres);
  if (!target) {
    return;
  }
  {
    StoreOptions options;
    options.target = *target;
    if (auto made = openStore(options); !made) {  // the store's tables, the same indexes
      state.SkipWithError(made.error().c_str());
      return;
    }
  }
  const auto script = scratch().path() / "updates.sql";
  std::ofstream(script) << R"sql(\set base random(1, 100000000)
BEGIN;
INSERT INTO location_history (device, kind, ts_ms, venue, floor, x_m, y_m, uncertainty_m, aps_used, stored_ms)
  SELECT (:base + g) % 100000, 1, :base::bigint * 10000 + g, 'hq', 'f1', g % 50, g % 30, 4.5, 6, 0
  FROM generate_series(1, 5000) g ON CONFLICT (device, ts_ms) DO NOTHING;
INSERT INTO location_current (device, kind, ts_ms, venue, floor, x_m, y_m, uncertainty_m, aps_used, stored_ms)
  SELECT (:base + g) % 100000, 1, :base::bigint * 10000 + g, 'hq', 'f1', g % 50, g % 30, 4.5, 6, 0
  FROM generate_series(1, 5000) g
  ON CONFLICT (device) DO UPDATE SET kind = excluded.kind, ts_ms = excluded.ts_ms,
    venue = excluded.venue, floor = excluded.floor, x_m = excluded.x_m, y_m = excluded.y_m,
    uncertainty_m = excluded.uncertainty_m, aps_used = excluded.aps_used,
    stored_ms = excluded.stored_ms WHERE excluded.ts_ms >= location_current.ts_ms;
END;
)sql";
  double tps = 0;
  std::string output;
  for (auto _ : state) {
    // A client like any other: it runs as whoever runs the benchmark.
    auto result = test_support::run(
        test_support::Command({(postgres(state)->binDir() / "pgbench").string(), "-n", "-c", "1",
                               "-T", "10", "-f", script.string(), target->postgres_uri})
            .timeout(60s));
    output = result.out;
    std::smatch m;
    static const std::regex tps_line(R"(tps = ([0-9.]+))");
    if (result.exit_code != 0 || !std::regex_search(output, m, tps_line)) {
      state.SkipWithError(("pgbench failed: " + output).c_str());
      return;
    }
    tps = std::stod(m[1]);
  }
  state.counters["transactions_per_s"] = tps;
  state.counters["updates_per_s"] = tps * 5000;
}

BENCHMARK(BM_Fsync)->MinTime(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Paced, sqlite, Backend::Sqlite)
    ->Arg(20'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Paced, postgresql, Backend::Postgres)
    ->Arg(20'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Paced, postgresql_async_commit, Backend::PostgresAsyncCommit)
    ->Arg(20'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_MaxRate, sqlite, Backend::Sqlite)
    ->Arg(1000)
    ->Arg(5000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_MaxRate, postgresql, Backend::Postgres)
    ->Arg(1000)
    ->Arg(5000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_Pgbench)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
