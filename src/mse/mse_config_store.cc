#include "mse/mse_config_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "fileio/atomic_file.h"

namespace nmsp::mse {

std::string endpointName(const ControllerAddress& address) {
  if (address.host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", address.host, address.port);
  }
  return fmt::format("{}:{}", address.host, address.port);
}

namespace {
constexpr const char* kConfig = "the MSE's controllers.json store";
}  // namespace

Result<MseConfigStore, std::string> MseConfigStore::open(const std::filesystem::path& data_dir) {
  MseConfigStore store(data_dir / "controllers.json");
  std::error_code ec;
  if (!std::filesystem::exists(store.path_, ec)) {
    return store;
  }
  auto text = fileio::readFile(store.path_);
  if (!text) {
    return Unexpected{text.error()};
  }
  const auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  const auto corrupt = [&](std::string_view why) {
    return Unexpected{
        fmt::format("{} is corrupt ({}): fix or delete it", store.path_.string(), why)};
  };
  if (json.is_discarded() || !json.is_object()) {
    return corrupt("not a JSON object");
  }
  if (json.contains("unauthenticated_nmsp")) {
    if (!json["unauthenticated_nmsp"].is_boolean()) {
      return corrupt("unauthenticated_nmsp must be true or false");
    }
    store.unauthenticated_nmsp_ = json["unauthenticated_nmsp"].get<bool>();
  }
  if (json.contains("controllers")) {
    if (!json["controllers"].is_array()) {
      return corrupt("controllers must be an array");
    }
    for (const auto& item : json["controllers"]) {
      if (!item.is_object() || !item.contains("host") || !item["host"].is_string() ||
          item["host"].get<std::string>().empty() || !item.contains("port") ||
          !item["port"].is_number_unsigned() || item["port"].get<uint64_t>() == 0 ||
          item["port"].get<uint64_t>() > 65535) {
        return corrupt("each controller needs a host and a port 1..65535");
      }
      const ControllerAddress address{item["host"].get<std::string>(),
                                      static_cast<uint16_t>(item["port"].get<uint64_t>())};
      if (std::find(store.controllers_.begin(), store.controllers_.end(), address) ==
          store.controllers_.end()) {  // a hand-edited duplicate would start two links
        store.controllers_.push_back(address);
      }
      if (item.contains("services")) {
        if (!item["services"].is_array()) {
          return corrupt("a controller's services must be an array of service names");
        }
        proto::ServiceMask mask = 0;
        for (const auto& name : item["services"]) {
          const auto service =
              name.is_string() ? proto::serviceFromName(name.get<std::string>()) : std::nullopt;
          if (!service) {
            return corrupt(fmt::format("unknown service {}", name.dump()));
          }
          mask |= proto::bit(*service);
        }
        store.services_[endpointName(address)] = mask;
      }
    }
  }
  return store;
}

std::vector<ControllerAddress> MseConfigStore::controllers() const {
  owner_.assertOnOwner(kConfig);
  return controllers_;
}

bool MseConfigStore::unauthenticatedNmsp() const {
  owner_.assertOnOwner(kConfig);
  return unauthenticated_nmsp_;
}

Result<void, std::string> MseConfigStore::addController(const ControllerAddress& address) {
  owner_.assertOnOwner(kConfig);
  const auto previous = controllers_;
  if (std::find(controllers_.begin(), controllers_.end(), address) != controllers_.end()) {
    return {};
  }
  controllers_.push_back(address);
  auto saved = save();
  if (!saved) {
    controllers_ = previous;  // what the operator sees must match what is on disk
  }
  return saved;
}

Result<ControllerAddress, std::string> MseConfigStore::match(const std::string& host,
                                                             std::optional<uint16_t> port) const {
  std::vector<ControllerAddress> on_host;
  std::copy_if(controllers_.begin(), controllers_.end(), std::back_inserter(on_host),
               [&](const auto& c) { return c.host == host; });
  std::optional<ControllerAddress> victim;
  if (port) {
    if (std::find(on_host.begin(), on_host.end(), ControllerAddress{host, *port}) !=
        on_host.end()) {
      victim = ControllerAddress{host, *port};
    }
  } else if (std::find(on_host.begin(), on_host.end(), ControllerAddress{host, 16113}) !=
             on_host.end()) {
    victim = ControllerAddress{host, 16113};
  } else if (on_host.size() == 1) {
    victim = on_host.front();
  } else if (on_host.size() > 1) {
    const bool v6 = host.find(':') != std::string::npos;
    return Unexpected{
        fmt::format("Invalid input detected: several controllers on {0}; give "
                    "{1}{0}{2}:PORT",
                    host, v6 ? "[" : "", v6 ? "]" : "")};
  }
  if (!victim) {
    return Unexpected{
        fmt::format("controller {} is not configured", port ? endpointName({host, *port}) : host)};
  }
  return *victim;
}

Result<ControllerAddress, std::string> MseConfigStore::deleteController(
    const std::string& host, std::optional<uint16_t> port) {
  owner_.assertOnOwner(kConfig);
  auto victim = match(host, port);
  if (!victim) {
    return victim;
  }
  const auto previous = controllers_;
  const auto previous_services = services_;
  std::erase(controllers_, *victim);
  services_.erase(endpointName(*victim));
  auto saved = save();
  if (!saved) {
    controllers_ = previous;
    services_ = previous_services;
    return Unexpected{saved.error()};
  }
  return *victim;
}

std::map<std::string, proto::ServiceMask> MseConfigStore::services() const {
  owner_.assertOnOwner(kConfig);
  return services_;
}

Result<ControllerAddress, std::string> MseConfigStore::setServices(
    const std::string& host, std::optional<uint16_t> port,
    std::optional<proto::ServiceMask> services) {
  owner_.assertOnOwner(kConfig);
  auto address = match(host, port);
  if (!address) {
    return address;
  }
  const auto previous = services_;
  if (services) {
    services_[endpointName(*address)] = *services;
  } else {
    services_.erase(endpointName(*address));
  }
  auto saved = save();
  if (!saved) {
    services_ = previous;
    return Unexpected{saved.error()};
  }
  return *address;
}

Result<void, std::string> MseConfigStore::setUnauthenticatedNmsp(bool on) {
  owner_.assertOnOwner(kConfig);
  const bool previous = unauthenticated_nmsp_;
  unauthenticated_nmsp_ = on;
  auto saved = save();
  if (!saved) {
    unauthenticated_nmsp_ = previous;
  }
  return saved;
}

Result<void, std::string> MseConfigStore::save() const {
  nlohmann::json json;
  json["controllers"] = nlohmann::json::array();
  for (const auto& c : controllers_) {
    nlohmann::json entry = {{"host", c.host}, {"port", c.port}};
    if (const auto it = services_.find(endpointName(c)); it != services_.end()) {
      entry["services"] = nlohmann::json::array();
      for (uint8_t bit = 0; bit < proto::kServiceCount; ++bit) {
        if ((it->second & (proto::ServiceMask{1} << bit)) != 0) {
          entry["services"].push_back(std::string(*proto::serviceName(bit)));
        }
      }
    }
    json["controllers"].push_back(std::move(entry));
  }
  json["unauthenticated_nmsp"] = unauthenticated_nmsp_;
  return fileio::writeFileAtomically(path_, json.dump(2) + "\n");
}

}  // namespace nmsp::mse
