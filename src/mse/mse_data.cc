#include "mse/mse_data.h"

#include <type_traits>
#include <variant>

namespace nmsp::mse {
namespace {
constexpr const char* kData = "the MSE's device table";
}  // namespace

devices::ControllerId MseData::controller(const std::string& name) {
  owner_.assertOnOwner(kData);
  return table_.controller(name);
}

void MseData::addSink(std::shared_ptr<MeasurementSink> sink) {
  owner_.assertOnOwner(kData);
  if (sink) {
    sinks_.push_back(std::move(sink));
  }
}

void MseData::setRecorder(std::shared_ptr<Recorder> recorder) {
  owner_.assertOnOwner(kData);
  recorder_ = std::move(recorder);
}

const devices::DeviceTable& MseData::table() const {
  owner_.assertOnOwner(kData);
  return table_;
}

void MseData::onMeasurements(devices::ControllerId via, const std::string& via_name,
                             const std::vector<proto::DeviceMeasurement>& devices,
                             uint64_t now_ms) {
  for (const auto& device : devices) {
    table_.onMeasurement(via, device, now_ms);
    for (const auto& sink : sinks_) {
      sink->onMeasurement(via_name, device, now_ms);
    }
    if (recorder_) {
      recorder_->add(device);
    }
  }
  if (recorder_) {
    recorder_->submit();
  }
}

bool MseData::onMessage(devices::ControllerId via, const std::string& via_name,
                        const proto::Message& message, uint64_t now_ms) {
  owner_.assertOnOwner(kData);
  return std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, proto::MeasurementNotification>) {
          onMeasurements(via, via_name, m.devices, now_ms);
          return true;
        } else if constexpr (std::is_same_v<T, proto::InfoNotification>) {
          for (const auto& info : m.devices) {
            table_.onInfo(via, info, now_ms);
            for (const auto& sink : sinks_) {
              sink->onInfo(via_name, info, now_ms);
            }
          }
          return true;
        } else if constexpr (std::is_same_v<T, proto::StatisticsNotification>) {
          for (const auto& statistics : m.devices) {
            table_.onStatistics(via, statistics, now_ms);
            for (const auto& sink : sinks_) {
              sink->onStatistics(via_name, statistics, now_ms);
            }
          }
          return true;
        } else if constexpr (std::is_same_v<T, proto::AttachmentNotification>) {
          for (const auto& attachment : m.attachments) {
            table_.onAttachment(via, attachment, now_ms);
          }
          return true;
        } else if constexpr (std::is_same_v<T, proto::ApInfoNotification>) {
          for (const auto& ap : m.aps) {
            table_.onApInfo(ap);
            for (const auto& sink : sinks_) {
              sink->onApInfo(via_name, ap, now_ms);
            }
          }
          return true;
        } else {
          return false;
        }
      },
      message);
}

}  // namespace nmsp::mse
