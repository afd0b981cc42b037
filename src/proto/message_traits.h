#pragma once
// Internal: which MessageId each message value type carries (one place, used by the codec and
// by messageIdOf).

#include "proto/messages.h"

namespace nmsp::proto {

template <class M>
inline constexpr MessageId kIdOf = MessageId{0};  // specialised for every known message below

template <>
inline constexpr MessageId kIdOf<InitRequest> = MessageId::InitRequest;
template <>
inline constexpr MessageId kIdOf<InitResponse> = MessageId::InitResponse;
template <>
inline constexpr MessageId kIdOf<EchoRequest> = MessageId::EchoRequest;
template <>
inline constexpr MessageId kIdOf<EchoResponse> = MessageId::EchoResponse;
template <>
inline constexpr MessageId kIdOf<ErrorMessage> = MessageId::Error;
template <>
inline constexpr MessageId kIdOf<CapabilityNotification> = MessageId::CapabilityNotification;
template <>
inline constexpr MessageId kIdOf<ServiceSubscribeRequest> = MessageId::ServiceSubscribeRequest;
template <>
inline constexpr MessageId kIdOf<ServiceSubscribeResponse> = MessageId::ServiceSubscribeResponse;
template <>
inline constexpr MessageId kIdOf<ServiceUnsubscribeRequest> = MessageId::ServiceUnsubscribeRequest;
template <>
inline constexpr MessageId kIdOf<ServiceUnsubscribeResponse> =
    MessageId::ServiceUnsubscribeResponse;
template <>
inline constexpr MessageId kIdOf<MeasurementRequest> = MessageId::MeasurementRequest;
template <>
inline constexpr MessageId kIdOf<MeasurementResponse> = MessageId::MeasurementResponse;
template <>
inline constexpr MessageId kIdOf<MeasurementNotification> = MessageId::MeasurementNotification;
template <>
inline constexpr MessageId kIdOf<InfoRequest> = MessageId::InfoRequest;
template <>
inline constexpr MessageId kIdOf<InfoResponse> = MessageId::InfoResponse;
template <>
inline constexpr MessageId kIdOf<InfoNotification> = MessageId::InfoNotification;
template <>
inline constexpr MessageId kIdOf<StatisticsRequest> = MessageId::StatisticsRequest;
template <>
inline constexpr MessageId kIdOf<StatisticsResponse> = MessageId::StatisticsResponse;
template <>
inline constexpr MessageId kIdOf<StatisticsNotification> = MessageId::StatisticsNotification;
template <>
inline constexpr MessageId kIdOf<ApInfoNotification> = MessageId::ApInfoNotification;
template <>
inline constexpr MessageId kIdOf<AttachmentNotification> = MessageId::AttachmentNotification;
template <>
inline constexpr MessageId kIdOf<LocationNotification> = MessageId::LocationNotification;

}  // namespace nmsp::proto
