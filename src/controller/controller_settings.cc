#include "controller/controller_settings.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "fileio/atomic_file.h"

namespace nmsp::controller {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

// One object of the file: {"<class name>": number, ...} into `values` (absent: unchanged).
template <class T, size_t N, size_t M>
Result<void, std::string> readClasses(const json& doc, const char* key,
                                      const std::array<std::string_view, M>& names,
                                      std::array<T, N>& values, const std::string& file) {
  static_assert(N == M);
  if (!doc.contains(key)) {
    return {};
  }
  const json& object = doc[key];
  if (!object.is_object()) {
    return Unexpected{
        fmt::format("{}: \"{}\" must be an object; fix it or move it away", file, key)};
  }
  for (size_t i = 0; i < N; ++i) {
    const std::string name(names[i]);
    if (!object.contains(name)) {
      continue;
    }
    if (!object[name].is_number_unsigned() || object[name].get<uint64_t>() > 65535) {
      return Unexpected{fmt::format("{}: \"{}.{}\" must be a whole number; fix it or move it away",
                                    file, key, name)};
    }
    values[i] = static_cast<T>(object[name].get<uint64_t>());
  }
  return {};
}

template <class T, size_t N, size_t M>
json writeClasses(const std::array<std::string_view, M>& names, const std::array<T, N>& values) {
  json object = json::object();
  for (size_t i = 0; i < N; ++i) {
    object[std::string(names[i])] = static_cast<unsigned>(values[i]);
  }
  return object;
}

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
  const std::string file = path.string();
  aggregate::AggregationSettings& a = settings.aggregation;
  for (auto read : {
           readClasses(doc, "notification_interval_s", aggregate::kIntervalClassNames, a.interval_s,
                       file),
           readClasses(doc, "rssi_half_life_s", aggregate::kLocationClassNames, a.half_life_s,
                       file),
           readClasses(doc, "rssi_expiry_s", aggregate::kLocationClassNames, a.expiry_s, file),
           readClasses(doc, "notify_threshold_db", aggregate::kLocationClassNames,
                       a.notify_threshold_db, file),
       }) {
    if (!read) {
      return Unexpected{read.error()};
    }
  }
  if (auto valid = aggregate::validate(a); !valid) {
    return Unexpected{fmt::format("{}: {}; fix it or move it away", file, valid.error())};
  }
  return settings;
}

Result<void, std::string> saveSettings(const std::filesystem::path& data_dir,
                                       const ControllerSettings& settings) {
  const aggregate::AggregationSettings& a = settings.aggregation;
  const json doc{
      {"version", kFormatVersion},
      {"strong_cipher", settings.strong_cipher},
      {"notification_interval_s", writeClasses(aggregate::kIntervalClassNames, a.interval_s)},
      {"rssi_half_life_s", writeClasses(aggregate::kLocationClassNames, a.half_life_s)},
      {"rssi_expiry_s", writeClasses(aggregate::kLocationClassNames, a.expiry_s)},
      {"notify_threshold_db", writeClasses(aggregate::kLocationClassNames, a.notify_threshold_db)},
  };
  return fileio::writeFileAtomically(data_dir / kSettingsFileName, doc.dump(2) + "\n");
}

}  // namespace nmsp::controller
