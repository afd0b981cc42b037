#pragma once
// The one deadline idiom of both roles for a pending asynchronous step (resolve, connect, TLS
// handshake): when it expires it runs `on_expiry` (which cancels the resolver or closes or
// cancels the socket), so the pending operation completes with an error and the caller checks
// expired() to name the timeout. Works with any operation, including ones without
// per-operation cancellation support. Single-threaded use on one executor. (FrameChannel's
// read and write timeouts are the same idea inside the channel.)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace nmsp::transport {

class Deadline {
 public:
  Deadline(const boost::asio::any_io_executor& executor, std::chrono::milliseconds timeout,
           std::function<void()> on_expiry)
      : state_(std::make_shared<State>(executor, std::move(on_expiry))) {
    state_->timer.expires_after(timeout);
    state_->timer.async_wait([state = state_](const boost::system::error_code& ec) {
      // `armed` guards against a completion already queued when the step finished in time.
      if (!ec && state->armed) {
        state->expired = true;
        state->on_expiry();
      }
    });
  }
  ~Deadline() {
    state_->armed = false;
    state_->timer.cancel();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() const { return state_->expired; }

 private:
  struct State {
    State(const boost::asio::any_io_executor& executor, std::function<void()> fn)
        : timer(executor), on_expiry(std::move(fn)) {}
    boost::asio::steady_timer timer;
    std::function<void()> on_expiry;
    bool armed = true;
    bool expired = false;
  };
  std::shared_ptr<State> state_;
};

}  // namespace nmsp::transport
