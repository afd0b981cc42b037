#include "mse/pin_store.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "fileio/atomic_file.h"

namespace nmsp::mse {
namespace {

constexpr const char* kPins = "the MSE's controller pins";

}  // namespace

std::string hostOfEndpoint(const std::string& endpoint) {
  if (!endpoint.empty() && endpoint.front() == '[') {
    const auto close = endpoint.find(']');
    return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
  }
  const auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

Result<PinStore, std::string> PinStore::open(const std::filesystem::path& data_dir) {
  PinStore store(data_dir / "known_controllers.json");
  std::error_code ec;
  if (!std::filesystem::exists(store.path_, ec)) {
    return store;
  }
  auto text = fileio::readFile(store.path_);
  if (!text) {
    return Unexpected{text.error()};
  }
  const auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Unexpected{
        fmt::format("{} is corrupt (not a JSON object): fix or delete it", store.path_.string())};
  }
  for (const auto& [endpoint, value] : json.items()) {
    if (!value.is_object() || !value.contains("sha256") || !value["sha256"].is_string() ||
        value["sha256"].get<std::string>().size() != 64) {
      return Unexpected{
          fmt::format("{} is corrupt (entry {} needs a 64-digit sha256): fix or "
                      "delete it",
                      store.path_.string(), endpoint)};
    }
    Pin pin{value["sha256"].get<std::string>(), value.value("pinned_at", std::string())};
    store.pins_.emplace(endpoint, std::move(pin));
  }
  return store;
}

std::optional<std::string> PinStore::lookup(const std::string& endpoint) const {
  owner_.assertOnOwner(kPins);
  auto it = pins_.find(endpoint);
  if (it == pins_.end()) {
    return std::nullopt;
  }
  return it->second.sha256;
}

Result<void, std::string> PinStore::pin(const std::string& endpoint,
                                        const std::string& sha256_hex) {
  owner_.assertOnOwner(kPins);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  pins_[endpoint] = Pin{sha256_hex, fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now)};
  return save(fmt::format("cannot pin controller {}", endpoint));
}

Result<void, std::string> PinStore::forget(const std::string& endpoint) {
  owner_.assertOnOwner(kPins);
  if (pins_.erase(endpoint) == 0) {
    return {};
  }
  return save(fmt::format("controller {} deleted but its pin remains", endpoint));
}

Result<void, std::string> PinStore::save(std::string what_failed) const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [endpoint, pin] : pins_) {
    json[endpoint] = {{"sha256", pin.sha256}, {"pinned_at", pin.pinned_at}};
  }
  std::string content = json.dump(2) + "\n";
  if (!writer_) {
    return fileio::writeFileAtomically(path_, content);
  }
  // The writer runs the writes in order, so the file ends with the last pins.
  const bool queued =
      writer_([path = path_, content = std::move(content), what_failed = std::move(what_failed)] {
        if (auto saved = fileio::writeFileAtomically(path, content); !saved) {
          spdlog::error("{}: {}", what_failed, saved.error());
        }
      });
  if (!queued) {
    return Unexpected{
        fmt::format("{} not saved: the disk writer refused the write (queue full or stopping)",
                    path_.string())};
  }
  return {};
}

}  // namespace nmsp::mse
