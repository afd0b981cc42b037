#pragma once
// The live location path inside the MSE daemon: a LocationPipeline owned by the io thread (which
// also hands device info and statistics to the store), the once-a-second tick that keeps it
// (calibration, eviction, rate), and api::LocationControl for the shell's `show location`
// commands and the location columns of `show devices`.
//
// Threads. onMeasurement(), onInfo(), onStatistics(), start() and the tick run on the io thread
// (the executor given). location(), locationSummary() and engineLocations() are for the shell's
// thread: they post a job to the io thread and wait for it, then (for a device the engine does not
// hold, and for the per-floor counts) ask the store's reader thread and wait for its reply; every
// wait is bounded by LiveOptions::command_timeout. The store is opened before the io thread runs
// and closed after it stops (store/store.h); it must outlive this object.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "api/location_control.h"
#include "common/owner_thread.h"
#include "live/location_pipeline.h"
#include "store/store.h"

namespace nmsp::live {

struct LiveOptions {
  std::chrono::milliseconds tick{1000};
  std::chrono::milliseconds command_timeout{10000};
  locate::EngineSettings engine;
  /// UTC milliseconds; tests inject their own.
  std::function<uint64_t()> wall_clock_ms;
};

/// A store error in words for the operator and the log ("the store is not connected: ...").
std::string describeStoreError(const store::StoreError& error);

class LiveLocation final : public api::LocationControl {
 public:
  LiveLocation(boost::asio::io_context::executor_type executor, std::vector<LoadedVenue> venues,
               store::Store* store, LiveOptions options = {});
  ~LiveLocation() override;

  /// Starts the tick (posted to the io thread; returns at once).
  void start();
  /// Cancels the tick. On the io thread at once; from another thread it posts and returns.
  void stop();

  /// The seam: one decoded device measurement report, on the io thread. `controller` names the
  /// controller that sent it (unused for now: reports of every controller are merged per device).
  void onMeasurement(std::string_view controller, const proto::DeviceMeasurement& report,
                     uint64_t now_ms);
  /// The seam for device info and statistics, on the io thread: to the store (queued only).
  void onInfo(std::string_view controller, const proto::DeviceInfo& info, uint64_t now_ms);
  void onStatistics(std::string_view controller, const proto::DeviceStatistics& statistics,
                    uint64_t now_ms);

  Result<std::optional<api::DeviceLocation>, std::string> location(
      const MacAddress& device) override;
  Result<api::LocationSummary, std::string> locationSummary() override;
  Result<api::EngineLocations, std::string> engineLocations(
      const std::vector<MacAddress>& devices) override;

  /// The pipeline, for the io thread only (tests).
  LocationPipeline& pipeline() { return *pipeline_; }

 private:
  template <class T>
  Result<T, std::string> onIo(std::function<Result<T, std::string>()> job) const;
  void armTick();

  boost::asio::io_context::executor_type executor_;
  store::Store* store_;
  LiveOptions options_;
  OwnerThread io_thread_;
  // Shared with the jobs posted to the io thread, which may run after a timed-out wait.
  std::shared_ptr<LocationPipeline> pipeline_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
};

}  // namespace nmsp::live
