// Codec throughput on Measurement Notifications (the controller's highest-volume message):
// decode and encode of 100 devices x 8 APs and 1 x 1, against memcpy of the same bytes as the
// physical reference. items = device-AP records. Every benchmark also reports
// allocs_per_frame: calls to the global operator new (replaced below) per timed iteration.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "alloc_counter.h"
#include "proto/codec.h"
#include "sample_frames.h"

namespace {

using nmsp::bench::countAllocations;
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

Frame shapedFrame(const benchmark::State& state) {
  return measurementNotification(static_cast<int>(state.range(0)),
                                 static_cast<int>(state.range(1)));
}

void decodeLoop(benchmark::State& state, const std::vector<uint8_t>& bytes) {
  countAllocations(state, [&] {
    for (auto _ : state) {
      auto frame = nmsp::proto::decodeFrame(bytes);
      if (!frame) {
        state.SkipWithError("decode failed");
        break;
      }
      benchmark::DoNotOptimize(frame);
    }
  });
}

// Encodes into a buffer whose capacity is kept from frame to frame, as a session's writer does.
void encodeLoop(benchmark::State& state, const Frame& frame, size_t size) {
  const nmsp::proto::Encoder encoder;
  std::vector<uint8_t> out;
  out.reserve(size);
  countAllocations(state, [&] {
    for (auto _ : state) {
      out.clear();
      if (!encoder.encode(frame, out)) {
        state.SkipWithError("encode failed");
        break;
      }
      benchmark::DoNotOptimize(out.data());
      benchmark::ClobberMemory();
    }
  });
}

void BM_DecodeMeasurementNotification(benchmark::State& state) {
  const auto bytes = encoded(shapedFrame(state));
  decodeLoop(state, bytes);
  setCounters(state, bytes.size());
}

class DiscardFrames : public nmsp::proto::DecoderCallbacks {
 public:
  void onFrame(Frame&& frame) override { benchmark::DoNotOptimize(frame); }
};

// The session's path: the stream decoder fed in TLS-record-sized pieces (buffered copy).
void BM_StreamDecodeMeasurementNotification(benchmark::State& state) {
  const auto bytes = encoded(shapedFrame(state));
  constexpr size_t kRecord = 16 * 1024;
  DiscardFrames sink;
  nmsp::proto::Decoder decoder(sink);
  countAllocations(state, [&] {
    for (auto _ : state) {
      for (size_t pos = 0; pos < bytes.size(); pos += kRecord) {
        const size_t n = std::min(kRecord, bytes.size() - pos);
        if (!decoder.decode(std::span(bytes).subspan(pos, n))) {
          state.SkipWithError("decode failed");
          return;
        }
      }
    }
  });
  setCounters(state, bytes.size());
}

void BM_EncodeMeasurementNotification(benchmark::State& state) {
  const Frame frame = shapedFrame(state);
  const size_t size = encoded(frame).size();
  encodeLoop(state, frame, size);
  setCounters(state, size);
}

// Physical reference: copying the encoded frame's bytes once.
void BM_MemcpySameBytes(benchmark::State& state) {
  const auto bytes = encoded(shapedFrame(state));
  std::vector<uint8_t> dst(bytes.size());
  countAllocations(state, [&] {
    for (auto _ : state) {
      std::memcpy(dst.data(), bytes.data(), bytes.size());
      benchmark::DoNotOptimize(dst.data());
      benchmark::ClobberMemory();
    }
  });
  setCounters(state, bytes.size());
}

// The session's other typical frames: the keepalive and the Init handshake.
Frame echoRequest() {
  return Frame{1, nmsp::proto::kFlagRequest, 9, nmsp::proto::EchoRequest{1763942400123}};
}
Frame initRequest() {
  return Frame{1, nmsp::proto::kFlagRequest, 1,
               nmsp::proto::InitRequest{1, 1, nmsp::proto::PeerRole::Mse, "mse-lab-01", "8.0.150.0",
                                        1763942400123}};
}

void BM_DecodeFrame(benchmark::State& state, Frame (*make)()) {
  const auto bytes = encoded(make());
  decodeLoop(state, bytes);
  state.counters["frame_bytes"] = static_cast<double>(bytes.size());
}
void BM_EncodeFrame(benchmark::State& state, Frame (*make)()) {
  const Frame frame = make();
  const size_t size = encoded(frame).size();
  encodeLoop(state, frame, size);
  state.counters["frame_bytes"] = static_cast<double>(size);
}

void shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"devices", "aps"})->Args({100, 8})->Args({1, 1});
}

BENCHMARK(BM_DecodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_StreamDecodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_EncodeMeasurementNotification)->Apply(shapes);
BENCHMARK(BM_MemcpySameBytes)->Apply(shapes);
BENCHMARK_CAPTURE(BM_DecodeFrame, EchoRequest, echoRequest);
BENCHMARK_CAPTURE(BM_EncodeFrame, EchoRequest, echoRequest);
BENCHMARK_CAPTURE(BM_DecodeFrame, InitRequest, initRequest);
BENCHMARK_CAPTURE(BM_EncodeFrame, InitRequest, initRequest);

}  // namespace

BENCHMARK_MAIN();
