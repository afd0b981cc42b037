#pragma once
// Writes what the simulator's APs hear as a measurement file (one line per AP report) and,
// optionally, the ground truth of each measurement (one line per emission of a device; managed
// APs' own emissions have none: the venue file holds their positions). What `nmsp simulate`
// writes.

#include <cstdint>

#include "measurement/record_writer.h"
#include "radio/simulator.h"

namespace nmsp::radio {

class RecordingSink : public SimulatorSink {
 public:
  RecordingSink(const venue::Venue& venue, measurement::RecordWriter& observations,
                measurement::RecordWriter* truth);

  void onMeasurement(const proto::DeviceMeasurement& measurement,
                     const DeviceTruth& truth) override;

 private:
  const venue::Venue& venue_;
  measurement::RecordWriter& observations_;
  measurement::RecordWriter* truth_;
  measurement::Observation observation_;
  measurement::TruthRecord truth_record_;
};

}  // namespace nmsp::radio
