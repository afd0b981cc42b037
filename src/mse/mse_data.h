#pragma once
// What the MSE does with the data its controllers send (docs/data-path.md, "Wiring / MSE"):
// every decoded Measurement / Info / Statistics / Attachment / AP Info Notification goes into
// the one devices::DeviceTable, then to the registered MeasurementSinks (measurement_sink.h),
// and the RSSI observations to the `--record` file (recorder.h). Owned by the MSE's io thread
// (asserted); shared by the role and its links.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/owner_thread.h"
#include "devices/device_table.h"
#include "mse/measurement_sink.h"
#include "mse/recorder.h"
#include "proto/messages.h"

namespace nmsp::mse {

class MseData {
 public:
  explicit MseData(devices::Limits limits = {}) : table_(limits) {}

  /// The table's id for a controller's name ("host:port").
  devices::ControllerId controller(const std::string& name);
  void addSink(std::shared_ptr<MeasurementSink> sink);
  void setRecorder(std::shared_ptr<Recorder> recorder);

  /// Takes a decoded message's data; false when `message` carries none (not a data
  /// notification or response).
  bool onMessage(devices::ControllerId via, const std::string& via_name,
                 const proto::Message& message, uint64_t now_ms);

  const devices::DeviceTable& table() const;

 private:
  void onMeasurements(devices::ControllerId via, const std::string& via_name,
                      const std::vector<proto::DeviceMeasurement>& devices, uint64_t now_ms);

  OwnerThread owner_;
  devices::DeviceTable table_;
  std::vector<std::shared_ptr<MeasurementSink>> sinks_;
  std::shared_ptr<Recorder> recorder_;
};

}  // namespace nmsp::mse
