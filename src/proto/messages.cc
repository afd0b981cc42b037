#include "proto/messages.h"

#include <type_traits>

#include "proto/message_traits.h"

namespace nmsp::proto {

uint16_t messageIdOf(const Message& m) {
  return std::visit(
      [](const auto& value) -> uint16_t {
        using M = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<M, UnknownMessage>) {
          return value.id;
        } else {
          return static_cast<uint16_t>(kIdOf<M>);
        }
      },
      m);
}

std::optional<std::string_view> messageName(uint16_t id) {
  switch (static_cast<MessageId>(id)) {
    case MessageId::InitRequest:
      return "init-request";
    case MessageId::InitResponse:
      return "init-response";
    case MessageId::EchoRequest:
      return "echo-request";
    case MessageId::EchoResponse:
      return "echo-response";
    case MessageId::Error:
      return "error";
    case MessageId::CapabilityNotification:
      return "capability-notification";
    case MessageId::ServiceSubscribeRequest:
      return "service-subscribe-request";
    case MessageId::ServiceSubscribeResponse:
      return "service-subscribe-response";
    case MessageId::ServiceUnsubscribeRequest:
      return "service-unsubscribe-request";
    case MessageId::ServiceUnsubscribeResponse:
      return "service-unsubscribe-response";
    case MessageId::MeasurementRequest:
      return "measurement-request";
    case MessageId::MeasurementResponse:
      return "measurement-response";
    case MessageId::MeasurementNotification:
      return "measurement-notification";
    case MessageId::InfoRequest:
      return "info-request";
    case MessageId::InfoResponse:
      return "info-response";
    case MessageId::InfoNotification:
      return "info-notification";
    case MessageId::StatisticsRequest:
      return "statistics-request";
    case MessageId::StatisticsResponse:
      return "statistics-response";
    case MessageId::StatisticsNotification:
      return "statistics-notification";
    case MessageId::ApInfoNotification:
      return "ap-info-notification";
    case MessageId::AttachmentNotification:
      return "attachment-notification";
    case MessageId::LocationNotification:
      return "location-notification";
  }
  return std::nullopt;
}

bool isRequest(uint16_t id) {
  switch (static_cast<MessageId>(id)) {
    case MessageId::InitRequest:
    case MessageId::EchoRequest:
    case MessageId::ServiceSubscribeRequest:
    case MessageId::ServiceUnsubscribeRequest:
    case MessageId::MeasurementRequest:
    case MessageId::InfoRequest:
    case MessageId::StatisticsRequest:
      return true;
    default:
      return false;
  }
}

}  // namespace nmsp::proto
