// The controller's data path wired end to end over real TLS on loopback (docs/data-path.md,
// "Wiring / Controller"): a test-side MSE (FrameChannel over TLS) subscribes and receives what
// the replay or the simulator feeds the store. The data path's clock runs 20 times faster than
// the real one (ControllerOptions::data_clock), so 1 s notification intervals take 50 ms; nothing
// sleeps.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <set>
#include <tuple>

#include "aggregate/settings.h"
#include "controller/controller_settings.h"
#include "surface/views.h"
#include "transport/controller_fixture.h"
#include "venue/venue_file.h"

namespace nmsp::testing {
namespace {

using proto::Service;

constexpr int kSpeedUp = 20;  // the data clock's default speed-up (speed_up_)

// (device, ap, slot, rssi, ts_ms) of one AP report.
using Report = std::tuple<std::string, std::string, int, int, uint64_t>;

class DataPathTest : public ControllerFixture {
 protected:
  void SetUp() override {
    ControllerFixture::SetUp();
    real_start_ = std::chrono::steady_clock::now();
    wall_start_ = std::chrono::system_clock::now();
  }

  /// The controller on a clock 20x faster than real time, its data tick 5 ms.
  void startFast(const std::function<void(controller::ControllerOptions&)>& tweak = {}) {
    startController([&](controller::ControllerOptions& o) {
      o.data_clock = [this] {
        const auto real = std::chrono::steady_clock::now() - real_start_;
        return wall_start_ +
               std::chrono::duration_cast<std::chrono::system_clock::duration>(real * speed_up_);
      };
      o.data_tick = std::chrono::milliseconds(5);
      if (tweak) {
        tweak(o);
      }
    });
    admitSha256(mse_);
  }

  /// startFast with the radio simulator on the accuracy-a venue (12 APs) and `population`.
  void startSimulated(const radio::Population& population, uint64_t seed = 1) {
    auto loaded = venue::loadVenueFile(std::filesystem::path(NMSP_SOURCE_DIR) /
                                       "data/venues/accuracy-a.json");
    ASSERT_TRUE(loaded.has_value()) << loaded.error();
    venue_ = *loaded;
    startFast([&](controller::ControllerOptions& o) {
      o.source.kind = controller::DataSourceOptions::Kind::Simulate;
      o.source.venue = venue_;
      o.source.simulator.population = population;
      o.source.simulator.seed = seed;
    });
  }

  std::filesystem::path writeReplayFile(std::set<Report>& expected) {
    const auto path = dir_.path() / "replay.jsonl";
    std::ofstream out(path);
    const char* devices[] = {"f4:8c:50:53:bc:09", "f4:8c:50:53:bc:0a"};
    const char* aps[] = {"00:2b:01:00:0a:00", "00:2b:01:00:0b:00", "00:2b:01:00:0c:00"};
    for (int i = 0; i < 30; ++i) {
      const uint64_t ts = 1000 + static_cast<uint64_t>(i) * 100;
      const std::string device = devices[i % 2];
      const std::string ap = aps[i % 3];
      const int rssi = -50 - i;
      out << fmt::format(
                 R"({{"ts_ms": {}, "device": "{}", "kind": "client", "ap": "{}", "slot": {}, "rssi": {}}})",
                 ts, device, ap, i % 2, rssi)
          << '\n';
      expected.insert({device, ap, i % 2, rssi, ts});
      if (i == 10) {
        out << "{\"ts_ms\": 2000, \"device\": \"not a mac\"}\n";  // malformed: skipped, counted
      }
      if (i == 20) {
        out << "this is not JSON\n";
      }
    }
    return path;
  }

  static proto::ServiceSubscribeRequest subscribeRequest(proto::ServiceMask services,
                                                         uint16_t rssi_interval_s = 1) {
    proto::ServiceSubscribeRequest request;
    request.services = services;
    request.intervals.push_back({Service::RssiMs, rssi_interval_s});
    return request;
  }

  std::chrono::steady_clock::time_point real_start_;
  std::chrono::system_clock::time_point wall_start_;
  int speed_up_ = kSpeedUp;
  venue::Venue venue_;  // startSimulated's
};

TEST_F(DataPathTest, ReplayStartsAtTheFirstSubscriptionAndDeliversEveryObservationWithItsTime) {
  std::set<Report> expected;
  const auto file = writeReplayFile(expected);
  startFast([&](controller::ControllerOptions& o) {
    o.source.kind = controller::DataSourceOptions::Kind::Replay;
    o.source.replay_file = file;
    o.source.replay.speed = 1;
  });
  auto ctx = clientContext(&mse_);
  std::set<Report> received;
  uint64_t notifications = 0;
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    // Nothing is played to nobody: an echo round trip later, the replay still waits.
    EXPECT_TRUE(co_await echo(*channel, 2));
    EXPECT_FALSE(controller_->statistics().data.replay_started);
    EXPECT_TRUE(channel->send(request(77, subscribeRequest(proto::bit(Service::RssiMs)))));
    auto response = co_await channel->read(5s);
    EXPECT_TRUE(response.has_value());
    if (!response) {
      co_return;
    }
    const auto* sub = std::get_if<proto::ServiceSubscribeResponse>(&response->message);
    EXPECT_NE(sub, nullptr);
    EXPECT_EQ(response->transaction_id, 77u);
    while (received.size() < expected.size()) {
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value()) << "after " << received.size() << " reports";
      if (!frame) {
        co_return;
      }
      const auto* m = std::get_if<proto::MeasurementNotification>(&frame->message);
      EXPECT_NE(m, nullptr);
      if (m == nullptr) {
        continue;
      }
      EXPECT_EQ(frame->transaction_id, 77u);  // the Subscribe Request's
      ++notifications;
      for (const auto& device : m->devices) {
        for (const auto& ap : device.aps) {
          const bool inserted = received
                                    .insert({device.mac.toString(), ap.ap_mac.toString(), ap.slot,
                                             ap.rssi_dbm, ap.timestamp_utc_ms})
                                    .second;
          EXPECT_TRUE(inserted) << "a report arrived twice";
        }
      }
    }
  });
  EXPECT_EQ(received, expected);  // every observation, with its original ts_ms
  const auto stats = controller_->statistics().data;
  EXPECT_EQ(stats.source, "replay");
  EXPECT_TRUE(stats.replay_started);
  EXPECT_EQ(stats.replay_played, 30u);
  EXPECT_EQ(stats.replay_skipped, 2u);  // the two broken lines, logged with their numbers
  waitUntil([&] {
    const auto rows = controller_->sessions();
    return !rows.empty() && rows.back().sent.measurement_notifications == notifications;
  });
  const auto text = surface::statisticsSummaryView(controller_->statistics());
  EXPECT_NE(text.find("Replay lines skipped (malformed)        : 2\n"), std::string::npos) << text;
}

TEST_F(DataPathTest, SimulatorSendsTheApTableAfterSubscribeThenMeasurements) {
  startSimulated({20, 0, 0, 0, 0});
  const size_t ap_count = venue::apCount(venue_);
  auto ctx = clientContext(&mse_);
  size_t aps_seen = 0;
  size_t measurements = 0;
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    EXPECT_TRUE(channel->send(
        request(9, subscribeRequest(proto::bit(Service::RssiMs) | proto::bit(Service::ApInfo)))));
    auto response = co_await channel->read(5s);
    EXPECT_TRUE(response &&
                std::holds_alternative<proto::ServiceSubscribeResponse>(response->message));
    // The AP table comes right after the response.
    while (aps_seen < ap_count) {
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        co_return;
      }
      const auto* ap = std::get_if<proto::ApInfoNotification>(&frame->message);
      EXPECT_NE(ap, nullptr) << "AP Info expected before anything else";
      if (ap == nullptr) {
        co_return;
      }
      EXPECT_EQ(frame->transaction_id, 9u);
      aps_seen += ap->aps.size();
    }
    while (measurements == 0) {
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        co_return;
      }
      if (const auto* m = std::get_if<proto::MeasurementNotification>(&frame->message)) {
        for (const auto& device : m->devices) {
          EXPECT_EQ(device.kind, proto::DeviceKind::Client);
          EXPECT_FALSE(device.aps.empty());
        }
        measurements += m->devices.size();
      }
    }
  });
  EXPECT_EQ(aps_seen, ap_count);
  EXPECT_GT(measurements, 0u);
  waitUntil([&] {
    const auto rows = controller_->sessions();
    return !rows.empty() && rows.back().sent.ap_info_notifications > 0 &&
           rows.back().sent.measurement_notifications > 0;
  });
  const auto rows = controller_->sessions();
  const auto detail = surface::subscriptionDetailView(rows);
  EXPECT_NE(detail.find("  RSSI            rssi-ms           1 s\n"), std::string::npos) << detail;
  EXPECT_NE(detail.find("  AP Info         ap-info           on change\n"), std::string::npos)
      << detail;
  EXPECT_EQ(controller_->statistics().data.source, "simulate");
}

TEST_F(DataPathTest, NotificationSentToTheControllerIsCountedAsUnexpected) {
  startFast();
  auto ctx = clientContext(&mse_);
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    proto::Frame wrong;  // a controller's notification, the wrong way
    wrong.transaction_id = 5;
    wrong.message = proto::MeasurementNotification{};
    EXPECT_TRUE(channel->send(wrong));
    EXPECT_TRUE(co_await echo(*channel, 6));  // the session goes on
  });
  waitUntil([&] { return controller_->statistics().unsupported_msgs == 1; });
  EXPECT_EQ(controller_->sessions().back().unsupported_msgs, 1u);
}

TEST_F(DataPathTest, UnsubscribeStopsTheFlowAndRequestsAreAnsweredFromTheStore) {
  std::set<Report> expected;
  const auto file = writeReplayFile(expected);
  startFast([&](controller::ControllerOptions& o) {
    o.source.kind = controller::DataSourceOptions::Kind::Replay;
    o.source.replay_file = file;
    // This controller does not offer ap-monitor (offered by default), so the refusal is seen.
    o.offered_services &= ~proto::bit(Service::ApMonitor);
  });
  auto ctx = clientContext(&mse_);
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    // Before any data: the store knows no device.
    EXPECT_TRUE(channel->send(request(3, proto::MeasurementRequest{})));
    auto empty = co_await channel->read(5s);
    const auto* none = empty ? std::get_if<proto::MeasurementResponse>(&empty->message) : nullptr;
    EXPECT_NE(none, nullptr);
    if (none != nullptr) {
      EXPECT_EQ(none->result, proto::ResultCode::UnknownDevice);
    }
    // ap-monitor is not offered: refused as UnsupportedService, rssi-ms granted.
    EXPECT_TRUE(channel->send(request(
        4, subscribeRequest(proto::bit(Service::RssiMs) | proto::bit(Service::ApMonitor)))));
    auto response = co_await channel->read(5s);
    const auto* granted =
        response ? std::get_if<proto::ServiceSubscribeResponse>(&response->message) : nullptr;
    EXPECT_NE(granted, nullptr);
    if (granted != nullptr) {
      EXPECT_EQ(granted->granted, proto::bit(Service::RssiMs));
      const std::vector<proto::ServiceResult> results = {
          {Service::RssiMs, proto::ResultCode::Success},
          {Service::ApMonitor, proto::ResultCode::UnsupportedService}};
      EXPECT_EQ(granted->results, results);
    }
    auto first = co_await channel->read(5s);  // the replay has begun
    EXPECT_TRUE(first && std::holds_alternative<proto::MeasurementNotification>(first->message));
    proto::ServiceUnsubscribeRequest unsubscribe;
    unsubscribe.services = proto::bit(Service::RssiMs);
    EXPECT_TRUE(channel->send(request(5, unsubscribe)));
    for (;;) {  // notifications queued before the Unsubscribe may still come first
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame || std::holds_alternative<proto::ServiceUnsubscribeResponse>(frame->message)) {
        break;
      }
    }
    const auto sent = controller_->sessions().back().sent.measurement_notifications;
    // Echo round trips until 3 s of controller time (3 intervals) have passed: nothing more.
    const auto unsubscribed = controller_->options().data_clock();
    for (uint32_t txn = 10; controller_->options().data_clock() - unsubscribed < 3s; ++txn) {
      EXPECT_TRUE(co_await echo(*channel, txn));
    }
    EXPECT_EQ(controller_->sessions().back().sent.measurement_notifications, sent);
    proto::MeasurementRequest one;
    one.devices.push_back(*MacAddress::parse("f4:8c:50:53:bc:09"));
    EXPECT_TRUE(channel->send(request(20, one)));
    auto answer = co_await channel->read(5s);
    const auto* known =
        answer ? std::get_if<proto::MeasurementResponse>(&answer->message) : nullptr;
    EXPECT_NE(known, nullptr);
    if (known != nullptr) {
      EXPECT_EQ(known->result, proto::ResultCode::Success);
      EXPECT_EQ(known->devices.size(), 1u);
      if (!known->devices.empty()) {
        EXPECT_EQ(known->devices[0].mac.toString(), "f4:8c:50:53:bc:09");
      }
    }
    proto::MeasurementRequest unknown;
    unknown.devices.push_back(*MacAddress::parse("02:00:00:00:00:01"));
    EXPECT_TRUE(channel->send(request(21, unknown)));
    auto refused = co_await channel->read(5s);
    const auto* none_known =
        refused ? std::get_if<proto::MeasurementResponse>(&refused->message) : nullptr;
    EXPECT_NE(none_known, nullptr);
    if (none_known != nullptr) {
      EXPECT_EQ(none_known->result, proto::ResultCode::UnknownDevice);
      EXPECT_TRUE(none_known->devices.empty());
    }
  });
}

TEST_F(DataPathTest, AggregationSettingOutOfRangeIsRefusedAndAValidOnePersistsAcrossRestart) {
  startFast();
  aggregate::AggregationSettings settings = controller_->aggregationSettings();
  settings.interval_s[0] = 181;
  auto refused = controller_->setAggregationSettings(settings);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("181"), std::string::npos) << refused.error();
  EXPECT_EQ(controller_->aggregationSettings(), aggregate::AggregationSettings{});

  ASSERT_TRUE(controller_->setStrongCipher(true).has_value());
  settings.interval_s[1] = 5;  // rfid
  settings.interval_s[0] = 2;
  settings.half_life_s[1] = 10;
  settings.expiry_s[2] = 60;
  settings.notify_threshold_db[2] = 3;
  ASSERT_TRUE(controller_->setAggregationSettings(settings).has_value());
  EXPECT_EQ(controller_->aggregationSettings(), settings);

  stopController();
  startFast();
  EXPECT_EQ(controller_->aggregationSettings(), settings);
  EXPECT_TRUE(controller_->strongCipher());  // one file, both settings kept
  auto loaded = controller::loadSettings(dir_.path() / "controller");
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  EXPECT_EQ(loaded->aggregation, settings);
}

TEST_F(DataPathTest, SettingsFileWithAnIntervalOutOfRangeIsRefusedAtStart) {
  const auto data = dir_.path() / "controller";
  std::filesystem::create_directories(data);
  std::ofstream(data / controller::kSettingsFileName)
      << R"({"version": 1, "notification_interval_s": {"clients": 0}})";
  auto loaded = controller::loadSettings(data);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().find("outside 1..180"), std::string::npos) << loaded.error();
}

// Two MSEs with different subscriptions on one simulated controller: each receives only the
// kinds it asked for, with its own Subscribe Request's transaction id.
TEST_F(DataPathTest, EachMseReceivesWhatItSubscribedToWithItsTransactionId) {
  startSimulated({10, 10, 0, 0, 0});
  const auto mse2 = makeIdentity(dir_.path() / "mse2", testMac(0x90), identity::KeyType::EcdsaP256);
  admitSha256(mse2);
  auto ctx1 = clientContext(&mse_);
  auto ctx2 = clientContext(&mse2);
  // Reads until `want` devices arrived in Measurement Notifications; each must be of `kind`
  // and carry `txn`. Other notifications (none expected) fail the test.
  auto collect = [](session::FrameChannel& channel, proto::DeviceKind kind, uint32_t txn,
                    size_t want) -> asio::awaitable<size_t> {
    size_t devices = 0;
    while (devices < want) {
      auto frame = co_await channel.read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        break;
      }
      const auto* m = std::get_if<proto::MeasurementNotification>(&frame->message);
      EXPECT_NE(m, nullptr) << "only measurements were subscribed to";
      if (m == nullptr) {
        break;
      }
      EXPECT_EQ(frame->transaction_id, txn);
      for (const auto& device : m->devices) {
        EXPECT_EQ(device.kind, kind);
      }
      devices += m->devices.size();
    }
    co_return devices;
  };
  size_t clients = 0;
  size_t tags = 0;
  run([&]() -> asio::awaitable<void> {
    auto a = co_await openSession(port_, *ctx1);
    auto b = co_await openSession(port_, *ctx2);
    EXPECT_TRUE(a->send(request(100, subscribeRequest(proto::bit(Service::RssiMs)))));
    proto::ServiceSubscribeRequest rfid;
    rfid.services = proto::bit(Service::RssiRfid);
    rfid.intervals.push_back({Service::RssiRfid, 1});
    EXPECT_TRUE(b->send(request(200, rfid)));
    auto ra = co_await a->read(5s);
    EXPECT_TRUE(ra && std::holds_alternative<proto::ServiceSubscribeResponse>(ra->message));
    auto rb = co_await b->read(5s);
    EXPECT_TRUE(rb && std::holds_alternative<proto::ServiceSubscribeResponse>(rb->message));
    clients = co_await collect(*a, proto::DeviceKind::Client, 100, 5);
    tags = co_await collect(*b, proto::DeviceKind::RfidTag, 200, 5);
  });
  EXPECT_GE(clients, 5u);
  EXPECT_GE(tags, 5u);
}

// The service each notification's entries belong to, OR-ed into a mask (0 for a message that
// is no notification of the data path).
proto::ServiceMask servicesOf(const proto::Message& message) {
  proto::ServiceMask mask = 0;
  if (const auto* m = std::get_if<proto::MeasurementNotification>(&message)) {
    for (const auto& d : m->devices) {
      mask |= proto::bit(aggregate::rssiServiceOf(d.kind));
    }
  } else if (const auto* i = std::get_if<proto::InfoNotification>(&message)) {
    for (const auto& d : i->devices) {
      mask |= aggregate::infoServiceOf(d.kind) ? proto::bit(*aggregate::infoServiceOf(d.kind)) : 0;
    }
  } else if (const auto* st = std::get_if<proto::StatisticsNotification>(&message)) {
    for (const auto& d : st->devices) {
      mask |=
          aggregate::statsServiceOf(d.kind) ? proto::bit(*aggregate::statsServiceOf(d.kind)) : 0;
    }
  } else if (std::holds_alternative<proto::ApInfoNotification>(message)) {
    mask |= proto::bit(Service::ApInfo);
  } else if (std::holds_alternative<proto::AttachmentNotification>(message)) {
    mask |= proto::bit(Service::Attach);
  }
  return mask;
}

// 20 MSEs on one simulated controller, each subscribed (its own transaction id) to another
// subset of the services the simulator feeds: during 40 s of controller time each receives
// every service it asked for and nothing else, every frame with its own transaction id.
TEST_F(DataPathTest, TwentyMsesEachGetExactlyTheServicesTheySubscribedTo) {
  startSimulated({12, 6, 2, 2, 0}, 7);
  const std::array pool = {Service::RssiMs,    Service::RssiRfid, Service::RssiRogue,
                           Service::ApMonitor, Service::StatsMs,  Service::ApInfo};
  constexpr size_t kMses = 20;
  struct Mse {
    identity::Identity id;
    std::shared_ptr<asio::ssl::context> ctx;
    proto::ServiceMask asked = 0;
    proto::ServiceMask received = 0;
    uint32_t txn = 0;
    uint64_t frames = 0;
    std::shared_ptr<session::FrameChannel> channel;  // open until the controller stops
  };
  std::vector<Mse> mses(kMses);
  std::set<proto::ServiceMask> distinct;
  for (size_t i = 0; i < kMses; ++i) {
    auto& m = mses[i];
    m.id = makeIdentity(dir_.path() / fmt::format("mse{}", i),
                        testMac(static_cast<uint8_t>(0xa0 + i)), identity::KeyType::EcdsaP256);
    admitSha256(m.id);
    m.ctx = clientContext(&m.id);
    const size_t choice = (i * 11 + 3) % 63 + 1;  // 20 distinct non-empty subsets of the pool
    for (size_t b = 0; b < pool.size(); ++b) {
      m.asked |= (choice >> b & 1) != 0 ? proto::bit(pool[b]) : 0;
    }
    m.txn = static_cast<uint32_t>(1000 + i);
    distinct.insert(m.asked);
  }
  ASSERT_EQ(distinct.size(), kMses);
  size_t finished = 0;
  run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    for (auto& m : mses) {
      asio::co_spawn(
          ex,
          [&]() -> asio::awaitable<void> {
            m.channel = co_await openSession(port_, *m.ctx);
            auto& channel = m.channel;
            proto::ServiceSubscribeRequest subscribe;
            subscribe.services = m.asked;
            for (const auto service : pool) {
              if ((m.asked & proto::bit(service)) != 0 &&
                  aggregate::streamKindOf(service) != aggregate::StreamKind::ApInfo) {
                subscribe.intervals.push_back({service, 1});
              }
            }
            EXPECT_TRUE(channel->send(request(m.txn, subscribe)));
            auto response = co_await channel->read(5s);
            const auto* granted =
                response ? std::get_if<proto::ServiceSubscribeResponse>(&response->message)
                         : nullptr;
            EXPECT_NE(granted, nullptr);
            if (granted != nullptr) {
              EXPECT_EQ(granted->granted, m.asked);
            }
            // Echo round trips pull what arrives (an MSE of event-driven services may wait
            // long for its next frame): everything before an Echo Response is counted.
            uint32_t echo_txn = m.txn * 1000;
            const auto end = controller_->options().data_clock() + 40s;
            while (controller_->options().data_clock() < end) {
              EXPECT_TRUE(channel->send(request(++echo_txn, proto::EchoRequest{nowMs()})));
              for (;;) {
                auto frame = co_await channel->read(5s);
                EXPECT_TRUE(frame.has_value());
                if (!frame) {
                  co_return;
                }
                if (std::holds_alternative<proto::EchoResponse>(frame->message)) {
                  EXPECT_EQ(frame->transaction_id, echo_txn);
                  break;
                }
                const auto services = servicesOf(frame->message);
                EXPECT_NE(services, 0u) << "not a notification of the data path";
                EXPECT_EQ(services & ~m.asked, 0u)
                    << "MSE " << m.txn << " got a service it did not ask for";
                EXPECT_EQ(frame->transaction_id, m.txn);
                m.received |= services;
                ++m.frames;
              }
            }
          },
          [&](std::exception_ptr e) {
            EXPECT_FALSE(e) << "an MSE's coroutine threw";
            ++finished;
          });
    }
    asio::steady_timer poll(ex);
    while (finished < kMses) {  // each reader ends by its own deadline or read timeout
      poll.expires_after(10ms);
      co_await poll.async_wait(asio::use_awaitable);
    }
  });
  for (const auto& m : mses) {
    EXPECT_EQ(m.received, m.asked) << "MSE " << m.txn << " after " << m.frames << " frames";
  }
  const auto rows = controller_->sessions();
  EXPECT_EQ(rows.size(), kMses);
  for (const auto& row : rows) {
    EXPECT_EQ(row.notifications_dropped, 0u) << "connection " << row.connection_id;
  }
}

// Notification intervals are honoured within 10 %: rssi-ms every 2 s and rssi-rfid every 3 s on
// one session, the arrival of each collect timed on the controller's data clock (run 4 times
// faster than real time here: a 10 % margin is still 50 ms of real time).
TEST_F(DataPathTest, NotificationIntervalsAreHonouredWithinTenPercent) {
  speed_up_ = 4;
  startSimulated({30, 20, 0, 0, 0});
  auto ctx = clientContext(&mse_);
  // Per service: the data-clock times at which its collects arrived (the frames of one collect
  // arrive together: a frame within 200 ms of the previous one belongs to the same collect).
  std::map<Service, std::vector<std::chrono::system_clock::time_point>> arrivals;
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    proto::ServiceSubscribeRequest subscribe;
    subscribe.services = proto::bit(Service::RssiMs) | proto::bit(Service::RssiRfid);
    subscribe.intervals = {{Service::RssiMs, 2}, {Service::RssiRfid, 3}};
    EXPECT_TRUE(channel->send(request(9, subscribe)));
    auto response = co_await channel->read(5s);
    EXPECT_TRUE(response &&
                std::holds_alternative<proto::ServiceSubscribeResponse>(response->message));
    const auto end = controller_->options().data_clock() + 20s;
    while (controller_->options().data_clock() < end) {
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        break;
      }
      const auto at = controller_->options().data_clock();
      for (const auto service : {Service::RssiMs, Service::RssiRfid}) {
        if ((servicesOf(frame->message) & proto::bit(service)) == 0) {
          continue;
        }
        auto& times = arrivals[service];
        if (times.empty() || at - times.back() > 200ms) {
          times.push_back(at);
        }
      }
    }
  });
  for (const auto& [service, interval] :
       {std::pair{Service::RssiMs, 2000ms}, std::pair{Service::RssiRfid, 3000ms}}) {
    const auto& times = arrivals[service];
    ASSERT_GE(times.size(), 5u) << proto::serviceName(static_cast<uint8_t>(service)).value();
    for (size_t k = 1; k < times.size(); ++k) {
      const auto gap =
          std::chrono::duration_cast<std::chrono::milliseconds>(times[k] - times[k - 1]);
      EXPECT_GE(gap, interval * 9 / 10) << "collect " << k;
      EXPECT_LE(gap, interval * 11 / 10) << "collect " << k;
    }
  }
}

// `nmsp notification interval rssi clients 6` while an MSE is subscribed with the class
// interval: its open stream moves to 6 s at once (the MSE does not subscribe again).
TEST_F(DataPathTest, AChangedClassIntervalMovesAnOpenSubscription) {
  startSimulated({30, 0, 0, 0, 0});
  auto ctx = clientContext(&mse_);
  std::shared_ptr<session::FrameChannel> channel;
  run([&]() -> asio::awaitable<void> {
    channel = co_await openSession(port_, *ctx);
    proto::ServiceSubscribeRequest subscribe;  // no interval named: the class interval, 2 s
    subscribe.services = proto::bit(Service::RssiMs);
    EXPECT_TRUE(channel->send(request(9, subscribe)));
    auto response = co_await channel->read(5s);
    EXPECT_TRUE(response &&
                std::holds_alternative<proto::ServiceSubscribeResponse>(response->message));
  });
  auto detail = [&] { return surface::subscriptionDetailView(controller_->sessions()); };
  EXPECT_NE(detail().find("rssi-ms           2 s\n"), std::string::npos) << detail();
  auto settings = controller_->aggregationSettings();
  settings.interval_s[0] = 6;  // clients
  ASSERT_TRUE(controller_->setAggregationSettings(settings).has_value());
  waitUntil([&] { return detail().find("rssi-ms           6 s\n") != std::string::npos; });
  // Collects after the move, timed on the data clock (frames within 1 s: one collect).
  std::vector<std::chrono::system_clock::time_point> collects;
  run([&]() -> asio::awaitable<void> {
    while (collects.size() < 4) {
      auto frame = co_await channel->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        co_return;
      }
      if ((servicesOf(frame->message) & proto::bit(Service::RssiMs)) != 0) {
        const auto at = controller_->options().data_clock();
        if (collects.empty() || at - collects.back() > 1s) {
          collects.push_back(at);
        }
      }
    }
  });
  ASSERT_EQ(collects.size(), 4u);
  for (size_t k = 2; k < collects.size(); ++k) {  // the first may hold frames from before
    const auto gap =
        std::chrono::duration_cast<std::chrono::milliseconds>(collects[k] - collects[k - 1]);
    EXPECT_GE(gap, 5400ms) << "collect " << k;
    EXPECT_LE(gap, 6600ms) << "collect " << k;
  }
}

}  // namespace
}  // namespace nmsp::testing
