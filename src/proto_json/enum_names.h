#pragma once
// The text names of the protocol enums, shared by the JSON and text views. Lowercase and
// hyphenated, like the YANG service names; JSON input accepts exactly these.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "proto/messages.h"

namespace nmsp::proto_json {

template <class E>
struct EnumEntry {
  E value;
  std::string_view name;
};

/// Specialised below for every enum the views print; `entries` lists the defined values.
template <class E>
struct EnumNames;

template <>
struct EnumNames<proto::PeerRole> {
  static constexpr std::string_view kWhat = "peer role";
  static constexpr std::array<EnumEntry<proto::PeerRole>, 2> entries{{
      {proto::PeerRole::Controller, "controller"},
      {proto::PeerRole::Mse, "mse"},
  }};
};

template <>
struct EnumNames<proto::ResultCode> {
  static constexpr std::string_view kWhat = "result code";
  static constexpr std::array<EnumEntry<proto::ResultCode>, 9> entries{{
      {proto::ResultCode::Success, "success"},
      {proto::ResultCode::UnsupportedVersion, "unsupported-version"},
      {proto::ResultCode::UnsupportedService, "unsupported-service"},
      {proto::ResultCode::InvalidRequest, "invalid-request"},
      {proto::ResultCode::NotAuthorized, "not-authorized"},
      {proto::ResultCode::ResourceExhausted, "resource-exhausted"},
      {proto::ResultCode::ClockSkew, "clock-skew"},
      {proto::ResultCode::UnknownDevice, "unknown-device"},
      {proto::ResultCode::InternalError, "internal-error"},
  }};
};

template <>
struct EnumNames<proto::ErrorReason> {
  static constexpr std::string_view kWhat = "error reason";
  static constexpr std::array<EnumEntry<proto::ErrorReason>, 8> entries{{
      {proto::ErrorReason::UnsupportedMessage, "unsupported-message"},
      {proto::ErrorReason::MalformedFrame, "malformed-frame"},
      {proto::ErrorReason::UnexpectedMessage, "unexpected-message"},
      {proto::ErrorReason::VersionMismatch, "version-mismatch"},
      {proto::ErrorReason::ClockSkew, "clock-skew"},
      {proto::ErrorReason::FrameTooLarge, "frame-too-large"},
      {proto::ErrorReason::RateLimited, "rate-limited"},
      {proto::ErrorReason::Shutdown, "shutdown"},
  }};
};

template <>
struct EnumNames<proto::DeviceKind> {
  static constexpr std::string_view kWhat = "device kind";
  static constexpr std::array<EnumEntry<proto::DeviceKind>, 6> entries{{
      {proto::DeviceKind::Client, "client"},
      {proto::DeviceKind::RfidTag, "rfid-tag"},
      {proto::DeviceKind::RogueAp, "rogue-ap"},
      {proto::DeviceKind::RogueClient, "rogue-client"},
      {proto::DeviceKind::Interferer, "interferer"},
      {proto::DeviceKind::Ap, "ap"},
  }};
};

template <>
struct EnumNames<proto::Band> {
  static constexpr std::string_view kWhat = "band";
  static constexpr std::array<EnumEntry<proto::Band>, 3> entries{{
      {proto::Band::Band2_4GHz, "2.4ghz"},
      {proto::Band::Band5GHz, "5ghz"},
      {proto::Band::Band6GHz, "6ghz"},
  }};
};

template <>
struct EnumNames<proto::AssocState> {
  static constexpr std::string_view kWhat = "association state";
  static constexpr std::array<EnumEntry<proto::AssocState>, 4> entries{{
      {proto::AssocState::Probing, "probing"},
      {proto::AssocState::Associated, "associated"},
      {proto::AssocState::Authenticated, "authenticated"},
      {proto::AssocState::Disassociated, "disassociated"},
  }};
};

template <>
struct EnumNames<proto::AttachState> {
  static constexpr std::string_view kWhat = "attach state";
  static constexpr std::array<EnumEntry<proto::AttachState>, 2> entries{{
      {proto::AttachState::Attach, "attach"},
      {proto::AttachState::Detach, "detach"},
  }};
};

template <>
struct EnumNames<proto::TelemetryKind> {
  static constexpr std::string_view kWhat = "telemetry kind";
  static constexpr std::array<EnumEntry<proto::TelemetryKind>, 4> entries{{
      {proto::TelemetryKind::TemperatureCentiC, "temperature-centi-c"},
      {proto::TelemetryKind::HumidityCentiPct, "humidity-centi-pct"},
      {proto::TelemetryKind::PressurePa, "pressure-pa"},
      {proto::TelemetryKind::MotionCount, "motion-count"},
  }};
};

/// The name of a defined value; nullopt for a value outside the enum (only possible for
/// frames built in code: the decoder rejects those).
template <class E>
constexpr std::optional<std::string_view> enumName(E value) {
  for (const auto& entry : EnumNames<E>::entries) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return std::nullopt;
}

template <class E>
constexpr std::optional<E> enumFromName(std::string_view name) {
  for (const auto& entry : EnumNames<E>::entries) {
    if (entry.name == name) {
      return entry.value;
    }
  }
  return std::nullopt;
}

/// The name, or the number in decimal for a value outside the enum.
template <class E>
std::string enumText(E value) {
  if (auto name = enumName(value)) {
    return std::string(*name);
  }
  return std::to_string(static_cast<unsigned>(value));
}

/// "client, rfid-tag, rogue-ap" (for error messages).
template <class E>
std::string enumChoices() {
  std::string text;
  for (const auto& entry : EnumNames<E>::entries) {
    if (!text.empty()) {
      text += ", ";
    }
    text += entry.name;
  }
  return text;
}

}  // namespace nmsp::proto_json
