#include "mse/controller_link.h"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <random>

#include "mse/backoff.h"
#include "mse/link_cause.h"
#include "transport/deadline.h"

namespace nmsp::mse {
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using std::chrono::milliseconds;

namespace {

constexpr auto kAsTuple = asio::as_tuple(use_awaitable);

uint64_t nowUtcMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string_view messageNameOf(const proto::Message& message) {
  return proto::messageName(proto::messageIdOf(message)).value_or("unknown message");
}

}  // namespace

struct ControllerLink::SessionState {
  SessionState(asio::any_io_executor ex, std::shared_ptr<session::FrameChannel> ch,
               std::shared_ptr<session::TlsStream> s)
      : core(ch, session::Role::Mse),
        channel(std::move(ch)),
        stream(std::move(s)),
        echo_timer(std::move(ex)) {}
  session::SessionCore core;  // echo answers, unknown/unexpected messages, malformed frames
  std::shared_ptr<session::FrameChannel> channel;
  std::shared_ptr<session::TlsStream> stream;
  asio::steady_timer echo_timer;
  int outstanding_echoes = 0;
  std::optional<proto::ServiceMask> offered;  // once the Capability Notification came
  proto::ServiceMask requested = 0;           // subscribed to (requests sent) in this session
  bool done = false;
  bool echo_timed_out = false;
};

ControllerLink::ControllerLink(asio::any_io_executor executor, std::shared_ptr<LinkEnvironment> env,
                               ControllerAddress address, proto::ServiceMask services)
    : executor_(std::move(executor)),
      env_(std::move(env)),
      address_(std::move(address)),
      endpoint_(endpointName(address_)),
      backoff_timer_(executor_),
      services_(services),
      via_(env_->data.controller(endpoint_)) {
  status_.host = address_.host;
  status_.port = address_.port;
  status_.services_configured = services;
  status_.last_cause = "not connected yet";
  observer_.side = transport::HandshakeObserver::Side::Client;
  observer_.trace = &env_->trace;
  observer_.endpoint = endpoint_;
}

void ControllerLink::start() {
  asio::co_spawn(
      executor_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void ControllerLink::stop() {
  asio::post(executor_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->backoff_timer_.cancel();
    if (self->resolver_) {
      self->resolver_->cancel();
    }
    if (auto stream = self->current_stream_.lock()) {
      boost::system::error_code ignored;
      stream->lowest_layer().close(ignored);
    }
  });
}

void ControllerLink::setServices(proto::ServiceMask services) {
  services_ = services;
  {
    std::lock_guard lock(mu_);
    status_.services_configured = services;
  }
  const auto state = current_session_.lock();
  if (!state || state->done || !state->offered) {
    return;  // applied at the next Capability Notification
  }
  const proto::ServiceMask wanted = *state->offered & services_ & proto::kKnownServices;
  if (const proto::ServiceMask removed = state->requested & ~wanted; removed != 0) {
    const uint32_t txn = nextTransactionId();
    state->core.send(txn, proto::ServiceUnsubscribeRequest{removed});
    traceInfo(fmt::format("service set changed: sent Unsubscribe Request for 0x{:x} (txn {})",
                          removed, txn));
  }
  if (const proto::ServiceMask added = wanted & ~state->requested; added != 0) {
    proto::ServiceSubscribeRequest subscribe;
    subscribe.services = added;
    const uint32_t txn = nextTransactionId();
    state->core.send(txn, subscribe);
    traceInfo(
        fmt::format("service set changed: sent Subscribe Request for 0x{:x} (txn {})", added, txn));
  }
  state->requested = wanted;
}

api::ControllerLinkStatus ControllerLink::status() const {
  std::lock_guard lock(mu_);
  api::ControllerLinkStatus copy = status_;
  copy.pinned_fingerprint = env_->pins.lookup(endpoint_).value_or("");
  return copy;
}

void ControllerLink::traceInfo(const std::string& text) const {
  env_->trace.add(trace::Level::Info, fmt::format("controller {}: {}", endpoint_, text));
}

void ControllerLink::traceDebug(const std::string& text) const {
  if (env_->trace.enabled(trace::Level::Debug)) {
    env_->trace.add(trace::Level::Debug, fmt::format("controller {}: {}", endpoint_, text));
  }
}

uint32_t ControllerLink::nextTransactionId() {
  if (next_txn_ == 0) {  // zero is reserved for unsolicited frames
    next_txn_ = 1;
  }
  return next_txn_++;
}

void ControllerLink::markInactive(const std::string& cause) {
  std::lock_guard lock(mu_);
  if (status_.active) {
    ++status_.disconnects;
  }
  status_.active = false;
  status_.last_cause = cause;
}

awaitable<void> ControllerLink::run() {
  Backoff backoff(env_->options.initial_backoff, env_->options.max_backoff, std::random_device{}());
  uint64_t attempt_no = 0;
  while (!stopped_) {
    ++attempt_no;
    traceInfo(fmt::format("connect attempt {}", attempt_no));
    bool was_active = false;
    std::string cause = co_await attempt();
    {
      std::lock_guard lock(mu_);
      was_active = status_.active;
    }
    if (stopped_) {
      markInactive("controller link stopped");
      break;
    }
    markInactive(cause);
    if (was_active) {
      backoff.reset();
      spdlog::warn("NMSP link to controller {} went down: {}", endpoint_, cause);
    } else {
      spdlog::warn("NMSP link to controller {} failed: {}", endpoint_, cause);
    }
    const milliseconds delay = backoff.next();
    traceInfo(fmt::format("link INACTIVE: {}; reconnecting in {} ms", cause, delay.count()));
    backoff_timer_.expires_after(delay);
    co_await backoff_timer_.async_wait(kAsTuple);
  }
  traceInfo("link stopped");
}

awaitable<std::string> ControllerLink::attempt() {
  const auto& options = env_->options;
  observer_.alert_received = -1;

  // 1. Name resolution, bounded by the connect timeout (or the injected resolver).
  std::vector<asio::ip::tcp::endpoint> endpoints;
  if (options.resolve) {
    auto resolved = options.resolve(address_.host, address_.port);
    if (!resolved) {
      co_return cause::dnsFailure(address_.host, resolved.error());
    }
    endpoints = std::move(*resolved);
  } else {
    resolver_ = std::make_shared<asio::ip::tcp::resolver>(executor_);
    auto resolver = resolver_;
    transport::Deadline dog(executor_, options.connect_timeout, [resolver] { resolver->cancel(); });
    auto [ec, results] =
        co_await resolver->async_resolve(address_.host, std::to_string(address_.port), kAsTuple);
    resolver_.reset();
    if (stopped_) {
      co_return "stopped";
    }
    if (dog.expired()) {
      co_return cause::dnsFailure(address_.host, "no answer from the DNS server in time");
    }
    if (ec) {
      co_return cause::dnsFailure(address_.host, ec.message());
    }
    for (const auto& entry : results) {
      endpoints.push_back(entry.endpoint());
    }
  }

  // 2. TCP connect.
  auto stream = std::make_shared<session::TlsStream>(executor_, *env_->tls);
  current_stream_ = stream;
  {
    transport::Deadline dog(executor_, options.connect_timeout, [stream] {
      boost::system::error_code ignored;
      stream->lowest_layer().close(ignored);
    });
    auto [ec, connected] =
        co_await asio::async_connect(stream->lowest_layer(), endpoints, kAsTuple);
    if (stopped_) {
      co_return "stopped";
    }
    if (dog.expired()) {
      co_return cause::connectTimeout(endpoint_, address_.port, options.connect_timeout);
    }
    if (ec == asio::error::connection_refused) {
      co_return cause::connectionRefused(endpoint_, address_.port);
    }
    if (ec) {
      co_return cause::networkError(endpoint_, ec.message());
    }
    traceDebug(fmt::format("TCP connected to {}", connected.address().to_string()));
  }

  // 3. TLS handshake as the client, presenting the MSE certificate.
  SSL* ssl = stream->native_handle();
  transport::ObserverAttachment hook(ssl, &observer_);
  {
    transport::Deadline dog(executor_, options.handshake_timeout, [stream] {
      boost::system::error_code ignored;
      stream->lowest_layer().close(ignored);
    });
    auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::client, kAsTuple);
    if (stopped_) {
      co_return "stopped";
    }
    if (observer_.alert_received >= 0) {
      traceInfo(fmt::format("TLS handshake failed: alert {} ({}) from the controller",
                            observer_.alert_received,
                            SSL_alert_desc_string_long(observer_.alert_received)));
      co_return cause::tlsAlert(observer_.alert_received, env_->identity,
                                std::chrono::system_clock::now());
    }
    if (dog.expired()) {
      traceInfo("TLS handshake timed out");
      co_return cause::handshakeTimeout(endpoint_, address_.port, options.handshake_timeout);
    }
    if (ec) {
      traceInfo(fmt::format("TLS handshake failed: {}", ec.message()));
      co_return describeHandshakeError(ec);
    }
  }
  traceInfo(fmt::format("TLS handshake succeeded ({}, {})", SSL_get_version(ssl),
                        SSL_get_cipher_name(ssl)));

  // 4. Is this the controller we pinned?
  if (auto refused = checkControllerCertificate(*stream)) {
    boost::system::error_code ignored;
    stream->lowest_layer().close(ignored);
    co_return *refused;
  }

  // 5. NMSP.
  co_return co_await runSession(stream);
}

std::string ControllerLink::describeHandshakeError(const boost::system::error_code& ec) const {
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset) {
    return cause::handshakeFailed(endpoint_, "the controller closed the connection");
  }
  if (ec.category() == asio::error::get_ssl_category()) {
    // An alert we did not see in the info callback still shows in the reason code.
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (reason > SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
      return cause::tlsAlert(reason - SSL_AD_REASON_OFFSET, env_->identity,
                             std::chrono::system_clock::now());
    }
  }
  return cause::handshakeFailed(endpoint_, ec.message());
}

std::optional<std::string> ControllerLink::checkControllerCertificate(session::TlsStream& stream) {
  X509* peer = SSL_get0_peer_certificate(stream.native_handle());
  if (peer == nullptr) {
    return std::string("controller presented no certificate: is it an NMSP controller?");
  }
  const std::string fingerprint = identity::certificateFingerprint(peer);
  if (env_->unauthenticated_nmsp.load()) {
    traceInfo(fmt::format("controller certificate SHA-256 {} not checked (unauthenticated-nmsp)",
                          fingerprint));
    return std::nullopt;
  }
  const auto window = identity::validityOf(peer);
  const auto now = std::chrono::system_clock::now();
  if (identity::validityAt(window, now) != identity::ValidityState::Valid) {
    traceInfo(fmt::format("controller certificate outside its validity period: {}",
                          identity::validityText(window, now)));
    return cause::controllerCertificateTime(window, now);
  }
  const auto pinned = env_->pins.lookup(endpoint_);
  if (!pinned) {
    auto saved = env_->pins.pin(endpoint_, fingerprint);
    if (!saved) {
      spdlog::error("cannot pin controller {}: {}", endpoint_, saved.error());
    }
    traceInfo(
        fmt::format("controller certificate SHA-256 {} pinned on first connection", fingerprint));
    spdlog::info("pinned controller {} certificate SHA-256 {}", endpoint_, fingerprint);
    return std::nullopt;
  }
  if (*pinned != fingerprint) {
    traceInfo(fmt::format("controller certificate changed: pinned SHA-256 {}, got {}", *pinned,
                          fingerprint));
    return cause::pinMismatch(*pinned, fingerprint);
  }
  traceDebug("controller certificate matches its pin");
  return std::nullopt;
}

std::optional<std::string> ControllerLink::checkInitResponse(const proto::InitResponse& r) {
  const int64_t skew_ms = static_cast<int64_t>(r.clock_utc_ms) - static_cast<int64_t>(nowUtcMs());
  const int64_t skew_s = session::skewSeconds(skew_ms);
  {
    std::lock_guard lock(mu_);
    status_.clock_skew_ms = skew_ms;
  }
  if (r.result == proto::ResultCode::ClockSkew) {
    return cause::clockSkew(skew_s);
  }
  if (r.result == proto::ResultCode::UnsupportedVersion) {
    return cause::versionUnsupported(r.selected_version);
  }
  if (r.result != proto::ResultCode::Success) {
    return cause::initRejected(r.result, "");
  }
  if (r.selected_version != proto::kProtocolVersion) {
    return cause::versionUnsupported(r.selected_version);
  }
  if (std::llabs(skew_ms) > env_->options.clock_tolerance.count() * 1000) {
    return cause::clockSkew(skew_s);
  }
  return std::nullopt;
}

awaitable<std::string> ControllerLink::runSession(std::shared_ptr<session::TlsStream> stream) {
  const auto& options = env_->options;
  const bool tls13 = SSL_version(stream->native_handle()) == TLS1_3_VERSION;
  auto channel = std::make_shared<session::FrameChannel>(stream);
  auto state = std::make_shared<SessionState>(executor_, channel, stream);
  current_session_ = state;

  // Init. With TLS 1.3 a refused certificate shows up here, as an alert on the first read.
  proto::InitRequest init;
  init.role = proto::PeerRole::Mse;
  init.name = options.name;
  init.software_version = options.software_version;
  init.clock_utc_ms = nowUtcMs();
  const uint32_t init_txn = nextTransactionId();
  state->core.send(init_txn, init);
  traceInfo(fmt::format("sent Init Request (txn {}, name {}, version {})", init_txn, init.name,
                        init.software_version));

  auto first = co_await channel->read(options.init_timeout);
  std::optional<std::string> refused;
  if (!first) {
    if (first.error().kind == session::ChannelError::Kind::Malformed) {
      state->core.answerMalformed(first.error());  // rule 8
    }
    refused = describe(first.error(), Phase::Init, tls13);
  } else if (auto* response = std::get_if<proto::InitResponse>(&first->message)) {
    traceInfo(fmt::format("received Init Response (result {}, version {}, name {}, software {})",
                          static_cast<unsigned>(response->result), response->selected_version,
                          response->name, response->software_version));
    refused = checkInitResponse(*response);
    if (!refused) {
      std::lock_guard lock(mu_);
      status_.active = true;
      ++status_.connects;
      status_.last_cause.clear();
      status_.peer_name = response->name;
      status_.peer_version = response->software_version;
      status_.services_offered = 0;
      status_.services_granted = 0;
    }
  } else if (auto* error = std::get_if<proto::ErrorMessage>(&first->message)) {
    refused = cause::controllerError(*error);
  } else {
    state->core.answerBeforeInit(*first, "Init Response");  // rule 2
    refused = cause::unexpectedMessage(std::string(messageNameOf(first->message)));
  }
  if (refused) {
    traceInfo(fmt::format("Init failed: {}", *refused));
    co_await channel->close();
    co_return *refused;
  }
  traceInfo("link ACTIVE");
  spdlog::info("NMSP link to controller {} is ACTIVE", endpoint_);

  // Session: echoes on their own coroutine, frames read here.
  asio::co_spawn(
      executor_, [self = shared_from_this(), state] { return self->echoLoop(state); },
      asio::detached);
  const milliseconds idle_limit =
      options.echo_interval * (options.missed_echoes + 1) + milliseconds(1000);
  std::string ended;
  while (true) {
    auto frame = co_await channel->read(idle_limit);
    if (!frame) {
      if (frame.error().kind == session::ChannelError::Kind::Malformed) {
        state->core.answerMalformed(frame.error());  // rule 8
      }
      ended = state->echo_timed_out
                  ? cause::echoTimeout(options.missed_echoes, options.echo_interval)
                  : describe(frame.error(), Phase::Session, tls13);
      break;
    }
    if (auto cause = handleFrame(*state, *frame)) {
      ended = std::move(*cause);
      break;
    }
  }
  state->done = true;
  state->echo_timer.cancel();
  traceInfo(fmt::format("session ended: {}", ended));
  co_await channel->close();
  co_return ended;
}

awaitable<void> ControllerLink::echoLoop(std::shared_ptr<SessionState> state) {
  const auto& options = env_->options;
  while (!state->done && !stopped_) {
    state->echo_timer.expires_after(options.echo_interval);
    co_await state->echo_timer.async_wait(kAsTuple);
    if (state->done || stopped_) {
      break;
    }
    if (state->outstanding_echoes >= options.missed_echoes) {
      traceInfo(fmt::format("{} echo requests unanswered: closing the session",
                            state->outstanding_echoes));
      state->echo_timed_out = true;
      boost::system::error_code ignored;
      state->stream->lowest_layer().close(ignored);  // ends the pending read
      break;
    }
    proto::EchoRequest echo;
    echo.clock_utc_ms = nowUtcMs();
    const uint32_t txn = nextTransactionId();
    if (state->core.send(txn, echo)) {
      ++state->outstanding_echoes;
      std::lock_guard lock(mu_);
      ++status_.tx_echo_req;
    }
    traceDebug(fmt::format("sent Echo Request (txn {})", txn));
  }
}

std::optional<std::string> ControllerLink::handleFrame(SessionState& state,
                                                       const proto::Frame& frame) {
  // The MSE's messages; the session core answers Echo Requests, unknown and unexpected ones.
  struct Handler {
    ControllerLink& link;
    SessionState& state;
    std::optional<std::string> ended;
    using Next = session::Next;

    Next on(const proto::Frame& f, const proto::EchoResponse& echo) {
      state.outstanding_echoes = 0;
      {
        std::lock_guard lock(link.mu_);
        ++link.status_.rx_echo_resp;
      }
      if (link.env_->trace.enabled(trace::Level::Debug)) {
        const std::string rtt =
            echo.echoed_clock_utc_ms
                ? fmt::format(", round trip {} ms",
                              static_cast<int64_t>(nowUtcMs()) -
                                  static_cast<int64_t>(*echo.echoed_clock_utc_ms))
                : std::string();
        link.traceDebug(fmt::format("received Echo Response (txn {}{})", f.transaction_id, rtt));
      }
      return Next::Continue;
    }
    Next on(const proto::Frame& /*f*/, const proto::CapabilityNotification& capability) {
      proto::ServiceSubscribeRequest subscribe;
      subscribe.services = capability.services & link.services_ & proto::kKnownServices;
      state.offered = capability.services;
      state.requested = subscribe.services;
      {
        std::lock_guard lock(link.mu_);
        link.status_.services_offered = capability.services;
      }
      if (subscribe.services == 0) {
        link.traceInfo(fmt::format(
            "controller offers services 0x{:x}, none of the configured 0x{:x}: not subscribing",
            capability.services, link.services_));
        return Next::Continue;
      }
      const uint32_t txn = link.nextTransactionId();
      state.core.send(txn, subscribe);
      link.traceInfo(fmt::format(
          "controller offers services 0x{:x}; sent Subscribe Request for 0x{:x} (txn {})",
          capability.services, subscribe.services, txn));
      return Next::Continue;
    }
    Next on(const proto::Frame& /*f*/, const proto::ServiceSubscribeResponse& subscribed) {
      link.traceInfo(fmt::format("subscribed to services 0x{:x}", subscribed.granted));
      {
        std::lock_guard lock(link.mu_);
        link.status_.services_granted |= subscribed.granted;
      }
      spdlog::info("controller {} granted services 0x{:x}", link.endpoint_, subscribed.granted);
      return Next::Continue;
    }
    Next on(const proto::Frame& /*f*/, const proto::ServiceUnsubscribeResponse& unsubscribed) {
      link.traceInfo(fmt::format("unsubscribed; services 0x{:x} remain", unsubscribed.remaining));
      std::lock_guard lock(link.mu_);
      link.status_.services_granted = unsubscribed.remaining;
      return Next::Continue;
    }
    Next on(const proto::Frame& /*f*/, const proto::ErrorMessage& error) {
      std::string text = cause::controllerError(error);
      link.traceInfo(text);
      spdlog::warn("controller {}: {}", link.endpoint_, text);
      if (session::errorEndsSession(error.reason)) {
        ended = std::move(text);  // the controller closes after these; so do we
        return Next::Close;
      }
      return Next::Continue;
    }
    void onUnknown(const proto::Frame& /*f*/, const proto::UnknownMessage& unknown) {
      link.traceInfo(
          fmt::format("unsupported message id 0x{:04x} from the controller", unknown.id));
    }
    // Data notifications go to the device table, the sinks and the recorder; every other
    // message is counted in the trace (formatted only when debug tracing is on: this runs for
    // every notification).
    void onOther(const proto::Frame& f) {
      link.env_->data.onMessage(link.via_, link.endpoint_, f.message, nowUtcMs());
      if (link.env_->trace.enabled(trace::Level::Debug)) {
        link.traceDebug(
            fmt::format("received {} (txn {})", messageNameOf(f.message), f.transaction_id));
      }
    }
  };
  Handler handler{*this, state, std::nullopt};
  if (state.core.dispatch(frame, handler) == session::Next::Close) {
    return handler.ended.value_or("session closed");
  }
  return std::nullopt;
}

std::string ControllerLink::describe(const session::ChannelError& error, Phase phase,
                                     bool tls13) const {
  if (observer_.alert_received >= 0) {
    return cause::tlsAlert(observer_.alert_received, env_->identity,
                           std::chrono::system_clock::now());
  }
  using Kind = session::ChannelError::Kind;
  switch (error.kind) {
    case Kind::TlsAlert:
      return cause::tlsAlert(error.alert, env_->identity, std::chrono::system_clock::now());
    case Kind::Closed:
    case Kind::Io:
      if (phase == Phase::Init && tls13) {
        return cause::closedAfterHandshake(endpoint_, env_->identity);
      }
      return error.kind == Kind::Closed ? cause::peerClosed(endpoint_)
                                        : cause::networkError(endpoint_, error.detail);
    case Kind::Timeout:
      return phase == Phase::Init
                 ? cause::initTimeout(env_->options.init_timeout)
                 : cause::echoTimeout(env_->options.missed_echoes, env_->options.echo_interval);
    case Kind::Malformed:
      return cause::malformed(error.codec ? error.codec->toString() : error.detail);
    case Kind::Overloaded:
      return "controller stopped reading (send queue full): the session was closed";
  }
  return error.detail;
}

}  // namespace nmsp::mse
