#include "measurement/observation.h"

namespace nmsp::measurement {

proto::Band bandForSlot(uint8_t slot) {
  switch (slot) {
    case 0:
      return proto::Band::Band2_4GHz;
    case 2:
      return proto::Band::Band6GHz;
    default:
      return proto::Band::Band5GHz;
  }
}

proto::ApRssi toApRssi(const Observation& observation) {
  proto::ApRssi ap;
  ap.ap_mac = observation.ap;
  ap.slot = observation.slot;
  ap.band = observation.band.value_or(bandForSlot(observation.slot));
  ap.antenna = observation.antenna.value_or(0);
  ap.rssi_dbm = observation.rssi;
  ap.snr_db = observation.snr.value_or(0);
  ap.timestamp_utc_ms = observation.ts_ms;
  return ap;
}

Observation fromApRssi(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap) {
  Observation o;
  o.ts_ms = ap.timestamp_utc_ms;
  o.device = device;
  o.kind = kind;
  o.ap = ap.ap_mac;
  o.slot = ap.slot;
  o.rssi = ap.rssi_dbm;
  o.snr = ap.snr_db;
  o.band = ap.band;
  if (ap.antenna != 0) {
    o.antenna = ap.antenna;
  }
  return o;
}

}  // namespace nmsp::measurement
