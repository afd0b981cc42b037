#pragma once
// Everything the controller role can be configured with (the daemon's flags map onto it).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "aggregate/aggregator.h"
#include "aggregate/replay.h"
#include "identity/identity.h"
#include "proto/services.h"
#include "radio/simulator_config.h"
#include "session/frame_channel.h"
#include "venue/venue.h"

namespace nmsp::controller {

using SystemClock = std::function<std::chrono::system_clock::time_point()>;

/// Services this controller offers in its Capability Notification (and grants on Subscribe).
inline constexpr proto::ServiceMask kDefaultOfferedServices =
    proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::RssiRfid) |
    proto::bit(proto::Service::RssiRogue) | proto::bit(proto::Service::RssiInterferer) |
    proto::bit(proto::Service::InfoMs) | proto::bit(proto::Service::InfoRfid) |
    proto::bit(proto::Service::InfoRogue) | proto::bit(proto::Service::StatsMs) |
    proto::bit(proto::Service::StatsRfid) | proto::bit(proto::Service::StatsRogue) |
    proto::bit(proto::Service::Attach) | proto::bit(proto::Service::OnDemand) |
    proto::bit(proto::Service::ApInfo) | proto::bit(proto::Service::ApMonitor);

/// Each MSE's send queue bound (`--mse-queue-mib`). A notification interval is collected at
/// once, so the queue must hold one interval's frames: at the Catalyst 9800-80 worst case
/// (64,000 clients x 16 APs, half-life 0) a 2 s rssi-ms collect is about 22 MB of Measurement
/// Notifications; 64 MiB hold about three. Beyond it the oldest notifications are dropped and
/// counted (docs/architecture.md "Send queue policy"). The frames are encoded once and shared, so
/// MSEs that keep up share one copy; only an MSE that lags holds frames of its own.
inline constexpr size_t kMseQueueBytes = size_t{64} * 1024 * 1024;

/// A controller session's channel options: the defaults with the per-MSE queue bound.
inline session::ChannelOptions mseChannelOptions() {
  session::ChannelOptions options;
  options.max_queued_bytes = kMseQueueBytes;
  return options;
}

/// Where the controller's data comes from (docs/data-path.md): nothing, the radio simulator
/// (`--venue FILE --simulate`) or a measurement file (`--replay FILE [--speed X] [--loop]`).
struct DataSourceOptions {
  enum class Kind : uint8_t { None, Simulate, Replay };
  Kind kind = Kind::None;
  std::optional<venue::Venue> venue;  // required to simulate; a replay takes its APs from it
  radio::SimulatorConfig simulator;   // start_utc_ms is set when the controller starts
  std::filesystem::path replay_file;
  aggregate::ReplayOptions replay;
};

struct ControllerOptions {
  std::filesystem::path data_dir;  // identity/, authlist.json
  std::string listen_host = "0.0.0.0";
  uint16_t listen_port = 16113;   // 0: any free port (tests), see Controller::port()
  size_t max_connections = 1000;  // concurrent TCP connections (handshaking or established)
  std::chrono::milliseconds handshake_timeout{10000};  // TLS handshake, and then Init
  std::chrono::milliseconds clock_tolerance{60000};    // Init clock skew allowed
  // No frame for this long closes the session (--session-idle-timeout); must exceed 3 MSE echo
  // intervals (15 s by default) or a healthy MSE flaps.
  std::chrono::milliseconds idle_timeout{60000};
  std::string name;  // host name sent in Init Response
  std::string software_version = "OpenNMSP 0.1.0";
  proto::ServiceMask offered_services = kDefaultOfferedServices;
  identity::KeyType key_type = identity::KeyType::Rsa2048;  // of a newly created identity
  session::ChannelOptions channel = mseChannelOptions();
  // How long an operator command waits for its disk write (auth list, strong-cipher) before it
  // reports that no answer came; the write itself runs on the persistence worker.
  std::chrono::milliseconds command_timeout{10000};
  SystemClock clock;  // certificate validity and Init clocks; default system_clock::now
  DataSourceOptions source;
  // The data path's clock (store times, replay and simulator time, intervals); default
  // system_clock::now. Apart from `clock` so that tests can run it faster than the Init clock.
  SystemClock data_clock;
  // The data path's timer: sources are read and due streams collected at least this often.
  std::chrono::milliseconds data_tick{100};
  aggregate::Limits aggregation_limits;
};

}  // namespace nmsp::controller
