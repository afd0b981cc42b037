// RSSI observations per second end to end, as the two daemons run them, on two threads over
// real loopback TLS: the controller's io thread (store -> aggregation -> encode once -> the
// MSE's FrameChannel, AES-256-GCM) and the MSE's io thread (TLS -> decode -> the device table).
// One iteration is one 2 s interval of the Catalyst 9800-80 worst case (64,000 clients x 16 APs:
// 1,024,000 observations, worst_case.h), half-life 0 (every observation travels), fed as fast
// as the pipeline takes it: the controller ingests and collects the interval, queues its frames
// and an Echo Request as the interval's marker; the iteration ends when the MSE thread has read
// the marker, so every frame before it was decoded into the table or counted as dropped.
// range(0): the controller's per-MSE send queue bound in MiB (the daemon's default is
// controller::kMseQueueBytes).
//   build/bench/bench_end_to_end --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <time.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "aggregate/aggregator.h"
#include "aggregate/subscriptions.h"
#include "devices/device_table.h"
#include "session/frame_channel.h"
#include "tls_pair.h"
#include "worst_case.h"

namespace {

using namespace nmsp;
namespace asio = boost::asio;
using namespace std::chrono_literals;

double threadCpuSeconds(std::thread& t) {
  clockid_t id;
  timespec ts{};
  if (pthread_getcpuclockid(t.native_handle(), &id) != 0 || clock_gettime(id, &ts) != 0) {
    return 0;
  }
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The MSE's io thread: reads frames, merges measurements into the table, signals markers.
struct MseSide {
  devices::DeviceTable table;
  devices::ControllerId via = table.controller("wlc-bench");
  std::atomic<uint64_t> observations{0};
  std::mutex mutex;
  std::condition_variable marker_seen;
  uint64_t markers = 0;   // guarded by mutex
  bool finished = false;  // the read loop ended (guarded by mutex)

  asio::awaitable<void> readLoop(std::shared_ptr<session::FrameChannel> channel) {
    uint64_t now_ms = 0;
    for (;;) {
      auto frame = co_await channel->read(60s);
      if (!frame) {
        break;
      }
      if (const auto* m = std::get_if<proto::MeasurementNotification>(&frame->message)) {
        uint64_t n = 0;
        for (const auto& device : m->devices) {
          table.onMeasurement(via, device, now_ms);
          n += device.aps.size();
        }
        observations.fetch_add(n, std::memory_order_relaxed);
      } else if (std::holds_alternative<proto::EchoRequest>(frame->message)) {
        now_ms += 2000;
        const std::lock_guard lock(mutex);
        ++markers;
        marker_seen.notify_all();
      }
    }
    const std::lock_guard lock(mutex);
    finished = true;
    marker_seen.notify_all();
  }

  /// Waits (at most 60 s) until `count` markers arrived; false on timeout or a closed channel.
  bool waitForMarkers(uint64_t count) {
    std::unique_lock lock(mutex);
    return marker_seen.wait_for(lock, 60s, [&] { return markers >= count || finished; }) &&
           markers >= count;
  }
};

// The controller's io thread: the store, the aggregation and one MSE subscribed to rssi-ms
// every 2 s (transaction id 7).
struct ControllerSide {
  aggregate::Aggregator aggregator;
  aggregate::Subscriptions subscriptions;
  std::vector<proto::DeviceMeasurement> bursts = bench::worstCaseInterval().bursts;
  std::vector<aggregate::StreamOutput> outputs;
  std::vector<aggregate::Delivery> deliveries;
  uint64_t now_ms = 0;
  uint64_t sent_observations = 0;
  uint64_t frames = 0;
  uint64_t bytes = 0;

  ControllerSide() {
    proto::ServiceSubscribeRequest request;
    request.services = proto::bit(proto::Service::RssiMs);
    request.intervals.push_back({proto::Service::RssiMs, 2});
    subscriptions.subscribe(1, request, 7, aggregate::kDataServices, {}, aggregator, 0);
  }

  // One interval: every burst observed (timestamps of this interval), collected, routed,
  // queued on the MSE's channel, then the marker.
  void interval(session::FrameChannel& channel, uint32_t marker) {
    for (auto& m : bursts) {
      for (size_t k = 0; k < m.aps.size(); ++k) {
        m.aps[k].timestamp_utc_ms += 2000;
      }
      aggregator.observe(m, now_ms);
    }
    now_ms += 2000;
    outputs.clear();
    deliveries.clear();
    aggregator.collect(now_ms, outputs);
    for (const auto& o : outputs) {
      sent_observations += o.observations;
    }
    subscriptions.route(outputs, deliveries);
    for (const auto& d : deliveries) {
      channel.sendEncoded(d.frame, session::SendClass::notification);
      ++frames;
      bytes += d.frame->size();
    }
    channel.send(proto::Frame{1, proto::kFlagRequest, marker, proto::EchoRequest{now_ms}});
  }
};

void BM_EndToEnd(benchmark::State& state) {
  bench::TlsContexts contexts;
  bench::makeTlsContexts(contexts);
  if (!contexts.error.empty()) {
    state.SkipWithError(contexts.error.c_str());
    return;
  }
  asio::io_context controller_io;
  asio::io_context mse_io;
  asio::ip::tcp::acceptor acceptor(controller_io, {asio::ip::make_address("127.0.0.1"), 0});
  std::shared_ptr<session::TlsStream> server;
  std::shared_ptr<session::TlsStream> client;
  asio::co_spawn(controller_io, bench::acceptTls(acceptor, contexts),
                 [&](std::exception_ptr, std::shared_ptr<session::TlsStream> s) { server = s; });
  asio::co_spawn(mse_io, bench::connectTls(acceptor.local_endpoint(), contexts),
                 [&](std::exception_ptr, std::shared_ptr<session::TlsStream> s) { client = s; });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((!server || !client) && std::chrono::steady_clock::now() < deadline) {
    controller_io.run_one_for(1ms);
    mse_io.run_one_for(1ms);
  }
  if (!server || !client) {
    state.SkipWithError("TLS set-up failed");
    return;
  }
  session::ChannelOptions options;
  options.max_queued_bytes = static_cast<size_t>(state.range(0)) << 20;
  auto controller_channel = std::make_shared<session::FrameChannel>(server, options);
  auto mse_channel = std::make_shared<session::FrameChannel>(client);

  MseSide mse;
  ControllerSide controller;
  asio::co_spawn(mse_io, mse.readLoop(mse_channel), [](std::exception_ptr) {});
  auto controller_work = asio::make_work_guard(controller_io);
  controller_io.restart();
  mse_io.restart();
  std::thread mse_thread([&] { mse_io.run(); });
  std::thread controller_thread([&] { controller_io.run(); });

  uint32_t marker = 0;
  const double controller_cpu0 = threadCpuSeconds(controller_thread);
  const double mse_cpu0 = threadCpuSeconds(mse_thread);
  for (auto _ : state) {
    ++marker;
    asio::post(controller_io, [&, marker] { controller.interval(*controller_channel, marker); });
    if (!mse.waitForMarkers(marker)) {
      state.SkipWithError("the MSE did not read the interval's marker within 60 s");
      break;
    }
  }
  const double controller_cpu = threadCpuSeconds(controller_thread) - controller_cpu0;
  const double mse_cpu = threadCpuSeconds(mse_thread) - mse_cpu0;

  asio::post(controller_io, [&] {
    asio::co_spawn(controller_io, controller_channel->close(), [](std::exception_ptr) {});
    controller_work.reset();
  });
  controller_thread.join();
  mse_thread.join();

  const auto received = static_cast<double>(mse.observations.load());
  state.counters["obs/s"] = benchmark::Counter(received, benchmark::Counter::kIsRate);
  state.counters["sent_obs"] = static_cast<double>(controller.sent_observations);
  state.counters["received_obs"] = received;
  state.counters["dropped_frames"] =
      static_cast<double>(controller_channel->counters().notifications_dropped);
  state.counters["MB/s"] =
      benchmark::Counter(static_cast<double>(controller.bytes) / 1e6, benchmark::Counter::kIsRate);
  // CPU seconds per second of real time of each io thread (1.0 = one core saturated); the
  // benchmark's own real time is the denominator.
  state.counters["controller_cpu"] =
      benchmark::Counter(controller_cpu, benchmark::Counter::kIsRate);
  state.counters["mse_cpu"] = benchmark::Counter(mse_cpu, benchmark::Counter::kIsRate);
  state.counters["mse_devices"] = static_cast<double>(mse.table.size());
}
BENCHMARK(BM_EndToEnd)->Arg(4)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5);

}  // namespace

BENCHMARK_MAIN();
