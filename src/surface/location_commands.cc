// `show location <mac>`, `show location summary` (docs/operator-commands.md, "Locations").
#include "surface/location_commands.h"

#include <fmt/format.h>

#include <ctime>

#include "proto/enums.h"
#include "surface/text_table.h"
#include "surface/trace_commands.h"

namespace nmsp::surface {

using shell::Mode;
using shell::Reply;
using shell::Session;
using Args = std::vector<std::string>;

std::string utcMsText(uint64_t utc_ms) {
  const auto seconds = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, utc_ms % 1000);
}

std::string locationView(const api::DeviceLocation& l) {
  std::string text;
  text += fmt::format("{:<14}: {}\n", "Device", l.device.toString());
  text += fmt::format("{:<14}: {}\n", "Kind", proto::enumText(l.kind));
  text += fmt::format("{:<14}: {}\n", "Venue", l.venue);
  text += fmt::format("{:<14}: {}\n", "Floor", l.floor);
  text += fmt::format("{:<14}: {:.2f} m\n", "X", l.x_m);
  text += fmt::format("{:<14}: {:.2f} m\n", "Y", l.y_m);
  text += fmt::format("{:<14}: {:.2f} m{}\n", "Uncertainty", l.uncertainty_m,
                      l.presence_only ? " (presence only: fewer than 3 APs)" : "");
  text += fmt::format("{:<14}: {}\n", "Last seen", utcMsText(l.last_seen_ms));
  text += fmt::format("{:<14}: {}\n", "APs used", l.aps_used);
  text += fmt::format("{:<14}: {}\n", "Source",
                      l.from_store ? "store (not tracked in memory)" : "engine");
  return text;
}

std::string locationSummaryView(const api::LocationSummary& s) {
  std::string text;
  if (s.venues.empty()) {
    text += "Locating: off (no venue: start nmsp mse with --venue FILE)\n";
  } else {
    text += fmt::format("Locating: on ({} venue{})\n", s.venues.size(),
                        s.venues.size() == 1 ? "" : "s");
    text += "\n" + cell("Venue", 20) + cell("Floors", 8) + cell("APs", 6) + cell("Tracked", 10) +
            "Calibrated floors\n";
    for (const auto& v : s.venues) {
      text += cell(v.id, 20) + cell(std::to_string(v.floors), 8) + cell(std::to_string(v.aps), 6) +
              cell(std::to_string(v.tracked), 10) +
              fmt::format("{}/{}\n", v.calibrated_floors, v.floors);
    }
  }
  text += "\n";
  text += counterLine("Reports received", s.reports);
  text += counterLine("  AP neighbour reports (calibration)", s.ap_reports);
  text += counterLine("  Heard by no venue AP", s.no_venue);
  text += counterLine("Locations", s.locations);
  text += counterLine("  Presence only (fewer than 3 APs)", s.presence_only);
  text += counterLine("Locate rate (last 10 s)", fmt::format("{:.1f}/s", s.locate_rate));
  text += "\nStored devices by floor and kind\n";
  if (!s.counts_error.empty()) {
    text += "% " + s.counts_error + "\n";
  } else if (s.counts.empty()) {
    text += "(none)\n";
  } else {
    text += cell("Venue", 20) + cell("Floor", 16) + cell("Kind", 14) + "Devices\n";
    for (const auto& c : s.counts) {
      text += cell(c.venue, 20) + cell(c.floor, 16) + cell(proto::enumText(c.kind), 14) +
              std::to_string(c.devices) + "\n";
    }
  }
  text += "\n";
  if (s.store_backend.empty()) {
    text += counterLine("Store", "none");
    return text;
  }
  text += counterLine("Store", fmt::format("{} {} ({})", s.store_backend, s.store_target,
                                           s.store_connected ? "connected" : "not connected"));
  text += counterLine("Store queued records", s.store_queued);
  text += counterLine("Store queued bytes",
                      fmt::format("{} of {}", s.store_queued_bytes, s.store_queue_limit_bytes));
  text += counterLine("Store lag", fmt::format("{} ms", s.store_lag_ms));
  text += counterLine("Store written", s.store_written);
  text += counterLine("Store dropped", s.store_dropped);
  text += counterLine("Store failed", s.store_failed);
  text +=
      counterLine("Receive to stored p50/p99",
                  s.stored_samples == 0 ? std::string("- (nothing stored yet)")
                                        : fmt::format("{} ms / {} ms ({} records)", s.stored_p50_ms,
                                                      s.stored_p99_ms, s.stored_samples));
  text += counterLine("Store last error", s.store_error.empty() ? "none" : s.store_error);
  return text;
}

void registerLocationCommands(shell::CommandRegistry& registry, api::LocationControl& location) {
  registry.describe(Mode::Exec, "show location", "Device locations (the location engine)");
  registry.add(Mode::Exec, "show location summary",
               "Locating on or off, counts per floor and kind, locate rate, store backend and lag",
               [&location](Session&, const Args&) {
                 auto summary = location.locationSummary();
                 return summary ? Reply{locationSummaryView(*summary)} : failure(summary.error());
               });
  registry.add(
      Mode::Exec, "show location <mac>",
      "A device's floor, x, y, uncertainty, last seen and APs used",
      [&location](Session&, const Args& args) {
        const auto mac = MacAddress::parse(args[0]);
        if (!mac) {
          return Reply::invalidArgument(
              0, fmt::format("expected a MAC address (aa:bb:cc:dd:ee:ff), not \"{}\"", args[0]));
        }
        auto found = location.location(*mac);
        if (!found) {
          return failure(found.error());
        }
        if (!*found) {
          return failure(fmt::format("no location for {}", mac->toString()));
        }
        return Reply{locationView(**found)};
      });
}

}  // namespace nmsp::surface
