#include "session/session_core.h"

#include <fmt/format.h>

#include <chrono>

namespace nmsp::session {
using proto::ErrorReason;
using proto::MessageId;

namespace {

std::string messageLabel(uint16_t id) {
  auto name = proto::messageName(id);
  return name ? std::string(*name) : fmt::format("message 0x{:04x}", id);
}

}  // namespace

std::string_view roleName(Role role) {
  return role == Role::Controller ? "controller" : "MSE";
}

bool receivedBy(Role role, MessageId id) {
  switch (id) {
    case MessageId::EchoRequest:
    case MessageId::EchoResponse:
    case MessageId::Error:
      return true;
    case MessageId::InitRequest:
    case MessageId::ServiceSubscribeRequest:
    case MessageId::ServiceUnsubscribeRequest:
    case MessageId::MeasurementRequest:
    case MessageId::InfoRequest:
    case MessageId::StatisticsRequest:
    case MessageId::LocationNotification:
      return role == Role::Controller;
    case MessageId::InitResponse:
    case MessageId::CapabilityNotification:
    case MessageId::ServiceSubscribeResponse:
    case MessageId::ServiceUnsubscribeResponse:
    case MessageId::MeasurementResponse:
    case MessageId::MeasurementNotification:
    case MessageId::InfoResponse:
    case MessageId::InfoNotification:
    case MessageId::StatisticsResponse:
    case MessageId::StatisticsNotification:
    case MessageId::ApInfoNotification:
    case MessageId::AttachmentNotification:
      return role == Role::Mse;
  }
  return false;
}

bool errorEndsSession(ErrorReason reason) {
  return reason == ErrorReason::MalformedFrame || reason == ErrorReason::FrameTooLarge ||
         reason == ErrorReason::VersionMismatch || reason == ErrorReason::ClockSkew ||
         reason == ErrorReason::Shutdown;
}

SessionCore::SessionCore(std::shared_ptr<FrameChannel> channel, Role role,
                         std::function<uint64_t()> clock_ms)
    : channel_(std::move(channel)), role_(role), clock_ms_(std::move(clock_ms)) {}

uint64_t SessionCore::nowMs() const {
  if (clock_ms_) {
    return clock_ms_();
  }
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

bool SessionCore::send(uint32_t txn, proto::Message message) {
  proto::Frame frame;
  frame.transaction_id = txn;
  frame.message = std::move(message);
  return channel_->send(frame);
}

bool SessionCore::sendError(uint32_t txn, ErrorReason reason, uint16_t offending,
                            std::string text) {
  proto::ErrorMessage error;
  error.reason = reason;
  error.offending_message_id = offending;
  if (!text.empty()) {
    error.text = std::move(text);
  }
  return send(txn, std::move(error));
}

void SessionCore::answerMalformed(const ChannelError& error) {
  const bool too_large = error.codec && error.codec->code == proto::ErrorCode::FrameTooLarge;
  const uint16_t offending = error.header ? error.header->message_id : 0;
  const uint32_t txn = error.header ? error.header->transaction_id : 0;
  sendError(txn, too_large ? ErrorReason::FrameTooLarge : ErrorReason::MalformedFrame, offending,
            error.detail);
}

void SessionCore::answerBeforeInit(const proto::Frame& frame, std::string_view expected) {
  sendError(frame.transaction_id, ErrorReason::UnexpectedMessage, proto::messageIdOf(frame.message),
            fmt::format("{} expected first", expected));
}

Next SessionCore::unexpected(const proto::Frame& frame) {
  channel_->countUnsupported();
  if ((frame.flags & proto::kFlagRequest) != 0) {
    const uint16_t id = proto::messageIdOf(frame.message);
    sendError(frame.transaction_id, ErrorReason::UnexpectedMessage, id,
              fmt::format("{} is not expected by {} {}", messageLabel(id),
                          role_ == Role::Controller ? "a" : "an", roleName(role_)));
  }
  return Next::Continue;
}

void SessionCore::answerEcho(const proto::Frame& frame, const proto::EchoRequest& request) {
  proto::EchoResponse response;
  response.clock_utc_ms = nowMs();
  response.echoed_clock_utc_ms = request.clock_utc_ms;
  send(frame.transaction_id, response);
}

void SessionCore::onUnknown(const proto::Frame& frame, const proto::UnknownMessage& message) {
  channel_->countUnsupported();
  // Forward compatibility (rule 7): answer only if the sender waits for a reply; never fatal.
  if ((frame.flags & proto::kFlagRequest) != 0) {
    sendError(frame.transaction_id, ErrorReason::UnsupportedMessage, message.id,
              fmt::format("message id 0x{:04x} is not supported", message.id));
  }
}

}  // namespace nmsp::session
