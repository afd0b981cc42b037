#pragma once
// Run-time settings an operator changes through the shell (today `nmsp strong-cipher`), kept in
// DATA/controller-settings.json so that they survive a restart. Written atomically, mode 0600,
// like authlist.json. A missing file means the defaults.

#include <filesystem>
#include <string>

#include "common/result.h"

namespace nmsp::controller {

struct ControllerSettings {
  bool strong_cipher = false;
};

inline constexpr const char* kSettingsFileName = "controller-settings.json";

/// Reads DATA/controller-settings.json (defaults if absent); error text names the file.
Result<ControllerSettings, std::string> loadSettings(const std::filesystem::path& data_dir);
/// Replaces DATA/controller-settings.json atomically.
Result<void, std::string> saveSettings(const std::filesystem::path& data_dir,
                                       const ControllerSettings& settings);

}  // namespace nmsp::controller
