#pragma once
// Everything about simulated devices that is not the site's physics (which comes from the venue
// file, radio_params.h): how many of each kind, how they move, how often they transmit, how
// clients associate. Defaults are documented in docs/simulator.md, "Devices".

#include <cstdint>

#include "radio/mobility.h"

namespace nmsp::radio {

struct Population {
  uint32_t clients = 50;
  uint32_t tags = 10;
  uint32_t rogue_aps = 2;
  uint32_t rogue_clients = 2;
  uint32_t interferers = 0;
};

struct BehaviourParams {
  MotionParams motion;
  double device_height_m = 1.2;  // phones and laptops above their floor
  double tag_height_m = 1.0;

  // Clients (and rogue clients): who moves, how often they probe.
  double still_fraction = 0.4;  // never move (desks, meeting rooms)
  DwellRange client_dwell{10, 300};
  double probe_interval_min_s = 5;  // each client's mean interval: log-uniform in [min, max]
  double probe_interval_max_s = 60;
  double probe_jitter = 0.3;          // each interval: mean x uniform [1 - jitter, 1 + jitter]
  double dual_band_fraction = 0.8;    // the others probe on 2.4 GHz only
  double five_ghz_probability = 0.6;  // a dual-band client's burst is on 5 GHz

  // RFID tags: 2.4 GHz beacons on a fixed interval.
  double tag_moving_fraction = 0.2;  // assets that get moved now and then
  DwellRange tag_dwell{120, 1800};
  double tag_beacon_interval_min_s = 3;  // each tag's interval: log-uniform in [min, max]
  double tag_beacon_interval_max_s = 30;
  double tag_beacon_jitter = 0.02;
  double tag_info_interval_s = 60;  // battery and telemetry reports
  double tag_battery_drain_pct_per_hour = 1.0;

  // Rogue APs beacon all the time; APs report them when their scan comes round.
  double rogue_report_interval_s = 30;  // with probe_jitter
  // Interferers (microwave ovens, video senders): on for a while, then off.
  double interferer_report_interval_s = 15;
  DwellRange interferer_on{30, 300};
  DwellRange interferer_off{60, 600};

  // Transmit powers before each device's own offset (RadioParams::device_tx_spread_db).
  double client_tx_dbm = 15;
  double tag_tx_dbm = 14;
  double rogue_ap_tx_dbm = 20;
  double interferer_tx_dbm = 18;
  double ap_tx_dbm = 20;  // neighbour packets, at full power on both radios

  // Managed APs hear each other's neighbour packets (kind "ap"), per radio.
  double ap_neighbour_interval_s = 60;

  // Associations of clients.
  double associated_fraction = 0.85;     // the others only probe
  DwellRange session{600, 7200};         // associated for this long, then disassociate
  DwellRange reassociate{5, 120};        // and come back after this long
  int roam_hysteresis_db = 8;            // roam when another AP is this much stronger
  double statistics_interval_s = 30;     // per associated client
  double traffic_min_bytes_per_s = 100;  // each client's rate: log-uniform in [min, max]
  double traffic_max_bytes_per_s = 200000;
};

struct SimulatorConfig {
  uint64_t seed = 1;
  uint64_t start_utc_ms = 0;  // added to every timestamp: 0 gives times relative to the start
  Population population;
  BehaviourParams behaviour;
  bool ap_neighbours = true;
};

}  // namespace nmsp::radio
