// A stalled MSE does not hurt the others (issue 9, docs/data-path.md "Bounds and overflow
// policies"): one MSE stops reading while a replay floods its subscription; its send queue stays
// within its byte bound by dropping its oldest notifications (counted), and another MSE gets
// every observation of its own subscription. Label integration: the flood must exceed what the
// kernel's socket buffers hold, so the volume, not a size, is what the test relies on.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

using proto::Service;

class StalledMseTest : public ControllerFixture {};

TEST_F(StalledMseTest, DropsItsOldestNotificationsWhileAnotherMseGetsEverything) {
  // 300,000 observations over 15 s of file time: 1 in 100 of an RFID tag, the rest of clients.
  const auto file = dir_.path() / "flood.jsonl";
  size_t tag_reports = 0;
  {
    std::ofstream out(file);
    for (size_t i = 0; i < 300'000; ++i) {
      const bool tag = i % 100 == 0;
      tag_reports += tag ? 1 : 0;
      out << fmt::format(
          R"({{"ts_ms": {}, "device": "f4:8c:50:{:02x}:{:02x}:{:02x}", "kind": "{}", "ap": "00:2b:01:00:{:02x}:00", "slot": 0, "rssi": -60}})"
          "\n",
          i / 20, tag ? 1 : 0, (i / 256) % 200, i % 256, tag ? "rfid-tag" : "client", i % 16);
    }
  }
  const auto real_start = std::chrono::steady_clock::now();
  const auto wall_start = std::chrono::system_clock::now();
  startController([&](controller::ControllerOptions& o) {
    o.data_clock = [=] {
      return wall_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              (std::chrono::steady_clock::now() - real_start) * 20);
    };
    o.data_tick = std::chrono::milliseconds(5);
    o.channel.max_queued_bytes = 256 * 1024;
    o.source.kind = controller::DataSourceOptions::Kind::Replay;
    o.source.replay_file = file;
    o.source.replay.speed = 10;
  });
  admitSha256(mse_);
  const auto mse2 = makeIdentity(dir_.path() / "mse2", testMac(0x90), identity::KeyType::EcdsaP256);
  admitSha256(mse2);
  auto ctx1 = clientContext(&mse_);
  auto ctx2 = clientContext(&mse2);
  std::shared_ptr<session::FrameChannel> stalled;
  size_t received = 0;
  runCoroutine(
      io_,
      [&]() -> asio::awaitable<void> {
        stalled = co_await openSession(port_, *ctx1);
        auto reader = co_await openSession(port_, *ctx2);
        // The reader subscribes first: the replay starts then, so every tag observation is
        // played after its subscription (a stream carries what arrives from its start on).
        proto::ServiceSubscribeRequest tags;
        tags.services = proto::bit(Service::RssiRfid);
        tags.intervals.push_back({Service::RssiRfid, 1});
        EXPECT_TRUE(reader->send(request(2, tags)));
        proto::ServiceSubscribeRequest clients;
        clients.services = proto::bit(Service::RssiMs);
        clients.intervals.push_back({Service::RssiMs, 1});
        EXPECT_TRUE(stalled->send(request(1, clients)));
        // From here on `stalled` is never read again.
        auto response = co_await reader->read(5s);
        EXPECT_TRUE(response &&
                    std::holds_alternative<proto::ServiceSubscribeResponse>(response->message));
        while (received < tag_reports) {
          auto frame = co_await reader->read(10s);
          EXPECT_TRUE(frame.has_value()) << received << " of " << tag_reports;
          if (!frame) {
            break;
          }
          if (const auto* m = std::get_if<proto::MeasurementNotification>(&frame->message)) {
            for (const auto& device : m->devices) {
              EXPECT_EQ(device.kind, proto::DeviceKind::RfidTag);
              received += device.aps.size();
            }
          }
        }
      },
      60s);
  {
    const auto d = controller_->statistics().data;
    EXPECT_EQ(received, tag_reports)  // the other MSE lost nothing
        << "observations " << d.observations << " capped " << d.observations_capped
        << " pending_dropped " << d.pending_dropped << " lost " << d.notifications_lost
        << " frames " << d.frames_encoded << " played " << d.replay_played;
  }
  waitUntil([&] {
    const auto rows = controller_->sessions();
    return rows.size() == 2 && rows[0].notifications_dropped > 0;
  });
  const auto rows = controller_->sessions();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_GT(rows[0].notifications_dropped, 0u);  // the stalled one, oldest first
  EXPECT_EQ(rows[1].notifications_dropped, 0u);
  EXPECT_GT(rows[0].sent.measurement_notifications, 0u);
}

}  // namespace
}  // namespace nmsp::testing
