#include "devices/device_table.h"

#include <algorithm>

namespace nmsp::devices {

DeviceTable::DeviceTable(Limits limits) : limits_(limits), table_(limits.max_devices) {}

ControllerId DeviceTable::controller(std::string_view name) {
  for (size_t i = 0; i < controller_names_.size(); ++i) {
    if (controller_names_[i] == name) {
      return static_cast<ControllerId>(i);
    }
  }
  if (controller_names_.size() >= std::max<size_t>(limits_.max_controllers, 1)) {
    return static_cast<ControllerId>(controller_names_.size() - 1);
  }
  controller_names_.emplace_back(name);
  return static_cast<ControllerId>(controller_names_.size() - 1);
}

DeviceRecord& DeviceTable::touch(ControllerId via, const MacAddress& mac, proto::DeviceKind kind,
                                 uint64_t now_ms) {
  auto [record, created] =
      table_.touch(mac, [this](const DeviceRecord&) { ++counters_.devices_evicted; });
  if (created) {
    record.mac = mac;
    record.first_seen_ms = now_ms;
  }
  record.kind = kind;
  record.last_seen_ms = now_ms;
  if (via < 32) {
    record.controllers |= uint32_t{1} << via;
  }
  return record;
}

void DeviceTable::onMeasurement(ControllerId via, const proto::DeviceMeasurement& m,
                                uint64_t now_ms) {
  ++counters_.measurements;
  DeviceRecord& d = touch(via, m.mac, m.kind, now_ms);
  for (const auto& ap : m.aps) {
    ++counters_.observations;
    size_t i = 0;
    while (i < d.ap_count && !(d.aps[i].ap == ap.ap_mac && d.aps[i].slot == ap.slot)) {
      ++i;
    }
    if (i == d.ap_count) {
      if (d.ap_count < d.aps.size()) {
        ++d.ap_count;
      } else {
        // Full: the report heard longest ago makes room.
        i = 0;
        for (size_t k = 1; k < d.ap_count; ++k) {
          if (d.aps[k].received_ms < d.aps[i].received_ms) {
            i = k;
          }
        }
      }
    } else if (ap.timestamp_utc_ms < d.aps[i].ts_ms) {
      continue;  // older than what we hold (e.g. the same AP via another controller)
    }
    d.aps[i] = ApReport{ap.ap_mac,           ap.slot, ap.band, ap.antenna, ap.rssi_dbm, ap.snr_db,
                        ap.timestamp_utc_ms, now_ms,  via};
  }
}

void DeviceTable::onInfo(ControllerId via, const proto::DeviceInfo& info, uint64_t now_ms) {
  ++counters_.infos;
  DeviceRecord& d = touch(via, info.mac, info.kind, now_ms);
  d.info = info;
  d.info_ms = now_ms;
}

void DeviceTable::onStatistics(ControllerId via, const proto::DeviceStatistics& statistics,
                               uint64_t now_ms) {
  ++counters_.statistics;
  DeviceRecord& d = touch(via, statistics.mac, statistics.kind, now_ms);
  d.statistics = statistics;
  d.statistics_ms = now_ms;
}

void DeviceTable::onAttachment(ControllerId via, const proto::Attachment& attachment,
                               uint64_t now_ms) {
  ++counters_.attachments;
  DeviceRecord* d = table_.find(attachment.device);
  if (d == nullptr) {
    // Attachments name no kind: only clients attach.
    d = &touch(via, attachment.device, proto::DeviceKind::Client, now_ms);
  } else {
    d = &touch(via, attachment.device, d->kind, now_ms);
  }
  d->attachment = attachment;
}

void DeviceTable::onApInfo(const proto::ApInfo& ap) {
  ++counters_.ap_infos;
  auto it = aps_.find(ap.mac);
  if (it != aps_.end()) {
    it->second = ap;
  } else if (aps_.size() < limits_.max_aps) {
    aps_.emplace(ap.mac, ap);
  } else {
    ++counters_.aps_refused;
  }
}

const proto::ApInfo* DeviceTable::findAp(const MacAddress& mac) const {
  auto it = aps_.find(mac);
  return it == aps_.end() ? nullptr : &it->second;
}

size_t DeviceTable::memoryBytes() const {
  size_t bytes = table_.memoryBytes() + aps_.size() * (sizeof(proto::ApInfo) + 64);
  table_.forEach([&](const DeviceRecord& d) {
    bytes += d.info ? d.info->ip_addresses.capacity() * sizeof(IpAddress) : 0;
  });
  return bytes;
}

namespace {
std::vector<std::string> viaNames(uint32_t mask, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (size_t i = 0; i < names.size() && i < 32; ++i) {
    if ((mask & (uint32_t{1} << i)) != 0) {
      out.push_back(names[i]);
    }
  }
  return out;
}
}  // namespace

DevicesSummary DeviceTable::summary(std::optional<proto::DeviceKind> kind, size_t limit) const {
  DevicesSummary s;
  s.kind = kind;
  s.total = table_.size();
  s.capacity = table_.capacity();
  s.evicted = counters_.devices_evicted;
  std::vector<const DeviceRecord*> matching;
  table_.forEach([&](const DeviceRecord& d) {
    const auto k = static_cast<size_t>(d.kind);
    if (k >= 1 && k <= s.by_kind.size()) {
      ++s.by_kind[k - 1];
    }
    if (!kind || d.kind == *kind) {
      matching.push_back(&d);
    }
  });
  s.matching = matching.size();
  const size_t shown = std::min(limit, matching.size());
  std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(shown),
                    matching.end(),
                    [](const DeviceRecord* a, const DeviceRecord* b) { return a->mac < b->mac; });
  for (size_t i = 0; i < shown; ++i) {
    const DeviceRecord& d = *matching[i];
    DeviceRow row;
    row.mac = d.mac;
    row.kind = d.kind;
    row.aps = d.ap_count;
    for (size_t k = 0; k < d.ap_count; ++k) {
      if (!row.best_rssi_dbm || d.aps[k].rssi_dbm > *row.best_rssi_dbm) {
        row.best_rssi_dbm = d.aps[k].rssi_dbm;
        row.best_ap = d.aps[k].ap;
      }
    }
    row.via = viaNames(d.controllers, controller_names_);
    row.last_seen_ms = d.last_seen_ms;
    s.rows.push_back(std::move(row));
  }
  return s;
}

std::optional<DeviceDetail> DeviceTable::detail(const MacAddress& mac) const {
  const DeviceRecord* d = table_.find(mac);
  if (d == nullptr) {
    return std::nullopt;
  }
  DeviceDetail detail;
  detail.record = *d;
  detail.aps.assign(d->aps.begin(), d->aps.begin() + d->ap_count);
  std::stable_sort(detail.aps.begin(), detail.aps.end(), [](const ApReport& a, const ApReport& b) {
    return a.rssi_dbm != b.rssi_dbm ? a.rssi_dbm > b.rssi_dbm : a.ap < b.ap;
  });
  detail.via_names = controller_names_;
  for (const auto& ap : detail.aps) {
    if (const proto::ApInfo* info = findAp(ap.ap)) {
      detail.ap_names[ap.ap] = info->name;
    }
  }
  return detail;
}

}  // namespace nmsp::devices
