// The location engine (src/locate): solves per second by number of APs, a whole update (floor
// choice, fit, tracking), memory per tracked device. Figures in docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <vector>

#include "locate/engine.h"
#include "locate/solver.h"

namespace {

using namespace nmsp;
using namespace nmsp::locate;

MacAddress mac(uint8_t a, uint32_t i) {
  MacAddress m;
  m.bytes = {a,
             0x2b,
             0x0f,
             static_cast<uint8_t>(i >> 16),
             static_cast<uint8_t>(i >> 8),
             static_cast<uint8_t>(i)};
  return m;
}

// 60 x 40 m floors, 5 x 4 APs 12 m x 10 m apart, `floors` of them 4 m apart.
venue::Venue makeVenue(size_t floors) {
  venue::Venue v;
  v.name = "bench";
  uint32_t n = 0;
  for (size_t f = 0; f < floors; ++f) {
    venue::Floor floor;
    floor.id = std::to_string(f + 1);
    floor.elevation_m = 4.0 * double(f);
    floor.width_m = 60;
    floor.length_m = 40;
    for (int j = 0; j < 4; ++j) {
      for (int i = 0; i < 5; ++i) {
        venue::Ap ap;
        ap.mac = mac(0x00, n++);
        ap.x_m = 6 + 12 * i;
        ap.y_m = 5 + 10 * j;
        floor.aps.push_back(ap);
      }
    }
    v.floors.push_back(std::move(floor));
  }
  return v;
}

// The `count` strongest readings of a device at a random place (exponent 3, 5 dB noise).
std::vector<Reading> readings(const venue::Venue& v, std::mt19937& rng, size_t count, uint64_t ts) {
  std::uniform_real_distribution<double> ux(0, 60), uy(0, 40);
  std::normal_distribution<double> noise(0, 5);
  const size_t floor = rng() % v.floors.size();
  const double x = ux(rng), y = uy(rng), z = v.floors[floor].elevation_m + 1.2;
  std::vector<Reading> out;
  for (const auto& f : v.floors) {
    for (const auto& ap : f.aps) {
      const double dz = f.elevation_m + ap.z_m - z;
      const double d =
          std::sqrt((x - ap.x_m) * (x - ap.x_m) + (y - ap.y_m) * (y - ap.y_m) + dz * dz);
      const double slabs = std::abs(f.elevation_m - v.floors[floor].elevation_m) / 4.0;
      out.push_back(Reading{
          ap.mac, static_cast<int>(std::lround(-25 - 30 * std::log10(d) - 14 * slabs + noise(rng))),
          proto::Band::Band2_4GHz, ts});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Reading& a, const Reading& b) { return a.rssi > b.rssi; });
  out.resize(std::min(count, out.size()));
  return out;
}

// One position fit on one floor (the solver alone), `range(0)` APs.
void BM_Solve(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> ux(0, 60), uy(0, 40);
  std::normal_distribution<double> noise(0, 5);
  std::vector<std::vector<SolverLink>> inputs(256);
  for (auto& links : inputs) {
    const double x = ux(rng), y = uy(rng);
    std::vector<SolverLink> all;
    for (int j = 0; j < 4; ++j) {
      for (int i = 0; i < 5; ++i) {
        const double ax = 6 + 12 * i, ay = 5 + 10 * j;
        const double d2 = (x - ax) * (x - ax) + (y - ay) * (y - ay) + 3.24;
        all.push_back(SolverLink{ax, ay, 3.24, 3.0, -5 - 15 * std::log10(d2) + noise(rng)});
      }
    }
    std::sort(all.begin(), all.end(),
              [](const SolverLink& a, const SolverLink& b) { return a.level_db > b.level_db; });
    links.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  }
  size_t i = 0;
  double iterations = 0;
  for (auto _ : state) {
    SolveInput in;
    in.links = inputs[i++ & 255];
    in.width_m = 60;
    in.length_m = 40;
    const auto r = solveOnFloor(in);
    iterations += r.iterations;
    benchmark::DoNotOptimize(r);
  }
  state.counters["iterations_per_solve"] = iterations / double(state.iterations());
  state.counters["solves_per_s"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Solve)->Arg(3)->Arg(8)->Arg(16);

// The unit the solver is made of: one evaluation of the model at a point (n log10 calls), the
// physical floor of a fit's cost.
void BM_ModelEvaluation(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<double> d2(n);
  for (size_t i = 0; i < n; ++i) {
    d2[i] = 10.0 + 37.0 * double(i);
  }
  double x = 0.1;
  for (auto _ : state) {
    double s = 0;
    for (double v : d2) {
      s += std::log10(v + x);
    }
    x += 1e-9;
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ModelEvaluation)->Arg(3)->Arg(8)->Arg(16);

// A whole update: merge the readings, fit on every candidate floor, choose the floor, track.
void BM_EngineUpdate(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const size_t floors = static_cast<size_t>(state.range(1));
  const venue::Venue v = makeVenue(floors);
  Engine engine(v);
  std::mt19937 rng(2);
  constexpr uint32_t kDevices = 1000;
  std::vector<std::vector<Reading>> batches;
  for (uint32_t i = 0; i < 4096; ++i) {
    batches.push_back(readings(v, rng, n, 0));
  }
  uint64_t ts = 0;
  uint32_t i = 0;
  for (auto _ : state) {
    auto& batch = batches[i & 4095];
    ts += 5;
    for (auto& r : batch) {
      r.ts_ms = ts;
    }
    benchmark::DoNotOptimize(
        engine.update(mac(0xf4, i % kDevices), proto::DeviceKind::Client, batch));
    ++i;
  }
  state.counters["updates_per_s"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EngineUpdate)->Args({3, 1})->Args({8, 1})->Args({16, 1})->Args({16, 3});

long residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * ::sysconf(_SC_PAGESIZE);
}

// Memory per tracked device: 100,000 devices each located once with 16 APs.
void BM_MemoryPerDevice(benchmark::State& state) {
  const venue::Venue v = makeVenue(3);
  std::mt19937 rng(3);
  std::vector<std::vector<Reading>> batches;
  for (uint32_t i = 0; i < 1024; ++i) {
    batches.push_back(readings(v, rng, 16, 1000));
  }
  constexpr uint32_t kDevices = 100000;
  for (auto _ : state) {
    const long before = residentBytes();
    Engine engine(v);
    for (uint32_t i = 0; i < kDevices; ++i) {
      engine.update(mac(0xf4, i), proto::DeviceKind::Client, batches[i & 1023]);
    }
    const long after = residentBytes();
    state.counters["devices"] = double(engine.deviceCount());
    state.counters["state_bytes_per_device"] = double(engine.bytesPerDevice());
    state.counters["resident_bytes_per_device"] = double(after - before) / kDevices;
  }
}
BENCHMARK(BM_MemoryPerDevice)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
