// FrameChannel over a real loopback TLS connection: fragmented input, malformed input with the
// codec's typed error and the offending header's ids, read timeouts, the send queue bounded in
// bytes (oldest notification dropped, control never), shared encoded frames, orderly close.

#include "session/frame_channel.h"

#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>

#include "proto/codec.h"
#include "transport/tls_context.h"
#include "transport/tls_test_support.h"

namespace nmsp::session {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace boost::asio::experimental::awaitable_operators;
using testing::TempDir;

proto::Frame echoFrame(uint32_t txn, uint64_t clock) {
  proto::Frame frame;
  frame.flags = proto::kFlagRequest;
  frame.transaction_id = txn;
  frame.message = proto::EchoRequest{clock};
  return frame;
}

proto::Frame initFrame(uint32_t txn) {
  proto::InitRequest init;
  init.name = "mse-test";
  init.software_version = "8.0.110";
  init.clock_utc_ms = 1433629594305;
  proto::Frame frame;
  frame.flags = proto::kFlagRequest;
  frame.transaction_id = txn;
  frame.message = init;
  return frame;
}

proto::Frame capabilityFrame(proto::ServiceMask services) {
  proto::Frame frame;
  frame.message = proto::CapabilityNotification{services};
  return frame;
}

// Cases where the peer never answers our close_notify: a short wait instead of the 1 s default.
ChannelOptions quickClose() {
  ChannelOptions options;
  options.shutdown_timeout = 20ms;
  return options;
}

std::vector<uint8_t> encode(const proto::Frame& frame) {
  auto bytes = proto::encodeFrame(frame);
  EXPECT_TRUE(bytes.has_value());
  return bytes ? *bytes : std::vector<uint8_t>{};
}

class FrameChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    id_ = testing::makeIdentity(dir_.path(), testing::testMac(), identity::KeyType::EcdsaP256);
    server_ctx_ = testing::plainServerContext(id_);
    auto client = transport::makeClientContext(nullptr);
    ASSERT_TRUE(client.has_value()) << client.error();
    client_ctx_ = *client;
  }

  TempDir dir_;
  identity::Identity id_;
  std::shared_ptr<asio::ssl::context> server_ctx_;
  std::shared_ptr<asio::ssl::context> client_ctx_;
  asio::io_context io_;
};

TEST_F(FrameChannelTest, DeliversFramesWrittenOneByteAtATime) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    std::vector<uint8_t> wire = encode(initFrame(7));
    const auto echo = encode(echoFrame(8, 42));
    wire.insert(wire.end(), echo.begin(), echo.end());
    for (uint8_t byte : wire) {  // every byte its own TLS record
      co_await asio::async_write(*pair.client, asio::buffer(&byte, 1), asio::use_awaitable);
    }
    auto channel = std::make_shared<FrameChannel>(pair.server);
    auto first = co_await channel->read(5s);
    EXPECT_TRUE(first.has_value());
    if (first) {
      EXPECT_EQ(first->transaction_id, 7u);
      EXPECT_EQ(first->message, initFrame(7).message);
    }
    auto second = co_await channel->read(5s);
    EXPECT_TRUE(second.has_value());
    if (second) {
      EXPECT_EQ(second->message, echoFrame(8, 42).message);
    }
    EXPECT_EQ(channel->counters().rx_frames, 2u);
    EXPECT_EQ(channel->counters().rx_bytes, wire.size());
    EXPECT_EQ(channel->counters().rx_msgs.at(0x0001), 1u);
    EXPECT_EQ(channel->counters().rx_msgs.at(0x0003), 1u);
  });
}

TEST_F(FrameChannelTest, SendAndReceiveBetweenTwoChannels) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    ChannelOptions slow_close;
    slow_close.shutdown_timeout = 10s;  // the peer's close_notify must end the wait, not this
    auto a = std::make_shared<FrameChannel>(pair.client, slow_close);
    auto b = std::make_shared<FrameChannel>(pair.server);
    asio::ip::tcp::no_delay no_delay;
    pair.client->lowest_layer().get_option(no_delay);
    EXPECT_TRUE(no_delay.value()) << "small frames would wait for delayed ACKs";
    for (uint32_t i = 1; i <= 50; ++i) {
      EXPECT_TRUE(a->send(echoFrame(i, i * 10)));
    }
    for (uint32_t i = 1; i <= 50; ++i) {
      auto frame = co_await b->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        break;
      }
      EXPECT_EQ(frame->transaction_id, i);
      EXPECT_EQ(frame->flags & proto::kFlagRequest, proto::kFlagRequest);
    }
    EXPECT_EQ(a->counters().tx_frames, 50u);
    EXPECT_EQ(a->counters().tx_msgs.at(0x0003), 50u);
    EXPECT_EQ(b->counters().rx_frames, 50u);
    EXPECT_EQ(b->counters().rx_msgs.at(0x0003), 50u);
    // Orderly close: a sends close_notify, b sees Closed and answers with its own, which ends
    // a's wait well before its (long) shutdown timeout.
    auto b_side = [&]() -> asio::awaitable<void> {
      auto end = co_await b->read(5s);
      EXPECT_FALSE(end.has_value());
      if (!end) {
        EXPECT_EQ(end.error().kind, ChannelError::Kind::Closed) << end.error().detail;
      }
      co_await b->close();
    };
    const auto start = std::chrono::steady_clock::now();
    co_await (a->close() && b_side());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(a->send(echoFrame(99, 1)));
    EXPECT_EQ(a->counters().send_drops, 1u);
  });
}

TEST_F(FrameChannelTest, MalformedFrameReportsCodecErrorAfterEarlierFrames) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    std::vector<uint8_t> wire = encode(echoFrame(1, 5));
    // Version 9 header: rejected as soon as the 12 header bytes are in.
    const std::vector<uint8_t> bad = {9, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0};
    wire.insert(wire.end(), bad.begin(), bad.end());
    co_await asio::async_write(*pair.client, asio::buffer(wire), asio::use_awaitable);
    auto channel = std::make_shared<FrameChannel>(pair.server, quickClose());
    auto good = co_await channel->read(5s);
    EXPECT_TRUE(good.has_value());
    auto failed = co_await channel->read(5s);
    EXPECT_FALSE(failed.has_value());
    if (!failed) {
      EXPECT_EQ(failed.error().kind, ChannelError::Kind::Malformed);
      EXPECT_TRUE(failed.error().codec.has_value());
      if (failed.error().codec) {
        EXPECT_EQ(failed.error().codec->code, proto::ErrorCode::UnsupportedVersion);
      }
      // The header was readable: its ids are kept for the Error answer (protocol.md section 5).
      EXPECT_TRUE(failed.error().header.has_value());
      if (failed.error().header) {
        EXPECT_EQ(failed.error().header->message_id, 0x0003);
        EXPECT_EQ(failed.error().header->transaction_id, 2u);
      }
      EXPECT_FALSE(failed.error().detail.empty());
    }
    // The error is sticky, and the channel can still send (e.g. Error(MalformedFrame)).
    auto again = co_await channel->read(5s);
    EXPECT_FALSE(again.has_value());
    EXPECT_TRUE(channel->send(echoFrame(2, 6)));
    co_await channel->close();
  });
}

TEST_F(FrameChannelTest, OversizedFrameIsMalformedBeforeItsPayloadArrives) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    // Header announcing a 1 MiB payload; none of it follows.
    const std::vector<uint8_t> header = {1, 0, 0, 3, 0, 0, 0, 1, 0, 0x10, 0, 0};
    co_await asio::async_write(*pair.client, asio::buffer(header), asio::use_awaitable);
    auto channel = std::make_shared<FrameChannel>(pair.server, quickClose());
    auto failed = co_await channel->read(5s);
    EXPECT_FALSE(failed.has_value());
    if (!failed) {
      EXPECT_EQ(failed.error().kind, ChannelError::Kind::Malformed);
      EXPECT_TRUE(failed.error().codec.has_value());
      if (failed.error().codec) {
        EXPECT_EQ(failed.error().codec->code, proto::ErrorCode::FrameTooLarge);
      }
      EXPECT_TRUE(failed.error().header.has_value());
      if (failed.error().header) {
        EXPECT_EQ(failed.error().header->transaction_id, 1u);
      }
    }
    co_await channel->close();
  });
}

TEST_F(FrameChannelTest, ReadTimesOutWhenNothingArrives) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    auto channel = std::make_shared<FrameChannel>(pair.server);
    const auto start = std::chrono::steady_clock::now();
    auto result = co_await channel->read(100ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().kind, ChannelError::Kind::Timeout);
    }
    EXPECT_GE(waited, 100ms);
    EXPECT_LT(waited, 5s);
  });
}

TEST_F(FrameChannelTest, InterruptEndsAPendingReadButTheChannelCanStillSend) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    auto a = std::make_shared<FrameChannel>(pair.server);
    auto b = std::make_shared<FrameChannel>(pair.client);
    asio::steady_timer later(io_);
    later.expires_after(50ms);
    later.async_wait([a](const boost::system::error_code&) { a->interrupt("stopping now"); });
    const auto start = std::chrono::steady_clock::now();
    auto result = co_await a->read(10s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().kind, ChannelError::Kind::Closed);
      EXPECT_EQ(result.error().detail, "stopping now");
    }
    EXPECT_TRUE(a->send(echoFrame(7, 70)));
    auto last = co_await b->read(5s);
    EXPECT_TRUE(last.has_value());
    if (last) {
      EXPECT_EQ(last->transaction_id, 7u);
    }
    auto b_side = [&]() -> asio::awaitable<void> {
      auto end = co_await b->read(5s);
      EXPECT_FALSE(end.has_value());
      co_await b->close();  // answers a's close_notify: a's close is orderly, not timed out
    };
    co_await (a->close() && b_side());
  });
}

TEST_F(FrameChannelTest, FullSendQueueOfControlFramesEndsTheChannel) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    ChannelOptions options = quickClose();
    const size_t frame_size = encode(echoFrame(1, 1)).size();
    options.max_queued_bytes = 4 * frame_size;
    auto channel = std::make_shared<FrameChannel>(pair.server, options);
    // No suspension between sends: the writer has not run yet, so the queue fills up.
    for (uint32_t i = 1; i <= 4; ++i) {
      EXPECT_TRUE(channel->send(echoFrame(i, i)));
    }
    EXPECT_EQ(channel->queuedBytes(), 4 * frame_size);  // queued or being written
    EXPECT_FALSE(channel->send(echoFrame(5, 5)));  // control is never dropped: the channel ends
    EXPECT_EQ(channel->counters().send_drops, 1u);
    EXPECT_EQ(channel->counters().notifications_dropped, 0u);
    auto result = co_await channel->read(5s);
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().kind, ChannelError::Kind::Overloaded);
    }
    EXPECT_FALSE(channel->isOpen());
    co_await channel->close();
  });
}

TEST_F(FrameChannelTest, FullQueueDropsTheOldestNotificationsAndCountsThem) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    const size_t note_size = encode(capabilityFrame(1)).size();
    const size_t echo_size = encode(echoFrame(1, 1)).size();
    ChannelOptions options;
    options.max_queued_bytes = echo_size + 3 * note_size;
    auto sender = std::make_shared<FrameChannel>(pair.server, options);
    auto receiver = std::make_shared<FrameChannel>(pair.client);
    // One encoding shared by every send (fan-out). No suspension: nothing completes meanwhile
    // (the echo may already be in the writer's hands, where nothing is dropped any more).
    std::vector<SharedFrame> notes;
    for (proto::ServiceMask mask = 1; mask <= 5; ++mask) {
      notes.push_back(std::make_shared<const std::vector<uint8_t>>(encode(capabilityFrame(mask))));
    }
    EXPECT_TRUE(sender->send(echoFrame(1, 1)));  // control
    EXPECT_TRUE(sender->sendEncoded(notes[0], SendClass::notification));
    EXPECT_TRUE(sender->sendEncoded(notes[1], SendClass::notification));
    EXPECT_TRUE(sender->sendEncoded(notes[2], SendClass::notification));
    // Full: each new notification pushes out the oldest queued one (never the echo).
    EXPECT_TRUE(sender->sendEncoded(notes[3], SendClass::notification));
    EXPECT_TRUE(sender->sendEncoded(notes[4], SendClass::notification));
    EXPECT_EQ(sender->counters().notifications_dropped, 2u);
    EXPECT_EQ(sender->queuedBytes(), echo_size + 3 * note_size);
    // A control frame that needs room takes it from notifications too.
    EXPECT_TRUE(sender->send(echoFrame(2, 2)));
    EXPECT_EQ(sender->counters().notifications_dropped, 3u);
    std::vector<std::pair<uint32_t, proto::ServiceMask>> got;  // (echo txn, 0) or (0, mask)
    for (int i = 0; i < 4; ++i) {
      auto frame = co_await receiver->read(5s);
      EXPECT_TRUE(frame.has_value());
      if (!frame) {
        break;
      }
      if (auto* note = std::get_if<proto::CapabilityNotification>(&frame->message)) {
        got.emplace_back(0, note->services);
      } else {
        got.emplace_back(frame->transaction_id, 0);
      }
    }
    const std::vector<std::pair<uint32_t, proto::ServiceMask>> expected = {
        {1, 0}, {0, 4}, {0, 5}, {2, 0}};
    EXPECT_EQ(got, expected);
    EXPECT_EQ(sender->counters().tx_frames, 4u);
    EXPECT_TRUE(sender->isOpen());
    auto receiver_side = [&]() -> asio::awaitable<void> {
      (void)co_await receiver->read(5s);
      co_await receiver->close();
    };
    co_await (sender->close() && receiver_side());
  });
}

TEST_F(FrameChannelTest, WriteTimeoutWhenPeerStopsReading) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    // Small kernel buffers on both ends (set, not assumed): the writer blocks after a few KiB
    // whatever the machine's defaults are.
    pair.server->lowest_layer().set_option(asio::socket_base::send_buffer_size(4096));
    pair.client->lowest_layer().set_option(asio::socket_base::receive_buffer_size(4096));
    ChannelOptions options = quickClose();
    options.write_timeout = 200ms;
    options.max_queued_bytes = 64 * 1024 * 1024;
    options.encoder.max_frame_size = 64 * 1024;
    auto channel = std::make_shared<FrameChannel>(pair.server, options);
    // 1 KiB frames until the socket buffers are full and the writer blocks.
    proto::ErrorMessage big;
    big.reason = proto::ErrorReason::Shutdown;
    big.text = std::string(1000, 'x');
    proto::Frame frame;
    frame.message = big;
    for (int i = 0; i < 2000 && channel->isOpen(); ++i) {  // 2 MB: far above 2 x 4 KiB
      channel->send(frame);
    }
    auto result = co_await channel->read(10s);
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().kind, ChannelError::Kind::Overloaded) << result.error().detail;
    }
  });
}

}  // namespace
}  // namespace nmsp::session
