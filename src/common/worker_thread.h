#pragma once
// One thread that runs jobs in the order they were posted: the home of slow work (file writes
// with fsync today, database calls later) that must never run on an io thread. The queue is
// bounded: post() refuses a job while `capacity` jobs wait, counts the refusal, and the caller
// reports it (an operator's change is then not made). The destructor runs the jobs already
// queued, then joins the thread.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace nmsp {

class WorkerThread {
 public:
  static constexpr size_t kDefaultCapacity = 64;
  /// `name` shows in ps/top/gdb (at most 15 characters are kept).
  explicit WorkerThread(std::string name, size_t capacity = kDefaultCapacity);
  ~WorkerThread();
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  /// Queues `job`; false (and counted) when the queue is full or the worker is stopping.
  [[nodiscard]] bool post(std::function<void()> job);
  /// True on the worker's own thread.
  bool onWorker() const { return std::this_thread::get_id() == thread_.get_id(); }
  /// Jobs refused since start (queue full).
  uint64_t refused() const;

 private:
  void run(const std::string& name);

  const size_t capacity_;
  mutable std::mutex mu_;  // guards the queue handed between threads, never held by a job
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  uint64_t refused_ = 0;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace nmsp
