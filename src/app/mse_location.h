#pragma once
// `nmsp mse --store URI --venue FILE` (docs/configuration.md, docs/storage.md "The live path"):
// the flags, checked before anything is created (prepare), and the MSE's live location path
// around the io thread: the store is opened and the venues are saved in it before the io thread
// runs (open), and the store is closed (its queue drained, bounded) after the io thread stops.
// The store also gets, on the io thread and without waiting, the device info and statistics the
// controllers report (LiveLocationSink) and the configured controllers (controllerObserver).

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "live/live_location.h"
#include "live/venues.h"
#include "mse/measurement_sink.h"
#include "mse/mse_role.h"
#include "store/store.h"

namespace nmsp::app {

struct MseLocationFlags {
  std::string store;                // --store: "", sqlite:PATH, postgresql://...
  std::vector<std::string> venues;  // --venue FILE, repeatable
};

inline void addMseLocationOptions(CLI::App* cmd, MseLocationFlags& flags) {
  cmd->add_option("--store", flags.store,
                  "Where locations are kept: sqlite:PATH or postgresql://... (default: SQLite, "
                  "DATA/mse.db); docs/storage.md");
  cmd->add_option("--venue", flags.venues,
                  "Venue file (JSON, docs/simulator.md) to locate devices in; repeat for several "
                  "venues. Without one the MSE locates nothing");
}

/// The seam (mse/measurement_sink.h) to the live path: every decoded device measurement, info
/// and statistics report, on the io thread. AP Info is not used: AP positions come from the venue
/// files.
class LiveLocationSink final : public mse::MeasurementSink {
 public:
  explicit LiveLocationSink(live::LiveLocation& live) : live_(live) {}
  void onMeasurement(const std::string& via, const proto::DeviceMeasurement& measurement,
                     uint64_t now_ms) override {
    live_.onMeasurement(via, measurement, now_ms);
  }
  void onInfo(const std::string& via, const proto::DeviceInfo& info, uint64_t now_ms) override {
    live_.onInfo(via, info, now_ms);
  }
  void onStatistics(const std::string& via, const proto::DeviceStatistics& statistics,
                    uint64_t now_ms) override {
    live_.onStatistics(via, statistics, now_ms);
  }

 private:
  live::LiveLocation& live_;  // outlives every call: the io thread stops before it is destroyed
};

/// The store and the live path of one `nmsp mse` run.
class MseLocation {
 public:
  /// What the flags say, read and checked before anything is created: the venue files loaded,
  /// the store target parsed. Error text for the operator.
  struct Plan {
    std::vector<live::LoadedVenue> venues;
    store::StoreTarget target;
  };
  static Result<Plan, std::string> prepare(const MseLocationFlags& flags,
                                           const std::filesystem::path& data_dir) {
    std::vector<std::filesystem::path> files(flags.venues.begin(), flags.venues.end());
    auto venues = live::loadVenues(files);
    if (!venues) {
      return Unexpected{venues.error()};
    }
    auto target = store::parseStoreTarget(flags.store, data_dir);
    if (!target) {
      return Unexpected{target.error()};
    }
    return Plan{std::move(*venues), std::move(*target)};
  }

  /// Opens the store (blocking: before the io thread runs), saves the venues in it and makes the
  /// pipeline. Error text for the operator.
  static Result<std::unique_ptr<MseLocation>, std::string> open(
      Plan plan, boost::asio::io_context::executor_type executor) {
    store::StoreOptions options;
    options.target = plan.target;
    auto opened = store::openStore(std::move(options));
    if (!opened) {
      return Unexpected{"store " + plan.target.display() + ": " + opened.error()};
    }
    auto out = std::unique_ptr<MseLocation>(new MseLocation());
    out->store_ = std::move(*opened);
    const auto status = out->store_->status();
    spdlog::info("store: {} {} (schema {}{})", status.backend, status.target, status.schema_version,
                 status.connected ? "" : "; not connected yet: " + status.last_error);
    for (const auto& venue : plan.venues) {
      auto promise = std::make_shared<std::promise<std::string>>();
      auto done = promise->get_future();
      out->store_->putVenue(live::venueRecord(venue),
                            [promise](Result<void, store::StoreError> result) {
                              promise->set_value(result ? std::string() : result.error().message);
                            });
      std::string error = done.wait_for(std::chrono::seconds(10)) == std::future_status::ready
                              ? done.get()
                              : std::string("no answer within 10 s");
      if (!error.empty()) {
        spdlog::warn("venue {} not saved in the store (locating goes on): {}", venue.id, error);
      }
      size_t aps = 0;
      for (const auto& floor : venue.venue.floors) {
        aps += floor.aps.size();
      }
      spdlog::info("venue {} ({}): {} floors, {} APs: locating", venue.id, venue.venue.name,
                   venue.venue.floors.size(), aps);
    }
    if (plan.venues.empty()) {
      spdlog::warn(
          "no venue (--venue FILE): the MSE locates nothing; measurement reports are only counted");
    }
    out->live_ =
        std::make_unique<live::LiveLocation>(executor, std::move(plan.venues), out->store_.get());
    return out;
  }

  /// The live path first (it refers to the store), then the store: its destructor writes what
  /// is queued for at most its close timeout. After the io thread stopped.
  ~MseLocation() {
    live_.reset();
    if (store_) {
      spdlog::info("store: closing ({} records queued)", store_->status().queued);
      store_.reset();
    }
  }

  live::LiveLocation& live() { return *live_; }
  /// The sink to register with MseRole::addMeasurementSink().
  std::shared_ptr<mse::MeasurementSink> sink() {
    return std::make_shared<LiveLocationSink>(*live_);
  }
  store::Store& store() { return *store_; }
  /// The observer to set with MseRole::setControllerObserver(): keeps the store's controllers
  /// table as configured (putController with the service set in force, deleteController). On
  /// the io thread; never waits: a failed reply is logged.
  mse::ControllerObserver controllerObserver() {
    return [store = store_.get()](const mse::ControllerChange& change) {
      const std::string name = mse::endpointName(change.address);
      if (!change.services) {
        store->deleteController(change.address.host, change.address.port,
                                [name](Result<bool, store::StoreError> result) {
                                  if (!result) {
                                    spdlog::warn("controller {} not deleted from the store: {}",
                                                 name, live::describeStoreError(result.error()));
                                  }
                                });
        return;
      }
      store::ControllerRecord record;
      record.host = change.address.host;
      record.port = change.address.port;
      record.services = *change.services;
      store->putController(std::move(record), [name](Result<void, store::StoreError> result) {
        if (!result) {
          spdlog::warn("controller {} not saved in the store: {}", name,
                       live::describeStoreError(result.error()));
        }
      });
    };
  }

 private:
  MseLocation() = default;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<live::LiveLocation> live_;
};

}  // namespace nmsp::app
