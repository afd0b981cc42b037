#pragma once
// An in-process controller on 127.0.0.1:0 plus the pieces of an MSE client the tests need:
// TLS connect with a chosen identity/cipher, the Init exchange over a FrameChannel, and
// helpers to read the alert a refused client gets (in the handshake with TLS 1.2, on the first
// read with TLS 1.3, where the client finishes before the server has checked its certificate).

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/controller.h"
#include "support/wait.h"
#include "transport/tls_context.h"
#include "transport/tls_errors.h"
#include "transport/tls_test_support.h"

namespace nmsp::testing {

using namespace std::chrono_literals;

inline uint64_t nowMs(std::chrono::system_clock::time_point t = std::chrono::system_clock::now()) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

struct Connected {
  boost::system::error_code handshake_error;
  std::shared_ptr<session::TlsStream> stream;
};

inline asio::awaitable<Connected> tlsConnect(uint16_t port, asio::ssl::context& ctx) {
  auto ex = co_await asio::this_coro::executor;
  Connected out;
  asio::ip::tcp::socket socket(ex);
  co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
  out.stream = std::make_shared<session::TlsStream>(std::move(socket), ctx);
  auto [ec] = co_await out.stream->async_handshake(asio::ssl::stream_base::client,
                                                   asio::as_tuple(asio::use_awaitable));
  out.handshake_error = ec;
  co_return out;
}

/// The alert number a refused client sees (-1: it was not refused).
inline asio::awaitable<int> refusalAlert(uint16_t port, asio::ssl::context& ctx) {
  auto c = co_await tlsConnect(port, ctx);
  if (c.handshake_error) {
    auto alert = transport::receivedAlert(c.handshake_error);
    co_return alert ? *alert : 0;
  }
  auto channel = std::make_shared<session::FrameChannel>(c.stream);
  auto r = co_await channel->read(5s);
  if (!r && r.error().kind == session::ChannelError::Kind::TlsAlert) {
    co_return r.error().alert;
  }
  co_return -1;
}

inline proto::Frame request(uint32_t txn, proto::Message message) {
  proto::Frame frame;
  frame.flags = proto::kFlagRequest;
  frame.transaction_id = txn;
  frame.message = std::move(message);
  return frame;
}

inline proto::InitRequest initRequest(uint64_t clock_ms = nowMs()) {
  proto::InitRequest init;
  init.name = "mse-test";
  init.software_version = "8.0.110.0";
  init.clock_utc_ms = clock_ms;
  return init;
}

/// Connects, runs Init (expects Success) and reads the Capability Notification.
inline asio::awaitable<std::shared_ptr<session::FrameChannel>> openSession(
    uint16_t port, asio::ssl::context& ctx) {
  auto c = co_await tlsConnect(port, ctx);
  EXPECT_FALSE(c.handshake_error) << transport::errorString(c.handshake_error);
  auto channel = std::make_shared<session::FrameChannel>(c.stream);
  EXPECT_TRUE(channel->send(request(1, initRequest())));
  auto response = co_await channel->read(5s);
  EXPECT_TRUE(response.has_value()) << (response ? "" : response.error().detail);
  if (response) {
    auto* init = std::get_if<proto::InitResponse>(&response->message);
    EXPECT_NE(init, nullptr);
    if (init != nullptr) {
      EXPECT_EQ(init->result, proto::ResultCode::Success);
    }
    auto capability = co_await channel->read(5s);
    EXPECT_TRUE(capability.has_value());
    if (capability) {
      EXPECT_TRUE(std::holds_alternative<proto::CapabilityNotification>(capability->message));
    }
  }
  co_return channel;
}

/// Echo round trip; true when the response carries the same txn and echoed clock.
inline asio::awaitable<bool> echo(session::FrameChannel& channel, uint32_t txn) {
  const uint64_t clock = nowMs();
  if (!channel.send(request(txn, proto::EchoRequest{clock}))) {
    co_return false;
  }
  auto r = co_await channel.read(5s);
  if (!r) {
    ADD_FAILURE() << "echo: " << r.error().detail;
    co_return false;
  }
  auto* response = std::get_if<proto::EchoResponse>(&r->message);
  co_return response != nullptr && r->transaction_id == txn &&
      response->echoed_clock_utc_ms == clock;
}

/// True when each of `needles` occurs in `lines` in this order (each in a later line).
inline ::testing::AssertionResult linesInOrder(const std::vector<std::string>& lines,
                                               const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const auto& needle : needles) {
    while (at < lines.size() && lines[at].find(needle) == std::string::npos) {
      ++at;
    }
    if (at == lines.size()) {
      std::string all;
      for (const auto& l : lines) {
        all += l + "\n";
      }
      return ::testing::AssertionFailure() << "missing (in order): '" << needle << "'\n" << all;
    }
    ++at;
  }
  return ::testing::AssertionSuccess();
}

class ControllerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    mse_ = makeIdentity(dir_.path() / "mse", testMac(), identity::KeyType::EcdsaP256);
  }

  void TearDown() override { stopController(); }

  void startController(const std::function<void(controller::ControllerOptions&)>& tweak = {}) {
    controller::ControllerOptions options;
    options.data_dir = dir_.path() / "controller";
    options.listen_host = "127.0.0.1";
    options.listen_port = 0;
    options.name = "wlc-test";
    options.handshake_timeout = 3s;
    options.clock = [this] { return std::chrono::system_clock::now() + clock_shift_; };
    if (tweak) {
      tweak(options);
    }
    auto created = controller::Controller::create(io_, options);
    ASSERT_TRUE(created.has_value()) << created.error();
    controller_ = std::move(*created);
    auto started = controller_->start();
    ASSERT_TRUE(started.has_value()) << started.error();
    controller_->trace().setLevel(trace::Level::Debug);
    port_ = controller_->port();
    ASSERT_NE(port_, 0);
  }

  void stopController() {
    if (controller_) {
      controller_->stop();
      io_.restart();
      io_.run_for(10s);
      EXPECT_TRUE(io_.stopped()) << "controller work left after stop()";
      controller_.reset();
    }
  }

  /// `config auth-list add ...` as the shell runs it: on the controller's persistence worker.
  Result<void, std::string> addAireOs(authlist::HashType type, MacAddress mac, std::string hash) {
    return controller_->editAuthList(
        [type, mac, hash](authlist::AuthList& list) { return list.addAireOs(type, mac, hash); });
  }

  void admitSha256(const identity::Identity& id) {
    auto added = addAireOs(authlist::HashType::Sha256, id.mac, id.hashes.sha256_hex);
    ASSERT_TRUE(added.has_value()) << added.error();
  }

  std::shared_ptr<asio::ssl::context> clientContext(const identity::Identity* id,
                                                    transport::ClientTlsOptions options = {}) {
    auto ctx = transport::makeClientContext(id, options);
    EXPECT_TRUE(ctx.has_value()) << (ctx ? "" : ctx.error());
    return ctx ? *ctx : nullptr;
  }

  static transport::ClientTlsOptions tls12() {
    transport::ClientTlsOptions o;
    o.max_version = TLS1_2_VERSION;
    return o;
  }

  size_t countLines(const std::string& needle) const {
    size_t n = 0;
    for (const auto& line : controller_->trace().lines()) {
      n += line.find(needle) != std::string::npos ? 1 : 0;
    }
    return n;
  }

  /// Runs the io_context until `done` holds (at most 10 s): the controller finishes its side
  /// of a connection after the client has already seen the outcome.
  void waitUntil(const std::function<bool()>& done) {
    EXPECT_TRUE(test_support::waitFor(done, 10s, [&] { io_.run_one_for(20ms); }))
        << "condition not reached within 10 s";
  }

  /// Waits until the controller has freed `n` connections (a counter every way out adds to).
  void waitForFreed(size_t n) {
    waitUntil([&] { return controller_->statistics().connections_freed >= n; });
  }

  template <class F>
  void run(F&& body) {
    runCoroutine(io_, std::forward<F>(body));
  }

  TempDir dir_;
  identity::Identity mse_;
  asio::io_context io_;
  std::unique_ptr<controller::Controller> controller_;
  uint16_t port_ = 0;
  std::chrono::seconds clock_shift_{0};
};

}  // namespace nmsp::testing
