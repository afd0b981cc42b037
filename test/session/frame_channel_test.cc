// FrameChannel over a real loopback TLS connection: fragmented input, malformed input with the
// codec's typed error, read timeouts, the bounded send queue, orderly close.

#include "session/frame_channel.h"

#include <gtest/gtest.h>

#include <boost/asio/write.hpp>

#include "proto/codec.h"
#include "transport/tls_context.h"
#include "transport/tls_test_support.h"

namespace nmsp::session {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
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
    auto a = std::make_shared<FrameChannel>(pair.client);
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
    co_await a->close();
    auto end = co_await b->read(5s);
    EXPECT_FALSE(end.has_value());
    if (!end) {
      EXPECT_EQ(end.error().kind, ChannelError::Kind::Closed) << end.error().detail;
    }
    EXPECT_FALSE(a->send(echoFrame(99, 1)));
    EXPECT_EQ(a->counters().send_queue_drops, 1u);
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
    auto channel = std::make_shared<FrameChannel>(pair.server);
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
    auto channel = std::make_shared<FrameChannel>(pair.server);
    auto failed = co_await channel->read(5s);
    EXPECT_FALSE(failed.has_value());
    if (!failed) {
      EXPECT_EQ(failed.error().kind, ChannelError::Kind::Malformed);
      EXPECT_TRUE(failed.error().codec.has_value());
      if (failed.error().codec) {
        EXPECT_EQ(failed.error().codec->code, proto::ErrorCode::FrameTooLarge);
      }
    }
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
    co_await a->close();
    auto end = co_await b->read(5s);
    EXPECT_FALSE(end.has_value());
  });
}

TEST_F(FrameChannelTest, FullSendQueueIsBoundedAndEndsTheChannel) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    ChannelOptions options;
    options.max_queued_frames = 4;
    auto channel = std::make_shared<FrameChannel>(pair.server, options);
    // No suspension between sends: the writer has not run yet, so the queue fills up.
    for (uint32_t i = 1; i <= 4; ++i) {
      EXPECT_TRUE(channel->send(echoFrame(i, i)));
    }
    EXPECT_EQ(channel->queuedFrames(), 4u);
    EXPECT_FALSE(channel->send(echoFrame(5, 5)));
    EXPECT_EQ(channel->counters().send_queue_drops, 1u);
    auto result = co_await channel->read(5s);
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().kind, ChannelError::Kind::Overloaded);
    }
    EXPECT_FALSE(channel->isOpen());
    co_await channel->close();
  });
}

TEST_F(FrameChannelTest, WriteTimeoutWhenPeerStopsReading) {
  testing::runCoroutine(io_, [&]() -> asio::awaitable<void> {
    auto pair = co_await testing::connectPair(*server_ctx_, *client_ctx_);
    ChannelOptions options;
    options.write_timeout = 200ms;
    options.max_queued_frames = 100000;
    options.encoder.max_frame_size = 64 * 1024;
    auto channel = std::make_shared<FrameChannel>(pair.server, options);
    // ~60 KiB frames until the socket buffers are full and the writer blocks.
    proto::ErrorMessage big;
    big.reason = proto::ErrorReason::Shutdown;
    big.text = std::string(1000, 'x');
    proto::Frame frame;
    frame.message = big;
    for (int i = 0; i < 20000 && channel->isOpen(); ++i) {
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
