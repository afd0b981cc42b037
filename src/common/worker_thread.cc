#include "common/worker_thread.h"

#include <pthread.h>

#include <cstdio>
#include <exception>

namespace nmsp {

WorkerThread::WorkerThread(std::string name, size_t capacity)
    : capacity_(capacity), thread_([this, name = std::move(name)] { run(name); }) {}

WorkerThread::~WorkerThread() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool WorkerThread::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || jobs_.size() >= capacity_) {
      ++refused_;
      return false;
    }
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

uint64_t WorkerThread::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

void WorkerThread::run(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) {
        return;  // stopping, and every queued job has run
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      // Jobs report errors as values; an exception here is a bug, but must not end the thread.
      std::fprintf(stderr, "worker %s: job threw: %s\n", name.c_str(), e.what());
    }
  }
}

}  // namespace nmsp
