#pragma once
// Tests call the store's asynchronous API and wait for its one reply (with a deadline).

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "store/store.h"

namespace nmsp::store {

/// Calls `call(reply)` and returns what the reply received; a failed test (and a Timeout
/// error) if it never came within `limit`.
template <class T, class Call>
Result<T, StoreError> awaitReply(Call call, std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto promise = std::make_shared<std::promise<Result<T, StoreError>>>();
  auto future = promise->get_future();
  call([promise](Result<T, StoreError> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "no reply from the store";
    return Unexpected{StoreError{StoreError::Code::Timeout, "no reply"}};
  }
  return future.get();
}

}  // namespace nmsp::store
