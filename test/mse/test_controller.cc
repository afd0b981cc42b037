#include "test_controller.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <future>

namespace nmsp::testing {
namespace asio = boost::asio;

namespace {

uint64_t nowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Whole-chain verification replaced by the test's admission knob. The error code is one that
// OpenSSL 3 maps to alert 46 (certificate unknown), as the real controller does.
int admissionCallback(X509_STORE_CTX* store, void* arg) {
  auto* controller = static_cast<TestController*>(arg);
  if (controller->admit.load()) {
    return 1;
  }
  X509_STORE_CTX_set_error(store, controller->reject_error.load());
  return 0;
}

template <class Fn>
void runOn(asio::io_context& io, Fn fn) {
  std::promise<void> done;
  asio::post(io, [&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace

TestController::TestController(asio::io_context& io, const identity::Identity& id,
                               int tls_max_version)
    : io_(io),
      tls_max_version_(tls_max_version),
      acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  ctx_ = makeContext(id);
  accept();
}

TestController::~TestController() {
  stop();
}

std::shared_ptr<asio::ssl::context> TestController::makeContext(const identity::Identity& id) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(native, tls_max_version_);
  SSL_CTX_set_num_tickets(native, 0);
  ctx->use_certificate(asio::buffer(id.cert_pem), asio::ssl::context::pem);
  ctx->use_private_key(asio::buffer(id.key_pem), asio::ssl::context::pem);
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(native, admissionCallback, this);
  return ctx;
}

void TestController::sendAfterSubscribe(std::vector<proto::Message> messages) {
  std::lock_guard lock(mu_);
  after_subscribe_ = std::move(messages);
}

void TestController::replaceIdentity(const identity::Identity& id) {
  auto ctx = makeContext(id);
  std::lock_guard lock(mu_);
  ctx_ = std::move(ctx);
}

void TestController::dropSessions() {
  runOn(io_, [this] {
    std::lock_guard lock(mu_);
    for (auto& weak : streams_) {
      if (auto stream = weak.lock()) {
        boost::system::error_code ignored;
        stream->lowest_layer().close(ignored);
      }
    }
    streams_.clear();
  });
}

void TestController::stop() {
  if (io_.stopped()) {
    return;
  }
  runOn(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  dropSessions();
}

void TestController::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (ec) {
      return;  // acceptor closed
    }
    std::shared_ptr<asio::ssl::context> ctx;
    {
      std::lock_guard lock(mu_);
      ctx = ctx_;
    }
    auto stream = std::make_shared<session::TlsStream>(std::move(socket), *ctx);
    {
      std::lock_guard lock(mu_);
      streams_.push_back(stream);
    }
    // The coroutine keeps the context alive as long as the stream uses it.
    asio::co_spawn(
        io_,
        [this, stream, ctx]() -> asio::awaitable<void> {
          auto [hs] = co_await stream->async_handshake(asio::ssl::stream_base::server,
                                                       asio::as_tuple(asio::use_awaitable));
          if (hs) {
            ++handshakes_failed;
            boost::system::error_code ignored;
            stream->lowest_layer().close(ignored);
            co_return;
          }
          auto channel = std::make_shared<session::FrameChannel>(stream);
          for (;;) {
            auto frame = co_await channel->read(std::chrono::seconds(10));
            if (!frame) {
              break;
            }
            const uint32_t txn = frame->transaction_id;
            if (auto* error = std::get_if<proto::ErrorMessage>(&frame->message)) {
              last_error_reason = static_cast<int>(error->reason);
              last_error_offending = error->offending_message_id;
              last_error_txn = txn;
              ++errors_received;
            } else if (std::holds_alternative<proto::InitRequest>(frame->message) &&
                       init_reply != InitReply::Normal) {
              ++inits;
              if (init_reply == InitReply::EchoFirst) {
                channel->send(proto::Frame{1, proto::kFlagRequest, 0x33, proto::EchoRequest{1}});
              } else {
                static const std::vector<uint8_t> bad = {1, 0x01, 0, 3, 0, 0, 0, 0x2c, 0,
                                                         0, 0,    6, 0, 6, 0, 8, 0xaa, 0xbb};
                co_await asio::async_write(*stream, asio::buffer(bad),
                                           asio::as_tuple(asio::use_awaitable));
              }
            } else if (std::holds_alternative<proto::InitRequest>(frame->message)) {
              ++inits;
              granted_ = 0;
              proto::InitResponse response;
              response.name = "test-wlc";
              response.software_version = "17.9.4";
              response.clock_utc_ms = nowMs() + static_cast<uint64_t>(clock_offset_ms.load());
              channel->send(proto::Frame{1, 0, txn, response});
              channel->send(proto::Frame{1, 0, 0, proto::CapabilityNotification{offered.load()}});
            } else if (auto* sub = std::get_if<proto::ServiceSubscribeRequest>(&frame->message)) {
              ++subscribes;
              subscribed_mask = sub->services;
              proto::ServiceSubscribeResponse response;
              response.granted = sub->services & offered.load();
              granted_ |= response.granted;
              channel->send(proto::Frame{1, 0, txn, response});
              std::vector<proto::Message> data;
              {
                std::lock_guard lock(mu_);
                data = after_subscribe_;
              }
              for (auto& message : data) {
                channel->send(proto::Frame{1, 0, 0, std::move(message)});
              }
            } else if (auto* unsub =
                           std::get_if<proto::ServiceUnsubscribeRequest>(&frame->message)) {
              unsubscribed_mask = unsub->services;
              ++unsubscribes;
              proto::ServiceUnsubscribeResponse response;
              response.remaining = granted_ & ~unsub->services;
              granted_ = response.remaining;
              channel->send(proto::Frame{1, 0, txn, response});
            } else if (auto* echo = std::get_if<proto::EchoRequest>(&frame->message)) {
              ++echoes;
              if (answer_echoes) {
                proto::EchoResponse response;
                response.clock_utc_ms = nowMs();
                response.echoed_clock_utc_ms = echo->clock_utc_ms;
                channel->send(proto::Frame{1, 0, txn, response});
              }
            }
          }
          co_await channel->close();
        },
        asio::detached);
    accept();
  });
}

}  // namespace nmsp::testing
