#include "mse/pin_store.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "fileio/atomic_file.h"

namespace nmsp::mse {

std::string hostOfEndpoint(const std::string& endpoint) {
  if (!endpoint.empty() && endpoint.front() == '[') {
    const auto close = endpoint.find(']');
    return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
  }
  const auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

PinStore::PinStore(PinStore&& other) noexcept
    : path_(std::move(other.path_)), pins_(std::move(other.pins_)) {}

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
  std::lock_guard lock(mu_);
  auto it = pins_.find(endpoint);
  if (it == pins_.end()) {
    return std::nullopt;
  }
  return it->second.sha256;
}

Result<void, std::string> PinStore::pin(const std::string& endpoint,
                                        const std::string& sha256_hex) {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  pins_[endpoint] = Pin{sha256_hex, fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now)};
  return saveLocked();
}

Result<void, std::string> PinStore::forget(const std::string& endpoint) {
  std::lock_guard lock(mu_);
  if (pins_.erase(endpoint) == 0) {
    return {};
  }
  return saveLocked();
}

Result<void, std::string> PinStore::saveLocked() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [endpoint, pin] : pins_) {
    json[endpoint] = {{"sha256", pin.sha256}, {"pinned_at", pin.pinned_at}};
  }
  return fileio::writeFileAtomically(path_, json.dump(2) + "\n");
}

}  // namespace nmsp::mse
