#pragma once
// Which thread owns a piece of state (docs/architecture.md, "Threading model"): a daemon's role
// state belongs to its io thread, a persisted store to the persistence worker, and no other
// thread touches it. The first thread that checks becomes the owner; in checked builds
// (NMSP_THREAD_CHECKS: debug and test builds) a check from another thread aborts, naming the
// state, so that a test or a sanitizer run points at the culprit.

#include <atomic>
#include <thread>

namespace nmsp {

class OwnerThread {
 public:
  OwnerThread() = default;
  // A copied or moved-to object starts without an owner: it is handed to its owner next.
  OwnerThread(const OwnerThread& /*other*/) noexcept {}
  OwnerThread& operator=(const OwnerThread& /*other*/) noexcept { return *this; }

  /// True on the owner thread; an object without an owner becomes the calling thread's.
  bool claim() const;
  /// True only on the owner thread (never claims).
  bool isOwner() const {
    return owner_.load(std::memory_order_acquire) == std::this_thread::get_id();
  }
  /// claim(); when another thread owns the state, checked builds abort naming `what`.
  void assertOnOwner(const char* what) const {
    if (!claim()) {
      violation(what);
    }
  }

 private:
  static void violation(const char* what);
  mutable std::atomic<std::thread::id> owner_{};
};

/// Whether this build aborts on a broken thread rule (OwnerThread, assertBlockingAllowed).
bool threadChecksEnabled();

}  // namespace nmsp
