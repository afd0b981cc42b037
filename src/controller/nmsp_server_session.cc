#include "controller/nmsp_server_session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdlib>
#include <type_traits>

namespace nmsp::controller {
namespace asio = boost::asio;
using proto::ErrorReason;
using proto::MessageId;
using proto::ResultCode;

namespace {

// The protocol versions this controller speaks (docs/protocol.md: only version 1 exists).
constexpr uint8_t kMinVersion = 1;
constexpr uint8_t kMaxVersion = 1;

std::string messageLabel(uint16_t id) {
  auto name = proto::messageName(id);
  return name ? std::string(*name) : fmt::format("message 0x{:04x}", id);
}

}  // namespace

NmspServerSession::NmspServerSession(std::shared_ptr<session::FrameChannel> channel,
                                     uint32_t conn_id, std::string peer,
                                     const ControllerOptions& options, ControllerState& state,
                                     trace::TraceBuffer& trace, DataPath& data)
    : core_(std::move(channel), session::Role::Controller,
            [&options]() -> uint64_t {
              const auto now = options.clock ? options.clock() : std::chrono::system_clock::now();
              return static_cast<uint64_t>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
                      .count());
            }),
      conn_id_(conn_id),
      peer_(std::move(peer)),
      options_(options),
      state_(state),
      trace_(trace),
      data_(data) {}

asio::awaitable<void> NmspServerSession::run() {
  for (;;) {
    const auto timeout = init_done_ ? options_.idle_timeout : options_.handshake_timeout;
    auto result = co_await core_.channel().read(timeout);
    if (!result) {
      onReadError(result.error());
      break;
    }
    if (onFrame(*result) == Next::Close) {
      break;
    }
  }
  co_await core_.channel().close();
}

void NmspServerSession::shutdown() {
  shutting_down_ = true;
  core_.channel().interrupt("controller shutting down");
}

void NmspServerSession::onReadError(const session::ChannelError& error) {
  using Kind = session::ChannelError::Kind;
  if (shutting_down_ && error.kind == Kind::Closed) {
    spdlog::info("conn {} ({}): controller shutting down, closing the session", conn_id_, peer_);
    core_.sendError(0, ErrorReason::Shutdown, 0, "controller shutting down");
    return;
  }
  switch (error.kind) {
    case Kind::Closed:
      spdlog::info("conn {} ({}): MSE closed the session: {}", conn_id_, peer_, error.detail);
      break;
    case Kind::Timeout:
      if (init_done_) {
        state_.updateStats([](auto& s) { ++s.echo_timeouts; });
      }
      spdlog::warn("conn {} ({}): {} ({}), closing", conn_id_, peer_,
                   init_done_ ? "no echo from the MSE" : "no Init Request", error.detail);
      break;
    case Kind::Malformed: {
      state_.updateStats([](auto& s) { ++s.malformed_frames; });
      spdlog::warn("conn {} ({}): malformed frame, closing: {}", conn_id_, peer_, error.detail);
      trace_.add(trace::Level::Info,
                 fmt::format("Malformed NMSP frame on conn {}: {}", conn_id_, error.detail));
      core_.answerMalformed(error);
      break;
    }
    case Kind::TlsAlert:
    case Kind::Io:
    case Kind::Overloaded:
      if (shutting_down_) {  // e.g. the socket cancelled under a pending read or write
        spdlog::info("conn {} ({}): closed: controller stopping", conn_id_, peer_);
        break;
      }
      spdlog::warn("conn {} ({}): session ended ({}): {}", conn_id_, peer_,
                   session::channelErrorKindName(error.kind), error.detail);
      break;
  }
}

NmspServerSession::Next NmspServerSession::onFrame(const proto::Frame& frame) {
  if (!init_done_) {
    if (std::holds_alternative<proto::InitRequest>(frame.message)) {
      return onInit(frame);
    }
    const uint16_t id = proto::messageIdOf(frame.message);
    spdlog::warn("conn {} ({}): {} before Init, closing", conn_id_, peer_, messageLabel(id));
    core_.answerBeforeInit(frame, "Init Request");
    return Next::Close;
  }
  return core_.dispatch(frame, *this);
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::InitRequest& /*second*/) {
  return core_.unexpected(frame);  // a second Init: not fatal (docs/protocol.md section 10)
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::MeasurementRequest& request) {
  send(frame.transaction_id, data_.measurement(request));
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::InfoRequest& request) {
  send(frame.transaction_id, data_.info(request));
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::StatisticsRequest& request) {
  send(frame.transaction_id, data_.statistics(request));
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& /*frame*/,
                                              const proto::ErrorMessage& m) {
  spdlog::warn("conn {} ({}): MSE reported error {} about {}{}", conn_id_, peer_,
               static_cast<unsigned>(m.reason), messageLabel(m.offending_message_id),
               m.text ? ": " + *m.text : "");
  if (session::errorEndsSession(m.reason)) {
    // Rule 9: the MSE closes after these (Shutdown included), so we close too.
    spdlog::info("conn {} ({}): closing after the MSE's Error({})", conn_id_, peer_,
                 proto::enumName(m.reason).value_or("unknown"));
    return Next::Close;
  }
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::onInit(const proto::Frame& frame) {
  const auto& request = std::get<proto::InitRequest>(frame.message);
  proto::InitResponse response;
  response.role = proto::PeerRole::Controller;
  response.name = options_.name;
  response.software_version = options_.software_version;
  response.clock_utc_ms = core_.nowMs();
  const uint8_t low = std::max(request.min_version, kMinVersion);
  const uint8_t high = std::min(request.max_version, kMaxVersion);
  if (low > high) {
    response.result = ResultCode::UnsupportedVersion;
    response.selected_version = kMaxVersion;  // the highest version this controller speaks
    spdlog::warn("conn {} ({}): MSE speaks NMSP versions {}..{}, we speak {}..{}: closing",
                 conn_id_, peer_, request.min_version, request.max_version, kMinVersion,
                 kMaxVersion);
    send(frame.transaction_id, response);
    return Next::Close;
  }
  response.selected_version = high;
  const int64_t skew_ms =
      static_cast<int64_t>(request.clock_utc_ms) - static_cast<int64_t>(response.clock_utc_ms);
  if (std::llabs(skew_ms) > options_.clock_tolerance.count()) {
    response.result = ResultCode::ClockSkew;
    const std::string ip = peer_.substr(0, peer_.rfind(':'));
    const std::string message = fmt::format(
        "clock skew of {} s between the controller and MSE {}: check NTP on the controller and "
        "the MSE",
        session::skewSeconds(skew_ms), ip);
    spdlog::warn("conn {}: {}", conn_id_, message);
    trace_.add(trace::Level::Info, message);
    state_.updateStats([](auto& s) { ++s.clock_skew_events; });
    state_.updateSession(conn_id_, [&](auto& s) { s.clock_skew_ms = skew_ms; });
    send(frame.transaction_id, response);
    return Next::Close;
  }
  response.result = ResultCode::Success;
  send(frame.transaction_id, response);
  init_done_ = true;
  state_.updateSession(conn_id_, [&](api::MseSessionStatus& s) {
    s.active = true;
    s.peer_name = request.name;
    s.peer_version = request.software_version;
    s.clock_skew_ms = skew_ms;
  });
  spdlog::info("conn {} ({}): NMSP session up with MSE '{}' ({}), version {}, clock skew {} ms",
               conn_id_, peer_, request.name, request.software_version, high, skew_ms);
  send(0, proto::CapabilityNotification{options_.offered_services});
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::ServiceSubscribeRequest& request) {
  auto result = data_.subscribe(conn_id_, request, frame.transaction_id);
  state_.updateSession(conn_id_, [&](auto& s) { data_.describe(conn_id_, s); });
  send(frame.transaction_id, std::move(result.response));
  if (result.send_ap_table) {
    data_.sendApTable(conn_id_);  // right after the response (docs/data-path.md)
  }
  return Next::Continue;
}

NmspServerSession::Next NmspServerSession::on(const proto::Frame& frame,
                                              const proto::ServiceUnsubscribeRequest& request) {
  auto response = data_.unsubscribe(conn_id_, request);
  state_.updateSession(conn_id_, [&](auto& s) { data_.describe(conn_id_, s); });
  send(frame.transaction_id, std::move(response));
  return Next::Continue;
}

}  // namespace nmsp::controller
