#include "controller/controller.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>

#include "common/call_and_wait.h"
#include "controller/controller_connection.h"
#include "controller/controller_settings.h"
#include "controller/nmsp_server_session.h"

namespace nmsp::controller {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string hostName() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) {
    return "nmsp-controller";
  }
  return buf.data();
}

}  // namespace

Controller::Controller(asio::io_context& io, ControllerOptions options)
    : io_(io),
      options_(std::move(options)),
      acceptor_(io),
      persistence_(std::make_unique<WorkerThread>("nmsp-persist")) {}

Controller::~Controller() = default;

Result<std::unique_ptr<Controller>, std::string> Controller::create(asio::io_context& io,
                                                                    ControllerOptions options) {
  std::error_code fs_error;
  std::filesystem::create_directories(options.data_dir, fs_error);
  if (fs_error) {
    return Unexpected{
        fmt::format("cannot create {}: {}", options.data_dir.string(), fs_error.message())};
  }
  if (options.name.empty()) {
    options.name = hostName();
  }
  std::unique_ptr<Controller> controller(new Controller(io, std::move(options)));
  const ControllerOptions& opts = controller->options_;
  identity::CreateOptions create_options;
  create_options.key_type = opts.key_type;
  create_options.role = "Controller";
  auto own = identity::loadOrCreate(opts.data_dir, create_options);
  if (!own) {
    return Unexpected{fmt::format("controller identity: {}", own.error())};
  }
  controller->identity_ = std::move(*own);
  auto list = authlist::AuthList::open(opts.data_dir);
  if (!list) {
    return Unexpected{fmt::format("auth list: {}", list.error())};
  }
  controller->auth_list_ = std::move(*list);
  controller->admission_list_ = controller->auth_list_->snapshot();
  auto settings = loadSettings(opts.data_dir);
  if (!settings) {
    return Unexpected{fmt::format("controller settings: {}", settings.error())};
  }
  controller->strong_cipher_.store(settings->strong_cipher);
  controller->persisted_ = *settings;
  controller->aggregation_ = settings->aggregation;
  auto data = DataPath::create(io, controller->options_, settings->aggregation, controller->state_);
  if (!data) {
    return Unexpected{data.error()};
  }
  controller->data_ = std::move(*data);
  auto normal =
      transport::makeServerContext(controller->identity_, transport::CipherPolicy::Default);
  if (!normal) {
    return Unexpected{normal.error()};
  }
  auto strong =
      transport::makeServerContext(controller->identity_, transport::CipherPolicy::Strong);
  if (!strong) {
    return Unexpected{strong.error()};
  }
  controller->default_ctx_ = std::move(*normal);
  controller->strong_ctx_ = std::move(*strong);
  return controller;
}

Result<void, std::string> Controller::start() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.listen_host, ec);
  if (ec) {
    return Unexpected{
        fmt::format("bad listen address '{}': {}", options_.listen_host, ec.message())};
  }
  const tcp::endpoint endpoint(address, options_.listen_port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Unexpected{fmt::format("cannot listen on {}: {}", listenAddress(), ec.message())};
  }
  bound_port_ = acceptor_.local_endpoint(ec).port();
  spdlog::info(
      "NMSP controller '{}' listening on {} (TLS 1.2-1.3, client certificates "
      "checked against the auth list)",
      options_.name, listenAddress());
  spdlog::info("session timers: TLS handshake {} ms, idle timeout {} s, clock tolerance {} s",
               options_.handshake_timeout.count(), options_.idle_timeout.count() / 1000.0,
               options_.clock_tolerance.count() / 1000.0);
  spdlog::info("each MSE's send queue: {} KiB (oldest notifications dropped beyond it)",
               options_.channel.max_queued_bytes / 1024);
  data_->start();
  asio::co_spawn(io_, acceptLoop(), [](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("NMSP controller stopped accepting: {}", e.what());
      }
    }
  });
  return {};
}

void Controller::stop() {
  asio::post(io_, [this] {
    if (stopping_) {
      return;
    }
    stopping_ = true;
    data_->stop();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& [id, conn] : connections_) {
      conn->stop();  // an established session sends Error(Shutdown), then closes
    }
    spdlog::info("NMSP controller stopping: {} connection(s) to close", connections_.size());
  });
}

Result<void, std::string> Controller::persist(std::function<Result<void, std::string>()> job) {
  return callAndWait<void>(*persistence_, std::move(job), options_.command_timeout,
                           "the controller's disk writer");
}

Result<void, std::string> Controller::setStrongCipher(bool on) {
  return persist([this, on]() -> Result<void, std::string> {
    ControllerSettings settings = persisted_;
    settings.strong_cipher = on;
    if (auto saved = saveSettings(options_.data_dir, settings); !saved) {
      return Unexpected{fmt::format("strong-cipher setting not changed: {}", saved.error())};
    }
    persisted_ = settings;
    strong_cipher_.store(on);
    return {};
  });
}

aggregate::AggregationSettings Controller::aggregationSettings() const {
  std::lock_guard lock(aggregation_mu_);
  return aggregation_;
}

Result<void, std::string> Controller::setAggregationSettings(
    const aggregate::AggregationSettings& wanted) {
  if (auto valid = aggregate::validate(wanted); !valid) {
    return Unexpected{valid.error()};
  }
  return persist([this, wanted]() -> Result<void, std::string> {
    ControllerSettings settings = persisted_;
    settings.aggregation = wanted;
    if (auto saved = saveSettings(options_.data_dir, settings); !saved) {
      return Unexpected{fmt::format("setting not changed: {}", saved.error())};
    }
    persisted_ = settings;
    {
      std::lock_guard lock(aggregation_mu_);
      aggregation_ = wanted;
    }
    // Posted before the command returns: in force from the io thread's next job on.
    asio::post(io_, [this, wanted] { data_->setSettings(wanted); });
    return {};
  });
}

Result<void, std::string> Controller::editAuthList(api::AuthListEdit edit) {
  return persist([this, edit = std::move(edit)]() -> Result<void, std::string> {
    auto edited = edit(*auth_list_);  // saved (fsync) before it returns
    if (edited) {
      publishAuthList(auth_list_->snapshot());
    }
    return edited;
  });
}

void Controller::publishAuthList(std::shared_ptr<const authlist::AuthSnapshot> snapshot) {
  // Posted before the operator's command returns, so it runs before any later handshake.
  asio::post(io_, [this, snapshot = std::move(snapshot)]() mutable {
    io_thread_.assertOnOwner("the controller's admission list");
    admission_list_ = std::move(snapshot);
  });
}

const authlist::AuthSnapshot& Controller::admissionList() const {
  io_thread_.assertOnOwner("the controller's admission list");
  return *admission_list_;
}

std::chrono::system_clock::time_point Controller::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

std::vector<api::MseSessionStatus> Controller::sessions() const {
  return state_.sessions();
}

api::ControllerStatistics Controller::statistics() const {
  return state_.statistics();
}

std::string Controller::listenAddress() const {
  const uint16_t port = bound_port_.load() != 0 ? bound_port_.load() : options_.listen_port;
  if (options_.listen_host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", options_.listen_host, port);
  }
  return fmt::format("{}:{}", options_.listen_host, port);
}

asio::awaitable<void> Controller::acceptLoop() {
  asio::steady_timer backoff(io_);
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (stopping_ || ec == asio::error::operation_aborted) {
      break;
    }
    if (ec) {
      // Typically EMFILE: back off briefly instead of spinning on the same error.
      spdlog::warn("accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    state_.updateStats([](auto& s) { ++s.accept_attempts; });
    if (open_connections_ >= options_.max_connections) {
      boost::system::error_code ignored;
      const auto remote = socket.remote_endpoint(ignored);
      state_.updateStats([](auto& s) {
        ++s.connection_cap_rejects;
        ++s.accept_reject;
      });
      spdlog::warn("refusing connection from {}: {} connections open (--max-connections)",
                   remote.address().to_string(), open_connections_);
      socket.close(ignored);
      continue;
    }
    const uint32_t conn_id = next_conn_id_++;
    auto conn = std::make_unique<Connection>(*this, conn_id, std::move(socket));
    asio::co_spawn(io_, serveConnection(std::move(conn)),
                   [this, conn_id](std::exception_ptr error) { connectionEnded(conn_id, error); });
  }
}

}  // namespace nmsp::controller
