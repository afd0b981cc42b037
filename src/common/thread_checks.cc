// The thread rules of common/owner_thread.h and common/blocking.h.
#include <cstdio>
#include <cstdlib>

#include "common/blocking.h"
#include "common/owner_thread.h"

namespace nmsp {
namespace {

thread_local const char* t_no_blocking = nullptr;  // name of the thread that must not block

}  // namespace

bool threadChecksEnabled() {
  return NMSP_THREAD_CHECKS != 0;
}

bool OwnerThread::claim() const {
  const auto me = std::this_thread::get_id();
  auto owner = owner_.load(std::memory_order_acquire);
  if (owner == me) {
    return true;
  }
  if (owner == std::thread::id{}) {
    // Another thread may claim at the same moment: exactly one wins.
    return owner_.compare_exchange_strong(owner, me, std::memory_order_acq_rel) || owner == me;
  }
  return false;
}

void OwnerThread::violation([[maybe_unused]] const char* what) {
  if constexpr (NMSP_THREAD_CHECKS != 0) {
    // A broken thread rule is a bug in our code: say which, then abort (tests, core dumps).
    std::fprintf(stderr, "thread rule broken: %s touched from a thread that does not own it\n",
                 what);
    std::abort();
  }
}

NoBlockingScope::NoBlockingScope(const char* thread_name) : previous_(t_no_blocking) {
  t_no_blocking = thread_name;
}

NoBlockingScope::~NoBlockingScope() {
  t_no_blocking = previous_;
}

bool blockingAllowed() {
  return t_no_blocking == nullptr;
}

void assertBlockingAllowed([[maybe_unused]] const char* what) {
  if constexpr (NMSP_THREAD_CHECKS != 0) {
    if (t_no_blocking != nullptr) {
      std::fprintf(stderr, "thread rule broken: %s on the %s, which must not block\n", what,
                   t_no_blocking);
      std::abort();
    }
  }
}

}  // namespace nmsp
