#pragma once
// Runs a job on the thread that owns what it touches and waits, at most `timeout`, for its
// result: how an operator command (on the shell's thread) reaches a daemon's io thread or its
// persistence worker. Every wait has a timeout; waiting is blocking, so it is refused on a
// thread that must not block (common/blocking.h).

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "common/blocking.h"
#include "common/result.h"
#include "common/worker_thread.h"

namespace nmsp {

/// `post(std::function<void()>)` hands the job to its thread and returns false if refused.
/// The job must own everything it uses (capture by value): after a timeout it still runs later.
/// Errors name `who`: "<who> is busy; try again", "no answer from <who> within 10 s".
template <class T, class Post>
Result<T, std::string> callAndWait(Post&& post, std::function<Result<T, std::string>()> job,
                                   std::chrono::milliseconds timeout, std::string_view who) {
  assertBlockingAllowed("a wait for another thread");
  auto promise = std::make_shared<std::promise<Result<T, std::string>>>();
  auto future = promise->get_future();
  // Only the job holds the promise: a job dropped unrun breaks it and ends the wait at once.
  const bool posted =
      post(std::function<void()>([promise = std::move(promise), job = std::move(job)] {
        try {
          promise->set_value(job());
        } catch (...) {
          promise->set_exception(std::current_exception());
        }
      }));
  if (!posted) {
    return Unexpected{std::string(who) + " is busy; try again"};
  }
  if (future.wait_for(timeout) != std::future_status::ready) {
    const auto ms = timeout.count();
    return Unexpected{
        "no answer from " + std::string(who) + " within " +
        (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms")};
  }
  try {
    return future.get();
  } catch (const std::future_error&) {  // the job was dropped unrun (its thread has ended)
    return Unexpected{std::string(who) + " has stopped"};
  } catch (const std::exception& e) {
    return Unexpected{std::string(who) + " failed: " + e.what()};
  }
}

/// The same, on a WorkerThread (a full queue refuses the job).
template <class T>
Result<T, std::string> callAndWait(WorkerThread& worker,
                                   std::function<Result<T, std::string>()> job,
                                   std::chrono::milliseconds timeout, std::string_view who) {
  return callAndWait<T>([&worker](std::function<void()> f) { return worker.post(std::move(f)); },
                        std::move(job), timeout, who);
}

}  // namespace nmsp
