// The pure data path end to end, without sockets: a measurement file replayed through the
// store and aggregation (half-life 0) comes out of the encoded frames observation for
// observation, with the file's ts_ms; the simulator's stream feeds every stream of a full
// subscription and the MSE side's decoded frames account for every observation, info,
// statistics and attachment.
#include <gtest/gtest.h>

#include <sstream>

#include "aggregate/aggregator.h"
#include "aggregate/replay.h"
#include "aggregate/subscriptions.h"
#include "measurement/json_lines.h"
#include "measurement/record_writer.h"
#include "radio/office_venue.h"
#include "radio/recording_sink.h"
#include "radio/simulator.h"
#include "test_support.h"

namespace nmsp::aggregate {
namespace {

using namespace testing;

std::string simulatedFile(uint64_t seconds) {
  const venue::Venue venue = radio::makeOfficeVenue(radio::OfficeSpec{});
  radio::SimulatorConfig config;
  config.seed = 7;
  auto sim = radio::Simulator::create(venue, config);
  EXPECT_TRUE(sim.has_value());
  std::ostringstream out;
  measurement::RecordWriter writer(out);
  radio::RecordingSink sink(venue, writer, nullptr);
  (*sim)->advanceTo(seconds * 1000, sink);
  writer.flush();
  return out.str();
}

TEST(RoundTrip, ReplayThroughAggregationComesBackObservationForObservation) {
  const std::string file = simulatedFile(60);
  std::istringstream in(file);
  ReplayScheduler replay(in, ReplayOptions{4.0, false});
  Aggregator a;
  Subscriptions subs;
  proto::ServiceSubscribeRequest request;
  request.services = proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::RssiRfid) |
                     proto::bit(proto::Service::RssiRogue) |
                     proto::bit(proto::Service::RssiInterferer) |
                     proto::bit(proto::Service::ApMonitor);
  const uint64_t t0 = 1'000'000;
  EXPECT_FALSE(subs.anyData());
  subs.subscribe(1, request, 9, kDataServices, {}, a, t0);
  ASSERT_TRUE(subs.anyData());
  replay.start(t0);

  // The controller's loop: play what is due, collect what is due, every 100 ms.
  std::string recorded;
  std::vector<StreamOutput> outputs;
  std::vector<Delivery> deliveries;
  for (uint64_t now = t0; !replay.finished() || a.pendingEntries() > 0; now += 100) {
    replay.poll(now, [&](const measurement::Observation& o) {
      a.observe(o.device, o.kind, measurement::toApRssi(o), now);
    });
    outputs.clear();
    deliveries.clear();
    a.collect(now, outputs);
    subs.route(outputs, deliveries);
    for (const auto& d : deliveries) {
      const auto frame = decode(d.frame);
      EXPECT_EQ(frame.transaction_id, 9u);
      // What `nmsp mse --record` writes.
      for (const auto& m : std::get<proto::MeasurementNotification>(frame.message).devices) {
        for (const auto& ap : m.aps) {
          measurement::appendLine(recorded, measurement::fromApRssi(m.mac, m.kind, ap));
        }
      }
    }
    ASSERT_LT(now, t0 + 60'000) << "the replay should end after 15 s at speed 4";
  }
  EXPECT_GT(replay.counters().played, 1000u);
  // Equal as multisets of lines: streams of different services interleave differently.
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream s(text);
    for (std::string line; std::getline(s, line);) {
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(lines(recorded), lines(file));
}

class CountingSink : public radio::SimulatorSink {
 public:
  explicit CountingSink(Aggregator& a) : a_(a) {}
  void onMeasurement(const proto::DeviceMeasurement& m, const radio::DeviceTruth&) override {
    a_.observe(m, now);
    observations += m.aps.size();
  }
  void onInfo(const proto::DeviceInfo& i) override { a_.info(i, now); }
  void onStatistics(const proto::DeviceStatistics& s) override { a_.statistics(s, now); }
  void onAttachment(const proto::Attachment& at) override {
    a_.attachment(at);
    ++attachments;
  }
  Aggregator& a_;
  uint64_t now = 0;
  uint64_t observations = 0;
  uint64_t attachments = 0;
};

TEST(RoundTrip, SimulatorFeedsEveryStream) {
  const venue::Venue venue = radio::makeOfficeVenue(radio::OfficeSpec{});
  auto sim = radio::Simulator::create(venue, radio::SimulatorConfig{});
  ASSERT_TRUE(sim.has_value());
  Aggregator a;
  for (const auto& ap : (*sim)->apInfos()) {
    a.apInfo(ap);
  }
  Subscriptions subs;
  proto::ServiceSubscribeRequest request;
  request.services = kDataServices;
  auto granted = subs.subscribe(1, request, 3, kDataServices, {}, a, 0);
  EXPECT_EQ(granted.response.granted, kDataServices);
  ASSERT_TRUE(granted.send_ap_table);
  CountingSink sink(a);
  uint64_t observations = 0, infos = 0, stats = 0, attachments = 0, aps = 0;
  std::vector<StreamOutput> outputs;
  for (uint64_t now = 0; now <= 120'000; now += 500) {
    sink.now = now;
    (*sim)->advanceTo(now, sink);
    outputs.clear();
    a.collect(now, outputs);
    for (const auto& o : outputs) {
      EXPECT_EQ(o.lost, 0u);
      for (const auto& f : o.frames) {
        const auto frame = decode(f);
        if (auto* m = std::get_if<proto::MeasurementNotification>(&frame.message)) {
          for (const auto& d : m->devices) {
            observations += d.aps.size();
          }
        } else if (auto* i = std::get_if<proto::InfoNotification>(&frame.message)) {
          infos += i->devices.size();
        } else if (auto* s = std::get_if<proto::StatisticsNotification>(&frame.message)) {
          stats += s->devices.size();
        } else if (auto* at = std::get_if<proto::AttachmentNotification>(&frame.message)) {
          attachments += at->attachments.size();
        } else if (auto* ap = std::get_if<proto::ApInfoNotification>(&frame.message)) {
          aps += ap->aps.size();
        }
      }
    }
  }
  EXPECT_EQ(observations, sink.observations);
  EXPECT_EQ(attachments, sink.attachments);
  EXPECT_GT(infos, 50u);  // every device once at least (latest per device per interval)
  EXPECT_GT(stats, 0u);
  EXPECT_EQ(aps, 0u);  // unchanged APs are not re-sent; new subscribers get apInfoFrames()
  EXPECT_EQ(decodeAll<proto::ApInfoNotification>(a.apInfoFrames())[0].aps.size(),
            (*sim)->apInfos().size());
}

}  // namespace
}  // namespace nmsp::aggregate
