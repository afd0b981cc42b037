#pragma once
// The controller's data path wired on its io thread (docs/data-path.md, "Wiring / Controller"):
// the source (radio simulator or replay of a measurement file), the per-device store and
// aggregation (aggregate::Aggregator), the per-MSE subscriptions (aggregate::Subscriptions) and
// a timer that, at least every data tick, feeds the store, collects the due streams and queues
// each MSE its frames on its own channel (SendClass::notification: a full queue drops that
// MSE's oldest notifications, counted by its session core). Io thread only (asserted).

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "aggregate/aggregator.h"
#include "aggregate/replay.h"
#include "aggregate/subscriptions.h"
#include "api/controller_control.h"
#include "common/owner_thread.h"
#include "common/result.h"
#include "controller/controller_options.h"
#include "controller/controller_state.h"
#include "radio/simulator.h"
#include "session/frame_channel.h"

namespace nmsp::controller {

class DataPath {
 public:
  /// Builds the source named in options.source (errors: operator text naming the file).
  static Result<std::unique_ptr<DataPath>, std::string> create(
      boost::asio::io_context& io, const ControllerOptions& options,
      const aggregate::AggregationSettings& settings, ControllerState& state);
  ~DataPath();

  /// On the io thread: loads the AP table into the store, starts the simulator's clock and the
  /// data timer.
  void start();
  /// On the io thread: cancels the timer (the controller stops).
  void stop();

  /// An established session (after TLS) and its channel; removeSession at its end (its
  /// subscriptions go, its streams close).
  void addSession(uint32_t conn, std::shared_ptr<session::FrameChannel> channel);
  void removeSession(uint32_t conn);

  /// Subscribe Request: the response to send; then sendApTable() if `send_ap_table`. Starts a
  /// replay when the first MSE subscribes to data.
  aggregate::SubscribeResult subscribe(uint32_t conn, const proto::ServiceSubscribeRequest& request,
                                       uint32_t transaction_id);
  /// The whole AP table to `conn`, with the transaction id of its ap-info subscription.
  void sendApTable(uint32_t conn);
  proto::ServiceUnsubscribeResponse unsubscribe(uint32_t conn,
                                                const proto::ServiceUnsubscribeRequest& request);
  /// The MSE's subscription as the status row shows it.
  void describe(uint32_t conn, api::MseSessionStatus& status) const;

  proto::MeasurementResponse measurement(const proto::MeasurementRequest& request) const;
  proto::InfoResponse info(const proto::InfoRequest& request) const;
  proto::StatisticsResponse statistics(const proto::StatisticsRequest& request) const;

  void setSettings(const aggregate::AggregationSettings& settings);
  const aggregate::AggregationSettings& settings() const { return aggregator_.settings(); }

 private:
  DataPath(boost::asio::io_context& io, const ControllerOptions& options,
           const aggregate::AggregationSettings& settings, ControllerState& state);

  uint64_t nowMs() const;
  void tick();
  void schedule(uint64_t now);
  void deliver(const std::vector<aggregate::Delivery>& deliveries);
  void publish();

  boost::asio::io_context& io_;
  const ControllerOptions& options_;
  ControllerState& state_;
  OwnerThread io_thread_;
  aggregate::Aggregator aggregator_;
  aggregate::Subscriptions subscriptions_;
  std::unique_ptr<radio::Simulator> simulator_;
  uint64_t simulator_start_ms_ = 0;
  std::unique_ptr<aggregate::ReplayScheduler> replay_;
  bool replay_done_ = false;  // the end of a replay was logged
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  std::map<uint32_t, std::shared_ptr<session::FrameChannel>> channels_;
  std::map<uint32_t, api::MseDataCounters> sent_;
  uint64_t lost_ = 0;
  // Reused per tick.
  std::vector<aggregate::StreamOutput> outputs_;
  std::vector<aggregate::Delivery> deliveries_;
};

}  // namespace nmsp::controller
