#pragma once
// The controller's counters and per-session status, shared between the I/O thread (writes)
// and the operator commands (reads, any thread). One mutex; every access is short.

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "surface/controller_control.h"

namespace nmsp::controller {

class ControllerState {
 public:
  template <class F>
  void updateStats(F&& f) {
    std::lock_guard lock(mu_);
    f(stats_);
  }
  /// f(MseSessionStatus&, ControllerStatistics&); no-op if the session is gone.
  template <class F>
  void updateSession(uint32_t id, F&& f) {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(id); it != sessions_.end()) {
      f(it->second, stats_);
    }
  }
  void addSession(const surface::MseSessionStatus& status);
  void removeSession(uint32_t id);

  surface::ControllerStatistics statistics() const;
  std::vector<surface::MseSessionStatus> sessions() const;

 private:
  mutable std::mutex mu_;
  surface::ControllerStatistics stats_;
  std::map<uint32_t, surface::MseSessionStatus> sessions_;
};

}  // namespace nmsp::controller
