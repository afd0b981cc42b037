#include "devices/device_views.h"

#include <fmt/format.h>

#include "proto/enums.h"
#include "proto_json/utc_time.h"

namespace nmsp::devices {

namespace {

std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) {
    return "-";
  }
  std::string out;
  for (const auto& name : names) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

std::string dbm(int value) {
  return fmt::format("{} dBm", value);
}

/// `text` left-aligned in `width` columns; a longer text keeps one space before the next column.
std::string padded(const std::string& text, size_t width) {
  return text.size() < width ? fmt::format("{:<{}}", text, width) : text + " ";
}

/// Floor, X(m), Y(m), +-m of a row (`show devices` when the MSE locates).
std::string locationCells(const std::optional<RowLocation>& l) {
  if (!l) {
    return padded("-", 7) + padded("-", 9) + padded("-", 9) + padded("-", 8);
  }
  return padded(l->floor, 7) + padded(fmt::format("{:.2f}", l->x_m), 9) +
         padded(fmt::format("{:.2f}", l->y_m), 9) +
         padded(fmt::format("{:.2f}", l->uncertainty_m), 8);
}

void line(std::string& out, std::string_view label, std::string_view value) {
  out += fmt::format("  {}: {}\n", label, value);
}

}  // namespace

std::string formatDevices(const DevicesSummary& s) {
  std::string out =
      fmt::format("Devices: {} of at most {} (evicted: {})\n", s.total, s.capacity, s.evicted);
  out += fmt::format("{:<14}{}\n", "Kind", "Count");
  for (const auto& entry : proto::EnumTable<proto::DeviceKind>::kEntries) {
    out += fmt::format("{:<14}{}\n", entry.name, s.by_kind[static_cast<size_t>(entry.value) - 1]);
  }
  out += "\n";
  out += fmt::format("{:<19}{:<14}{:<5}{:<11}{:<19}{:<26}{}{}\n", "MAC Address", "Kind", "APs",
                     "Best RSSI", "Best AP", "Last Seen (UTC)",
                     s.locating ? "Floor  X(m)     Y(m)     +-m     " : "", "Via");
  for (const auto& row : s.rows) {
    out += fmt::format(
        "{:<19}{:<14}{:<5}{:<11}{:<19}{:<26}{}{}\n", row.mac.toString(), proto::enumText(row.kind),
        row.aps, row.best_rssi_dbm ? dbm(*row.best_rssi_dbm) : "-",
        row.best_ap ? row.best_ap->toString() : "-", proto_json::formatUtcMs(row.last_seen_ms),
        s.locating ? locationCells(row.location) : "", joined(row.via));
  }
  if (s.matching == 0) {
    out += "(none)\n";
  } else if (s.rows.size() < s.matching) {
    out += fmt::format("({} of {} shown, lowest MAC first; show device <mac> for one)\n",
                       s.rows.size(), s.matching);
  }
  return out;
}

std::string formatDevice(const DeviceDetail& detail) {
  const DeviceRecord& d = detail.record;
  std::vector<std::string> via;
  for (size_t i = 0; i < detail.via_names.size() && i < 32; ++i) {
    if ((d.controllers & (uint32_t{1} << i)) != 0) {
      via.push_back(detail.via_names[i]);
    }
  }
  std::string out = fmt::format("Device: {}\n", d.mac.toString());
  line(out, "Kind", proto::enumText(d.kind));
  line(out, "First seen", proto_json::formatUtcMs(d.first_seen_ms));
  line(out, "Last seen", proto_json::formatUtcMs(d.last_seen_ms));
  line(out, "Via", joined(via));

  out += fmt::format("\nRSSI per AP ({})\n", detail.aps.size());
  out += fmt::format("{:<19}{:<17}{:<6}{:<8}{:<10}{:<7}{:<26}{}\n", "AP MAC", "AP Name", "Slot",
                     "Band", "RSSI", "SNR", "Observed (UTC)", "Via");
  for (const auto& ap : detail.aps) {
    auto name = detail.ap_names.find(ap.ap);
    out += fmt::format("{:<19}{:<17}{:<6}{:<8}{:<10}{:<7}{:<26}{}\n", ap.ap.toString(),
                       name != detail.ap_names.end() ? name->second : "-", ap.slot,
                       proto::enumText(ap.band), dbm(ap.rssi_dbm), fmt::format("{} dB", ap.snr_db),
                       proto_json::formatUtcMs(ap.ts_ms),
                       ap.via < detail.via_names.size() ? detail.via_names[ap.via] : "-");
  }

  if (!d.info) {
    out += "\nInfo: none\n";
  } else {
    const proto::DeviceInfo& info = *d.info;
    out += fmt::format("\nInfo (received {})\n", proto_json::formatUtcMs(d.info_ms));
    for (const auto& ip : info.ip_addresses) {
      line(out, "IP address", ip.toString());
    }
    if (info.ssid) {
      line(out, "SSID", *info.ssid);
    }
    if (info.vlan) {
      line(out, "VLAN", std::to_string(*info.vlan));
    }
    if (info.username) {
      line(out, "User name", *info.username);
    }
    if (info.assoc_state) {
      line(out, "Association", proto::enumText(*info.assoc_state));
    }
    if (info.band) {
      line(out, "Band", proto::enumText(*info.band));
    }
    if (info.serving_ap) {
      line(out, "Serving AP", info.serving_ap->toString());
    }
    if (info.battery_pct) {
      line(out, "Battery", fmt::format("{} %", *info.battery_pct));
    }
    for (const auto& t : info.telemetry) {
      line(out, "Telemetry " + proto::enumText(t.kind), std::to_string(t.value));
    }
  }

  if (!d.statistics) {
    out += "\nStatistics: none\n";
  } else {
    const proto::DeviceStatistics& st = *d.statistics;
    out += fmt::format("\nStatistics (received {})\n", proto_json::formatUtcMs(d.statistics_ms));
    const std::pair<const char*, const std::optional<uint64_t>*> counters[] = {
        {"Tx bytes", &st.tx_bytes},     {"Rx bytes", &st.rx_bytes},
        {"Tx packets", &st.tx_packets}, {"Rx packets", &st.rx_packets},
        {"Tx retries", &st.tx_retries}, {"Tx failed", &st.tx_failed}};
    for (const auto& [label, value] : counters) {
      if (*value) {
        line(out, label, std::to_string(**value));
      }
    }
    if (st.timestamp_utc_ms) {
      line(out, "Observed", proto_json::formatUtcMs(*st.timestamp_utc_ms));
    }
  }

  if (d.attachment) {
    const proto::Attachment& a = *d.attachment;
    out += fmt::format("\nLast attachment: {}", proto::enumText(a.state));
    if (a.ap_mac) {
      out += fmt::format(" {} {}", a.state == proto::AttachState::Attach ? "to" : "from",
                         a.ap_mac->toString());
    }
    out += fmt::format(" at {}", proto_json::formatUtcMs(a.timestamp_utc_ms));
    if (a.ssid) {
      out += fmt::format(", SSID {}", *a.ssid);
    }
    if (a.ip) {
      out += fmt::format(", IP {}", a.ip->toString());
    }
    out += "\n";
  }
  return out;
}

std::string formatUnknownDevice(const MacAddress& mac) {
  return fmt::format("% Device {} is not known\n", mac.toString());
}

}  // namespace nmsp::devices
