// 200 MSE sessions at once on one controller, each echoing on a short interval: every session
// is admitted, shows up active, and its echo counters move (label integration: heavier).

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

constexpr int kSessions = 200;
constexpr int kEchoesPerSession = 3;

void raiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

class ControllerLoadTest : public ControllerFixture {};

TEST_F(ControllerLoadTest, TwoHundredConcurrentSessionsEcho) {
  raiseFileLimit();
  startController([](controller::ControllerOptions& o) { o.handshake_timeout = 20s; });
  admitSha256(mse_);
  auto ctx = clientContext(&mse_);
  size_t peak_sessions = 0;
  int echoes_ok = 0;
  runCoroutine(
      io_,
      [&]() -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        int opened = 0;
        int finished = 0;
        asio::steady_timer all_open(ex);  // events: cancelled when the condition is reached
        asio::steady_timer all_done(ex);
        all_open.expires_after(60s);
        all_done.expires_after(60s);
        for (int i = 0; i < kSessions; ++i) {
          asio::co_spawn(
              ex,
              [&]() -> asio::awaitable<void> {
                auto channel = co_await openSession(port_, *ctx);
                if (++opened == kSessions) {
                  peak_sessions = controller_->sessions().size();
                  all_open.cancel();
                } else {
                  co_await all_open.async_wait(asio::as_tuple(asio::use_awaitable));
                }
                asio::steady_timer interval(ex);
                for (int e = 0; e < kEchoesPerSession; ++e) {
                  interval.expires_after(20ms);  // the MSE's echo interval, shortened
                  co_await interval.async_wait(asio::use_awaitable);
                  echoes_ok += (co_await echo(*channel, 100 + e)) ? 1 : 0;
                }
                co_await channel->close();
                if (++finished == kSessions) {
                  all_done.cancel();
                }
              },
              asio::detached);
        }
        co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        EXPECT_EQ(finished, kSessions);
      },
      std::chrono::seconds(120));
  waitForFreed(kSessions);
  EXPECT_EQ(peak_sessions, static_cast<size_t>(kSessions));
  EXPECT_EQ(echoes_ok, kSessions * kEchoesPerSession);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.accept_success, static_cast<uint64_t>(kSessions));
  EXPECT_EQ(stats.connections_created, static_cast<uint64_t>(kSessions));
  EXPECT_EQ(stats.connections_closed, static_cast<uint64_t>(kSessions));
  EXPECT_EQ(stats.rx_msgs.at(0x0003), static_cast<uint64_t>(kSessions * kEchoesPerSession));
  EXPECT_EQ(stats.tx_msgs.at(0x0004), static_cast<uint64_t>(kSessions * kEchoesPerSession));
}

}  // namespace
}  // namespace nmsp::testing
