#include "controller/controller_settings.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fileio/atomic_file.h"

namespace nmsp::controller {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

}  // namespace

Result<ControllerSettings, std::string> loadSettings(const std::filesystem::path& data_dir) {
  const auto path = data_dir / kSettingsFileName;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return ControllerSettings{};
  }
  auto text = fileio::readFile(path, size_t{64} << 10);
  if (!text) {
    return Unexpected{text.error()};
  }
  const json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Unexpected{fmt::format("{} is not valid JSON; fix it or move it away", path.string())};
  }
  ControllerSettings settings;
  if (doc.contains("strong_cipher")) {
    if (!doc["strong_cipher"].is_boolean()) {
      return Unexpected{fmt::format(
          "{}: \"strong_cipher\" must be true or false; fix it or move it away", path.string())};
    }
    settings.strong_cipher = doc["strong_cipher"].get<bool>();
  }
  return settings;
}

Result<void, std::string> saveSettings(const std::filesystem::path& data_dir,
                                       const ControllerSettings& settings) {
  const json doc{{"version", kFormatVersion}, {"strong_cipher", settings.strong_cipher}};
  return fileio::writeFileAtomically(data_dir / kSettingsFileName, doc.dump(2) + "\n");
}

}  // namespace nmsp::controller
