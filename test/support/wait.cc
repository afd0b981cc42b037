#include "wait.h"

#include <thread>

namespace nmsp::test_support {

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             const std::function<void()>& step) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    if (step) {
      step();
    } else {
      std::this_thread::sleep_for(kPollInterval);
    }
  }
  return true;
}

}  // namespace nmsp::test_support
