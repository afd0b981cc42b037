#pragma once
// The device simulator: clients, RFID tags, rogue APs and clients and interferers moving
// through a venue, heard by its APs through the radio model, plus the APs hearing each other.
// Time is simulated: the caller advances it and receives what happened through a
// SimulatorSink, in time order, with the ground truth of each measurement. The same venue,
// configuration and seed give the same stream, bit for bit, however the time is advanced.
// Single-threaded; nothing is allocated per observation.

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "common/result.h"
#include "measurement/truth.h"
#include "proto/messages.h"
#include "radio/floor_plan.h"
#include "radio/mobility.h"
#include "radio/radio_model.h"
#include "radio/simulator_config.h"
#include "venue/venue.h"

namespace nmsp::radio {

/// Where the transmitter of a measurement really was.
struct DeviceTruth {
  uint64_t ts_ms = 0;
  uint32_t floor = 0;  // index into the venue's floors (nearest level when on stairs)
  double x_m = 0;
  double y_m = 0;
  double z_m = 0;  // height above that floor's level
  measurement::Motion motion = measurement::Motion::Still;
};

/// Receives the simulator's events; the references are valid during the call only.
class SimulatorSink {
 public:
  virtual ~SimulatorSink() = default;
  /// One emission and the APs that heard it (strongest first; each report carries the time).
  virtual void onMeasurement(const proto::DeviceMeasurement& measurement,
                             const DeviceTruth& truth) = 0;
  virtual void onInfo(const proto::DeviceInfo& /*info*/) {}
  virtual void onStatistics(const proto::DeviceStatistics& /*statistics*/) {}
  virtual void onAttachment(const proto::Attachment& /*attachment*/) {}
};

struct SimulatorCounters {
  uint64_t events = 0;
  uint64_t emissions = 0;     // transmissions simulated (bursts, beacons, neighbour packets)
  uint64_t measurements = 0;  // emissions heard by at least one AP
  uint64_t observations = 0;  // AP reports in those
  uint64_t infos = 0;
  uint64_t statistics = 0;
  uint64_t attachments = 0;
};

class Simulator {
 public:
  /// Reads the venue's simulator-only parts (errors name their JSON path).
  static Result<std::unique_ptr<Simulator>, std::string> create(const venue::Venue& venue,
                                                                const SimulatorConfig& config);
  Simulator(const venue::Venue& venue, const Site& site, const SimulatorConfig& config);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Simulated milliseconds since the start (timestamps add config.start_utc_ms).
  uint64_t nowMs() const { return now_ms_; }
  std::optional<uint64_t> nextEventMs() const;
  /// Delivers every event due at or before `t_ms`, then sets the clock to `t_ms`.
  void advanceTo(uint64_t t_ms, SimulatorSink& sink);
  /// Delivers the next event (the clock moves to its time); false if none is left.
  bool step(SimulatorSink& sink);

  size_t deviceCount() const;
  MacAddress deviceMac(uint32_t device) const;
  proto::DeviceKind deviceKind(uint32_t device) const;
  /// Where the device is now (moves it along its plan up to now).
  DeviceTruth truth(uint32_t device);
  proto::DeviceInfo info(uint32_t device) const;
  /// Counters of an associated client up to its last statistics event; nullopt for others.
  std::optional<proto::DeviceStatistics> statistics(uint32_t device) const;

  const venue::Venue& venue() const { return venue_; }
  const RadioModel& radio() const { return radio_; }
  /// Every managed AP with its radios (what AP Info Notifications carry).
  const std::vector<proto::ApInfo>& apInfos() const { return ap_infos_; }
  const SimulatorCounters& counters() const { return counters_; }
  size_t memoryBytes() const;

 private:
  struct Device;
  enum class Timer : uint8_t;
  struct Scheduled {
    uint64_t at_ms;
    uint32_t index;
    Timer timer;
    bool operator>(const Scheduled& o) const;
  };

  void schedule(uint64_t at_ms, Timer timer, uint32_t index);
  void handle(const Scheduled& event, SimulatorSink& sink);
  void start(uint32_t device, SimulatorSink& sink);
  void emit(uint32_t device, SimulatorSink& sink);
  void emitApNeighbour(uint32_t ap, proto::Band band, SimulatorSink& sink);
  void session(uint32_t device, SimulatorSink& sink);
  void statisticsTick(uint32_t device, SimulatorSink& sink);
  void tagInfoTick(uint32_t device, SimulatorSink& sink);
  void associate(uint32_t device, uint32_t ap, SimulatorSink& sink);
  void disassociate(uint32_t device, SimulatorSink& sink);
  void accrueTraffic(Device& d);
  void sendInfo(uint32_t device, SimulatorSink& sink);
  void fillInfo(uint32_t device, proto::DeviceInfo& info) const;
  void fillStatistics(const Device& d, proto::DeviceStatistics& stats) const;
  void sendAttachment(const Device& d, proto::AttachState state, uint32_t ap, SimulatorSink& sink);
  void fillMeasurement(const MacAddress& mac, proto::DeviceKind kind, proto::Band band,
                       const RadioModel::Receptions& heard, size_t count);
  double nextInterval(Device& d) const;
  const DwellRange& dwellOf(const Device& d) const;
  Whereabouts locate(Device& d);
  uint64_t stamp() const { return config_.start_utc_ms + now_ms_; }

  venue::Venue venue_;
  SimulatorConfig config_;
  RadioModel radio_;
  FloorPlan plan_;
  std::vector<MacAddress> ap_macs_;  // venue order
  std::vector<proto::ApInfo> ap_infos_;
  std::vector<Device> devices_;
  std::vector<uint32_t> ap_emissions_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> queue_;
  uint64_t now_ms_ = 0;
  SimulatorCounters counters_;
  // Reused for every event: nothing is allocated per observation.
  proto::DeviceMeasurement measurement_;
  proto::DeviceInfo info_;
  proto::DeviceStatistics statistics_;
  proto::Attachment attachment_;
};

}  // namespace nmsp::radio
