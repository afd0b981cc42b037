// The thread rules of src/common: an owner thread per piece of state, no blocking on an io
// thread, the bounded persistence worker and the bounded cross-thread call.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/blocking.h"
#include "common/call_and_wait.h"
#include "common/owner_thread.h"
#include "common/worker_thread.h"

namespace nmsp {
namespace {

using namespace std::chrono_literals;

TEST(OwnerThread, TheFirstThreadToCheckOwnsTheState) {
  OwnerThread owner;
  EXPECT_FALSE(owner.isOwner());  // asking does not claim
  owner.assertOnOwner("state");
  EXPECT_TRUE(owner.isOwner());
  bool other_claims = true;
  bool other_owns = true;
  std::thread([&] {
    other_claims = owner.claim();
    other_owns = owner.isOwner();
  }).join();
  EXPECT_FALSE(other_claims);
  EXPECT_FALSE(other_owns);
  OwnerThread copy(owner);  // a copy is handed to a new owner
  std::thread([&] { other_claims = copy.claim(); }).join();
  EXPECT_TRUE(other_claims);
}

TEST(OwnerThreadDeathTest, TouchingStateFromAnotherThreadAborts) {
  if (!threadChecksEnabled()) {
    GTEST_SKIP() << "built without NMSP_THREAD_CHECKS";
  }
  EXPECT_DEATH(
      {
        OwnerThread owner;
        owner.assertOnOwner("the test's state");
        std::thread([&] { owner.assertOnOwner("the test's state"); }).join();
      },
      "thread rule broken: the test's state touched from a thread that does not own it");
}

TEST(NoBlockingScope, MarksOnlyItsThreadForItsLifetime) {
  EXPECT_TRUE(blockingAllowed());
  {
    const NoBlockingScope scope("test io thread");
    EXPECT_FALSE(blockingAllowed());
    bool elsewhere = false;
    std::thread([&] { elsewhere = blockingAllowed(); }).join();
    EXPECT_TRUE(elsewhere);
  }
  EXPECT_TRUE(blockingAllowed());
}

TEST(NoBlockingScopeDeathTest, WaitingOnANonBlockingThreadAborts) {
  if (!threadChecksEnabled()) {
    GTEST_SKIP() << "built without NMSP_THREAD_CHECKS";
  }
  EXPECT_DEATH(
      {
        WorkerThread worker("test-worker");
        const NoBlockingScope scope("test io thread");
        (void)callAndWait<int>(
            worker, [] { return Result<int, std::string>(1); }, 1s, "worker");
      },
      "thread rule broken: a wait for another thread on the test io thread, which must not block");
}

TEST(WorkerThread, RunsJobsInOrderOffTheCallersThread) {
  std::vector<int> order;
  std::thread::id ran_on;
  {
    WorkerThread worker("test-worker");
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(worker.post([&order, i] { order.push_back(i); }));
    }
    ASSERT_TRUE(worker.post([&] { ran_on = std::this_thread::get_id(); }));
  }  // the destructor runs what is queued, then joins
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(WorkerThread, AFullQueueRefusesAndCounts) {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  WorkerThread worker("test-worker", /*capacity=*/2);
  std::promise<void> started;
  ASSERT_TRUE(worker.post([&] {
    started.set_value();
    opened.wait();
  }));
  started.get_future().wait();  // the blocking job runs; the queue is empty again
  EXPECT_TRUE(worker.post([] {}));
  EXPECT_TRUE(worker.post([] {}));
  EXPECT_FALSE(worker.post([] {}));
  EXPECT_EQ(worker.refused(), 1u);
  gate.set_value();
}

TEST(CallAndWait, ReturnsTheJobsResultOrItsError) {
  WorkerThread worker("test-worker");
  auto value = callAndWait<int>(
      worker, [] { return Result<int, std::string>(42); }, 1s, "the worker");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, 42);
  auto error = callAndWait<void>(
      worker, []() -> Result<void, std::string> { return Unexpected{std::string("no")}; }, 1s,
      "the worker");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error(), "no");
}

TEST(CallAndWait, EveryWaitEndsAtItsTimeoutAndTheJobStillRuns) {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  WorkerThread worker("test-worker");
  ASSERT_TRUE(worker.post([opened] { opened.wait(); }));  // a disk that does not answer
  auto ran = std::make_shared<std::promise<void>>();
  auto result = callAndWait<void>(
      worker,
      [ran]() -> Result<void, std::string> {
        ran->set_value();
        return {};
      },
      50ms, "the disk writer");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), "no answer from the disk writer within 50 ms");
  gate.set_value();
  EXPECT_EQ(ran->get_future().wait_for(5s), std::future_status::ready);
}

// What a call reports when `post` refuses the job, or accepts it and drops it unrun (as an
// io_context that stopped drops its queue).
std::string failedCall(bool accepted) {
  auto result = callAndWait<void>(
      [accepted](std::function<void()>) { return accepted; },
      std::function<Result<void, std::string>()>([] { return Result<void, std::string>{}; }), 1s,
      "the worker");
  return result ? "ok" : result.error();
}

TEST(CallAndWait, ARefusedOrDroppedJobIsAnError) {
  EXPECT_EQ(failedCall(/*accepted=*/false), "the worker is busy; try again");
  EXPECT_EQ(failedCall(/*accepted=*/true), "the worker has stopped");
}

}  // namespace
}  // namespace nmsp
