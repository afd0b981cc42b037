#include "controller/controller_state.h"

namespace nmsp::controller {

void ControllerState::addSession(const surface::MseSessionStatus& status) {
  std::lock_guard lock(mu_);
  sessions_[status.connection_id] = status;
}

void ControllerState::removeSession(uint32_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

surface::ControllerStatistics ControllerState::statistics() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::vector<surface::MseSessionStatus> ControllerState::sessions() const {
  std::lock_guard lock(mu_);
  std::vector<surface::MseSessionStatus> out;
  out.reserve(sessions_.size());
  for (const auto& [id, status] : sessions_) {
    out.push_back(status);
  }
  return out;
}

}  // namespace nmsp::controller
