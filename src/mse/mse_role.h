#pragma once
// The MSE role: owns the persisted configuration (controllers, unauthenticated-nmsp), the pins
// of controller certificates, the trace buffer, and one ControllerLink per configured
// controller. Implements api::MseControl for the operator commands. The links run on the
// executor given to create(); every public method is thread-safe.

#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/mse_control.h"
#include "common/result.h"
#include "identity/identity.h"
#include "mse/controller_link.h"
#include "mse/mse_config_store.h"

namespace nmsp::mse {

/// The OpenNMSP version ("0.1.0"), sent as software-version in Init Request.
std::string softwareVersion();

struct MseOptions {
  std::filesystem::path data_dir;
  LinkOptions link;
};

class MseRole final : public api::MseControl {
 public:
  /// Loads DATA/controllers.json and DATA/known_controllers.json and prepares the TLS client
  /// context from `identity`. Error text for the operator (the daemon prints it and exits).
  static Result<std::unique_ptr<MseRole>, std::string> create(boost::asio::any_io_executor executor,
                                                              identity::Identity identity,
                                                              MseOptions options);
  ~MseRole() override;

  /// Starts a link for every persisted controller.
  void start();
  /// Stops every link (their coroutines finish shortly after on the executor).
  void stop();

  const identity::Identity& identity() const override { return env_->identity; }
  std::vector<api::ControllerLinkStatus> controllers() const override;
  Result<void, std::string> addController(const std::string& host, uint16_t port) override;
  Result<void, std::string> deleteController(const std::string& host,
                                             std::optional<uint16_t> port) override;
  void setUnauthenticatedNmsp(bool on) override;
  bool unauthenticatedNmsp() const override;
  trace::TraceBuffer& trace() override { return env_->trace; }
  std::string name() const override { return env_->options.name; }

 private:
  MseRole(boost::asio::any_io_executor executor, std::shared_ptr<LinkEnvironment> env,
          MseConfigStore config);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<LinkEnvironment> env_;
  MseConfigStore config_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<ControllerLink>> links_;
  bool started_ = false;
};

}  // namespace nmsp::mse
