// The controller's data path without sockets (docs/data-path.md): RSSI observations per second
// through the store, the aggregation and the encoding of Measurement Notifications on one core,
// at the Catalyst 9800-80 worst case (64,000 clients x 16 APs every 2 s), with half-life 0 (every
// observation travels) and with averaging (one vector per device per interval); the fan-out to
// MSEs; memory per device. The physical reference of the same run: memcpy of the same bytes.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <vector>

#include "aggregate/aggregator.h"
#include "aggregate/subscriptions.h"
#include "devices/device_table.h"
#include "radio/office_venue.h"
#include "radio/simulator.h"
#include "worst_case.h"

namespace {

using namespace nmsp;
using aggregate::Aggregator;
using aggregate::StreamKey;
using aggregate::StreamOutput;

constexpr uint32_t kDevices = bench::kWorstCaseDevices;
constexpr uint32_t kAps = bench::kWorstCaseAps;

size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

const bench::WorstCaseInterval& interval() {
  return bench::worstCaseInterval();
}

// Observe one interval's observations, then collect and encode the due stream. range(0): the
// half-life (0: every observation travels; 5: one averaged vector per device per interval).
void BM_ObserveAggregateEncode(benchmark::State& state) {
  aggregate::AggregationSettings settings;
  settings.half_life_s[0] = static_cast<uint16_t>(state.range(0));
  Aggregator a(settings);
  a.openStream(StreamKey{proto::Service::RssiMs, 2}, 0);
  const auto& bursts = interval().bursts;
  uint64_t now = 0;
  uint64_t observations = 0, frames = 0, bytes = 0;
  std::vector<StreamOutput> out;
  for (auto _ : state) {
    for (const auto& m : bursts) {
      a.observe(m, now);
    }
    now += 2000;
    out.clear();
    a.collect(now, out);
    for (const auto& o : out) {
      observations += o.observations;
      frames += o.frames.size();
      for (const auto& f : o.frames) {
        bytes += f->size();
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  const double ingested = static_cast<double>(state.iterations()) * kDevices * kAps;
  state.counters["obs/s"] = benchmark::Counter(ingested, benchmark::Counter::kIsRate);
  state.counters["sent_obs/s"] =
      benchmark::Counter(static_cast<double>(observations), benchmark::Counter::kIsRate);
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
  state.counters["bytes/s"] = benchmark::Counter(
      static_cast<double>(bytes), benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["store_B/device"] =
      static_cast<double>(a.memoryBytes()) / static_cast<double>(a.deviceCount());
}
BENCHMARK(BM_ObserveAggregateEncode)->Arg(0)->Arg(5)->Unit(benchmark::kMillisecond)->MinTime(5);

// The same plus the selection for N MSEs subscribed to rssi-ms every 2 s (half of them with
// another transaction id: one patched copy per id, then shared pointers).
void BM_WithFanOut(benchmark::State& state) {
  Aggregator a;
  aggregate::Subscriptions subs;
  const auto mses = static_cast<uint64_t>(state.range(0));
  for (uint64_t m = 0; m < mses; ++m) {
    proto::ServiceSubscribeRequest request;
    request.services = proto::bit(proto::Service::RssiMs);
    subs.subscribe(m, request, static_cast<uint32_t>(2 + m % 2), aggregate::kDataServices, {}, a,
                   0);
  }
  const auto& bursts = interval().bursts;
  uint64_t now = 0;
  std::vector<StreamOutput> out;
  std::vector<aggregate::Delivery> deliveries;
  for (auto _ : state) {
    for (const auto& m : bursts) {
      a.observe(m, now);
    }
    now += 2000;
    out.clear();
    deliveries.clear();
    a.collect(now, out);
    subs.route(out, deliveries);
    benchmark::DoNotOptimize(deliveries.data());
  }
  state.counters["obs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kDevices * kAps, benchmark::Counter::kIsRate);
  state.counters["deliveries"] = static_cast<double>(deliveries.size());
}
BENCHMARK(BM_WithFanOut)->Arg(2)->Arg(20)->Unit(benchmark::kMillisecond)->MinTime(5);

// Resident memory of the store at 9800-80 scale: 64,000 clients x 16 APs, plus their info
// and statistics, no stream open (what the controller holds for Requests). The RSS figure is
// right when this runs first in its process (--benchmark_filter=BM_StoreMemory): memory freed
// by earlier benchmarks is reused without growing the RSS.
void BM_StoreMemory(benchmark::State& state) {
  const auto& bursts = interval().bursts;  // built before the first reading of the RSS
  for (auto _ : state) {
    const size_t before = residentBytes();
    auto a = std::make_unique<Aggregator>();
    for (const auto& m : bursts) {
      a->observe(m, 0);
      proto::DeviceInfo info;
      info.mac = m.mac;
      info.ssid = "corp";
      info.vlan = 10;
      info.username = "user00042";
      info.serving_ap = m.aps[0].ap_mac;
      a->info(info, 0);
      proto::DeviceStatistics stats;
      stats.mac = m.mac;
      stats.rx_bytes = 1;
      a->statistics(stats, 0);
    }
    const size_t after = residentBytes();
    state.counters["rss_B/device"] = static_cast<double>(after - before) / kDevices;
    state.counters["store_B/device"] = static_cast<double>(a->memoryBytes()) / kDevices;
    benchmark::DoNotOptimize(a.get());
  }
}
BENCHMARK(BM_StoreMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

// The MSE's side of the same interval: decode the Measurement Notification frames and merge
// them into the device table (what the MSE's io thread does per frame, TLS aside).
void BM_MseDecodeIntoDeviceTable(benchmark::State& state) {
  Aggregator a;
  a.openStream(StreamKey{proto::Service::RssiMs, 2}, 0);
  for (const auto& m : interval().bursts) {
    a.observe(m, 0);
  }
  std::vector<StreamOutput> out;
  a.collect(2000, out);
  const auto& frames = out.at(0).frames;
  devices::DeviceTable table;
  const auto via = table.controller("wlc");
  uint64_t now = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    now += 2000;
    for (const auto& f : frames) {
      auto frame = proto::decodeFrame(*f);
      for (const auto& m : std::get<proto::MeasurementNotification>(frame->message).devices) {
        table.onMeasurement(via, m, now);
      }
      bytes += f->size();
    }
  }
  state.counters["obs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kDevices * kAps, benchmark::Counter::kIsRate);
  state.counters["bytes/s"] = benchmark::Counter(
      static_cast<double>(bytes), benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["table_B/device"] =
      static_cast<double>(table.memoryBytes()) / static_cast<double>(table.size());
}
BENCHMARK(BM_MseDecodeIntoDeviceTable)->Unit(benchmark::kMillisecond)->MinTime(5);

// The radio simulator at 9800-80 scale (6,000 APs, 64,000 clients, AP neighbour packets) feeding
// the store and aggregation, two MSEs subscribed (one to rssi-ms, one to rssi-ms, ap-monitor,
// info-ms, stats-ms and attach), collected and routed every 2 s of simulated time: real time on
// one core needs sim_s/s >= 1. Fixed iterations (30 s simulated): the set-up (venue, 64,000
// devices, a minute of warm-up) runs once.
class StoreSink : public radio::SimulatorSink {
 public:
  explicit StoreSink(Aggregator& a) : a_(a) {}
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    a_.observe(m, now);
    observations += m.aps.size();
  }
  void onInfo(const proto::DeviceInfo& i) override { a_.info(i, now); }
  void onStatistics(const proto::DeviceStatistics& st) override { a_.statistics(st, now); }
  void onAttachment(const proto::Attachment& at) override { a_.attachment(at); }
  Aggregator& a_;
  uint64_t now = 0;
  uint64_t observations = 0;
};

void BM_Simulator9800ScaleIntoAggregator(benchmark::State& state) {
  const size_t rss_before = residentBytes();
  const venue::Venue venue = radio::makeOfficeVenue(radio::catalyst9800ScaleSpec());
  radio::SimulatorConfig config;
  config.population = radio::Population{64000, 0, 0, 0, 0};
  auto sim = std::move(*radio::Simulator::create(venue, config));
  Aggregator a;
  aggregate::Subscriptions subs;
  for (const auto& ap : sim->apInfos()) {
    a.apInfo(ap);
  }
  StoreSink sink(a);
  sim->advanceTo(60'000, sink);  // every device started
  proto::ServiceSubscribeRequest first, second;
  first.services = proto::bit(proto::Service::RssiMs);
  second.services = proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::ApMonitor) |
                    proto::bit(proto::Service::InfoMs) | proto::bit(proto::Service::StatsMs) |
                    proto::bit(proto::Service::Attach);
  subs.subscribe(1, first, 2, aggregate::kDataServices, {}, a, 60'000);
  subs.subscribe(2, second, 3, aggregate::kDataServices, {}, a, 60'000);
  std::vector<StreamOutput> out;
  std::vector<aggregate::Delivery> deliveries;
  uint64_t simulated_ms = 0, delivered = 0;
  sink.observations = 0;
  for (auto _ : state) {
    sink.now = sim->nowMs() + 2000;
    sim->advanceTo(sink.now, sink);
    out.clear();
    deliveries.clear();
    a.collect(sink.now, out);
    subs.route(out, deliveries);
    delivered += deliveries.size();
    simulated_ms += 2000;
  }
  state.counters["sim_s/s"] =
      benchmark::Counter(static_cast<double>(simulated_ms) / 1000.0, benchmark::Counter::kIsRate);
  state.counters["obs/sim_s"] =
      static_cast<double>(sink.observations) / (static_cast<double>(simulated_ms) / 1000.0);
  state.counters["frames/sim_s"] =
      static_cast<double>(delivered) / (static_cast<double>(simulated_ms) / 1000.0);
  state.counters["rss_MiB"] = static_cast<double>(residentBytes() - rss_before) / (1 << 20);
}
BENCHMARK(BM_Simulator9800ScaleIntoAggregator)->Unit(benchmark::kMillisecond)->Iterations(15);

// Physical reference: copying the encoded bytes of one interval once (what a session's write
// path must at least do).
void BM_MemcpyReference(benchmark::State& state) {
  const size_t bytes = size_t{kDevices} * aggregate::measurementEntryBytes(kAps);
  std::vector<uint8_t> from(bytes, 1), to(bytes);
  for (auto _ : state) {
    std::memcpy(to.data(), from.data(), bytes);
    benchmark::DoNotOptimize(to.data());
    benchmark::ClobberMemory();
  }
  state.counters["obs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kDevices * kAps, benchmark::Counter::kIsRate);
  state.counters["bytes/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * bytes),
                         benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
}
BENCHMARK(BM_MemcpyReference)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
