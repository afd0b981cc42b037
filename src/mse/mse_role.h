#pragma once
// The MSE role: owns the persisted configuration (controllers, unauthenticated-nmsp), the pins
// of controller certificates, the trace buffer, and one ControllerLink per configured
// controller. Implements api::MseControl for the operator commands.
// Threads: the links and the role's state (links, addresses, pins) belong to the io thread of
// the io_context given to create(); controllers.json and the pin file are written by the
// role's persistence worker. The MseControl methods are for other threads (the shell's): each
// waits, bounded by MseOptions::command_timeout, for the io thread or the disk write it needs.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/mse_control.h"
#include "common/owner_thread.h"
#include "common/result.h"
#include "common/worker_thread.h"
#include "identity/identity.h"
#include "mse/controller_link.h"
#include "mse/measurement_sink.h"
#include "mse/mse_config_store.h"
#include "mse/recorder.h"

namespace nmsp::mse {

/// The OpenNMSP version ("0.1.0"), sent as software-version in Init Request.
std::string softwareVersion();

struct MseOptions {
  std::filesystem::path data_dir;
  LinkOptions link;
  // How long an operator command waits for the io thread or for its disk write.
  std::chrono::milliseconds command_timeout{10000};
  // `--record FILE`: append every RSSI observation received (empty: do not record).
  std::filesystem::path record_file;
};

/// A configured controller as it is now: its address and the service set subscribed to on it
/// (the default set unless configured), or `services` nullopt when it was deleted.
struct ControllerChange {
  ControllerAddress address;
  std::optional<proto::ServiceMask> services;
};
using ControllerObserver = std::function<void(const ControllerChange&)>;

class MseRole final : public api::MseControl {
 public:
  /// Loads DATA/controllers.json and DATA/known_controllers.json and prepares the TLS client
  /// context from `identity`. Error text for the operator (the daemon prints it and exits).
  static Result<std::unique_ptr<MseRole>, std::string> create(
      boost::asio::io_context::executor_type executor, identity::Identity identity,
      MseOptions options);
  /// After stop() or once the io thread no longer runs: links still listed are told to stop,
  /// and the file writes already queued finish before this returns.
  ~MseRole() override;

  /// Starts a link for every persisted controller (on the io thread; returns at once).
  void start();
  /// Stops every link (their coroutines finish shortly after on the io thread). On the io
  /// thread at once; from another thread it waits for the io thread (bounded).
  void stop();

  const identity::Identity& identity() const override { return env_->identity; }
  std::vector<api::ControllerLinkStatus> controllers() const override;
  Result<void, std::string> addController(const std::string& host, uint16_t port) override;
  Result<void, std::string> deleteController(const std::string& host,
                                             std::optional<uint16_t> port) override;
  void setUnauthenticatedNmsp(bool on) override;
  bool unauthenticatedNmsp() const override;
  trace::TraceBuffer& trace() override { return env_->trace; }
  std::string name() const override { return env_->options.name; }

  Result<void, std::string> setControllerServices(const std::string& host,
                                                  std::optional<uint16_t> port,
                                                  std::optional<uint64_t> services) override;
  Result<devices::DevicesSummary, std::string> devices(std::optional<proto::DeviceKind> kind,
                                                       size_t limit) const override;
  Result<std::optional<devices::DeviceDetail>, std::string> device(
      const MacAddress& mac) const override;
  std::optional<api::RecordStatus> recording() const override;

  /// THE SEAM for measurement consumers (measurement_sink.h): `sink` is called on the io
  /// thread for every device measurement and every AP Info, after the device table took it.
  /// Any thread; returns at once (the registration is posted to the io thread, so a sink
  /// registered before start() sees every report).
  void addMeasurementSink(std::shared_ptr<MeasurementSink> sink);
  /// The observer of the configured controllers (the store's controllers table, src/app): called
  /// on the io thread, and must not block, once per configured controller at start() and after
  /// each add, delete and service change is saved (controllers.json), in that order. Any thread;
  /// returns at once (posted to the io thread, so an observer set before start() sees the
  /// start-up list). One observer: setting another replaces it.
  void setControllerObserver(ControllerObserver observer);
  /// io thread only (e.g. from a sink): the merged device table.
  const devices::DeviceTable& deviceTable() const { return env_->data.table(); }

  /// Where the role's file writes run (tests queue work on it to stall the disk).
  WorkerThread& persistence() { return *disk_; }

 private:
  MseRole(boost::asio::io_context::executor_type executor, std::shared_ptr<LinkEnvironment> env,
          std::shared_ptr<WorkerThread> disk, std::shared_ptr<MseConfigStore> config,
          std::vector<ControllerAddress> addresses,
          std::map<std::string, proto::ServiceMask> services, std::shared_ptr<Recorder> recorder,
          std::chrono::milliseconds command_timeout);

  /// Runs `job` on the io thread (at once when called there) and waits for it, bounded.
  Result<void, std::string> onIo(std::function<Result<void, std::string>()> job) const;
  template <class T>
  Result<T, std::string> onDisk(std::function<Result<T, std::string>()> job) const;
  // io thread only.
  void startLink(const ControllerAddress& address);
  void stopLinks();
  proto::ServiceMask servicesOf(const ControllerAddress& address) const;
  /// Tells the observer about `address` (deleted: services nullopt).
  void notifyController(const ControllerAddress& address, bool deleted) const;
  std::vector<api::ControllerLinkStatus> statusRows() const;

  boost::asio::io_context::executor_type executor_;
  std::shared_ptr<LinkEnvironment> env_;
  std::shared_ptr<WorkerThread> disk_;        // the persistence worker (the only strong owner)
  std::shared_ptr<MseConfigStore> config_;    // touched only by jobs on disk_
  const std::shared_ptr<Recorder> recorder_;  // --record, or null
  const std::chrono::milliseconds command_timeout_;
  // Owned by the io thread.
  OwnerThread io_thread_;
  std::vector<ControllerAddress> addresses_;            // as saved in controllers.json
  std::map<std::string, proto::ServiceMask> services_;  // by endpointName, as saved
  std::vector<std::shared_ptr<ControllerLink>> links_;
  ControllerObserver observer_;
  bool started_ = false;
  bool announced_ = false;  // the observer was given the start-up list
};

}  // namespace nmsp::mse
