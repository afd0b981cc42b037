// The controller's store and aggregation: round trip observation for observation at half-life
// 0, the frame size limit, the 16 strongest APs within expiry, half-life averaging, the notify
// threshold, bounds (devices, pending log) with their counters, requests, event streams.
#include "aggregate/aggregator.h"

#include <gtest/gtest.h>

#include <tuple>

#include "aggregate/settings.h"
#include "test_support.h"

namespace nmsp::aggregate {
namespace {

using namespace testing;
using proto::DeviceKind;
using proto::Service;

std::vector<StreamOutput> collectAt(Aggregator& a, uint64_t now) {
  std::vector<StreamOutput> out;
  a.collect(now, out);
  return out;
}

TEST(AggregationSettings, ValidatesRanges) {
  AggregationSettings s;
  EXPECT_TRUE(validate(s).has_value());
  s.interval_s[2] = 181;
  EXPECT_EQ(validate(s).error(), "interval_s[rogues]: 181 outside 1..180");
  s = {};
  s.expiry_s[1] = 4;
  EXPECT_EQ(validate(s).error(), "expiry_s[tags]: 4 outside 5..3600");
  s = {};
  s.half_life_s[0] = 3;
  EXPECT_EQ(validate(s).error(),
            "half_life_s[client]: 3 not one of 0, 1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300");
  s = {};
  s.notify_threshold_db[2] = 11;
  EXPECT_EQ(validate(s).error(), "notify_threshold_db[rogue-aps]: 11 outside 0..10");
  for (uint16_t h : kHalfLivesS) {
    EXPECT_TRUE(validHalfLife(h));
  }
}

TEST(AggregationSettings, KindsMapToServicesAndClasses) {
  EXPECT_EQ(rssiServiceOf(DeviceKind::Client), Service::RssiMs);
  EXPECT_EQ(rssiServiceOf(DeviceKind::RfidTag), Service::RssiRfid);
  EXPECT_EQ(rssiServiceOf(DeviceKind::RogueClient), Service::RssiRogue);
  EXPECT_EQ(rssiServiceOf(DeviceKind::Interferer), Service::RssiInterferer);
  EXPECT_EQ(rssiServiceOf(DeviceKind::Ap), Service::ApMonitor);
  EXPECT_EQ(infoServiceOf(DeviceKind::Ap), std::nullopt);
  EXPECT_EQ(statsServiceOf(DeviceKind::RfidTag), Service::StatsRfid);
  EXPECT_EQ(intervalClassOf(DeviceKind::Interferer), IntervalClass::Spectrum);
  EXPECT_EQ(locationClassOf(DeviceKind::RogueAp), LocationClass::Rogues);
  AggregationSettings s;
  s.interval_s = {3, 4, 5, 6};
  EXPECT_EQ(defaultIntervalS(Service::RssiRfid, s), 4);
  EXPECT_EQ(defaultIntervalS(Service::InfoMs, s), 30);
  EXPECT_EQ(defaultIntervalS(Service::Attach, s), 0);
}

TEST(Aggregator, HalfLifeZeroSendsEveryObservationWithItsOwnTime) {
  Aggregator a;
  a.openStream({Service::RssiMs, 2}, 0);
  // Interleaved bursts of three devices, two of them heard twice by the same AP.
  std::vector<std::tuple<uint32_t, proto::ApRssi>> sent;
  uint64_t ts = 1'700'000'000'000;
  for (int round = 0; round < 3; ++round) {
    for (uint32_t d = 0; d < 3; ++d) {
      for (uint32_t ap = 0; ap < 4; ++ap) {
        sent.emplace_back(d, report(ap, -50 - static_cast<int>(ap + d + round), ts));
      }
      ts += 7;
    }
  }
  uint64_t now = 0;
  for (const auto& [d, r] : sent) {
    EXPECT_TRUE(a.observe(device(d), DeviceKind::Client, r, now++));
  }
  EXPECT_TRUE(collectAt(a, 1999).empty());  // not due yet
  auto out = collectAt(a, 2000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].key, (StreamKey{Service::RssiMs, 2}));
  EXPECT_EQ(out[0].observations, sent.size());
  EXPECT_EQ(out[0].entries, 9u);  // one entry per burst
  std::vector<std::tuple<uint32_t, proto::ApRssi>> received;
  for (const auto& n : decodeAll<proto::MeasurementNotification>(out[0].frames)) {
    for (const auto& m : n.devices) {
      EXPECT_EQ(m.kind, DeviceKind::Client);
      for (const auto& r : m.aps) {
        received.emplace_back(m.mac.bytes[5], r);
      }
    }
  }
  EXPECT_EQ(received, sent);
  EXPECT_EQ(a.pendingEntries(), 0u);
  EXPECT_TRUE(collectAt(a, 4000).empty());  // nothing new: no frame
  EXPECT_EQ(a.nextDueMs(), 6000u);
}

TEST(Aggregator, ManyDevicesPerFrameWithinTheFrameLimit) {
  Aggregator a;
  a.openStream({Service::RssiMs, 1}, 0);
  const uint32_t devices = 1000;
  for (uint32_t d = 0; d < devices; ++d) {
    for (uint32_t ap = 0; ap < 16; ++ap) {
      a.observe(device(d), DeviceKind::Client, report(ap, -40 - static_cast<int>(ap), d), 0);
    }
  }
  auto out = collectAt(a, 1000);
  ASSERT_EQ(out.size(), 1u);
  // (65536 - 12) / (24 + 20 x 16) = 190 devices per frame.
  ASSERT_EQ(out[0].frames.size(), 6u);
  size_t total = 0;
  for (const auto& frame : out[0].frames) {
    EXPECT_LE(frame->size(), proto::kDefaultMaxFrameSize);
    auto n = decodeAll<proto::MeasurementNotification>({frame});
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(frame->size(), 12 + n[0].devices.size() * measurementEntryBytes(16));
    total += n[0].devices.size();
  }
  EXPECT_EQ(
      std::get<proto::MeasurementNotification>(decode(out[0].frames[0]).message).devices.size(),
      190u);
  EXPECT_EQ(total, devices);
}

TEST(Aggregator, SmallFrameLimitIsHonoured) {
  Limits limits;
  limits.max_frame_size = 12 + 2 * measurementEntryBytes(1);
  Aggregator a({}, limits);
  a.openStream({Service::RssiMs, 1}, 0);
  for (uint32_t d = 0; d < 5; ++d) {
    a.observe(device(d), DeviceKind::Client, report(1, -60, 10), 0);
  }
  auto out = collectAt(a, 1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].frames.size(), 3u);  // 2 + 2 + 1
  for (const auto& frame : out[0].frames) {
    EXPECT_LE(frame->size(), limits.max_frame_size);
  }
}

TEST(Aggregator, KeepsTheSixteenStrongestLiveApsAndExpires) {
  Aggregator a;  // expiry 15 s
  for (uint32_t ap = 0; ap < 20; ++ap) {
    a.observe(device(1), DeviceKind::Client, report(ap, -40 - static_cast<int>(ap), 5), 1000);
  }
  EXPECT_EQ(a.counters().observations_capped, 4u);
  auto m = a.current(device(1), 1000);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->aps.size(), 16u);
  EXPECT_EQ(m->aps[0].rssi_dbm, -40);
  EXPECT_EQ(m->aps[15].rssi_dbm, -55);
  // A stronger AP replaces the weakest; a weaker one is refused.
  EXPECT_TRUE(a.observe(device(1), DeviceKind::Client, report(30, -41, 6), 2000));
  EXPECT_FALSE(a.observe(device(1), DeviceKind::Client, report(31, -90, 6), 2000));
  m = a.current(device(1), 2000);
  EXPECT_EQ(m->aps.size(), 16u);
  EXPECT_EQ(m->aps[15].rssi_dbm, -54);
  // 15 s after the first reports, only the later one is live; then none.
  m = a.current(device(1), 16'500);
  ASSERT_EQ(m->aps.size(), 1u);
  EXPECT_EQ(m->aps[0].ap_mac, apMac(30));
  EXPECT_EQ(m->aps[0].timestamp_utc_ms, 6u);
  EXPECT_TRUE(a.current(device(1), 17'001)->aps.empty());
  // An expired reading makes room even for a weak AP.
  EXPECT_TRUE(a.observe(device(1), DeviceKind::Client, report(31, -90, 7), 17'001));
}

TEST(Aggregator, HalfLifeAveragesAndSendsEachDeviceOncePerInterval) {
  AggregationSettings s;
  s.half_life_s[0] = 2;
  Aggregator a(s);
  a.openStream({Service::RssiMs, 5}, 0);
  a.observe(device(1), DeviceKind::Client, report(1, -60, 100), 0);
  a.observe(device(1), DeviceKind::Client, report(1, -70, 200), 2000);  // one half-life later
  a.observe(device(2), DeviceKind::Client, report(1, -50, 300), 3000);
  EXPECT_EQ(a.current(device(1), 2000)->aps[0].rssi_dbm, -65);
  auto out = collectAt(a, 5000);
  ASSERT_EQ(out.size(), 1u);
  auto n = decodeAll<proto::MeasurementNotification>(out[0].frames);
  ASSERT_EQ(n.size(), 1u);
  ASSERT_EQ(n[0].devices.size(), 2u);
  EXPECT_EQ(n[0].devices[0].mac, device(1));
  EXPECT_EQ(n[0].devices[0].aps[0].rssi_dbm, -65);
  EXPECT_EQ(n[0].devices[0].aps[0].timestamp_utc_ms, 200u);
  EXPECT_EQ(n[0].devices[1].mac, device(2));
}

TEST(Aggregator, NotifyThresholdSkipsSmallChanges) {
  AggregationSettings s;
  s.notify_threshold_db[0] = 3;
  Aggregator a(s);
  a.openStream({Service::RssiMs, 1}, 0);
  a.observe(device(1), DeviceKind::Client, report(1, -60, 1), 0);  // new: sent
  a.observe(device(1), DeviceKind::Client, report(1, -62, 2), 0);  // 2 dB: not sent
  a.observe(device(1), DeviceKind::Client, report(1, -63, 3), 0);  // 3 dB from -60: sent
  a.observe(device(1), DeviceKind::Client, report(2, -63, 4), 0);  // another AP: new
  EXPECT_EQ(a.counters().observations_filtered, 1u);
  auto out = collectAt(a, 1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].observations, 3u);
}

TEST(Aggregator, NothingIsLoggedWithoutAStream) {
  Aggregator a;
  a.observe(device(1), DeviceKind::Client, report(1, -60, 1), 0);
  EXPECT_EQ(a.pendingEntries(), 0u);
  EXPECT_EQ(a.deviceCount(), 1u);
  a.openStream({Service::RssiRfid, 2}, 0);  // another service
  a.observe(device(1), DeviceKind::Client, report(1, -60, 1), 0);
  EXPECT_EQ(a.pendingEntries(), 0u);
  EXPECT_TRUE(collectAt(a, 2000).empty());
}

TEST(Aggregator, EvictsTheLeastRecentlySeenDevice) {
  Limits limits;
  limits.max_devices = 3;
  Aggregator a({}, limits);
  a.observe(device(1), DeviceKind::Client, report(1, -60, 1), 0);
  a.observe(device(2), DeviceKind::Client, report(1, -60, 1), 1);
  a.observe(device(3), DeviceKind::Client, report(1, -60, 1), 2);
  a.observe(device(1), DeviceKind::Client, report(1, -60, 1), 3);  // 1 seen again
  a.observe(device(4), DeviceKind::Client, report(1, -60, 1), 4);  // evicts 2
  EXPECT_EQ(a.deviceCount(), 3u);
  EXPECT_EQ(a.counters().devices_evicted, 1u);
  EXPECT_FALSE(a.current(device(2), 4));
  EXPECT_TRUE(a.current(device(1), 4));
  a.observe(device(5), DeviceKind::Client, report(1, -60, 1), 5);  // evicts 3
  EXPECT_FALSE(a.current(device(3), 5));
  EXPECT_EQ(a.counters().devices_created, 5u);
}

TEST(Aggregator, PendingLogDropsOldestAndTheStreamCountsItsLoss) {
  Limits limits;
  limits.max_pending = 10;
  Aggregator a({}, limits);
  a.openStream({Service::RssiMs, 1}, 0);
  for (int i = 0; i < 15; ++i) {
    a.observe(device(1), DeviceKind::Client, report(1, -60, static_cast<uint64_t>(i)), 0);
  }
  EXPECT_EQ(a.counters().pending_dropped, 5u);
  EXPECT_EQ(a.pendingEntries(), 10u);
  auto out = collectAt(a, 1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].lost, 5u);
  EXPECT_EQ(out[0].observations, 10u);
  auto n = decodeAll<proto::MeasurementNotification>(out[0].frames);
  EXPECT_EQ(n[0].devices[0].aps[0].timestamp_utc_ms, 5u);  // the oldest five went
}

TEST(Aggregator, StreamsOfOneServiceWithDifferentIntervalsEachGetEverything) {
  Aggregator a;
  a.openStream({Service::RssiMs, 2}, 0);
  a.openStream({Service::RssiMs, 4}, 0);
  for (uint64_t t = 0; t < 4000; t += 500) {
    a.observe(device(1), DeviceKind::Client, report(1, -60, t), t);
  }
  auto first = collectAt(a, 2000);  // the 2 s stream: all eight so far
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].observations, 8u);
  EXPECT_EQ(a.pendingEntries(), 8u);  // the 4 s stream has not read them yet
  auto second = collectAt(a, 4000);
  ASSERT_EQ(second.size(), 1u);  // the 2 s stream has nothing new
  EXPECT_EQ(second[0].key.interval_s, 4);
  EXPECT_EQ(second[0].observations, 8u);
  EXPECT_EQ(a.pendingEntries(), 0u);
  a.closeStream({Service::RssiMs, 4});
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 2}));
  EXPECT_FALSE(a.hasStream({Service::RssiMs, 4}));
}

// A class interval changed while a stream is open: the stream moves to the new interval and
// loses nothing logged since its last collect; joining a stream already open shares it.
TEST(Aggregator, AMovedStreamKeepsWhatWasLoggedAndTakesTheNewInterval) {
  Aggregator a;
  a.openStream({Service::RssiMs, 2}, 0);
  for (uint64_t t = 0; t < 2000; t += 500) {
    a.observe(device(1), DeviceKind::Client, report(1, -60, t), t);
  }
  ASSERT_EQ(collectAt(a, 2000).at(0).observations, 4u);
  for (uint64_t t = 2000; t < 3000; t += 500) {  // after the last collect, before the move
    a.observe(device(1), DeviceKind::Client, report(1, -61, t), t);
  }
  a.moveStream({Service::RssiMs, 2}, {Service::RssiMs, 5}, 3000);
  EXPECT_FALSE(a.hasStream({Service::RssiMs, 2}));
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 5}));
  EXPECT_EQ(a.nextDueMs(), 7000u);          // the last collect (2000) plus the new 5 s
  EXPECT_TRUE(collectAt(a, 4000).empty());  // not due at the old interval any more
  a.observe(device(1), DeviceKind::Client, report(1, -62, 6000), 6000);
  auto moved = collectAt(a, 7000);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].key.interval_s, 5);
  EXPECT_EQ(moved[0].observations, 3u);  // the two before the move and the one after

  a.openStream({Service::RssiMs, 10}, 7000);
  a.moveStream({Service::RssiMs, 5}, {Service::RssiMs, 10}, 8000);  // joins the open 10 s stream
  EXPECT_FALSE(a.hasStream({Service::RssiMs, 5}));
  a.closeStream({Service::RssiMs, 10});
  EXPECT_TRUE(a.hasStream({Service::RssiMs, 10}));  // the moved reference holds it
  a.closeStream({Service::RssiMs, 10});
  EXPECT_FALSE(a.hasStream({Service::RssiMs, 10}));
}

TEST(Aggregator, InfoAndStatisticsStreamsSendTheLatestOncePerDevice) {
  Aggregator a;
  a.openStream({Service::InfoMs, 30}, 0);
  a.openStream({Service::StatsMs, 30}, 0);
  proto::DeviceInfo info;
  info.mac = device(1);
  info.ssid = "corp";
  a.info(info, 0);
  info.ssid = "guest";
  a.info(info, 10);
  proto::DeviceStatistics stats;
  stats.mac = device(1);
  stats.rx_bytes = 10;
  a.statistics(stats, 20);
  auto out = collectAt(a, 30'000);
  ASSERT_EQ(out.size(), 2u);
  auto infos = decodeAll<proto::InfoNotification>(out[0].frames);
  ASSERT_EQ(infos.size(), 1u);
  ASSERT_EQ(infos[0].devices.size(), 1u);
  EXPECT_EQ(infos[0].devices[0].ssid, "guest");
  auto stat = decodeAll<proto::StatisticsNotification>(out[1].frames);
  ASSERT_EQ(stat[0].devices.size(), 1u);
  EXPECT_EQ(stat[0].devices[0].rx_bytes, 10u);
}

TEST(Aggregator, RequestsAnswerFromTheStoreOrUnknownDevice) {
  Aggregator a;
  proto::MeasurementRequest request;
  request.devices = {device(9)};
  EXPECT_EQ(a.measurement(request, 0).result, proto::ResultCode::UnknownDevice);
  EXPECT_EQ(a.measurement({}, 0).result, proto::ResultCode::UnknownDevice);
  a.observe(device(1), DeviceKind::Client, report(1, -60, 5), 0);
  request.devices = {device(9), device(1)};
  auto response = a.measurement(request, 0);
  EXPECT_EQ(response.result, proto::ResultCode::Success);
  ASSERT_EQ(response.devices.size(), 1u);
  EXPECT_EQ(response.devices[0].aps[0].rssi_dbm, -60);
  EXPECT_EQ(a.info(proto::InfoRequest{{device(1)}}).result, proto::ResultCode::UnknownDevice);
  proto::DeviceInfo info;
  info.mac = device(1);
  info.username = "user00042";
  a.info(info, 0);
  auto info_response = a.info(proto::InfoRequest{{device(1)}});
  EXPECT_EQ(info_response.result, proto::ResultCode::Success);
  EXPECT_EQ(info_response.devices.at(0).username, "user00042");
  EXPECT_EQ(a.statistics(proto::StatisticsRequest{}).result, proto::ResultCode::UnknownDevice);
  // Every device: as many as fit one response frame.
  for (uint32_t d = 2; d < 500; ++d) {
    for (uint32_t ap = 0; ap < 16; ++ap) {
      a.observe(device(d), DeviceKind::Client, report(ap, -60, 5), 1);
    }
  }
  auto all = a.measurement({}, 1);
  EXPECT_EQ(all.devices.size(), (65536u - 18u) / measurementEntryBytes(16));
  EXPECT_EQ(all.devices[0].mac, device(499));  // most recently seen first
  auto frame = proto::encodeFrame(proto::Frame{1, 0, 1, all});
  ASSERT_TRUE(frame.has_value());
  EXPECT_LE(frame->size(), proto::kDefaultMaxFrameSize);
}

TEST(Aggregator, AttachmentsAndApChangesAreSentAtTheNextCollect) {
  Aggregator a;
  proto::Attachment attach;
  attach.device = device(1);
  attach.ap_mac = apMac(1);
  attach.timestamp_utc_ms = 42;
  a.attachment(attach);  // no stream: dropped silently (nobody asked)
  proto::ApInfo ap;
  ap.mac = apMac(1);
  ap.name = "AP-1";
  EXPECT_TRUE(a.apInfo(ap));
  EXPECT_FALSE(a.apInfo(ap));             // unchanged
  a.openStream({Service::Attach, 7}, 0);  // event driven whatever the interval
  a.openStream({Service::ApInfo, 0}, 0);
  EXPECT_TRUE(a.hasStream({Service::Attach, 0}));
  a.attachment(attach);
  ap.name = "AP-1b";
  EXPECT_TRUE(a.apInfo(ap));
  auto out = collectAt(a, 1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(decodeAll<proto::AttachmentNotification>(out[0].frames)[0].attachments.at(0), attach);
  EXPECT_EQ(decodeAll<proto::ApInfoNotification>(out[1].frames)[0].aps.at(0).name, "AP-1b");
  EXPECT_TRUE(collectAt(a, 2).empty());
  // Pending attachments are bounded: the oldest go first, counted.
  Limits limits;
  limits.max_pending_attachments = 2;
  Aggregator small({}, limits);
  small.openStream({Service::Attach, 0}, 0);
  for (uint64_t t = 1; t <= 3; ++t) {
    attach.timestamp_utc_ms = t;
    small.attachment(attach);
  }
  EXPECT_EQ(small.counters().attachments_dropped, 1u);
  auto pending = collectAt(small, 0);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].entries, 2u);
  EXPECT_EQ(decodeAll<proto::AttachmentNotification>(pending[0].frames)[0]
                .attachments[0]
                .timestamp_utc_ms,
            2u);
  auto table = a.apInfoFrames();
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(decodeAll<proto::ApInfoNotification>(table)[0].aps.size(), 1u);
}

TEST(Frames, TransactionIdIsPatchedInACopy) {
  auto frame = std::make_shared<const std::vector<uint8_t>>(
      *proto::encodeFrame(proto::Frame{1, 0, 0, proto::MeasurementNotification{}}));
  auto same = withTransactionId(frame, 0);
  EXPECT_EQ(same.get(), frame.get());
  auto patched = withTransactionId(frame, 0x01020304);
  EXPECT_NE(patched.get(), frame.get());
  EXPECT_EQ(decode(patched).transaction_id, 0x01020304u);
  EXPECT_EQ(decode(frame).transaction_id, 0u);
}

}  // namespace
}  // namespace nmsp::aggregate
