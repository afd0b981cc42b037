#pragma once
// Requests for a store thread (the reader's reads, the writer's operator writes): bounded, in
// order, each with a deadline and exactly one answer, either run() or refuse().

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/sql_connection.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace nmsp::store {

struct Request {
  SteadyClock::time_point deadline;
  /// Answers with the outcome; true if the connection was found lost (connect again).
  std::function<bool(sql::Connection&)> run;
  std::function<void(StoreError)> refuse;  // answers without running
};

/// A Request that runs `op` (sql::DbResult<T>(sql::Connection&)) and replies with its result;
/// `transaction`: inside a write transaction.
template <class T, class Op>
Request makeRequest(SteadyClock::time_point deadline, Op op, Reply<T> reply, bool transaction) {
  auto shared = std::make_shared<Reply<T>>(std::move(reply));
  return Request{deadline,
                 [op = std::move(op), shared, transaction](sql::Connection& c) {
                   auto result = transaction ? sql::inTransaction(c, [&] { return op(c); }) : op(c);
                   if (!result) {
                     const bool lost = result.error().connection_lost;
                     (*shared)(Unexpected{
                         StoreError{lost ? StoreError::Code::Unavailable : StoreError::Code::Failed,
                                    result.error().message}});
                     return lost;
                   }
                   if constexpr (std::is_void_v<T>) {
                     (*shared)(Result<void, StoreError>());
                   } else {
                     (*shared)(std::move(*result));
                   }
                   return false;
                 },
                 [shared](StoreError error) { (*shared)(Unexpected{std::move(error)}); }};
}

class RequestQueue {
 public:
  explicit RequestQueue(size_t limit) : limit_(limit) {}

  /// Queues `request`, or refuses it at once (Busy when full, Closed after close()).
  void push(Request request);
  std::optional<Request> tryPop();
  /// Waits for a request; nullopt once closed and empty.
  std::optional<Request> waitPop();
  /// Refuses every request still queued and all later ones with Code::Closed.
  void close();

 private:
  const size_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Request> requests_;
  bool closed_ = false;
};

}  // namespace nmsp::store
