// NMSP sessions over real loopback TLS sockets (FrameChannel on both ends, one thread, so
// each figure includes both peers' CPU plus the kernel's loopback path):
//  - BM_EchoRoundTrip: Echo Request -> Echo Response latency, the keepalive's cost;
//  - BM_MeasurementStream: Measurement Notifications (devices x 8 APs) streamed from the
//    controller side to the MSE side, records/s and bytes/s; the reference ceiling is
//    `openssl speed -evp aes-256-gcm` at a similar block size (docs/benchmarks.md);
//  - BM_MeasurementFanOut: the same frame encoded once and sent as a SharedFrame.
// Every benchmark reports allocs_per_frame (alloc_counter.h): both peers' allocations (send,
// TLS write, read, decode) per frame.
//   build/bench/bench_session --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "alloc_counter.h"
#include "proto/codec.h"
#include "sample_frames.h"
#include "session/frame_channel.h"
#include "tls_pair.h"

namespace {

using namespace nmsp;
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Pair {
  std::shared_ptr<session::FrameChannel> controller;
  std::shared_ptr<session::FrameChannel> mse;
};

// A TCP connection on loopback with a full mutual-TLS handshake, both ends on this executor.
asio::awaitable<Pair> connect(bench::TlsContexts& contexts) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::acceptor acceptor(ex, {asio::ip::make_address("127.0.0.1"), 0});
  std::shared_ptr<session::TlsStream> server;
  asio::steady_timer server_finished(ex);
  server_finished.expires_after(10s);
  asio::co_spawn(ex, bench::acceptTls(acceptor, contexts),
                 [&](std::exception_ptr, std::shared_ptr<session::TlsStream> stream) {
                   server = std::move(stream);
                   server_finished.cancel();
                 });
  auto client = co_await bench::connectTls(acceptor.local_endpoint(), contexts);
  if (!server) {  // TLS 1.3: the server finishes after reading the client's Finished
    co_await server_finished.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (!server) {
    throw std::runtime_error("server handshake failed");
  }
  co_return Pair{std::make_shared<session::FrameChannel>(server),
                 std::make_shared<session::FrameChannel>(client)};
}

// Runs `body(pair)` on a fresh io_context until it finishes.
template <class Body>
void runSession(benchmark::State& state, Body body) {
  bench::TlsContexts contexts;
  bench::makeTlsContexts(contexts);
  if (!contexts.error.empty()) {
    state.SkipWithError(contexts.error.c_str());
    return;
  }
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        Pair pair = co_await connect(contexts);
        co_await body(pair);
        co_await pair.mse->close();
        co_await pair.controller->close();
      },
      [&](std::exception_ptr e) {
        if (e) {
          state.SkipWithError("session setup failed");
        }
      });
  io.run();
}

void BM_EchoRoundTrip(benchmark::State& state) {
  runSession(state, [&](Pair& pair) -> asio::awaitable<void> {
    proto::Frame echo{1, proto::kFlagRequest, 0, proto::EchoRequest{1764547200000}};
    const bench::AllocationCount allocations;
    for (auto _ : state) {
      ++echo.transaction_id;
      pair.mse->send(echo);
      auto request = co_await pair.controller->read(5s);
      if (!request) {
        state.SkipWithError("controller read failed");
        break;
      }
      proto::EchoResponse response;
      response.clock_utc_ms = 1764547200001;
      response.echoed_clock_utc_ms = 1764547200000;
      pair.controller->send(proto::Frame{1, 0, request->transaction_id, response});
      auto answer = co_await pair.mse->read(5s);
      if (!answer) {
        state.SkipWithError("MSE read failed");
        break;
      }
    }
    allocations.report(state, 2);  // Echo Request + Echo Response
    state.SetItemsProcessed(state.iterations());
  });
}
BENCHMARK(BM_EchoRoundTrip)->Unit(benchmark::kMicrosecond);

// range(0) devices per notification (8 APs each); 64 frames in flight per iteration batch.
void BM_MeasurementStream(benchmark::State& state) {
  const auto devices = static_cast<int>(state.range(0));
  const proto::Frame frame = bench::measurementNotification(devices, 8);
  const auto bytes = proto::encodeFrame(frame);
  if (!bytes) {
    state.SkipWithError("encode failed");
    return;
  }
  constexpr int kBatch = 64;
  runSession(state, [&](Pair& pair) -> asio::awaitable<void> {
    const bench::AllocationCount allocations;
    for (auto _ : state) {
      for (int i = 0; i < kBatch; ++i) {
        pair.controller->send(frame);
      }
      for (int i = 0; i < kBatch; ++i) {
        auto received = co_await pair.mse->read(5s);
        if (!received) {
          state.SkipWithError("MSE read failed");
          co_return;
        }
        benchmark::DoNotOptimize(received);
      }
    }
    allocations.report(state, kBatch);
    state.SetItemsProcessed(state.iterations() * kBatch * devices * 8);
    state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(bytes->size()));
    state.counters["frame_bytes"] = static_cast<double>(bytes->size());
  });
}
BENCHMARK(BM_MeasurementStream)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);

// As BM_MeasurementStream, but the frame is encoded once and queued as shared bytes
// (FrameChannel::sendEncoded), as a controller fanning one notification out to many MSEs does.
void BM_MeasurementFanOut(benchmark::State& state) {
  const auto devices = static_cast<int>(state.range(0));
  const auto encoded = proto::encodeFrame(bench::measurementNotification(devices, 8));
  if (!encoded) {
    state.SkipWithError("encode failed");
    return;
  }
  const session::SharedFrame shared = std::make_shared<const std::vector<uint8_t>>(*encoded);
  constexpr int kBatch = 64;
  runSession(state, [&](Pair& pair) -> asio::awaitable<void> {
    const bench::AllocationCount allocations;
    for (auto _ : state) {
      for (int i = 0; i < kBatch; ++i) {
        pair.controller->sendEncoded(shared, session::SendClass::notification);
      }
      for (int i = 0; i < kBatch; ++i) {
        auto received = co_await pair.mse->read(5s);
        if (!received) {
          state.SkipWithError("MSE read failed");
          co_return;
        }
        benchmark::DoNotOptimize(received);
      }
    }
    allocations.report(state, kBatch);
    state.SetItemsProcessed(state.iterations() * kBatch * devices * 8);
    state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(shared->size()));
  });
}
BENCHMARK(BM_MeasurementFanOut)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
