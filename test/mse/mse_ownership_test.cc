// The MSE's io thread never waits for the disk: with the persistence worker stalled (a job the
// test holds), a link connects, pins the controller's certificate, runs Init and keeps echoing;
// the pin reaches known_controllers.json once the disk answers. The io thread runs under a
// NoBlockingScope, so a file write (fsync) or a wait there would abort the test.

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "../transport/tls_test_support.h"
#include "common/blocking.h"
#include "common/call_and_wait.h"
#include "mse/mse_role.h"
#include "support/wait.h"
#include "test_controller.h"

namespace nmsp::mse {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

/// An io_context on a thread of its own; `no_blocking` marks it as a daemon's io thread.
struct IoThread {
  explicit IoThread(const char* no_blocking = nullptr)
      : thread([this, no_blocking] {
          std::optional<NoBlockingScope> scope;
          if (no_blocking != nullptr) {
            scope.emplace(no_blocking);
          }
          io.run();
        }) {}
  ~IoThread() {
    work.reset();
    io.stop();
    thread.join();
  }
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
};

TEST(MseOwnership, ALinkPinsAndEchoesWhileTheDiskIsStalled) {
  testing::TempDir dir;
  const auto mse_id = testing::makeIdentity(dir.path() / "mse-identity", testing::testMac(),
                                            identity::KeyType::EcdsaP256);
  const auto controller_id = testing::makeIdentity(
      dir.path() / "controller-identity", testing::testMac(0x55), identity::KeyType::EcdsaP256);
  IoThread controller_io;
  testing::TestController controller(controller_io.io, controller_id, TLS1_3_VERSION);
  const std::string endpoint = "127.0.0.1:" + std::to_string(controller.port());
  std::ofstream(dir.path() / "controllers.json")
      << R"({"controllers": [{"host": "127.0.0.1", "port": )" << controller.port() << "}]}";

  IoThread mse_io("MSE io thread");
  MseOptions options;
  options.data_dir = dir.path();
  options.link.echo_interval = 100ms;
  options.link.initial_backoff = 50ms;
  auto role = MseRole::create(mse_io.io.get_executor(), mse_id, options);
  ASSERT_TRUE(role.has_value()) << role.error();

  // Stall the disk, then start: the link must come up and echo without it.
  std::promise<void> gate;
  auto stalled = std::make_shared<std::promise<void>>();  // outlives the job's use
  ASSERT_TRUE((*role)->persistence().post([opened = gate.get_future().share(), stalled] {
    stalled->set_value();
    opened.wait();
  }));
  stalled->get_future().wait();
  (*role)->start();
  api::ControllerLinkStatus status;
  test_support::waitFor(
      [&] {
        status = (*role)->controllers().at(0);  // from the io thread, not the disk
        return status.active && status.rx_echo_resp >= 2;
      },
      10s);
  EXPECT_TRUE(status.active) << status.last_cause;
  EXPECT_GE(status.rx_echo_resp, 2u);
  EXPECT_EQ(status.pinned_fingerprint.size(), 64u);  // pinned in memory at once
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "known_controllers.json"));  // not yet

  gate.set_value();
  // A job queued now runs after the pin's write (the worker keeps order).
  auto flushed = callAndWait<void>((*role)->persistence(),
                                   [] { return Result<void, std::string>{}; }, 10s, "the disk");
  ASSERT_TRUE(flushed.has_value()) << flushed.error();
  std::ifstream pins(dir.path() / "known_controllers.json");
  std::string text((std::istreambuf_iterator<char>(pins)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(status.pinned_fingerprint), std::string::npos) << text;
  EXPECT_NE(text.find(endpoint), std::string::npos) << text;

  (*role)->stop();
  controller.stop();
}

}  // namespace
}  // namespace nmsp::mse
