#include "radio/recording_sink.h"

#include "measurement/observation.h"

namespace nmsp::radio {

RecordingSink::RecordingSink(const venue::Venue& venue, measurement::RecordWriter& observations,
                             measurement::RecordWriter* truth)
    : venue_(venue), observations_(observations), truth_(truth) {}

void RecordingSink::onMeasurement(const proto::DeviceMeasurement& measurement,
                                  const DeviceTruth& truth) {
  for (const proto::ApRssi& report : measurement.aps) {
    observation_ = measurement::fromApRssi(measurement.mac, measurement.kind, report);
    observations_.write(observation_);
  }
  if (truth_ == nullptr || measurement.kind == proto::DeviceKind::Ap) {
    return;
  }
  truth_record_.ts_ms = truth.ts_ms;
  truth_record_.device = measurement.mac;
  truth_record_.kind = measurement.kind;
  truth_record_.floor = venue_.floors[truth.floor].id;
  truth_record_.x_m = truth.x_m;
  truth_record_.y_m = truth.y_m;
  truth_record_.z_m = truth.z_m;
  truth_record_.motion = truth.motion;
  truth_->write(truth_record_);
}

}  // namespace nmsp::radio
