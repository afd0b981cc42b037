// `show nmsp capability`, `show nmsp subscription summary|detail`: services in the Catalyst 9800's
// Service / Subservice layout, with our service names (docs/protocol.md section 8).
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "aggregate/settings.h"
#include "surface/text_table.h"
#include "surface/views.h"

namespace nmsp::surface {
namespace {

// Services sharing a prefix are one row, as the 9800 groups its subservices.
struct Group {
  std::string_view prefix;  // matches "rssi-ms" for "rssi-"; a full name for a single service
  std::string_view title;
};
constexpr std::array<Group, 11> kGroups{{
    {"rssi-", "RSSI"},
    {"spectrum-", "Spectrum"},
    {"info-", "Info"},
    {"stats-", "Statistics"},
    {"attach", "Attachment"},
    {"location", "Location"},
    {"fmchs", "FMC HS"},
    {"ap-monitor", "AP Monitor"},
    {"wips", "WIPS"},
    {"on-demand", "On Demand"},
    {"ap-info", "AP Info"},
}};

std::string serviceRows(proto::ServiceMask mask, std::string_view indent) {
  std::string text = fmt::format("{}{}Subservice\n", indent, cell("Service", 16));
  text += fmt::format("{}{}{}\n", indent, cell(std::string(15, '-'), 16), std::string(40, '-'));
  proto::ServiceMask shown = 0;
  for (const auto& group : kGroups) {
    std::string names;
    for (uint8_t bit = 0; bit < 64; ++bit) {
      const auto name = proto::serviceName(bit);
      if ((mask & (proto::ServiceMask{1} << bit)) == 0 || !name ||
          !name->starts_with(group.prefix)) {
        continue;
      }
      shown |= proto::ServiceMask{1} << bit;
      names += (names.empty() ? "" : ", ") + std::string(*name);
    }
    if (!names.empty()) {
      text += fmt::format("{}{}{}\n", indent, cell(group.title, 16), names);
    }
  }
  if (const proto::ServiceMask rest = mask & ~shown; rest != 0) {
    text += fmt::format("{}{}0x{:016x}\n", indent, cell("Other bits", 16), rest);
  }
  return text;
}

std::string_view groupTitle(std::string_view name) {
  for (const auto& group : kGroups) {
    if (name.starts_with(group.prefix)) {
      return group.title;
    }
  }
  return "Other";
}

}  // namespace

std::string capabilityView(proto::ServiceMask offered) {
  return "Services offered to MSEs (Capability Notification)\n" + serviceRows(offered, "");
}

std::string subscriptionSummaryView(const std::vector<api::MseSessionStatus>& sessions) {
  std::string text;
  for (const auto& s : sessions) {
    if (!s.active) {
      continue;
    }
    text += fmt::format("MSE IP Address: {}{}\n", s.peer_ip,
                        s.peer_name.empty() ? "" : fmt::format(" ({})", s.peer_name));
    text += s.subscriptions == 0 ? "  no subscriptions\n" : serviceRows(s.subscriptions, "  ");
  }
  return text.empty() ? "No active NMSP subscriptions\n" : text;
}

}  // namespace nmsp::surface

namespace nmsp::surface {

std::string subscriptionDetailView(const std::vector<api::MseSessionStatus>& sessions) {
  std::string text;
  for (const auto& s : sessions) {
    if (!s.active) {
      continue;
    }
    text += fmt::format("MSE IP Address: {}{}\n", s.peer_ip,
                        s.peer_name.empty() ? "" : fmt::format(" ({})", s.peer_name));
    if (s.subscriptions == 0) {
      text += "  no subscriptions\n";
      continue;
    }
    text += fmt::format("  {}{}Interval\n", cell("Service", 16), cell("Subservice", 18));
    text += fmt::format("  {}{}{}\n", cell(std::string(15, '-'), 16),
                        cell(std::string(17, '-'), 18), std::string(9, '-'));
    for (uint8_t bit = 0; bit < proto::kServiceCount; ++bit) {
      const auto name = proto::serviceName(bit);
      if ((s.subscriptions & (proto::ServiceMask{1} << bit)) == 0 || !name) {
        continue;
      }
      const uint16_t interval = s.service_interval_s[bit];
      const bool streamed =
          aggregate::streamKindOf(static_cast<proto::Service>(bit)) != aggregate::StreamKind::None;
      text += fmt::format("  {}{}{}\n", cell(groupTitle(*name), 16), cell(*name, 18),
                          !streamed       ? std::string("-")
                          : interval == 0 ? std::string("on change")
                                          : fmt::format("{} s", interval));
    }
  }
  return text.empty() ? "No active NMSP subscriptions\n" : text;
}

}  // namespace nmsp::surface
