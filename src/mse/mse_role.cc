#include "mse/mse_role.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "common/call_and_wait.h"
#include "mse/pin_store.h"
#include "transport/tls_context.h"

namespace nmsp::mse {
namespace {

constexpr const char* kIoState = "the MSE role's links";
constexpr const char* kIoThread = "the MSE's io thread";
constexpr const char* kDiskWriter = "the MSE's disk writer";

// What controllers.json holds, read on the persistence worker (the store's owner).
struct LoadedConfig {
  std::shared_ptr<MseConfigStore> store;
  std::vector<ControllerAddress> controllers;
  bool unauthenticated_nmsp = false;
};

}  // namespace

std::string softwareVersion() {
  return NMSP_SOFTWARE_VERSION;
}

Result<std::unique_ptr<MseRole>, std::string> MseRole::create(
    boost::asio::io_context::executor_type executor, identity::Identity identity,
    MseOptions options) {
  auto disk = std::make_shared<WorkerThread>("nmsp-persist");
  auto config = callAndWait<LoadedConfig>(
      *disk,
      [dir = options.data_dir]() -> Result<LoadedConfig, std::string> {
        auto store = MseConfigStore::open(dir);
        if (!store) {
          return Unexpected{store.error()};
        }
        auto shared = std::make_shared<MseConfigStore>(std::move(*store));
        return LoadedConfig{shared, shared->controllers(), shared->unauthenticatedNmsp()};
      },
      options.command_timeout, kDiskWriter);
  if (!config) {
    return Unexpected{config.error()};
  }
  auto pins = PinStore::open(options.data_dir);
  if (!pins) {
    return Unexpected{pins.error()};
  }
  // Weak: the role alone keeps the worker, so destroying the role drains its writes (the data
  // dir is quiet afterwards); a link that outlives it can no longer queue one.
  pins->setWriter([weak = std::weak_ptr<WorkerThread>(disk)](std::function<void()> write) {
    const auto worker = weak.lock();
    return worker && worker->post(std::move(write));
  });
  auto tls = transport::makeClientContext(&identity);
  if (!tls) {
    return Unexpected{tls.error()};
  }
  auto env = std::make_shared<LinkEnvironment>(std::move(identity), std::move(*tls),
                                               std::move(*pins), std::move(options.link));
  env->unauthenticated_nmsp = config->unauthenticated_nmsp;
  return std::unique_ptr<MseRole>(
      new MseRole(executor, std::move(env), std::move(disk), std::move(config->store),
                  std::move(config->controllers), options.command_timeout));
}

MseRole::MseRole(boost::asio::io_context::executor_type executor,
                 std::shared_ptr<LinkEnvironment> env, std::shared_ptr<WorkerThread> disk,
                 std::shared_ptr<MseConfigStore> config, std::vector<ControllerAddress> addresses,
                 std::chrono::milliseconds command_timeout)
    : executor_(executor),
      env_(std::move(env)),
      disk_(std::move(disk)),
      config_(std::move(config)),
      command_timeout_(command_timeout),
      addresses_(std::move(addresses)) {}

MseRole::~MseRole() {
  // No io-thread handler of this role runs any more (see the header): finish here.
  for (const auto& link : links_) {
    link->stop();  // posts: safe from any thread
  }
}

Result<void, std::string> MseRole::onIo(std::function<Result<void, std::string>()> job) const {
  if (executor_.running_in_this_thread()) {
    return job();
  }
  return callAndWait<void>(
      [this](std::function<void()> f) {
        boost::asio::post(executor_, std::move(f));
        return true;
      },
      std::move(job), command_timeout_, kIoThread);
}

template <class T>
Result<T, std::string> MseRole::onDisk(std::function<Result<T, std::string>()> job) const {
  return callAndWait<T>(*disk_, std::move(job), command_timeout_, kDiskWriter);
}

void MseRole::start() {
  boost::asio::post(executor_, [this] {
    io_thread_.assertOnOwner(kIoState);
    if (started_) {
      return;
    }
    started_ = true;
    for (const auto& address : addresses_) {
      startLink(address);
    }
  });
}

void MseRole::stop() {
  auto stopped = onIo([this]() -> Result<void, std::string> {
    stopLinks();
    return {};
  });
  if (!stopped) {
    spdlog::warn("MSE links not stopped: {}", stopped.error());
  }
}

void MseRole::startLink(const ControllerAddress& address) {
  io_thread_.assertOnOwner(kIoState);
  auto link = std::make_shared<ControllerLink>(executor_, env_, address);
  links_.push_back(link);
  link->start();
}

void MseRole::stopLinks() {
  io_thread_.assertOnOwner(kIoState);
  for (const auto& link : links_) {
    link->stop();
  }
  links_.clear();
  started_ = false;
}

std::vector<api::ControllerLinkStatus> MseRole::statusRows() const {
  io_thread_.assertOnOwner(kIoState);
  std::vector<api::ControllerLinkStatus> out;
  if (!started_) {  // configured but not running (e.g. before start): show them inactive
    for (const auto& address : addresses_) {
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

std::vector<api::ControllerLinkStatus> MseRole::controllers() const {
  auto rows = std::make_shared<std::vector<api::ControllerLinkStatus>>();
  auto collected = onIo([this, rows]() -> Result<void, std::string> {
    *rows = statusRows();
    return {};
  });
  if (collected) {
    return std::move(*rows);
  }
  // The io thread did not answer (it never blocks: it has stopped). Show what is configured.
  spdlog::error("show controllers: {}", collected.error());
  auto configured = onDisk<std::vector<ControllerAddress>>(
      [config = config_]() -> Result<std::vector<ControllerAddress>, std::string> {
        return config->controllers();
      });
  std::vector<api::ControllerLinkStatus> out;
  for (const auto& address : configured ? *configured : std::vector<ControllerAddress>{}) {
    api::ControllerLinkStatus status;
    status.host = address.host;
    status.port = address.port;
    status.last_cause = collected.error();
    out.push_back(std::move(status));
  }
  return out;
}

Result<void, std::string> MseRole::addController(const std::string& host, uint16_t port) {
  if (host.empty() || port == 0) {
    return Unexpected{std::string("a controller needs a host and a port 1..65535")};
  }
  const ControllerAddress address{host, port};
  auto added = onDisk<bool>([config = config_, address]() -> Result<bool, std::string> {
    const auto configured = config->controllers();
    if (std::find(configured.begin(), configured.end(), address) != configured.end()) {
      return false;  // already there: nothing to change (another port on the host is another link)
    }
    if (auto saved = config->addController(address); !saved) {
      return Unexpected{saved.error()};
    }
    return true;
  });
  if (!added) {
    return Unexpected{added.error()};
  }
  if (!*added) {
    return {};
  }
  spdlog::info("controller {} added", endpointName(address));
  return onIo([this, address]() -> Result<void, std::string> {
    io_thread_.assertOnOwner(kIoState);
    addresses_.push_back(address);
    if (started_) {
      startLink(address);
    }
    return {};
  });
}

Result<void, std::string> MseRole::deleteController(const std::string& host,
                                                    std::optional<uint16_t> port) {
  auto deleted = onDisk<ControllerAddress>(
      [config = config_, host, port]() { return config->deleteController(host, port); });
  if (!deleted) {
    return Unexpected{deleted.error()};
  }
  auto unlinked = onIo([this, victim = *deleted]() -> Result<void, std::string> {
    io_thread_.assertOnOwner(kIoState);
    const std::string endpoint = endpointName(victim);
    // Forgetting the pin is what lets an operator accept a re-keyed controller on purpose.
    auto forgotten = env_->pins.forget(endpoint);
    if (!forgotten) {
      spdlog::error("controller {} deleted but its pin remains: {}", endpoint, forgotten.error());
    }
    std::erase(addresses_, victim);
    std::erase_if(links_, [&](const auto& link) {
      if (link->address() != victim) {
        return false;
      }
      link->stop();
      return true;
    });
    spdlog::info("controller {} deleted", endpoint);
    return {};
  });
  if (!unlinked) {
    return unlinked;
  }
  // The forgotten pin's file write was queued above: wait for it, as for controllers.json.
  return onDisk<void>([] { return Result<void, std::string>{}; });
}

void MseRole::setUnauthenticatedNmsp(bool on) {
  env_->unauthenticated_nmsp = on;
  auto saved =
      onDisk<void>([config = config_, on]() { return config->setUnauthenticatedNmsp(on); });
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
