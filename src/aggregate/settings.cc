#include "aggregate/settings.h"

#include <algorithm>

namespace nmsp::aggregate {

using proto::DeviceKind;
using proto::Service;

IntervalClass intervalClassOf(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::RfidTag:
      return IntervalClass::Rfid;
    case DeviceKind::RogueAp:
    case DeviceKind::RogueClient:
      return IntervalClass::Rogues;
    case DeviceKind::Interferer:
      return IntervalClass::Spectrum;
    case DeviceKind::Client:
    case DeviceKind::Ap:
      break;
  }
  return IntervalClass::Clients;
}

LocationClass locationClassOf(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::RfidTag:
      return LocationClass::Tags;
    case DeviceKind::RogueAp:
    case DeviceKind::RogueClient:
      return LocationClass::Rogues;
    case DeviceKind::Client:
    case DeviceKind::Interferer:
    case DeviceKind::Ap:
      break;
  }
  return LocationClass::Client;
}

Service rssiServiceOf(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::RfidTag:
      return Service::RssiRfid;
    case DeviceKind::RogueAp:
    case DeviceKind::RogueClient:
      return Service::RssiRogue;
    case DeviceKind::Interferer:
      return Service::RssiInterferer;
    case DeviceKind::Ap:
      return Service::ApMonitor;
    case DeviceKind::Client:
      break;
  }
  return Service::RssiMs;
}

std::optional<Service> infoServiceOf(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::Client:
      return Service::InfoMs;
    case DeviceKind::RfidTag:
      return Service::InfoRfid;
    case DeviceKind::RogueAp:
    case DeviceKind::RogueClient:
    case DeviceKind::Interferer:
      return Service::InfoRogue;
    case DeviceKind::Ap:
      break;
  }
  return std::nullopt;
}

std::optional<Service> statsServiceOf(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::Client:
      return Service::StatsMs;
    case DeviceKind::RfidTag:
      return Service::StatsRfid;
    case DeviceKind::RogueAp:
    case DeviceKind::RogueClient:
    case DeviceKind::Interferer:
      return Service::StatsRogue;
    case DeviceKind::Ap:
      break;
  }
  return std::nullopt;
}

StreamKind streamKindOf(Service service) {
  switch (service) {
    case Service::RssiMs:
    case Service::RssiRfid:
    case Service::RssiRogue:
    case Service::RssiInterferer:
    case Service::ApMonitor:
      return StreamKind::Measurement;
    case Service::InfoMs:
    case Service::InfoRfid:
    case Service::InfoRogue:
      return StreamKind::Info;
    case Service::StatsMs:
    case Service::StatsRfid:
    case Service::StatsRogue:
      return StreamKind::Statistics;
    case Service::Attach:
      return StreamKind::Attachment;
    case Service::ApInfo:
      return StreamKind::ApInfo;
    default:
      break;
  }
  return StreamKind::None;
}

bool validHalfLife(uint16_t seconds) {
  return std::find(kHalfLivesS.begin(), kHalfLivesS.end(), seconds) != kHalfLivesS.end();
}

Result<void, std::string> validate(const AggregationSettings& s) {
  for (size_t i = 0; i < s.interval_s.size(); ++i) {
    if (s.interval_s[i] < kMinIntervalS || s.interval_s[i] > kMaxIntervalS) {
      return Unexpected{"interval_s[" + std::string(kIntervalClassNames[i]) +
                        "]: " + std::to_string(s.interval_s[i]) + " outside 1..180"};
    }
  }
  for (size_t i = 0; i < s.expiry_s.size(); ++i) {
    const std::string name(kLocationClassNames[i]);
    if (s.expiry_s[i] < kMinExpiryS || s.expiry_s[i] > kMaxExpiryS) {
      return Unexpected{"expiry_s[" + name + "]: " + std::to_string(s.expiry_s[i]) +
                        " outside 5..3600"};
    }
    if (!validHalfLife(s.half_life_s[i])) {
      return Unexpected{"half_life_s[" + name + "]: " + std::to_string(s.half_life_s[i]) +
                        " not one of 0, 1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300"};
    }
    if (s.notify_threshold_db[i] > kMaxNotifyThresholdDb) {
      return Unexpected{"notify_threshold_db[" + name +
                        "]: " + std::to_string(s.notify_threshold_db[i]) + " outside 0..10"};
    }
  }
  return {};
}

uint16_t defaultIntervalS(Service service, const AggregationSettings& settings) {
  switch (service) {
    case Service::RssiMs:
    case Service::ApMonitor:
      return settings.interval(IntervalClass::Clients);
    case Service::RssiRfid:
      return settings.interval(IntervalClass::Rfid);
    case Service::RssiRogue:
      return settings.interval(IntervalClass::Rogues);
    case Service::RssiInterferer:
      return settings.interval(IntervalClass::Spectrum);
    case Service::Attach:
    case Service::ApInfo:
      return 0;
    default:
      break;
  }
  return kDefaultOtherIntervalS;
}

}  // namespace nmsp::aggregate
