#pragma once
// The seam for MSE components that consume what the controllers report (the location
// pipeline, exporters): implement MeasurementSink and register it once with
// MseRole::addMeasurementSink(sink). docs/data-path.md, "Wiring / MSE", step 4.
//
// Contract:
// - Every call runs on the MSE's io thread, in the order the reports arrived (one controller's
//   reports in its frame order; controllers interleaved as their frames are read).
// - onMeasurement is called once per device entry of every Measurement Notification, AFTER the
//   device table (devices::DeviceTable) has taken it, so MseRole::devices() already shows it.
//   onInfo / onStatistics are called once per device entry of every Info / Statistics
//   Notification, after the device table took it (MseRole::devices() shows it). onApInfo is
//   called once per AP of every AP Info Notification, after the AP table took it. Responses
//   (Measurement/Info/Statistics Response) are not passed on: the MSE sends no such Requests.
// - onMeasurement must be implemented; onInfo, onStatistics and onApInfo do nothing unless
//   overridden.
// - `via` is the controller as configured, "host:port" ("[v6]:port" for IPv6 literals), the
//   name `show devices` prints in its Via column. `now_ms` is the MSE's UTC clock in ms when the
//   frame was decoded; each AP report also carries its observation time (ApRssi::timestamp_utc_ms).
// - The references are valid only during the call: copy what you keep.
// - A sink must not block (no file, database or lock held across I/O: docs/architecture.md);
//   heavy work goes to its own thread through its own bounded queue.
// - Sinks are kept (shared ownership) until the role is destroyed; there is no removal.

#include <cstdint>
#include <string>

#include "proto/messages.h"

namespace nmsp::mse {

class MeasurementSink {
 public:
  virtual ~MeasurementSink() = default;

  /// One device's RSSI reports (up to 16 AP radios) from one controller.
  virtual void onMeasurement(const std::string& via, const proto::DeviceMeasurement& measurement,
                             uint64_t now_ms) = 0;
  /// One device's info (addresses, SSID, VLAN, association, battery, ...) from one controller.
  virtual void onInfo(const std::string& via, const proto::DeviceInfo& info, uint64_t now_ms) {
    (void)via;
    (void)info;
    (void)now_ms;
  }
  /// One device's traffic counters from one controller.
  virtual void onStatistics(const std::string& via, const proto::DeviceStatistics& statistics,
                            uint64_t now_ms) {
    (void)via;
    (void)statistics;
    (void)now_ms;
  }
  /// One managed AP (MAC, name, radios) from one controller's AP Info Notification.
  virtual void onApInfo(const std::string& via, const proto::ApInfo& ap, uint64_t now_ms) {
    (void)via;
    (void)ap;
    (void)now_ms;
  }
};

}  // namespace nmsp::mse
