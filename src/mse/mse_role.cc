#include "mse/mse_role.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mse/pin_store.h"
#include "mse/tls_client_context.h"

namespace nmsp::mse {

std::string softwareVersion() {
  return NMSP_SOFTWARE_VERSION;
}

Result<std::unique_ptr<MseRole>, std::string> MseRole::create(boost::asio::any_io_executor executor,
                                                              identity::Identity identity,
                                                              MseOptions options) {
  auto config = MseConfigStore::open(options.data_dir);
  if (!config) {
    return Unexpected{config.error()};
  }
  auto pins = PinStore::open(options.data_dir);
  if (!pins) {
    return Unexpected{pins.error()};
  }
  auto tls = makeClientTlsContext(identity);
  if (!tls) {
    return Unexpected{tls.error()};
  }
  auto env = std::make_shared<LinkEnvironment>(std::move(identity), std::move(*tls),
                                               std::move(*pins), std::move(options.link));
  env->unauthenticated_nmsp = config->unauthenticatedNmsp();
  return std::unique_ptr<MseRole>(
      new MseRole(std::move(executor), std::move(env), std::move(*config)));
}

MseRole::MseRole(boost::asio::any_io_executor executor, std::shared_ptr<LinkEnvironment> env,
                 MseConfigStore config)
    : executor_(std::move(executor)), env_(std::move(env)), config_(std::move(config)) {}

MseRole::~MseRole() {
  stop();
}

void MseRole::start() {
  std::lock_guard lock(mu_);
  if (started_) {
    return;
  }
  started_ = true;
  for (const auto& address : config_.controllers()) {
    auto link = std::make_shared<ControllerLink>(executor_, env_, address);
    links_.push_back(link);
    link->start();
  }
}

void MseRole::stop() {
  std::lock_guard lock(mu_);
  for (const auto& link : links_) {
    link->stop();
  }
  links_.clear();
  started_ = false;
}

std::vector<api::ControllerLinkStatus> MseRole::controllers() const {
  std::vector<api::ControllerLinkStatus> out;
  std::lock_guard lock(mu_);
  if (!started_) {  // configured but not running (e.g. before start): show them inactive
    for (const auto& address : config_.controllers()) {
      api::ControllerLinkStatus status;
      status.host = address.host;
      status.port = address.port;
      status.last_cause = "MSE not started";
      out.push_back(std::move(status));
    }
    return out;
  }
  for (const auto& link : links_) {
    out.push_back(link->status());
  }
  return out;
}

Result<void, std::string> MseRole::addController(const std::string& host, uint16_t port) {
  if (host.empty() || port == 0) {
    return Unexpected{std::string("a controller needs a host and a port 1..65535")};
  }
  std::lock_guard lock(mu_);
  const ControllerAddress address{host, port};
  const auto configured = config_.controllers();
  if (std::find(configured.begin(), configured.end(), address) != configured.end()) {
    return {};  // already there: nothing to change (another port on the host is another link)
  }
  auto saved = config_.addController(address);
  if (!saved) {
    return saved;
  }
  spdlog::info("controller {} added", endpointName(address));
  if (!started_) {
    return {};
  }
  auto link = std::make_shared<ControllerLink>(executor_, env_, address);
  links_.push_back(link);
  link->start();
  return {};
}

Result<void, std::string> MseRole::deleteController(const std::string& host,
                                                    std::optional<uint16_t> port) {
  std::lock_guard lock(mu_);
  auto deleted = config_.deleteController(host, port);
  if (!deleted) {
    return Unexpected{deleted.error()};
  }
  const std::string endpoint = endpointName(*deleted);
  // Forgetting the pin is what lets an operator accept a re-keyed controller on purpose.
  auto forgotten = env_->pins.forget(endpoint);
  if (!forgotten) {
    spdlog::error("controller {} deleted but its pin remains: {}", endpoint, forgotten.error());
  }
  std::erase_if(links_, [&](const auto& link) {
    if (link->address() != *deleted) {
      return false;
    }
    link->stop();
    return true;
  });
  spdlog::info("controller {} deleted", endpoint);
  return {};
}

void MseRole::setUnauthenticatedNmsp(bool on) {
  env_->unauthenticated_nmsp = on;
  auto saved = config_.setUnauthenticatedNmsp(on);
  if (!saved) {
    spdlog::error("unauthenticated-nmsp set to {} but not persisted: {}", on, saved.error());
  }
  if (on) {
    spdlog::warn("unauthenticated-nmsp is on: controller certificates are no longer checked");
  }
}

bool MseRole::unauthenticatedNmsp() const {
  return env_->unauthenticated_nmsp.load();
}

}  // namespace nmsp::mse
