#pragma once
// The MSE's location commands (docs/operator-commands.md, "Locations"): `show location <mac>` and
// `show location summary`, against api::LocationControl (src/live implements it).

#include <optional>
#include <string>

#include "api/location_control.h"
#include "shell/shell.h"

namespace nmsp::surface {

void registerLocationCommands(shell::CommandRegistry& registry, api::LocationControl& location);

/// The text of `show location <mac>` (pure, tested byte for byte).
std::string locationView(const api::DeviceLocation& location);
/// The text of `show location summary`.
std::string locationSummaryView(const api::LocationSummary& summary);
/// "2026-12-02T23:10:52.123Z".
std::string utcMsText(uint64_t utc_ms);

}  // namespace nmsp::surface
