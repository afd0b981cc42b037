#include "live/live_location.h"

#include <boost/asio/post.hpp>
#include <future>

#include "common/blocking.h"
#include "common/call_and_wait.h"

namespace nmsp::live {
namespace {

constexpr const char* kIoState = "the MSE's location pipeline";
constexpr std::string_view kIoThread = "the MSE's io thread";

uint64_t systemNowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

/// Sends a store read and waits (bounded) for its reply on this (the shell's) thread.
template <class T, class Read>
Result<T, std::string> askStore(Read&& read, std::chrono::milliseconds timeout) {
  assertBlockingAllowed("a wait for the store's reader");
  auto promise = std::make_shared<std::promise<Result<T, store::StoreError>>>();
  auto future = promise->get_future();
  read([promise](Result<T, store::StoreError> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(timeout) != std::future_status::ready) {
    return Unexpected{std::string("no answer from the store within ") +
                      std::to_string(timeout.count()) + " ms"};
  }
  auto result = future.get();
  if (!result) {
    return Unexpected{describeStoreError(result.error())};
  }
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*result);
  }
}

}  // namespace

std::string describeStoreError(const store::StoreError& error) {
  switch (error.code) {
    case store::StoreError::Code::Timeout:
      return "the store did not answer in time" +
             (error.message.empty() ? std::string() : ": " + error.message);
    case store::StoreError::Code::Unavailable:
      return "the store is not connected" +
             (error.message.empty() ? std::string() : ": " + error.message);
    case store::StoreError::Code::Busy:
      return "the store is busy; try again";
    case store::StoreError::Code::Closed:
      return "the store is closing";
    case store::StoreError::Code::Failed:
      break;
  }
  return "the store failed: " + error.message;
}

LiveLocation::LiveLocation(boost::asio::io_context::executor_type executor,
                           std::vector<LoadedVenue> venues, store::Store* store,
                           LiveOptions options)
    : executor_(executor),
      store_(store),
      options_(std::move(options)),
      pipeline_(std::make_shared<LocationPipeline>(std::move(venues), store, options_.engine)),
      timer_(executor) {
  if (!options_.wall_clock_ms) {
    options_.wall_clock_ms = systemNowMs;
  }
}

LiveLocation::~LiveLocation() = default;

template <class T>
Result<T, std::string> LiveLocation::onIo(std::function<Result<T, std::string>()> job) const {
  if (executor_.running_in_this_thread()) {
    return job();
  }
  return callAndWait<T>(
      [this](std::function<void()> f) {
        boost::asio::post(executor_, std::move(f));
        return true;
      },
      std::move(job), options_.command_timeout, kIoThread);
}

void LiveLocation::start() {
  boost::asio::post(executor_, [this] {
    io_thread_.assertOnOwner(kIoState);
    if (running_) {
      return;
    }
    running_ = true;
    pipeline_->tick(options_.wall_clock_ms());  // the locate rate's first sample
    armTick();
  });
}

void LiveLocation::stop() {
  auto job = [this] {
    io_thread_.assertOnOwner(kIoState);
    running_ = false;
    timer_.cancel();
  };
  if (executor_.running_in_this_thread()) {
    job();
  } else {
    boost::asio::post(executor_, job);
  }
}

void LiveLocation::armTick() {
  timer_.expires_after(options_.tick);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || !running_) {
      return;
    }
    pipeline_->tick(options_.wall_clock_ms());
    armTick();
  });
}

void LiveLocation::onMeasurement(std::string_view /*controller*/,
                                 const proto::DeviceMeasurement& report, uint64_t now_ms) {
  io_thread_.assertOnOwner(kIoState);
  pipeline_->onMeasurement(report, now_ms);
}

void LiveLocation::onInfo(std::string_view /*controller*/, const proto::DeviceInfo& info,
                          uint64_t now_ms) {
  io_thread_.assertOnOwner(kIoState);
  pipeline_->onInfo(info, now_ms);
}

void LiveLocation::onStatistics(std::string_view /*controller*/,
                                const proto::DeviceStatistics& statistics, uint64_t now_ms) {
  io_thread_.assertOnOwner(kIoState);
  pipeline_->onStatistics(statistics, now_ms);
}

Result<std::optional<api::DeviceLocation>, std::string> LiveLocation::location(
    const MacAddress& device) {
  auto in_memory = onIo<std::optional<api::DeviceLocation>>(
      [pipeline = pipeline_, device]() -> Result<std::optional<api::DeviceLocation>, std::string> {
        return pipeline->current(device);
      });
  if (!in_memory || *in_memory || store_ == nullptr) {
    return in_memory;
  }
  auto stored = askStore<std::optional<store::LocationRecord>>(
      [this, device](store::Reply<std::optional<store::LocationRecord>> reply) {
        store_->currentLocation(device, std::move(reply));
      },
      options_.command_timeout);
  if (!stored) {
    return Unexpected{stored.error()};
  }
  if (!*stored) {
    return std::optional<api::DeviceLocation>{};
  }
  const store::LocationRecord& r = **stored;
  api::DeviceLocation view;
  view.device = r.device;
  view.kind = r.kind;
  view.venue = r.venue;
  view.floor = r.floor;
  view.x_m = r.x_m;
  view.y_m = r.y_m;
  view.uncertainty_m = r.uncertainty_m;
  view.aps_used = r.aps_used;
  view.last_seen_ms = r.ts_ms;
  view.from_store = true;
  return std::optional<api::DeviceLocation>{view};
}

Result<api::EngineLocations, std::string> LiveLocation::engineLocations(
    const std::vector<MacAddress>& devices) {
  return onIo<api::EngineLocations>(
      [pipeline = pipeline_, devices]() -> Result<api::EngineLocations, std::string> {
        api::EngineLocations out;
        out.locating = pipeline->locating();
        if (out.locating) {
          out.locations.reserve(devices.size());
          for (const auto& device : devices) {
            out.locations.push_back(pipeline->current(device));
          }
        }
        return out;
      });
}

Result<api::LocationSummary, std::string> LiveLocation::locationSummary() {
  auto summary = onIo<api::LocationSummary>(
      [pipeline = pipeline_,
       clock = options_.wall_clock_ms]() -> Result<api::LocationSummary, std::string> {
        return pipeline->summary(clock());
      });
  if (!summary || store_ == nullptr) {
    return summary;
  }
  const store::StoreStatus status = store_->status();
  summary->store_backend = status.backend;
  summary->store_target = status.target;
  summary->store_connected = status.connected;
  summary->store_queued = status.queued;
  summary->store_queued_bytes = status.queued_bytes;
  summary->store_queue_limit_bytes = status.queue_limit_bytes;
  summary->store_written = status.written;
  summary->store_dropped = status.dropped;
  summary->store_failed = status.failed;
  summary->store_lag_ms = static_cast<uint64_t>(status.lag.count());
  summary->store_error = status.last_error;
  const auto latency = store_->commitLatency();
  summary->stored_samples = latency.total();
  summary->stored_p50_ms = latency.quantileMs(0.5);
  summary->stored_p99_ms = latency.quantileMs(0.99);
  auto counts = askStore<std::vector<store::FloorKindCount>>(
      [this](store::Reply<std::vector<store::FloorKindCount>> reply) {
        store_->locationCounts(std::move(reply));
      },
      options_.command_timeout);
  if (!counts) {
    summary->counts_error = counts.error();
  } else {
    for (const auto& c : *counts) {
      summary->counts.push_back(api::FloorKindDevices{c.venue, c.floor, c.kind, c.devices});
    }
  }
  return summary;
}

}  // namespace nmsp::live
