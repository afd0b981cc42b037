#pragma once
// Run-time settings an operator changes through the shell (`nmsp strong-cipher`, the
// aggregation settings: `nmsp notification interval ...`, `location ...`), kept in
// DATA/controller-settings.json so that they survive a restart. Written atomically, mode 0600,
// like authlist.json. A missing file means the defaults.

#include <filesystem>
#include <string>

#include "aggregate/settings.h"
#include "common/result.h"

namespace nmsp::controller {

struct ControllerSettings {
  bool strong_cipher = false;
  aggregate::AggregationSettings aggregation;  // validated (aggregate::validate) when loaded
};

inline constexpr const char* kSettingsFileName = "controller-settings.json";

/// Reads DATA/controller-settings.json (defaults if absent); error text names the file.
Result<ControllerSettings, std::string> loadSettings(const std::filesystem::path& data_dir);
/// Replaces DATA/controller-settings.json atomically.
Result<void, std::string> saveSettings(const std::filesystem::path& data_dir,
                                       const ControllerSettings& settings);

}  // namespace nmsp::controller
