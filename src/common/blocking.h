#pragma once
// A daemon's io thread never waits: not for a disk (fsync), not for another thread, not for a
// lock held across I/O. The io thread says so with a NoBlockingScope around io_context::run();
// operations that block call assertBlockingAllowed(), which aborts on such a thread in checked
// builds (see common/owner_thread.h) and does nothing elsewhere.

namespace nmsp {

/// Marks the calling thread as one that must not block, for the scope's lifetime.
class NoBlockingScope {
 public:
  explicit NoBlockingScope(const char* thread_name);
  ~NoBlockingScope();
  NoBlockingScope(const NoBlockingScope&) = delete;
  NoBlockingScope& operator=(const NoBlockingScope&) = delete;

 private:
  const char* previous_;
};

/// False inside a NoBlockingScope.
bool blockingAllowed();
/// Called by an operation that blocks (`what`: "fsync", "a wait for another thread").
void assertBlockingAllowed(const char* what);

}  // namespace nmsp
