// Codec throughput on Measurement Notifications (the controller's highest-volume message):
// decode and encode of 100 devices x 8 APs and 1 x 1, against memcpy of the same bytes as the
// physical reference. items = device-AP records.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "proto/codec.h"
#include "sample_frames.h"

namespace {

using nmsp::bench::measurementNotification;
using nmsp::proto::Frame;

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
