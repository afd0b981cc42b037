// The controller's NMSP session rules after admission (docs/protocol.md "Session"), driven by
// a FrameChannel client over real TLS: Init, clock skew, echo, subscribe, unknown and
// malformed input, and bad input on the port that must never disturb other sessions.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/write.hpp>
#include <sstream>

#include "session/session_core.h"
#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

class ControllerSessionTest : public ControllerFixture {
 protected:
  void SetUp() override {
    ControllerFixture::SetUp();
    startController([](controller::ControllerOptions& o) { o.handshake_timeout = 500ms; });
    admitSha256(mse_);
    ctx_ = clientContext(&mse_);
  }
  std::shared_ptr<asio::ssl::context> ctx_;
};

template <class T>
const T* messageOf(const Result<proto::Frame, session::ChannelError>& r) {
  return r ? std::get_if<T>(&r->message) : nullptr;
}

TEST_F(ControllerSessionTest, InitThenCapabilityThenSubscribe) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    EXPECT_TRUE(channel->send(request(77, initRequest())));
    auto init = co_await channel->read(5s);
    auto* response = messageOf<proto::InitResponse>(init);
    EXPECT_NE(response, nullptr);
    if (response != nullptr) {
      EXPECT_EQ(init->transaction_id, 77u);
      EXPECT_EQ(response->result, proto::ResultCode::Success);
      EXPECT_EQ(response->selected_version, 1);
      EXPECT_EQ(response->role, proto::PeerRole::Controller);
      EXPECT_EQ(response->name, "wlc-test");
    }
    auto capability = co_await channel->read(5s);
    auto* offered = messageOf<proto::CapabilityNotification>(capability);
    EXPECT_NE(offered, nullptr);
    if (offered != nullptr) {
      EXPECT_EQ(offered->services, controller::kDefaultOfferedServices);
    }
    proto::ServiceSubscribeRequest subscribe;
    subscribe.services = proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::Wips);
    EXPECT_TRUE(channel->send(request(78, subscribe)));
    auto granted = co_await channel->read(5s);
    auto* sub = messageOf<proto::ServiceSubscribeResponse>(granted);
    EXPECT_NE(sub, nullptr);
    if (sub != nullptr) {
      EXPECT_EQ(granted->transaction_id, 78u);
      EXPECT_EQ(sub->granted, proto::bit(proto::Service::RssiMs));
      EXPECT_EQ(sub->results.size(), 2u);
      if (sub->results.size() == 2) {
        EXPECT_EQ(sub->results[0].result, proto::ResultCode::Success);
        EXPECT_EQ(sub->results[1].service, proto::Service::Wips);
        EXPECT_EQ(sub->results[1].result, proto::ResultCode::UnsupportedService);
      }
    }
    const auto sessions = controller_->sessions();
    EXPECT_EQ(sessions.size(), 1u);
    if (!sessions.empty()) {
      EXPECT_EQ(sessions[0].subscriptions, proto::bit(proto::Service::RssiMs));
    }
    co_await channel->close();
  });
  waitForFreed(1);
}

TEST_F(ControllerSessionTest, StopSendsShutdownErrorThenCloses) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    EXPECT_TRUE(channel->send(request(1, initRequest())));
    EXPECT_NE(messageOf<proto::InitResponse>(co_await channel->read(5s)), nullptr);
    EXPECT_NE(messageOf<proto::CapabilityNotification>(co_await channel->read(5s)), nullptr);
    controller_->stop();
    auto r = co_await channel->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr) << (r ? "another message" : r.error().detail);
    if (error != nullptr) {
      EXPECT_EQ(r->transaction_id, 0u);
      EXPECT_EQ(error->reason, proto::ErrorReason::Shutdown);
      EXPECT_EQ(error->offending_message_id, 0u);
    }
    auto end = co_await channel->read(5s);
    EXPECT_FALSE(end.has_value());
    if (!end) {
      EXPECT_EQ(end.error().kind, session::ChannelError::Kind::Closed) << end.error().detail;
    }
  });
  waitForFreed(1);
}

TEST_F(ControllerSessionTest, ClockSkewIsRefusedTracedAndCounted) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    const auto ahead = std::chrono::system_clock::now() + std::chrono::seconds(120);
    EXPECT_TRUE(channel->send(request(5, initRequest(nowMs(ahead)))));
    auto init = co_await channel->read(5s);
    auto* response = messageOf<proto::InitResponse>(init);
    EXPECT_NE(response, nullptr);
    if (response != nullptr) {
      EXPECT_EQ(response->result, proto::ResultCode::ClockSkew);
    }
    auto end = co_await channel->read(5s);  // the controller closes the session
    EXPECT_FALSE(end.has_value());
    if (!end) {
      EXPECT_EQ(end.error().kind, session::ChannelError::Kind::Closed) << end.error().detail;
    }
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().clock_skew_events, 1u);
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"clock skew of 120 s between the controller and MSE 127.0.0.1: "
                            "check NTP on the controller and the MSE"}));
}

// Both roles word a skew the same way: its magnitude, rounded to the nearest second.
TEST_F(ControllerSessionTest, ClockSkewOfAnMseBehindIsWordedAsItsMagnitude) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    const auto behind = std::chrono::system_clock::now() - std::chrono::milliseconds(120'300);
    EXPECT_TRUE(channel->send(request(5, initRequest(nowMs(behind)))));
    auto* response = messageOf<proto::InitResponse>(co_await channel->read(5s));
    EXPECT_NE(response, nullptr);
    if (response != nullptr) {
      EXPECT_EQ(response->result, proto::ResultCode::ClockSkew);
    }
  });
  waitForFreed(1);
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"clock skew of 120 s between the controller and MSE 127.0.0.1"}));
}

TEST(SkewSecondsTest, MagnitudeRoundedHalfAwayFromZero) {
  EXPECT_EQ(session::skewSeconds(0), 0);
  EXPECT_EQ(session::skewSeconds(499), 0);
  EXPECT_EQ(session::skewSeconds(500), 1);
  EXPECT_EQ(session::skewSeconds(-500), 1);
  EXPECT_EQ(session::skewSeconds(119'500), 120);
  EXPECT_EQ(session::skewSeconds(-120'499), 120);
}

TEST_F(ControllerSessionTest, UnsupportedVersionRangeIsRefused) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    auto init = initRequest();
    init.min_version = 2;
    init.max_version = 3;
    EXPECT_TRUE(channel->send(request(5, init)));
    auto r = co_await channel->read(5s);
    auto* response = messageOf<proto::InitResponse>(r);
    EXPECT_NE(response, nullptr);
    if (response != nullptr) {
      EXPECT_EQ(response->result, proto::ResultCode::UnsupportedVersion);
      EXPECT_EQ(response->selected_version, 1);  // the controller's highest version
    }
  });
  waitForFreed(1);
}

TEST_F(ControllerSessionTest, MessageBeforeInitIsUnexpectedAndCloses) {
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    EXPECT_TRUE(channel->send(request(3, proto::EchoRequest{nowMs()})));
    auto r = co_await channel->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(r->transaction_id, 3u);
      EXPECT_EQ(error->reason, proto::ErrorReason::UnexpectedMessage);
      EXPECT_EQ(error->offending_message_id, 0x0003);
    }
    auto end = co_await channel->read(5s);
    EXPECT_FALSE(end.has_value());
  });
  waitForFreed(1);
}

TEST_F(ControllerSessionTest, UnknownMessagesAreAnsweredOrCountedNeverFatal) {
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    proto::UnknownMessage unknown;
    unknown.id = 0x7abc;
    unknown.payload = {0x00, 0x01, 0x00, 0x01, 0x05};
    proto::Frame asked = request(41, unknown);
    EXPECT_TRUE(channel->send(asked));
    auto r = co_await channel->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(r->transaction_id, 41u);
      EXPECT_EQ(error->reason, proto::ErrorReason::UnsupportedMessage);
      EXPECT_EQ(error->offending_message_id, 0x7abc);
    }
    proto::Frame told;  // no REQUEST flag: only counted
    told.message = unknown;
    EXPECT_TRUE(channel->send(told));
    EXPECT_TRUE(co_await echo(*channel, 42));  // the next reply is the echo's
    co_await channel->close();
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().unsupported_msgs, 2u);
}

// Rule 9: the MSE closes after Error(Shutdown), so the controller closes too.
TEST_F(ControllerSessionTest, ErrorShutdownFromTheMseClosesTheSession) {
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    proto::ErrorMessage bye;
    bye.reason = proto::ErrorReason::Shutdown;
    EXPECT_TRUE(channel->send(proto::Frame{1, 0, 0, bye}));
    auto end = co_await channel->read(5s);
    EXPECT_FALSE(end.has_value());
    if (!end) {
      EXPECT_EQ(end.error().kind, session::ChannelError::Kind::Closed) << end.error().detail;
    }
  });
  waitForFreed(1);
}

// A known message the controller does not take (here a notification only a controller sends,
// flagged REQUEST) and a second Init: Error(UnexpectedMessage) with its id and transaction id,
// counted as unsupported, never fatal (docs/protocol.md section 10).
TEST_F(ControllerSessionTest, WrongDirectionAndSecondInitAreUnexpectedButNotFatal) {
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    proto::Frame wrong{1, proto::kFlagRequest, 21, proto::CapabilityNotification{1}};
    EXPECT_TRUE(channel->send(wrong));
    auto r = co_await channel->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(r->transaction_id, 21u);
      EXPECT_EQ(error->reason, proto::ErrorReason::UnexpectedMessage);
      EXPECT_EQ(error->offending_message_id, 0x0010);
    }
    EXPECT_TRUE(channel->send(request(22, initRequest())));
    r = co_await channel->read(5s);
    error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(r->transaction_id, 22u);
      EXPECT_EQ(error->reason, proto::ErrorReason::UnexpectedMessage);
      EXPECT_EQ(error->offending_message_id, 0x0001);
    }
    EXPECT_TRUE(channel->send(proto::Frame{1, 0, 0, proto::CapabilityNotification{1}}));
    EXPECT_TRUE(co_await echo(*channel, 23));  // still up; the unflagged one was only counted
    co_await channel->close();
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().unsupported_msgs, 3u);
}

// A session that throws (here its clock, on the Init) ends with its connection: the slot and
// the table entry are released, the exception is logged and counted, the controller goes on.
TEST_F(ControllerSessionTest, ThrowingSessionReleasesItsSlotAndIsCounted) {
  stopController();
  auto calls = std::make_shared<std::atomic<int>>(0);
  startController([calls](controller::ControllerOptions& o) {
    o.max_connections = 1;  // a leaked slot would refuse the second connection
    o.clock = [calls] {
      if (++*calls == 2) {  // 1: admission in the handshake, 2: the Init Response
        throw std::runtime_error("clock exploded");
      }
      return std::chrono::system_clock::now();
    };
  });
  admitSha256(mse_);
  run([&]() -> asio::awaitable<void> {
    auto c = co_await tlsConnect(port_, *ctx_);
    auto channel = std::make_shared<session::FrameChannel>(c.stream);
    EXPECT_TRUE(channel->send(request(1, initRequest())));
    auto r = co_await channel->read(5s);
    EXPECT_FALSE(r.has_value());  // closed, no Init Response
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().session_exceptions, 1u);
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    EXPECT_TRUE(co_await echo(*channel, 2));
    co_await channel->close();
  });
  waitForFreed(2);
  EXPECT_EQ(controller_->statistics().connection_cap_rejects, 0u);
}

TEST_F(ControllerSessionTest, OversizedFrameEndsOnlyThatSession) {
  run([&]() -> asio::awaitable<void> {
    auto good = co_await openSession(port_, *ctx_);
    auto bad = co_await openSession(port_, *ctx_);
    // A header announcing a 1 MiB payload, written raw on the admitted TLS stream.
    const std::vector<uint8_t> header = {1, 0x01, 0, 3, 0, 0, 0, 9, 0, 0x10, 0, 0};
    co_await asio::async_write(bad->stream(), asio::buffer(header), asio::use_awaitable);
    auto r = co_await bad->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(error->reason, proto::ErrorReason::FrameTooLarge);
      EXPECT_EQ(error->offending_message_id, 0x0003);  // copied from the readable header
      EXPECT_EQ(r->transaction_id, 9u);
    }
    auto end = co_await bad->read(5s);
    EXPECT_FALSE(end.has_value());
    EXPECT_TRUE(co_await echo(*good, 7));
    co_await good->close();
  });
  waitForFreed(2);
  EXPECT_EQ(controller_->statistics().malformed_frames, 1u);
}

TEST_F(ControllerSessionTest, MalformedFrameGetsErrorAndClose) {
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    // Echo Request whose only TLV claims 8 bytes but carries 2: attribute overrun.
    const std::vector<uint8_t> frame = {1, 0x01, 0, 3, 0, 0, 0, 9,    0,
                                        0, 0,    6, 0, 6, 0, 8, 0xaa, 0xbb};
    co_await asio::async_write(channel->stream(), asio::buffer(frame), asio::use_awaitable);
    auto r = co_await channel->read(5s);
    auto* error = messageOf<proto::ErrorMessage>(r);
    EXPECT_NE(error, nullptr);
    if (error != nullptr) {
      EXPECT_EQ(error->reason, proto::ErrorReason::MalformedFrame);
      EXPECT_EQ(error->offending_message_id, 0x0003);  // copied from the header
      EXPECT_EQ(r->transaction_id, 9u);
      EXPECT_TRUE(error->text.has_value());
    }
    auto end = co_await channel->read(5s);
    EXPECT_FALSE(end.has_value());
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().malformed_frames, 1u);
  EXPECT_EQ(controller_->statistics().connections_closed, 1u);
}

TEST_F(ControllerSessionTest, BadInputOnThePortNeverDisturbsOtherSessions) {
  run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto good = co_await openSession(port_, *ctx_);
    // 1. Plaintext garbage instead of a ClientHello.
    asio::ip::tcp::socket garbage(ex);
    co_await garbage.async_connect({asio::ip::make_address("127.0.0.1"), port_},
                                   asio::use_awaitable);
    const std::string junk = "GET / HTTP/1.1\r\nHost: wlc\r\n\r\n";
    co_await asio::async_write(garbage, asio::buffer(junk), asio::use_awaitable);
    std::array<char, 64> buf{};
    auto [ec1, n1] =
        co_await garbage.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    EXPECT_TRUE(ec1 || n1 > 0);  // an alert record or a close: never a hang
    // 2. Half-open: TCP connect, then nothing (handshake timeout, 500 ms here).
    asio::ip::tcp::socket silent(ex);
    co_await silent.async_connect({asio::ip::make_address("127.0.0.1"), port_},
                                  asio::use_awaitable);
    // 3. A ClientHello and then silence: a TLS client that never finishes.
    asio::ip::tcp::socket stalled(ex);
    co_await stalled.async_connect({asio::ip::make_address("127.0.0.1"), port_},
                                   asio::use_awaitable);
    const std::vector<uint8_t> hello_start = {0x16, 0x03, 0x01, 0x00, 0xc8, 0x01,
                                              0x00, 0x00, 0xc4, 0x03, 0x03};
    co_await asio::async_write(stalled, asio::buffer(hello_start), asio::use_awaitable);
    // Both are dropped by the controller when the handshake timeout fires.
    auto [ec2, n2] =
        co_await silent.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    EXPECT_EQ(ec2, asio::error::eof);
    auto [ec3, n3] =
        co_await stalled.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    EXPECT_TRUE(ec3);
    (void)n2;
    (void)n3;
    EXPECT_TRUE(co_await echo(*good, 11));
    co_await good->close();
  });
  waitForFreed(4);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.handshake_timeouts, 2u);
  EXPECT_EQ(stats.accept_fail, 3u);  // garbage + two timeouts
  EXPECT_EQ(stats.accept_success, 1u);
}

TEST_F(ControllerSessionTest, ConnectionCapRefusesExtraConnections) {
  stopController();
  startController([](controller::ControllerOptions& o) { o.max_connections = 1; });
  admitSha256(mse_);
  run([&]() -> asio::awaitable<void> {
    auto first = co_await openSession(port_, *ctx_);
    auto second = co_await tlsConnect(port_, *ctx_);
    EXPECT_TRUE(second.handshake_error);  // closed before any TLS byte
    EXPECT_TRUE(co_await echo(*first, 2));
    co_await first->close();
  });
  waitForFreed(1);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.connection_cap_rejects, 1u);
  EXPECT_EQ(stats.accept_reject, 1u);
}

TEST_F(ControllerSessionTest, IdleSessionIsClosedAndCounted) {
  stopController();
  startController([](controller::ControllerOptions& o) { o.idle_timeout = 300ms; });
  admitSha256(mse_);
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    auto end = co_await channel->read(5s);  // we send nothing: no echo
    EXPECT_FALSE(end.has_value());
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().echo_timeouts, 1u);
}

TEST_F(ControllerSessionTest, EndedSessionStaysInactiveUntilTheSameIpComesBack) {
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    EXPECT_TRUE(co_await echo(*channel, 2));
    co_await channel->close();
  });
  waitForFreed(1);
  auto rows = controller_->sessions();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].closed);
  EXPECT_FALSE(rows[0].active);
  EXPECT_EQ(rows[0].connection_id, 0u);
  EXPECT_EQ(rows[0].rx_echo_req, 1u);  // the last counters are kept
  EXPECT_EQ(rows[0].tx_echo_resp, 1u);
  EXPECT_EQ(rows[0].rx_data, 2u);  // Init Request, Echo Request

  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx_);
    const auto now = controller_->sessions();
    EXPECT_EQ(now.size(), 1u);  // the new session from 127.0.0.1 replaced the inactive row
    if (now.size() == 1) {
      EXPECT_EQ(now[0].connection_id, 1u);
      EXPECT_TRUE(now[0].active);
      EXPECT_FALSE(now[0].closed);
    }
    co_await channel->close();
  });
  waitForFreed(2);
}

TEST(ControllerStateTest, ClosedRowsAreBoundedOldestDroppedAndReplacedBySameIp) {
  controller::ControllerState state(2);
  for (uint32_t id = 0; id < 3; ++id) {
    api::MseSessionStatus s;
    s.connection_id = id;
    s.peer_ip = "10.0.0." + std::to_string(id);
    s.active = true;
    state.addSession(s, std::make_shared<session::SessionCounters>());
  }
  state.closeSession(0);
  state.closeSession(1);
  state.updateSession(1, [](auto& s) { s.peer_name = "late"; });  // closed rows stay frozen
  EXPECT_EQ(state.sessions().size(), 3u);
  EXPECT_EQ(state.sessions()[1].peer_name, "");
  state.closeSession(2);  // third closed row: the oldest (id 0) goes
  auto rows = state.sessions();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].connection_id, 1u);
  EXPECT_EQ(rows[1].connection_id, 2u);
  EXPECT_FALSE(rows[0].active);
  api::MseSessionStatus again;
  again.connection_id = 9;
  again.peer_ip = "10.0.0.1";
  state.addSession(again, nullptr);
  rows = state.sessions();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].connection_id, 2u);
  EXPECT_EQ(rows[1].connection_id, 9u);
  EXPECT_FALSE(rows[1].closed);
}

// A clean stop: the handshaking connection and the established session both end at info level,
// with no "Operation canceled" warning (walkthrough B10).
TEST_F(ControllerSessionTest, CleanStopLogsNoCancellationWarnings) {
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  sink->set_pattern("%l %v");
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  spdlog::set_level(spdlog::level::info);
  std::shared_ptr<session::FrameChannel> channel;
  asio::ip::tcp::socket silent(io_);  // connects and never starts TLS
  run([&]() -> asio::awaitable<void> {
    channel = co_await openSession(port_, *ctx_);
    co_await silent.async_connect({asio::ip::make_address("127.0.0.1"), port_},
                                  asio::use_awaitable);
  });
  waitUntil([&] { return controller_->statistics().accept_attempts == 2; });
  stopController();
  spdlog::set_default_logger(previous);
  const std::string text = log.str();
  EXPECT_EQ(text.find("Operation canceled"), std::string::npos) << text;
  EXPECT_EQ(text.find("warning "), std::string::npos) << text;
  EXPECT_NE(text.find("info conn 1 (127.0.0.1:"), std::string::npos) << text;
  EXPECT_NE(text.find("): closed: controller stopping"), std::string::npos) << text;
}

}  // namespace
}  // namespace nmsp::testing
