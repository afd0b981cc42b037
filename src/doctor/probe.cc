#include "doctor/probe.h"

#include <fmt/format.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "proto/codec.h"
#include "proto/messages.h"
#include "session/frame_channel.h"
#include "transport/tls_context.h"
#include "transport/tls_errors.h"

namespace nmsp::doctor {
namespace asio = boost::asio;

namespace {

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

uint64_t nowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Closes the socket when the step takes too long; expired() tells the step why it failed.
class Deadline {
 public:
  Deadline(asio::any_io_executor ex, std::chrono::milliseconds after, session::TlsStream& stream)
      : timer_(std::make_shared<asio::steady_timer>(ex, after)),
        expired_(std::make_shared<bool>(false)) {
    timer_->async_wait([&stream, expired = expired_](boost::system::error_code ec) {
      if (!ec) {
        *expired = true;
        boost::system::error_code ignored;
        stream.lowest_layer().close(ignored);
      }
    });
  }
  ~Deadline() { timer_->cancel(); }
  bool expired() const { return *expired_; }

 private:
  std::shared_ptr<asio::steady_timer> timer_;
  std::shared_ptr<bool> expired_;
};

asio::awaitable<void> runProbe(ControllerProbe& p, std::shared_ptr<asio::ssl::context> ctx,
                               std::string address, uint16_t port, ProbeOptions options) {
  auto ex = co_await asio::this_coro::executor;
  auto stream = std::make_shared<session::TlsStream>(ex, *ctx);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    p.tcp_error = fmt::format("\"{}\" is not an IP address", address);
    co_return;
  }
  {
    Deadline deadline(ex, options.step_timeout, *stream);
    auto [cec] =
        co_await stream->lowest_layer().async_connect(asio::ip::tcp::endpoint(ip, port), kAsTuple);
    if (deadline.expired()) {
      p.timed_out = true;
      co_return;
    }
    if (cec == asio::error::connection_refused) {
      p.refused = true;
      co_return;
    }
    if (cec) {
      p.tcp_error = cec.message();
      co_return;
    }
    p.connected = true;
  }
  SSL* ssl = stream->native_handle();
  {
    Deadline deadline(ex, options.step_timeout, *stream);
    auto [hec] = co_await stream->async_handshake(asio::ssl::stream_base::client, kAsTuple);
    if (X509* peer = SSL_get0_peer_certificate(ssl)) {
      p.peer_fingerprint = identity::certificateFingerprint(peer);
      p.peer_validity = identity::validityOf(peer);
    }
    if (hec) {
      if (auto alert = transport::receivedAlert(hec)) {
        p.alert = *alert;
      } else {
        p.tls_error = deadline.expired() ? "timed out" : transport::errorString(hec);
      }
      co_return;
    }
    p.handshake_done = true;
    p.tls_version = SSL_get_version(ssl);
  }
  auto channel = std::make_shared<session::FrameChannel>(stream);
  auto fail = [&](const session::ChannelError& e, std::string& where) {
    if (e.kind == session::ChannelError::Kind::TlsAlert) {
      p.alert = e.alert;  // TLS 1.3: the controller judges our certificate after our handshake
    }
    where = e.detail;
  };
  // Init.
  proto::InitRequest init;
  init.name = options.name;
  init.software_version = options.software_version;
  init.clock_utc_ms = nowMs();
  channel->send(proto::Frame{proto::kProtocolVersion, proto::kFlagRequest, 1, init});
  std::string ignored_text;
  for (;;) {
    auto frame = co_await channel->read(options.step_timeout);
    if (!frame) {
      fail(frame.error(), p.init_error);
      co_await channel->close();
      co_return;
    }
    if (auto* r = std::get_if<proto::InitResponse>(&frame->message)) {
      const uint64_t now = nowMs();
      p.init_answered = true;
      p.init_result = std::string(proto::enumName(r->result).value_or("unknown"));
      p.clock_skew_ms = static_cast<int64_t>(r->clock_utc_ms) - static_cast<int64_t>(now);
      break;
    }
  }
  if (p.init_result != "success") {
    co_await channel->close();
    co_return;
  }
  // Capability, then subscribe to what is offered.
  for (;;) {
    auto frame = co_await channel->read(options.step_timeout);
    if (!frame) {
      fail(frame.error(), ignored_text);
      co_await channel->close();
      co_return;
    }
    if (auto* c = std::get_if<proto::CapabilityNotification>(&frame->message)) {
      p.offered = c->services;
      break;
    }
  }
  proto::ServiceSubscribeRequest subscribe;
  subscribe.services = p.offered & proto::kKnownServices;
  channel->send(proto::Frame{proto::kProtocolVersion, proto::kFlagRequest, 2, subscribe});
  for (;;) {
    auto frame = co_await channel->read(options.step_timeout);
    if (!frame) {
      co_await channel->close();
      co_return;
    }
    if (auto* s = std::get_if<proto::ServiceSubscribeResponse>(&frame->message)) {
      p.subscribe_answered = true;
      p.granted = s->granted;
      break;
    }
  }
  // Echo; count what else arrives meanwhile.
  proto::EchoRequest echo;
  const uint64_t sent = nowMs();
  echo.clock_utc_ms = sent;
  const auto started = std::chrono::steady_clock::now();
  channel->send(proto::Frame{proto::kProtocolVersion, proto::kFlagRequest, 3, echo});
  for (;;) {
    auto frame = co_await channel->read(options.step_timeout);
    if (!frame) {
      break;
    }
    if (std::holds_alternative<proto::EchoResponse>(frame->message)) {
      p.echo_answered = true;
      p.echo_rtt_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
      break;
    }
    ++p.notifications;
  }
  co_await channel->close();
}

asio::awaitable<void> runServerProbe(ServerProbe& p, std::shared_ptr<asio::ssl::context> ctx,
                                     asio::ip::address ip, uint16_t port,
                                     std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  session::TlsStream stream(ex, *ctx);
  {
    Deadline deadline(ex, timeout, stream);
    auto [ec] =
        co_await stream.lowest_layer().async_connect(asio::ip::tcp::endpoint(ip, port), kAsTuple);
    if (ec || deadline.expired()) {
      p.tcp_error = deadline.expired() ? "timed out" : ec.message();
      co_return;
    }
    p.connected = true;
  }
  Deadline deadline(ex, timeout, stream);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kAsTuple);
  if (X509* peer = SSL_get0_peer_certificate(stream.native_handle())) {
    p.tls_answered = true;
    p.fingerprint = identity::certificateFingerprint(peer);
    p.certificate = identity::validityOf(peer);
  } else {
    p.tls_error = deadline.expired() ? "timed out"
                  : ec               ? transport::errorString(ec)
                                     : "no certificate";
  }
  boost::system::error_code ignored;
  stream.lowest_layer().close(ignored);
}

}  // namespace

void probeServer(ServerProbe& p, const std::string& address, uint16_t port,
                 std::chrono::milliseconds timeout) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  auto ctx = transport::makeClientContext(nullptr);
  if (ec || !ctx) {
    p.tcp_error = ec ? ec.message() : ctx.error();
    return;
  }
  asio::io_context io;
  asio::co_spawn(io, runServerProbe(p, *ctx, ip, port, timeout), asio::detached);
  io.run();
}

Resolver systemResolver() {
  return [](const std::string& host) -> Result<std::vector<std::string>, std::string> {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0) {
      return Unexpected{std::string(::gai_strerror(rc))};
    }
    std::vector<std::string> out;
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      char text[NI_MAXHOST];
      if (::getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) ==
              0 &&
          std::find(out.begin(), out.end(), text) == out.end()) {
        out.emplace_back(text);
      }
    }
    ::freeaddrinfo(list);
    return out;
  };
}

Prober tlsProber(const identity::Identity& self, ProbeOptions options) {
  return [self, options](const std::string& address, uint16_t port) {
    ControllerProbe p;
    auto ctx = transport::makeClientContext(&self);
    if (!ctx) {
      p.connected = true;  // the failure is ours, reported at the TLS step
      p.tls_error = ctx.error();
      return p;
    }
    asio::io_context io;
    asio::co_spawn(io, runProbe(p, *ctx, address, port, options), asio::detached);
    io.run();
    return p;
  };
}

}  // namespace nmsp::doctor
