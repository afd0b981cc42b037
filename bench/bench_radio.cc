// The radio simulator at Catalyst 9800-80 scale (6,000 APs, 64,000 clients) on one core: how
// many simulated seconds per second of CPU time (the simulator is single-threaded, so this is
// one core whatever else the machine runs), observations per second, memory per device; the
// cost of one emission against venue size; measurement file lines written and read.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "measurement/record_reader.h"
#include "measurement/record_writer.h"
#include "radio/office_venue.h"
#include "radio/random.h"
#include "radio/simulator.h"

namespace {

using namespace nmsp;

// 10 floors of 420 x 280 m, 30 x 20 APs 14 m apart on each: 6,000 APs, corridors every 28 m.
radio::OfficeSpec scaleSpec() {
  return radio::catalyst9800ScaleSpec();
}

size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

class CountingSink : public radio::SimulatorSink {
 public:
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    observations += m.aps.size();
  }
  uint64_t observations = 0;
};

struct Scale {
  venue::Venue venue = radio::makeOfficeVenue(scaleSpec());
  size_t rss_before = 0;
  size_t rss_after = 0;
  std::unique_ptr<radio::Simulator> sim;

  Scale() {
    radio::SimulatorConfig config;
    config.population = radio::Population{64000, 0, 0, 0, 0};
    rss_before = residentBytes();
    sim = std::move(*radio::Simulator::create(venue, config));
    CountingSink warmup;
    sim->advanceTo(60'000, warmup);  // every device started, first probes out
    rss_after = residentBytes();
  }
};

Scale& scale() {
  static Scale s;
  return s;
}

void BM_Simulator9800Scale(benchmark::State& state) {
  Scale& s = scale();
  constexpr uint64_t kStepMs = 30'000;
  CountingSink sink;
  uint64_t simulated_ms = 0;
  for (auto _ : state) {
    s.sim->advanceTo(s.sim->nowMs() + kStepMs, sink);
    simulated_ms += kStepMs;
  }
  const auto devices = static_cast<double>(s.sim->deviceCount());
  state.counters["obs/s"] =
      benchmark::Counter(static_cast<double>(sink.observations), benchmark::Counter::kIsRate);
  state.counters["sim_s/s"] =
      benchmark::Counter(static_cast<double>(simulated_ms) / 1000.0, benchmark::Counter::kIsRate);
  state.counters["obs/sim_s"] =
      static_cast<double>(sink.observations) / (static_cast<double>(simulated_ms) / 1000.0);
  state.counters["model_B/device"] = static_cast<double>(s.sim->memoryBytes()) / devices;
  state.counters["rss_B/device"] = static_cast<double>(s.rss_after - s.rss_before) / devices;
  state.counters["rss_MiB"] = static_cast<double>(s.rss_after) / (1 << 20);
}
BENCHMARK(BM_Simulator9800Scale)->Unit(benchmark::kMillisecond)->MinTime(10);

// One emission heard through the model, at random places of venues of three sizes.
void BM_Emission(benchmark::State& state) {
  radio::OfficeSpec spec;
  switch (state.range(0)) {
    case 12:
      break;  // the defaults: one floor 50 x 30 m, 12 APs
    case 45:
      spec.floors = 3;
      spec.width_m = 60;
      spec.length_m = 40;
      spec.ap_columns = 5;
      spec.ap_spacing_x_m = 12;
      spec.ap_spacing_y_m = 13;
      break;
    default:
      spec = scaleSpec();
  }
  const venue::Venue venue = radio::makeOfficeVenue(spec);
  auto site = radio::siteFromVenue(venue);
  const radio::RadioModel model(venue, *site, 1);
  radio::Rng rng(1);
  std::vector<radio::Emission> emissions(4096);
  for (auto& e : emissions) {
    e.floor = rng.below(spec.floors);
    e.x_m = rng.uniform(0, spec.width_m);
    e.y_m = rng.uniform(0, spec.length_m);
    e.height_m = e.floor * spec.floor_height_m + 1.2;
    e.band = rng.chance(0.5) ? proto::Band::Band5GHz : proto::Band::Band2_4GHz;
    e.key = rng.next();
  }
  radio::RadioModel::Receptions heard;
  size_t i = 0;
  uint64_t reports = 0;
  for (auto _ : state) {
    reports += model.receive(emissions[i++ % emissions.size()], heard);
    benchmark::DoNotOptimize(heard);
  }
  state.counters["emissions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["aps/emission"] =
      static_cast<double>(reports) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Emission)->Arg(12)->Arg(45)->Arg(6000);

std::string sampleFile(size_t lines) {
  std::ostringstream out;
  measurement::RecordWriter writer(out);
  measurement::Observation o;
  o.device = *MacAddress::parse("f4:8c:50:53:bc:09");
  o.ap = *MacAddress::parse("00:2b:01:00:0a:00");
  o.band = proto::Band::Band5GHz;
  for (size_t i = 0; i < lines; ++i) {
    o.ts_ms = 1'700'000'000'000 + i;
    o.rssi = static_cast<int8_t>(-40 - static_cast<int>(i % 50));
    o.snr = static_cast<int8_t>(50 - static_cast<int>(i % 50));
    writer.write(o);
  }
  writer.flush();
  return out.str();
}

void BM_WriteObservations(benchmark::State& state) {
  constexpr size_t kLines = 10000;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sampleFile(kLines));
  }
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kLines),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WriteObservations)->Unit(benchmark::kMillisecond);

void BM_ReadObservations(benchmark::State& state) {
  constexpr size_t kLines = 10000;
  const std::string text = sampleFile(kLines);
  for (auto _ : state) {
    std::istringstream in(text);
    measurement::ObservationReader reader(in);
    measurement::Observation o;
    while (reader.next(o)) {
      benchmark::DoNotOptimize(o);
    }
  }
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kLines),
                                                 benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadObservations)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
