#include "controller/data_path.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "controller/replay_file_reader.h"
#include "measurement/observation.h"

namespace nmsp::controller {
namespace asio = boost::asio;
using aggregate::StreamKind;

namespace {

// Observations handed from the replay to the store per tick: keeps a tick short. The file is
// read and parsed on the replay's own thread (ReplayFileReader); storing an observation costs
// the io thread well under a microsecond, so 50,000 are a few milliseconds. A replay behind its
// schedule ticks again 1 ms later; one waiting for its reader thread, kReplayWaitMs later.
constexpr size_t kReplayBatch = 50'000;
constexpr uint64_t kReplayWaitMs = 5;

class StoreSink : public radio::SimulatorSink {
 public:
  StoreSink(aggregate::Aggregator& aggregator, uint64_t now) : aggregator_(aggregator), now_(now) {}
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    aggregator_.observe(m, now_);
  }
  void onInfo(const proto::DeviceInfo& info) override { aggregator_.info(info, now_); }
  void onStatistics(const proto::DeviceStatistics& s) override { aggregator_.statistics(s, now_); }
  void onAttachment(const proto::Attachment& a) override { aggregator_.attachment(a); }

 private:
  aggregate::Aggregator& aggregator_;
  uint64_t now_;
};

}  // namespace

DataPath::DataPath(asio::io_context& io, const ControllerOptions& options,
                   const aggregate::AggregationSettings& settings, ControllerState& state)
    : io_(io),
      options_(options),
      state_(state),
      aggregator_(settings, options.aggregation_limits),
      timer_(io) {}

DataPath::~DataPath() = default;

Result<std::unique_ptr<DataPath>, std::string> DataPath::create(
    asio::io_context& io, const ControllerOptions& options,
    const aggregate::AggregationSettings& settings, ControllerState& state) {
  std::unique_ptr<DataPath> path(new DataPath(io, options, settings, state));
  const DataSourceOptions& source = options.source;
  using Kind = DataSourceOptions::Kind;
  if (source.kind == Kind::Simulate || (source.kind == Kind::Replay && source.venue)) {
    if (!source.venue) {
      return Unexpected{std::string("--simulate needs --venue FILE")};
    }
    radio::SimulatorConfig config = source.simulator;
    path->simulator_start_ms_ = path->nowMs();
    config.start_utc_ms = path->simulator_start_ms_;
    if (source.kind == Kind::Replay) {
      config.population = {0, 0, 0, 0, 0};  // only the venue's APs (the AP table)
      config.ap_neighbours = false;
    }
    auto simulator = radio::Simulator::create(*source.venue, config);
    if (!simulator) {
      return Unexpected{fmt::format("venue: {}", simulator.error())};
    }
    path->simulator_ = std::move(*simulator);
  }
  if (source.kind == Kind::Replay) {
    if (auto valid = aggregate::validate(source.replay); !valid) {
      return Unexpected{valid.error()};
    }
    const std::string file = source.replay_file.string();
    auto reader = ReplayFileReader::open(
        source.replay_file, source.replay.loop, [file](const measurement::LineProblem& problem) {
          spdlog::warn("replay {}: {}, skipped", file, measurement::describe(problem));
        });
    if (!reader) {
      return Unexpected{reader.error()};
    }
    path->replay_ = std::make_unique<aggregate::ReplayScheduler>(std::move(*reader), source.replay);
  }
  return path;
}

uint64_t DataPath::nowMs() const {
  const auto now = options_.data_clock ? options_.data_clock() : std::chrono::system_clock::now();
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
}

void DataPath::start() {
  asio::post(io_, [this] {
    io_thread_.assertOnOwner("the controller's data path");
    if (stopped_) {
      return;
    }
    if (simulator_) {
      for (const auto& ap : simulator_->apInfos()) {
        aggregator_.apInfo(ap);
      }
      if (replay_) {
        simulator_.reset();  // it only gave the venue's AP table
      }
    }
    const char* what = simulator_ ? "radio simulator" : replay_ ? "replay" : "none";
    spdlog::info("data path: source {}, {} APs, data tick {} ms", what, aggregator_.apCount(),
                 options_.data_tick.count());
    tick();
  });
}

void DataPath::stop() {
  io_thread_.assertOnOwner("the controller's data path");
  stopped_ = true;
  timer_.cancel();
}

void DataPath::addSession(uint32_t conn, std::shared_ptr<session::FrameChannel> channel) {
  io_thread_.assertOnOwner("the controller's data path");
  channels_[conn] = std::move(channel);
  sent_[conn] = {};
}

void DataPath::removeSession(uint32_t conn) {
  io_thread_.assertOnOwner("the controller's data path");
  subscriptions_.remove(conn, aggregator_);
  channels_.erase(conn);
  sent_.erase(conn);
}

aggregate::SubscribeResult DataPath::subscribe(uint32_t conn,
                                               const proto::ServiceSubscribeRequest& request,
                                               uint32_t transaction_id) {
  io_thread_.assertOnOwner("the controller's data path");
  auto result = subscriptions_.subscribe(conn, request, transaction_id, options_.offered_services,
                                         aggregator_.settings(), aggregator_, nowMs());
  if (replay_ && !replay_->started() && subscriptions_.anyData()) {
    spdlog::info("replay {}: the first MSE subscribed, playing at speed {}{}",
                 options_.source.replay_file.string(), options_.source.replay.speed,
                 options_.source.replay.loop ? ", looping" : "");
    replay_->start(nowMs());
    timer_.cancel();  // reschedule now: the first observations are due at once
  }
  return result;
}

void DataPath::sendApTable(uint32_t conn) {
  io_thread_.assertOnOwner("the controller's data path");
  deliveries_.clear();
  subscriptions_.routeTo(conn, proto::Service::ApInfo, aggregator_.apInfoFrames(), deliveries_);
  deliver(deliveries_);
  deliveries_.clear();
  publish();
}

proto::ServiceUnsubscribeResponse DataPath::unsubscribe(
    uint32_t conn, const proto::ServiceUnsubscribeRequest& request) {
  io_thread_.assertOnOwner("the controller's data path");
  return subscriptions_.unsubscribe(conn, request, aggregator_);
}

void DataPath::describe(uint32_t conn, api::MseSessionStatus& status) const {
  const auto* sub = subscriptions_.find(conn);
  status.subscriptions = sub != nullptr ? sub->services : 0;
  status.service_interval_s = sub != nullptr ? sub->interval_s : decltype(sub->interval_s){};
}

proto::MeasurementResponse DataPath::measurement(const proto::MeasurementRequest& request) const {
  return aggregator_.measurement(request, nowMs());
}

proto::InfoResponse DataPath::info(const proto::InfoRequest& request) const {
  return aggregator_.info(request);
}

proto::StatisticsResponse DataPath::statistics(const proto::StatisticsRequest& request) const {
  return aggregator_.statistics(request);
}

void DataPath::setSettings(const aggregate::AggregationSettings& settings) {
  io_thread_.assertOnOwner("the controller's data path");
  aggregator_.setSettings(settings);
  // Open streams that follow the class intervals move to the new ones at once.
  if (const size_t moved = subscriptions_.applySettings(settings, aggregator_, nowMs());
      moved > 0) {
    for (const auto& [conn, channel] : channels_) {  // `show nmsp subscription detail` rows
      state_.updateSession(conn, [&](api::MseSessionStatus& s) { describe(conn, s); });
    }
    spdlog::info("notification intervals changed: {} MSE stream(s) moved to the new interval",
                 moved);
  }
}

void DataPath::tick() {
  if (stopped_) {
    return;
  }
  const uint64_t now = nowMs();
  if (simulator_) {
    StoreSink sink(aggregator_, now);
    simulator_->advanceTo(now >= simulator_start_ms_ ? now - simulator_start_ms_ : 0, sink);
  }
  if (replay_ && replay_->started()) {
    replay_->poll(
        now,
        [&](const measurement::Observation& o) {
          aggregator_.observe(o.device, o.kind, measurement::toApRssi(o), now);
        },
        kReplayBatch);
    if (!replay_done_ && replay_->finished()) {
      replay_done_ = true;
      const auto& c = replay_->counters();
      spdlog::info("replay {}: finished: {} lines, {} observations played, {} skipped",
                   options_.source.replay_file.string(), c.lines, c.played, c.skipped);
    }
  }
  outputs_.clear();
  aggregator_.collect(now, outputs_);
  for (const auto& output : outputs_) {
    lost_ += output.lost;
  }
  deliveries_.clear();
  subscriptions_.route(outputs_, deliveries_);
  deliver(deliveries_);
  publish();
  schedule(now);
}

void DataPath::schedule(uint64_t now) {
  uint64_t next = now + static_cast<uint64_t>(options_.data_tick.count());
  if (auto due = aggregator_.nextDueMs()) {
    next = std::min(next, std::max(*due, now + 1));
  }
  if (replay_ && replay_->started()) {
    if (auto due = replay_->nextDueMs()) {
      next = std::min(next, std::max(*due, now + 1));
    } else if (replay_->waiting()) {
      next = std::min(next, now + kReplayWaitMs);
    }
  }
  timer_.expires_after(std::chrono::milliseconds(next - now));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (stopped_) {
      return;
    }
    // Cancelled by subscribe() when a replay starts: tick now.
    (void)ec;
    tick();
  });
}

void DataPath::deliver(const std::vector<aggregate::Delivery>& deliveries) {
  for (const auto& d : deliveries) {
    const auto channel = channels_.find(static_cast<uint32_t>(d.mse));
    if (channel == channels_.end()) {
      continue;
    }
    if (!channel->second->sendEncoded(d.frame, session::SendClass::notification)) {
      continue;  // closed or too large: counted by the session core
    }
    api::MseDataCounters& sent = sent_[channel->first];
    switch (aggregate::streamKindOf(d.service)) {
      case StreamKind::Measurement:
        ++sent.measurement_notifications;
        break;
      case StreamKind::Info:
        ++sent.info_notifications;
        break;
      case StreamKind::Statistics:
        ++sent.statistics_notifications;
        break;
      case StreamKind::Attachment:
        ++sent.attachment_notifications;
        break;
      case StreamKind::ApInfo:
        ++sent.ap_info_notifications;
        break;
      case StreamKind::None:
        break;
    }
  }
}

void DataPath::publish() {
  // Once per tick: one lock per MSE row and one for the totals, never per frame.
  for (const auto& [conn, sent] : sent_) {
    state_.updateSession(conn, [&](api::MseSessionStatus& s) { s.sent = sent; });
  }
  api::DataPathStatistics data;
  data.source = simulator_ ? "simulate" : replay_ ? "replay" : "none";
  data.devices = aggregator_.deviceCount();
  data.aps = aggregator_.apCount();
  const auto& c = aggregator_.counters();
  data.observations = c.observations;
  data.observations_capped = c.observations_capped;
  data.observations_filtered = c.observations_filtered;
  data.devices_evicted = c.devices_evicted;
  data.pending_dropped = c.pending_dropped;
  data.notifications_lost = lost_;
  data.attachments_dropped = c.attachments_dropped;
  data.frames_encoded = c.frames_encoded;
  if (replay_) {
    data.replay_started = replay_->started();
    data.replay_played = replay_->counters().played;
    data.replay_cycles = replay_->counters().cycles;
    data.replay_skipped = replay_->counters().skipped;
  }
  state_.updateStats([&](api::ControllerStatistics& s) { s.data = std::move(data); });
}

}  // namespace nmsp::controller
