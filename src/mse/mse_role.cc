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
  std::map<std::string, proto::ServiceMask> services;
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
        return LoadedConfig{shared, shared->controllers(), shared->services(),
                            shared->unauthenticatedNmsp()};
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
  std::shared_ptr<Recorder> recorder;
  if (!options.record_file.empty()) {
    auto opened = Recorder::open(options.record_file);
    if (!opened) {
      return Unexpected{opened.error()};
    }
    recorder = std::move(*opened);
  }
  auto env = std::make_shared<LinkEnvironment>(std::move(identity), std::move(*tls),
                                               std::move(*pins), std::move(options.link));
  env->unauthenticated_nmsp = config->unauthenticated_nmsp;
  return std::unique_ptr<MseRole>(
      new MseRole(executor, std::move(env), std::move(disk), std::move(config->store),
                  std::move(config->controllers), std::move(config->services), std::move(recorder),
                  options.command_timeout));
}

MseRole::MseRole(boost::asio::io_context::executor_type executor,
                 std::shared_ptr<LinkEnvironment> env, std::shared_ptr<WorkerThread> disk,
                 std::shared_ptr<MseConfigStore> config, std::vector<ControllerAddress> addresses,
                 std::map<std::string, proto::ServiceMask> services,
                 std::shared_ptr<Recorder> recorder, std::chrono::milliseconds command_timeout)
    : executor_(executor),
      env_(std::move(env)),
      disk_(std::move(disk)),
      config_(std::move(config)),
      recorder_(std::move(recorder)),
      command_timeout_(command_timeout),
      addresses_(std::move(addresses)),
      services_(std::move(services)) {
  if (recorder_) {  // the table is the io thread's: hand the recorder over there
    boost::asio::post(executor_,
                      [env = env_, recorder = recorder_] { env->data.setRecorder(recorder); });
  }
}

MseRole::~MseRole() {
  // No io-thread handler of this role runs any more (see the header): finish here.
  for (const auto& link : links_) {
    link->stop();  // posts: safe from any thread
  }
  if (recorder_) {
    recorder_->close();  // writes what is queued (the io thread no longer records)
    const auto counters = recorder_->counters();
    spdlog::info("recorded {} observations to {} ({} dropped, {} write errors)", counters.written,
                 recorder_->path().string(), counters.dropped, counters.write_errors);
  }
}

void MseRole::addMeasurementSink(std::shared_ptr<MeasurementSink> sink) {
  boost::asio::post(executor_, [env = env_, sink = std::move(sink)]() mutable {
    env->data.addSink(std::move(sink));
  });
}

void MseRole::setControllerObserver(ControllerObserver observer) {
  boost::asio::post(executor_, [this, observer = std::move(observer)]() mutable {
    io_thread_.assertOnOwner(kIoState);
    observer_ = std::move(observer);
  });
}

void MseRole::notifyController(const ControllerAddress& address, bool deleted) const {
  io_thread_.assertOnOwner(kIoState);
  if (observer_) {
    observer_(ControllerChange{
        address, deleted ? std::nullopt : std::optional<proto::ServiceMask>(servicesOf(address))});
  }
}

proto::ServiceMask MseRole::servicesOf(const ControllerAddress& address) const {
  io_thread_.assertOnOwner(kIoState);
  const auto it = services_.find(endpointName(address));
  return it == services_.end() ? kDefaultServices : it->second;
}

Result<void, std::string> MseRole::setControllerServices(const std::string& host,
                                                         std::optional<uint16_t> port,
                                                         std::optional<uint64_t> services) {
  if (services && (*services & ~proto::kKnownServices) != 0) {
    return Unexpected{std::string("unknown service bits")};
  }
  auto changed = onDisk<ControllerAddress>([config = config_, host, port, services]() {
    return config->setServices(host, port, services);
  });
  if (!changed) {
    return Unexpected{changed.error()};
  }
  return onIo([this, address = *changed, services]() -> Result<void, std::string> {
    io_thread_.assertOnOwner(kIoState);
    const std::string endpoint = endpointName(address);
    if (services) {
      services_[endpoint] = *services;
    } else {
      services_.erase(endpoint);
    }
    for (const auto& link : links_) {
      if (link->address() == address) {
        link->setServices(servicesOf(address));
      }
    }
    notifyController(address, false);
    spdlog::info("controller {}: service set {}", endpoint,
                 services ? fmt::format("0x{:x}", *services) : std::string("default"));
    return {};
  });
}

Result<devices::DevicesSummary, std::string> MseRole::devices(std::optional<proto::DeviceKind> kind,
                                                              size_t limit) const {
  auto out = std::make_shared<devices::DevicesSummary>();
  auto done = onIo([this, out, kind, limit]() -> Result<void, std::string> {
    *out = env_->data.table().summary(kind, limit);
    return {};
  });
  if (!done) {
    return Unexpected{done.error()};
  }
  return std::move(*out);
}

Result<std::optional<devices::DeviceDetail>, std::string> MseRole::device(
    const MacAddress& mac) const {
  auto out = std::make_shared<std::optional<devices::DeviceDetail>>();
  auto done = onIo([this, out, mac]() -> Result<void, std::string> {
    *out = env_->data.table().detail(mac);
    return {};
  });
  if (!done) {
    return Unexpected{done.error()};
  }
  return std::move(*out);
}

std::optional<api::RecordStatus> MseRole::recording() const {
  if (!recorder_) {
    return std::nullopt;
  }
  const auto counters = recorder_->counters();
  return api::RecordStatus{recorder_->path().string(), counters.written, counters.dropped,
                           counters.write_errors};
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
      if (!announced_) {
        notifyController(address, false);
      }
    }
    announced_ = true;
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
  auto link = std::make_shared<ControllerLink>(executor_, env_, address, servicesOf(address));
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
    notifyController(address, false);
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
    services_.erase(endpoint);
    notifyController(victim, true);
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
