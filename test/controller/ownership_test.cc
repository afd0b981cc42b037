// The controller's io thread never waits for the disk. With its persistence worker stalled (a
// job the test holds), an operator's `config auth-list add` (through the real shell, on its own
// thread) waits for its write while an admitted MSE completes its handshake, Init and echoes;
// the new entry is in force only once it is on disk. The io thread runs under a
// NoBlockingScope, so a file write (fsync) or a wait on it would abort the test.

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <sstream>
#include <thread>

#include "common/blocking.h"
#include "common/call_and_wait.h"
#include "controller/controller_settings.h"
#include "shell/shell_server.h"
#include "surface/commands.h"
#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

class ControllerOwnershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mse_a_ = makeIdentity(dir_.path() / "mse-a", testMac(0x0a), identity::KeyType::EcdsaP256);
    mse_b_ = makeIdentity(dir_.path() / "mse-b", testMac(0x0b), identity::KeyType::EcdsaP256);
  }

  void start(std::chrono::milliseconds command_timeout = 10s) {
    controller::ControllerOptions options;
    options.data_dir = dir_.path() / "controller";
    options.listen_host = "127.0.0.1";
    options.listen_port = 0;
    options.name = "wlc-test";
    options.command_timeout = command_timeout;
    auto created = controller::Controller::create(io_, options);
    ASSERT_TRUE(created.has_value()) << created.error();
    controller_ = std::move(*created);
    ASSERT_TRUE(controller_->start().has_value());
    surface::registerControllerCommands(registry_, *controller_);
    shell_ = std::make_unique<shell::ShellServerThread>(
        shell::socketPath(dir_.path() / "controller"), registry_);
    shell_->start();
    io_thread_ = std::thread([this] {
      const NoBlockingScope io_thread("controller io thread");
      io_.run();
    });
  }

  void TearDown() override {
    if (shell_) {
      shell_->stop();
      shell_.reset();
    }
    if (controller_) {
      controller_->stop();
    }
    work_.reset();
    if (io_thread_.joinable()) {
      io_thread_.join();
    }
    controller_.reset();
  }

  /// `nmsp cli` against the controller's shell: exit code and output.
  std::pair<int, std::string> cli(const std::vector<std::string>& command) {
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    const int code = shell::runCli(dir_.path() / "controller", command, in, out, err);
    return {code, out.str() + err.str()};
  }

  /// Holds the persistence worker until the returned promise is set (a disk that hangs).
  std::promise<void> stallDisk() {
    std::promise<void> gate;
    auto stalled = std::make_shared<std::promise<void>>();  // outlives the job's use
    EXPECT_TRUE(controller_->persistence().post([opened = gate.get_future().share(), stalled] {
      stalled->set_value();
      opened.wait();
    }));
    stalled->get_future().wait();
    return gate;
  }

  /// Runs `body` as a coroutine on the controller's io thread; false if it took over 10 s.
  template <class T>
  std::optional<T> onIo(std::function<asio::awaitable<T>()> body) {
    auto done = asio::co_spawn(io_, std::move(body), asio::use_future);
    if (done.wait_for(10s) != std::future_status::ready) {
      return std::nullopt;
    }
    return done.get();
  }

  std::shared_ptr<asio::ssl::context> clientContext(const identity::Identity& id) {
    auto ctx = transport::makeClientContext(&id, {});
    EXPECT_TRUE(ctx.has_value());
    return ctx ? *ctx : nullptr;
  }

  TempDir dir_;
  identity::Identity mse_a_;
  identity::Identity mse_b_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<controller::Controller> controller_;
  shell::CommandRegistry registry_;
  std::unique_ptr<shell::ShellServerThread> shell_;
  std::thread io_thread_;
};

TEST_F(ControllerOwnershipTest, SessionsRunWhileAnAuthListChangeWaitsForTheDisk) {
  start();
  ASSERT_EQ(cli({"config", "auth-list", "add", "sha256-lbs-ssc", mse_a_.mac.toString(),
                 mse_a_.hashes.sha256_hex})
                .first,
            0);
  auto gate = stallDisk();
  auto command = std::async(std::launch::async, [&] {
    return cli({"config", "auth-list", "add", "sha256-lbs-ssc", mse_b_.mac.toString(),
                mse_b_.hashes.sha256_hex});
  });

  // MSE A: handshake, Init, Capability and echoes, all on the io thread, meanwhile.
  const auto ctx_a = clientContext(mse_a_);
  const uint16_t port = controller_->port();
  auto session = onIo<bool>([&]() -> asio::awaitable<bool> {
    auto channel = co_await openSession(port, *ctx_a);
    const bool echoed = co_await echo(*channel, 2) && co_await echo(*channel, 3);
    co_await channel->close();
    co_return echoed;
  });
  ASSERT_TRUE(session.has_value()) << "the io thread did not serve MSE A";
  EXPECT_TRUE(*session);
  // The operator's command is still waiting for the disk, and MSE B is not admitted yet: a
  // change is in force only once it is saved.
  EXPECT_EQ(command.wait_for(0s), std::future_status::timeout);
  const auto ctx_b = clientContext(mse_b_);
  auto refused = onIo<int>([&]() { return refusalAlert(port, *ctx_b); });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(*refused, 46);

  gate.set_value();
  ASSERT_EQ(command.wait_for(10s), std::future_status::ready);
  const auto [code, output] = command.get();
  EXPECT_EQ(code, 0) << output;
  auto admitted = onIo<bool>([&]() -> asio::awaitable<bool> {
    auto channel = co_await openSession(port, *ctx_b);  // expects Init to succeed
    const bool echoed = co_await echo(*channel, 2);
    co_await channel->close();
    co_return echoed;
  });
  ASSERT_TRUE(admitted.has_value());
  EXPECT_TRUE(*admitted);
  EXPECT_NE(cli({"show", "auth-list"}).second.find(mse_b_.mac.toString()), std::string::npos);
}

TEST_F(ControllerOwnershipTest, ACommandGivesUpAtItsTimeoutAndTheChangeLandsLater) {
  start(/*command_timeout=*/200ms);
  auto gate = stallDisk();
  auto set = controller_->setStrongCipher(true);
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error(), "no answer from the controller's disk writer within 200 ms");
  EXPECT_FALSE(controller_->strongCipher());  // nothing saved, nothing changed

  gate.set_value();
  // Queued after the change, this job finishes after it (the worker keeps order).
  auto flushed = callAndWait<void>(
      controller_->persistence(), [] { return Result<void, std::string>{}; }, 10s, "the disk");
  ASSERT_TRUE(flushed.has_value()) << flushed.error();
  EXPECT_TRUE(controller_->strongCipher());
  auto settings = controller::loadSettings(dir_.path() / "controller");
  ASSERT_TRUE(settings.has_value());
  EXPECT_TRUE(settings->strong_cipher);
}

}  // namespace
}  // namespace nmsp::testing
