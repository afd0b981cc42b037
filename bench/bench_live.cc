// The MSE's live location path without the network (src/live, docs/storage.md "The live path"):
// device reports into LocationPipeline::onMeasurement (engine update + Store::submit, what the
// io thread does per decoded report) at a fixed rate, into a real store: SQLite in $TMPDIR, or
// PostgreSQL (a server this program starts, test/store/postgres_server.h).
//  - BM_LivePaced/R: R reports/s (default 20,000: 100,000 devices each reporting every 5 s,
//    8 APs a report, one floor of the 50 x 30 m accuracy venue, 12 APs) for 12 s in 1 ms steps;
//    the share of the producing thread (the io thread's role) spent in onMeasurement, the time
//    per report, and the store's submit-to-commit latency after a 2 s warm-up (p50/p99/max),
//    the committed rate and the drops. Receive-to-stored = time in onMeasurement (the report's
//    solve, before its submit) + submit-to-commit. rss_B_per_device: the resident set's growth
//    from before the pipeline and the store existed to the end, per tracked device.
//   build/bench/bench_live [--benchmark_filter=...]

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "live/location_pipeline.h"
#include "live/venues.h"
#include "postgres_server.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace {

using namespace nmsp;
using namespace std::chrono;

constexpr uint32_t kDevices = 100'000;
constexpr size_t kApsPerReport = 8;

struct Device {
  MacAddress mac;
  double x = 0, y = 0;
};

size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// PostgresAsyncCommit: the store's sessions with synchronous_commit=off (docs/storage.md,
// "Durability"), as bench_store measures it.
enum class Backend { Sqlite, Postgres, PostgresAsyncCommit };

MacAddress deviceMac(uint32_t i) {
  return MacAddress{{0x02, 0x10, uint8_t(i >> 24), uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)}};
}

void BM_LivePaced(benchmark::State& state, Backend backend) {
  const auto rate = static_cast<uint64_t>(state.range(0));
  auto venues = live::loadVenues({std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json"});
  if (!venues) {
    state.SkipWithError(venues.error().c_str());
    return;
  }
  const auto aps = (*venues)[0].venue.floors[0].aps;
  const double width = (*venues)[0].venue.floors[0].width_m;
  const double length = (*venues)[0].venue.floors[0].length_m;
  test_support::TempDir dir("nmsp-bench-live");
  store::StoreOptions options;
  std::unique_ptr<test_support::PostgresServer> server;
  if (backend == Backend::Sqlite) {
    options.target.kind = store::StoreTarget::Kind::Sqlite;
    options.target.sqlite_path = dir.path() / "mse.db";
  } else {
    auto made = test_support::PostgresServer::create();
    if (!made) {
      state.SkipWithError(made.error().c_str());
      return;
    }
    server = std::move(*made);
    auto uri = server->createDatabase();
    if (!uri) {
      state.SkipWithError(uri.error().c_str());
      return;
    }
    options.target.kind = store::StoreTarget::Kind::Postgres;
    options.target.postgres_uri = *uri;
    if (backend == Backend::PostgresAsyncCommit) {
      options.target.postgres_uri += "&options=-c%20synchronous_commit%3Doff";
    }
  }
  const size_t rss_before = residentBytes();
  auto opened = store::openStore(std::move(options));
  if (!opened) {
    state.SkipWithError(opened.error().c_str());
    return;
  }
  auto store = std::move(*opened);
  live::LocationPipeline pipeline(std::move(*venues), store.get());

  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> ux(0, width), uy(0, length);
  std::normal_distribution<double> noise(0, 4);
  std::vector<Device> devices(kDevices);
  for (uint32_t i = 0; i < kDevices; ++i) {
    devices[i] = Device{deviceMac(i), ux(random), uy(random)};
  }
  // A report: the 8 nearest APs, RSSI from exponent 3 with 4 dB noise.
  std::vector<std::pair<double, size_t>> by_distance(aps.size());
  auto makeReport = [&](const Device& d, uint64_t ts) {
    proto::DeviceMeasurement m;
    m.mac = d.mac;
    m.kind = proto::DeviceKind::Client;
    for (size_t a = 0; a < aps.size(); ++a) {
      by_distance[a] = {std::hypot(aps[a].x_m - d.x, aps[a].y_m - d.y, 2.0), a};
    }
    std::partial_sort(by_distance.begin(), by_distance.begin() + kApsPerReport, by_distance.end());
    for (size_t k = 0; k < kApsPerReport; ++k) {
      proto::ApRssi r;
      r.ap_mac = aps[by_distance[k].second].mac;
      r.band = proto::Band::Band5GHz;
      r.slot = 1;
      r.rssi_dbm = static_cast<int8_t>(std::clamp(
          -37.0 - 30.0 * std::log10(by_distance[k].first) + noise(random), -100.0, -20.0));
      r.timestamp_utc_ms = ts;
      m.aps.push_back(r);
    }
    return m;
  };
  // Reports made ahead (the producer's cost is not the pipeline's): one per device.
  std::vector<proto::DeviceMeasurement> reports;
  reports.reserve(kDevices);
  for (uint32_t i = 0; i < kDevices; ++i) {
    reports.push_back(makeReport(devices[i], 0));
  }

  store::LatencyHistogram::Snapshot warm, done;
  uint64_t submitted = 0;
  double seconds = 0;
  nanoseconds busy{0};
  nanoseconds busy_warm{0};
  uint64_t submitted_warm = 0;
  const uint64_t wall0 = static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  for (auto _ : state) {
    const auto start = steady_clock::now();
    const auto warm_until = start + 2s;
    const auto end = start + 12s;
    bool warmed = false;
    uint64_t next_tick_ms = 1000;
    for (auto now = start; now < end; now = steady_clock::now()) {
      const auto elapsed_us =
          static_cast<uint64_t>(duration_cast<microseconds>(now - start).count());
      const uint64_t due = elapsed_us * rate / 1'000'000;
      const auto t0 = steady_clock::now();
      while (submitted < due) {
        auto& m = reports[submitted % kDevices];
        const uint64_t ts = wall0 + elapsed_us / 1000;
        for (size_t k = 0; k < m.aps.size(); ++k) {
          m.aps[k].timestamp_utc_ms = ts;
        }
        pipeline.onMeasurement(m, ts);
        ++submitted;
      }
      if (elapsed_us / 1000 >= next_tick_ms) {
        pipeline.tick(wall0 + elapsed_us / 1000);
        next_tick_ms += 1000;
      }
      busy += steady_clock::now() - t0;
      if (!warmed && now >= warm_until) {
        warm = store->commitLatency();
        busy_warm = busy;
        submitted_warm = submitted;
        warmed = true;
      }
      std::this_thread::sleep_for(1ms);
    }
    seconds = duration<double>(steady_clock::now() - warm_until).count();
    store->flush(60s);
    done = store->commitLatency();
  }
  const auto measured = done.since(warm);
  const auto s = store->status();
  const auto reports_measured = static_cast<double>(submitted - submitted_warm);
  const double busy_s = duration<double>(busy - busy_warm).count();
  state.counters["reports_per_s"] = reports_measured / seconds;
  state.counters["io_busy_pct"] = 100.0 * busy_s / seconds;
  state.counters["us_per_report"] = 1e6 * busy_s / std::max(reports_measured, 1.0);
  state.counters["committed_per_s"] = static_cast<double>(measured.total()) / seconds;
  state.counters["p50_ms"] = static_cast<double>(measured.quantileMs(0.50));
  state.counters["p99_ms"] = static_cast<double>(measured.quantileMs(0.99));
  state.counters["max_ms"] = static_cast<double>(measured.quantileMs(1.0));
  state.counters["dropped"] = static_cast<double>(s.dropped + s.failed);
  const auto tracked = static_cast<double>(pipeline.engine(0).deviceCount());
  state.counters["tracked"] = tracked;
  // The reports made ahead are the producer's, not the MSE's.
  const size_t reports_bytes = reports.capacity() * sizeof(proto::DeviceMeasurement);
  state.counters["rss_B_per_device"] =
      (static_cast<double>(residentBytes() - rss_before) - static_cast<double>(reports_bytes)) /
      std::max(tracked, 1.0);
}

BENCHMARK_CAPTURE(BM_LivePaced, sqlite, Backend::Sqlite)
    ->Arg(20'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LivePaced, postgresql, Backend::Postgres)
    ->Arg(20'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LivePaced, postgresql_async_commit, Backend::PostgresAsyncCommit)
    ->Arg(20'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
