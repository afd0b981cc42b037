// The simulator: the same seed gives the same stream however time is advanced; what it emits
// is what the model promises (the cap, the floor, the speeds, the rates, associations, info
// and counters that move); the recording sink writes files the readers take back.
#include "radio/simulator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "accuracy_venues.h"
#include "measurement/record_reader.h"
#include "radio/recording_sink.h"

namespace nmsp::radio {
namespace {

using proto::DeviceKind;

// Every event as one text line, and the parts the checks look at.
class Recorder : public SimulatorSink {
 public:
  struct Heard {
    proto::DeviceMeasurement measurement;
    DeviceTruth truth;
  };

  void onMeasurement(const proto::DeviceMeasurement& m, const DeviceTruth& t) override {
    std::string line = fmt::format("M {} {} {} {} {:.6f} {:.6f} {:.6f} {}", t.ts_ms,
                                   m.mac.toString(), static_cast<int>(m.kind), t.floor, t.x_m,
                                   t.y_m, t.z_m, static_cast<int>(t.motion));
    for (const auto& a : m.aps) {
      line += fmt::format(" {}/{}/{}/{}", a.ap_mac.toString(), a.slot, a.rssi_dbm, a.snr_db);
    }
    text += line + "\n";
    heard.push_back({m, t});
  }
  void onInfo(const proto::DeviceInfo& info) override {
    text += fmt::format("I {} {} {}\n", info.mac.toString(), info.ip_addresses.size(),
                        info.serving_ap ? info.serving_ap->toString() : "-");
    infos.push_back(info);
  }
  void onStatistics(const proto::DeviceStatistics& s) override {
    text += fmt::format("S {} {} {}\n", s.mac.toString(), *s.tx_bytes, *s.rx_packets);
    statistics.push_back(s);
  }
  void onAttachment(const proto::Attachment& a) override {
    text += fmt::format("A {} {} {} {}\n", a.device.toString(), static_cast<int>(a.state),
                        a.ap_mac->toString(), a.timestamp_utc_ms);
    attachments.push_back(a);
  }

  std::string text;
  std::vector<Heard> heard;
  std::vector<proto::DeviceInfo> infos;
  std::vector<proto::DeviceStatistics> statistics;
  std::vector<proto::Attachment> attachments;
};

SimulatorConfig config(uint64_t seed) {
  SimulatorConfig c;
  c.seed = seed;
  c.population = Population{60, 12, 3, 3, 2};
  return c;
}

std::unique_ptr<Simulator> simulatorFor(const venue::Venue& venue, const SimulatorConfig& c) {
  auto sim = Simulator::create(venue, c);
  EXPECT_TRUE(sim.has_value()) << sim.error();
  return std::move(*sim);
}

const venue::Venue& venueA() {
  static const venue::Venue v = makeOfficeVenue(test::accuracyVenueA());
  return v;
}
const venue::Venue& venueB() {
  static const venue::Venue v = makeOfficeVenue(test::accuracyVenueB());
  return v;
}

TEST(Simulator, SameSeedSameStreamHoweverTimeIsAdvanced) {
  constexpr uint64_t kEnd = 300'000;
  Recorder once;
  simulatorFor(venueB(), config(7))->advanceTo(kEnd, once);

  Recorder chunked;
  auto sim = simulatorFor(venueB(), config(7));
  for (uint64_t t = 0; t <= kEnd; t += 777) {
    sim->advanceTo(t, chunked);
    for (uint32_t d = 0; d < sim->deviceCount(); d += 7) {
      (void)sim->truth(d);  // asking where devices are changes nothing
      (void)sim->info(d);
    }
  }
  sim->advanceTo(kEnd, chunked);

  Recorder stepped;
  auto sim2 = simulatorFor(venueB(), config(7));
  while (sim2->nextEventMs() && *sim2->nextEventMs() <= kEnd) {
    ASSERT_TRUE(sim2->step(stepped));
  }
  EXPECT_GT(once.heard.size(), 1000u);
  EXPECT_EQ(once.text, chunked.text);
  EXPECT_EQ(once.text, stepped.text);

  Recorder other;
  simulatorFor(venueB(), config(8))->advanceTo(kEnd, other);
  EXPECT_NE(once.text, other.text);
}

// A device's stream depends on the seed, its kind and its index within the kind: adding
// clients leaves the first ones and every tag as they were.
TEST(Simulator, DevicesDoNotDependOnHowManyOthersThereAre) {
  auto run = [](uint32_t clients) {
    SimulatorConfig c = config(4);
    c.population = Population{clients, 5, 0, 0, 0};
    c.ap_neighbours = false;
    Recorder r;
    simulatorFor(venueB(), c)->advanceTo(600'000, r);
    return r;
  };
  const Recorder few = run(10);
  const Recorder more = run(30);
  std::set<MacAddress> first;
  for (const auto& h : few.heard) {
    first.insert(h.measurement.mac);
  }
  std::vector<const Recorder::Heard*> a, b;
  for (const auto& h : few.heard) {
    a.push_back(&h);
  }
  for (const auto& h : more.heard) {
    if (first.count(h.measurement.mac)) {
      b.push_back(&h);
    }
  }
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]->measurement, b[i]->measurement);
    EXPECT_EQ(a[i]->truth.x_m, b[i]->truth.x_m);
  }
}

TEST(Simulator, MeasurementsKeepTheModelsPromises) {
  auto sim = simulatorFor(venueB(), config(3));
  Recorder r;
  sim->advanceTo(900'000, r);
  std::set<MacAddress> aps;
  for (const auto& f : venueB().floors) {
    for (const auto& a : f.aps) {
      aps.insert(a.mac);
    }
  }
  uint64_t last_ts = 0;
  std::map<MacAddress, std::vector<const Recorder::Heard*>> by_device;
  std::map<DeviceKind, size_t> kinds;
  size_t stairs = 0;
  for (const auto& h : r.heard) {
    const auto& m = h.measurement;
    ASSERT_FALSE(m.aps.empty());
    ASSERT_LE(m.aps.size(), 16u);
    EXPECT_GE(h.truth.ts_ms, last_ts);
    last_ts = h.truth.ts_ms;
    for (size_t i = 0; i < m.aps.size(); ++i) {
      EXPECT_GE(m.aps[i].rssi_dbm, -92);
      EXPECT_EQ(m.aps[i].timestamp_utc_ms, h.truth.ts_ms);
      EXPECT_EQ(m.aps[i].slot, m.aps[i].band == proto::Band::Band2_4GHz ? 0 : 1);
      EXPECT_TRUE(aps.count(m.aps[i].ap_mac));
      EXPECT_NE(m.aps[i].ap_mac, m.mac);  // an AP does not hear itself
      if (i > 0) {
        EXPECT_GE(m.aps[i - 1].rssi_dbm, m.aps[i].rssi_dbm);
      }
    }
    const auto& floor = venueB().floors[h.truth.floor];
    EXPECT_GE(h.truth.x_m, 0);
    EXPECT_LE(h.truth.x_m, floor.width_m);
    EXPECT_GE(h.truth.y_m, 0);
    EXPECT_LE(h.truth.y_m, floor.length_m);
    stairs += h.truth.motion == measurement::Motion::Stairs;
    ++kinds[m.kind];
    by_device[m.mac].push_back(&h);
  }
  EXPECT_GT(stairs, 0u);
  for (auto kind : {DeviceKind::Client, DeviceKind::RfidTag, DeviceKind::RogueAp,
                    DeviceKind::RogueClient, DeviceKind::Ap}) {
    EXPECT_GT(kinds[kind], 0u) << static_cast<int>(kind);
  }
  // Walking speed: never faster than 1.5 m/s between two fixes on one floor.
  size_t moved = 0, floor_changes = 0;
  for (const auto& [mac, list] : by_device) {
    for (size_t i = 1; i < list.size(); ++i) {
      const auto& a = list[i - 1]->truth;
      const auto& b = list[i]->truth;
      const double seconds = static_cast<double>(b.ts_ms - a.ts_ms) / 1000.0;
      if (a.floor == b.floor) {
        const double metres = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
        EXPECT_LE(metres, 1.5 * seconds + 0.01) << mac.toString();
        moved += metres > 0.5;
      } else {
        ++floor_changes;
      }
    }
  }
  EXPECT_GT(moved, 50u);
  EXPECT_GT(floor_changes, 0u);
  // The APs hear each other on both radios every 60 s.
  size_t neighbour_reports = 0;
  for (const auto& [mac, list] : by_device) {
    if (list.front()->measurement.kind == DeviceKind::Ap) {
      neighbour_reports += list.size();
    }
  }
  EXPECT_NEAR(static_cast<double>(neighbour_reports), 45 * 2 * 15, 45 * 2);
}

TEST(Simulator, ProbeAndBeaconRates) {
  SimulatorConfig c = config(5);
  c.population = Population{200, 50, 0, 0, 0};
  auto sim = simulatorFor(venueA(), c);
  Recorder r;
  sim->advanceTo(1'800'000, r);
  std::map<MacAddress, std::vector<uint64_t>> times;
  std::map<MacAddress, DeviceKind> kind;
  for (const auto& h : r.heard) {
    times[h.measurement.mac].push_back(h.truth.ts_ms);
    kind[h.measurement.mac] = h.measurement.kind;
  }
  for (const auto& [mac, t] : times) {
    if (kind[mac] == DeviceKind::Ap || t.size() < 3) {
      continue;
    }
    std::vector<uint64_t> gaps;
    for (size_t i = 1; i < t.size(); ++i) {
      gaps.push_back(t[i] - t[i - 1]);
    }
    std::sort(gaps.begin(), gaps.end());
    const double median_s = static_cast<double>(gaps[gaps.size() / 2]) / 1000.0;
    if (kind[mac] == DeviceKind::Client) {
      EXPECT_GE(median_s, 5 * 0.7) << mac.toString();
      EXPECT_LE(median_s, 60 * 1.3) << mac.toString();
    } else {  // tags: a fixed interval with 2 % jitter
      EXPECT_GE(median_s, 3 * 0.98);
      EXPECT_LE(median_s, 30 * 1.02);
      EXPECT_LE(static_cast<double>(gaps.front()) / 1000.0, median_s * 1.05);
    }
  }
}

TEST(Simulator, AssociationsInfoAndCountersMove) {
  SimulatorConfig c = config(11);
  c.behaviour.session = DwellRange{60, 300};  // short sessions, to see them end
  c.behaviour.reassociate = DwellRange{5, 30};
  auto sim = simulatorFor(venueA(), c);
  Recorder r;
  sim->advanceTo(1'200'000, r);
  // Every device announced itself at the start.
  std::set<MacAddress> announced;
  for (size_t i = 0; i < sim->deviceCount(); ++i) {
    announced.insert(r.infos[i].mac);
  }
  EXPECT_EQ(announced.size(), sim->deviceCount());

  size_t attaches = 0, detaches = 0;
  std::map<MacAddress, MacAddress> serving;
  for (const auto& a : r.attachments) {
    ASSERT_TRUE(venue::findAp(venueA(), *a.ap_mac).has_value());
    if (a.state == proto::AttachState::Attach) {
      ++attaches;
      ASSERT_TRUE(a.ip.has_value());
      EXPECT_EQ(a.ip->family, IpAddress::Family::V4);
      serving[a.device] = *a.ap_mac;
    } else {
      ++detaches;
      EXPECT_EQ(serving[a.device], *a.ap_mac);  // leaves the AP it was on
      serving.erase(a.device);
    }
  }
  EXPECT_GT(attaches, 40u);
  EXPECT_GT(detaches, 10u);
  // Info follows the attachments: an associated client has addresses, WLAN and serving AP.
  size_t associated_infos = 0;
  for (const auto& info : r.infos) {
    if (info.assoc_state == proto::AssocState::Associated) {
      ++associated_infos;
      EXPECT_EQ(info.ip_addresses.size(), 2u);
      EXPECT_TRUE(info.ssid && info.vlan && info.serving_ap && info.band);
    }
    if (info.kind == DeviceKind::RfidTag) {
      EXPECT_TRUE(info.battery_pct.has_value());
      EXPECT_EQ(info.telemetry.size(), 2u);
    }
  }
  EXPECT_GT(associated_infos, 40u);
  // Counters only grow, and they do grow.
  std::map<MacAddress, proto::DeviceStatistics> last;
  size_t grew = 0;
  for (const auto& s : r.statistics) {
    if (auto it = last.find(s.mac); it != last.end()) {
      EXPECT_GE(*s.tx_bytes, *it->second.tx_bytes);
      EXPECT_GE(*s.rx_packets, *it->second.rx_packets);
      EXPECT_GE(*s.tx_retries, *it->second.tx_retries);
      grew += *s.rx_bytes > *it->second.rx_bytes;
    }
    last[s.mac] = s;
  }
  EXPECT_GT(grew, 100u);
}

TEST(Simulator, RecordingSinkWritesFilesTheReadersTakeBack) {
  auto write = [](std::string& observations, std::string& truth) {
    std::ostringstream out, truth_out;
    {
      measurement::RecordWriter o(out), t(truth_out);
      auto sim = simulatorFor(venueB(), config(2));
      RecordingSink sink(sim->venue(), o, &t);
      sim->advanceTo(120'000, sink);
      o.flush();
      t.flush();
      EXPECT_EQ(o.lines(), sim->counters().observations);
    }
    observations = out.str();
    truth = truth_out.str();
  };
  std::string observations, truth, observations2, truth2;
  write(observations, truth);
  write(observations2, truth2);
  EXPECT_EQ(observations, observations2);  // bit-identical files
  EXPECT_EQ(truth, truth2);

  std::istringstream in(observations), tin(truth);
  measurement::ObservationReader reader(in);
  measurement::TruthReader truth_reader(tin);
  measurement::Observation o;
  std::set<std::pair<MacAddress, uint64_t>> emissions;
  while (reader.next(o)) {
    if (o.kind != DeviceKind::Ap) {
      emissions.insert({o.device, o.ts_ms});
    }
  }
  measurement::TruthRecord t;
  size_t matched = 0;
  while (truth_reader.next(t)) {
    matched += emissions.count({t.device, t.ts_ms});
    EXPECT_TRUE(venue::findFloor(venueB(), t.floor) != nullptr);
  }
  EXPECT_EQ(reader.counts().skipped, 0u);
  EXPECT_EQ(truth_reader.counts().skipped, 0u);
  EXPECT_EQ(matched, emissions.size());  // one truth line per emission of a device
  EXPECT_EQ(truth_reader.counts().records, emissions.size());
}

TEST(Simulator, RefusesBadSimulatorMembers) {
  venue::Venue v = venueA();
  v.floors[0].extra["walls"][3]["attenuation_db"] = "loud";
  auto sim = Simulator::create(v, config(1));
  ASSERT_FALSE(sim.has_value());
  EXPECT_EQ(sim.error(), "floors[0].walls[3].attenuation_db: expected number 0..100, got \"loud\"");
}

TEST(Simulator, MemoryPerDevice) {
  SimulatorConfig c = config(1);
  c.population = Population{20000, 0, 0, 0, 0};
  auto sim = simulatorFor(venueA(), c);
  Recorder sink;
  sim->advanceTo(1000, sink);
  EXPECT_LT(sim->memoryBytes() / sim->deviceCount(), 400u);
}

}  // namespace
}  // namespace nmsp::radio
