// Codec throughput on Measurement Notifications (the controller's highest-volume message):
// decode and encode of 100 devices x 8 APs and 1 x 1, against memcpy of the same bytes as the
// physical reference. items = device-AP records.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "proto/codec.h"

namespace {

using nmsp::proto::Frame;

Frame measurementNotification(int devices, int aps) {
  nmsp::proto::MeasurementNotification n;
  for (int d = 0; d < devices; ++d) {
    nmsp::proto::DeviceMeasurement m;
    m.mac.bytes = {0x3c, 0x22, 0xfb, 0x10, static_cast<uint8_t>(d >> 8), static_cast<uint8_t>(d)};
    m.kind = nmsp::proto::DeviceKind::Client;
    for (int a = 0; a < aps; ++a) {
      nmsp::proto::ApRssi r;
      r.ap_mac.bytes = {0x70, 0xdb, 0x98, 0x2a, 0x11, static_cast<uint8_t>(a)};
      r.slot = static_cast<uint8_t>(a % 2);
      r.band = a % 2 == 0 ? nmsp::proto::Band::Band2_4GHz : nmsp::proto::Band::Band5GHz;
      r.rssi_dbm = static_cast<int8_t>(-40 - a * 5);
      r.snr_db = static_cast<int8_t>(40 - a * 4);
      r.timestamp_utc_ms = 1763942400000 + static_cast<uint64_t>(d);
      m.aps.push_back(r);
    }
    n.devices.push_back(m);
  }
  return Frame{1, 0, 3, std::move(n)};
}

std::vector<uint8_t> encoded(const Frame& frame) {
  auto bytes = nmsp::proto::encodeFrame(frame);
  if (!bytes) {
    std::abort();
  }
  return *bytes;
}

void setCounters(benchmark::State& state, size_t bytes) {
  state.SetItemsProcessed(state.iterations() * state.range(0) * state.range(1));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
  state.counters["frame_bytes"] = static_cast<double>(bytes);
}

void BM_DecodeMeasurementNotification(benchmark::State& state) {
  const auto bytes = encoded(
      measurementNotification(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))));
  for (auto _ : state) {
    auto frame = nmsp::proto::decodeFrame(bytes);
    if (!frame) {
      state.SkipWithError("decode failed");
      break;
    }
    benchmark::DoNotOptimize(frame);
  }
  setCounters(state, bytes.size());
}

class DiscardFrames : public nmsp::proto::DecoderCallbacks {
 public:
  void onFrame(Frame&& frame) override { benchmark::DoNotOptimize(frame); }
};

// The session's path: the stream decoder fed in TLS-record-sized pieces (buffered copy).
void BM_StreamDecodeMeasurementNotification(benchmark::State& state) {
  const auto bytes = encoded(
      measurementNotification(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))));
  constexpr size_t kRecord = 16 * 1024;
  DiscardFrames sink;
  nmsp::proto::Decoder decoder(sink);
  for (auto _ : state) {
    for (size_t pos = 0; pos < bytes.size(); pos += kRecord) {
      const size_t n = std::min(kRecord, bytes.size() - pos);
      if (!decoder.decode(std::span(bytes).subspan(pos, n))) {
        state.SkipWithError("decode failed");
        return;
      }
    }
  }
  setCounters(state, bytes.size());
}

void BM_EncodeMeasurementNotification(benchmark::State& state) {
  const Frame frame =
      measurementNotification(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const size_t size = encoded(frame).size();
  const nmsp::proto::Encoder encoder;
  std::vector<uint8_t> out;
  out.reserve(size);
  for (auto _ : state) {
    out.clear();
    if (!encoder.encode(frame, out)) {
      state.SkipWithError("encode failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, size);
}

// Physical reference: copying the encoded frame's bytes once.
void BM_MemcpySameBytes(benchmark::State& state) {
  const auto bytes = encoded(
      measurementNotification(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))));
  std::vector<uint8_t> dst(bytes.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), bytes.data(), bytes.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, bytes.size());
}

void shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"devices", "aps"})->Args({100, 8})->Args({1, 1});
}

BENCHMARK(BM_DecodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_StreamDecodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_EncodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_MemcpySameBytes)->Apply(shapes);

}  // namespace

BENCHMARK_MAIN();
