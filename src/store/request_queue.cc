#include "store/request_queue.h"

namespace nmsp::store {

void RequestQueue::push(Request request) {
  std::optional<StoreError> refusal;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      refusal = StoreError{StoreError::Code::Closed, "the store is closing"};
    } else if (requests_.size() >= limit_) {
      refusal =
          StoreError{StoreError::Code::Busy, std::to_string(limit_) + " requests already pending"};
    } else {
      requests_.push_back(std::move(request));
    }
  }
  if (refusal) {
    request.refuse(std::move(*refusal));
  } else {
    cv_.notify_one();
  }
}

std::optional<Request> RequestQueue::tryPop() {
  std::lock_guard lock(mu_);
  if (requests_.empty()) {
    return std::nullopt;
  }
  Request request = std::move(requests_.front());
  requests_.pop_front();
  return request;
}

std::optional<Request> RequestQueue::waitPop() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return closed_ || !requests_.empty(); });
  if (requests_.empty()) {
    return std::nullopt;
  }
  Request request = std::move(requests_.front());
  requests_.pop_front();
  return request;
}

void RequestQueue::close() {
  std::deque<Request> left;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    left.swap(requests_);
  }
  cv_.notify_all();
  for (Request& request : left) {
    request.refuse(StoreError{StoreError::Code::Closed, "the store is closing"});
  }
}

}  // namespace nmsp::store
