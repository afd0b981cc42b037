// Per-MSE subscriptions: grants and refusals as docs/protocol.md says, intervals, additive
// subscribe, unsubscribe, and the selection of frames per MSE (shared when transaction ids
// match, patched copies otherwise). 20 MSEs with different subscriptions get what they asked.
#include "aggregate/subscriptions.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace nmsp::aggregate {
namespace {

using namespace testing;
using proto::ResultCode;
using proto::Service;

constexpr proto::ServiceMask kOffered = kDataServices;

proto::ServiceSubscribeRequest request(proto::ServiceMask services,
                                       std::vector<proto::ServiceInterval> intervals = {}) {
  proto::ServiceSubscribeRequest r;
  r.services = services;
  r.intervals = std::move(intervals);
  return r;
}

TEST(Subscriptions, GrantsOfferedServicesAndRefusesTheOthers) {
  Aggregator a;
  Subscriptions subs;
  const auto mask = proto::bit(Service::RssiMs) | proto::bit(Service::Wips) |
                    proto::bit(Service::InfoMs) | (proto::ServiceMask{1} << 40);
  auto result = subs.subscribe(1, request(mask, {{Service::InfoMs, 0}}), 7, kOffered, {}, a, 0);
  EXPECT_EQ(result.response.granted, proto::bit(Service::RssiMs));
  ASSERT_EQ(result.response.results.size(), 3u);  // the unknown bit 40 gets none
  EXPECT_EQ(result.response.results[0],
            (proto::ServiceResult{Service::RssiMs, ResultCode::Success}));
  EXPECT_EQ(result.response.results[1],
            (proto::ServiceResult{Service::InfoMs, ResultCode::InvalidRequest}));
  EXPECT_EQ(result.response.results[2],
            (proto::ServiceResult{Service::Wips, ResultCode::UnsupportedService}));
  EXPECT_FALSE(result.send_ap_table);
  const auto* sub = subs.find(1);
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->interval_s[0], 2);
  EXPECT_EQ(sub->transaction_id[0], 7u);
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 2}));
  EXPECT_TRUE(subs.anyData());
}

TEST(Subscriptions, IntervalsDefaultsAndResubscription) {
  Aggregator a;
  Subscriptions subs;
  AggregationSettings settings;
  settings.interval_s[1] = 5;  // rfid
  auto result =
      subs.subscribe(1,
                     request(proto::bit(Service::RssiRfid) | proto::bit(Service::StatsMs) |
                                 proto::bit(Service::ApInfo) | proto::bit(Service::Attach),
                             {{Service::Attach, 9}}),
                     3, kOffered, settings, a, 0);
  EXPECT_TRUE(result.send_ap_table);
  EXPECT_TRUE(a.hasStream({Service::RssiRfid, 5}));
  EXPECT_TRUE(a.hasStream({Service::StatsMs, 30}));
  EXPECT_TRUE(a.hasStream({Service::Attach, 0}));
  EXPECT_TRUE(a.hasStream({Service::ApInfo, 0}));
  // Again with another interval: the stream moves, the other services stay.
  subs.subscribe(1, request(proto::bit(Service::RssiRfid), {{Service::RssiRfid, 10}}), 4, kOffered,
                 settings, a, 0);
  EXPECT_FALSE(a.hasStream({Service::RssiRfid, 5}));
  EXPECT_TRUE(a.hasStream({Service::RssiRfid, 10}));
  EXPECT_EQ(subs.find(1)->transaction_id[1], 4u);
  EXPECT_TRUE(subs.find(1)->has(Service::StatsMs));
  auto un = subs.unsubscribe(1, {proto::bit(Service::StatsMs) | proto::bit(Service::Wips)}, a);
  EXPECT_EQ(un.results.size(), 2u);
  EXPECT_EQ(un.remaining, proto::bit(Service::RssiRfid) | proto::bit(Service::ApInfo) |
                              proto::bit(Service::Attach));
  EXPECT_FALSE(a.hasStream({Service::StatsMs, 30}));
  subs.remove(1, a);
  EXPECT_FALSE(subs.anyData());
  EXPECT_FALSE(a.hasStream({Service::RssiRfid, 10}));
  EXPECT_FALSE(a.hasStream({Service::ApInfo, 0}));
}

// A new class interval moves the streams that follow it, not those whose interval the MSE
// named; frames then go to the MSE from the new stream.
TEST(Subscriptions, NewClassIntervalsMoveTheStreamsThatFollowThem) {
  Aggregator a;
  Subscriptions subs;
  subs.subscribe(1, request(proto::bit(Service::RssiMs) | proto::bit(Service::RssiRfid)), 3,
                 kOffered, {}, a, 0);
  subs.subscribe(2, request(proto::bit(Service::RssiMs), {{Service::RssiMs, 2}}), 4, kOffered, {},
                 a, 0);
  AggregationSettings settings;
  settings.interval_s[0] = 6;  // clients
  EXPECT_EQ(subs.applySettings(settings, a, 1000), 1u);
  EXPECT_EQ(subs.find(1)->interval_s[0], 6);  // followed the class: moved
  EXPECT_EQ(subs.find(1)->interval_s[1], 2);  // rfid: its class did not change
  EXPECT_EQ(subs.find(2)->interval_s[0], 2);  // named 2 s in its request: stays
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 6}));
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 2}));
  EXPECT_EQ(subs.applySettings(settings, a, 1000), 0u);  // nothing left to move

  a.observe(device(1), proto::DeviceKind::Client, report(1, -60, 1500), 1500);
  std::vector<StreamOutput> out;
  a.collect(6000, out);  // the 6 s stream is due (moved at 1000, last collect 0)
  std::vector<Delivery> deliveries;
  subs.route(out, deliveries);
  size_t to_first = 0;
  for (const auto& d : deliveries) {
    to_first += d.mse == 1 && d.service == Service::RssiMs ? 1 : 0;
  }
  EXPECT_EQ(to_first, 1u);
}

TEST(Subscriptions, RouteSharesFramesPerTransactionId) {
  Aggregator a;
  Subscriptions subs;
  subs.subscribe(1, request(proto::bit(Service::RssiMs)), 5, kOffered, {}, a, 0);
  subs.subscribe(2, request(proto::bit(Service::RssiMs)), 5, kOffered, {}, a, 0);
  subs.subscribe(3, request(proto::bit(Service::RssiMs)), 6, kOffered, {}, a, 0);
  a.observe(device(1), proto::DeviceKind::Client, report(1, -60, 1), 0);
  std::vector<StreamOutput> outputs;
  a.collect(2000, outputs);
  std::vector<Delivery> deliveries;
  subs.route(outputs, deliveries);
  ASSERT_EQ(deliveries.size(), 3u);
  EXPECT_EQ(deliveries[0].mse, 1u);
  EXPECT_EQ(deliveries[0].frame.get(), deliveries[1].frame.get());  // same bytes, one buffer
  EXPECT_NE(deliveries[0].frame.get(), deliveries[2].frame.get());
  EXPECT_EQ(decode(deliveries[0].frame).transaction_id, 5u);
  EXPECT_EQ(decode(deliveries[2].frame).transaction_id, 6u);
  EXPECT_EQ(decode(deliveries[0].frame).message, decode(deliveries[2].frame).message);
}

TEST(Subscriptions, TwentyMsesGetExactlyWhatTheyAskedFor) {
  Aggregator a;
  Subscriptions subs;
  const Service rssi[] = {Service::RssiMs, Service::RssiRfid, Service::RssiRogue,
                          Service::ApMonitor};
  for (MseId m = 0; m < 20; ++m) {
    subs.subscribe(m, request(proto::bit(rssi[m % 4]), {{rssi[m % 4], uint16_t(1 + m % 3)}}),
                   100 + static_cast<uint32_t>(m), kOffered, {}, a, 0);
  }
  const proto::DeviceKind kinds[] = {proto::DeviceKind::Client, proto::DeviceKind::RfidTag,
                                     proto::DeviceKind::RogueAp, proto::DeviceKind::Ap};
  for (uint32_t d = 0; d < 4; ++d) {
    a.observe(device(d), kinds[d], report(1, -60, d), 0);
  }
  std::map<MseId, std::vector<proto::DeviceMeasurement>> got;
  std::vector<StreamOutput> outputs;
  for (uint64_t t = 1000; t <= 6000; t += 1000) {
    outputs.clear();
    a.collect(t, outputs);
    std::vector<Delivery> deliveries;
    subs.route(outputs, deliveries);
    for (const auto& d : deliveries) {
      auto frame = decode(d.frame);
      EXPECT_EQ(frame.transaction_id, 100 + d.mse);
      for (const auto& m : std::get<proto::MeasurementNotification>(frame.message).devices) {
        got[d.mse].push_back(m);
      }
    }
  }
  ASSERT_EQ(got.size(), 20u);
  for (MseId m = 0; m < 20; ++m) {
    ASSERT_EQ(got[m].size(), 1u) << m;
    EXPECT_EQ(got[m][0].kind, kinds[m % 4]) << m;
  }
}

}  // namespace
}  // namespace nmsp::aggregate
