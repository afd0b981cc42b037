#include "session/frame_channel.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "transport/tls_errors.h"

namespace nmsp::session {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using std::chrono::steady_clock;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

ChannelError makeError(ChannelError::Kind kind, std::string detail) {
  ChannelError error;
  error.kind = kind;
  error.detail = std::move(detail);
  return error;
}

// Maps a socket/TLS error to the channel's vocabulary (never throws).
ChannelError classify(const boost::system::error_code& ec) {
  if (auto alert = transport::receivedAlert(ec)) {
    ChannelError error = makeError(
        ChannelError::Kind::TlsAlert,
        fmt::format("peer sent TLS alert {} ({})", *alert, SSL_alert_desc_string_long(*alert)));
    error.alert = *alert;
    return error;
  }
  if (ec == asio::error::eof) {
    return makeError(ChannelError::Kind::Closed, "peer closed the connection");
  }
  if (ec == asio::ssl::error::stream_truncated) {
    return makeError(ChannelError::Kind::Closed,
                     "peer closed the TCP connection without TLS close_notify");
  }
  return makeError(ChannelError::Kind::Io, transport::errorString(ec));
}

}  // namespace

std::string_view channelErrorKindName(ChannelError::Kind kind) {
  switch (kind) {
    case ChannelError::Kind::Closed:
      return "closed";
    case ChannelError::Kind::Timeout:
      return "timeout";
    case ChannelError::Kind::Malformed:
      return "malformed";
    case ChannelError::Kind::TlsAlert:
      return "tls-alert";
    case ChannelError::Kind::Io:
      return "io";
    case ChannelError::Kind::Overloaded:
      return "overloaded";
  }
  return "unknown";
}

FrameChannel::FrameChannel(std::shared_ptr<TlsStream> stream, ChannelOptions options)
    : stream_(std::move(stream)),
      options_(options),
      decoder_(sink_, options.decoder),
      encoder_(options.encoder),
      writer_idle_(stream_->get_executor()) {
  // Frames are small and often answer each other (Init, Echo): without TCP_NODELAY, Nagle's
  // algorithm and the peer's delayed ACK hold each one back ~40 ms on Linux.
  boost::system::error_code ignored;
  stream_->lowest_layer().set_option(asio::ip::tcp::no_delay(true), ignored);
}

void FrameChannel::fail(ChannelError error, bool cancel_io) {
  if (!failure_) {
    failure_ = std::move(error);
  }
  // After a malformed frame, a read timeout or interrupt() the TLS stream itself is still
  // sound, so the owner may still send an Error frame; every other failure leaves nothing to
  // send on.
  const auto kind = failure_->kind;
  if (kind != ChannelError::Kind::Malformed && kind != ChannelError::Kind::Timeout &&
      !interrupted_) {
    open_ = false;
  }
  if (cancel_io) {
    boost::system::error_code ignored;
    stream_->lowest_layer().cancel(ignored);
  }
}

void FrameChannel::syncDecoderStats() {
  counters_.unknown_messages = decoder_.stats().unknown_messages;
  counters_.unknown_attributes = decoder_.stats().unknown_attributes;
}

asio::awaitable<Result<proto::Frame, ChannelError>> FrameChannel::read(
    std::chrono::milliseconds timeout) {
  auto self = shared_from_this();  // the channel outlives this read even if its owner lets go
  const auto deadline = steady_clock::now() + timeout;
  asio::steady_timer timer(stream_->get_executor());
  for (;;) {
    if (!sink_.frames.empty()) {
      proto::Frame frame = std::move(sink_.frames.front());
      sink_.frames.pop_front();
      co_return frame;
    }
    if (failure_) {
      co_return Unexpected{*failure_};
    }
    if (closed_) {
      co_return Unexpected{makeError(ChannelError::Kind::Closed, "channel closed locally")};
    }
    if (interrupted_) {
      fail(makeError(ChannelError::Kind::Closed, *interrupted_), false);
      continue;
    }
    timer.expires_at(deadline);
    read_timer_ = &timer;
    auto outcome = co_await (stream_->async_read_some(asio::buffer(read_buffer_), kNoThrow) ||
                             timer.async_wait(kNoThrow));
    read_timer_ = nullptr;
    if (outcome.index() == 1 && interrupted_) {
      continue;  // interrupt() cancelled the deadline timer; the loop reports it above
    }
    if (outcome.index() == 1) {
      fail(makeError(ChannelError::Kind::Timeout,
                     fmt::format("no frame within {} ms", timeout.count())),
           false);
      continue;
    }
    auto [ec, n] = std::get<0>(outcome);
    if (ec) {
      // A cancellation we caused ourselves (fail(..., true)) already recorded the reason.
      fail(classify(ec), false);
      continue;
    }
    counters_.rx_bytes += n;
    const size_t before = sink_.frames.size();
    auto status = decoder_.decode(std::span<const uint8_t>(read_buffer_.data(), n));
    for (size_t i = before; i < sink_.frames.size(); ++i) {
      ++counters_.rx_frames;
      ++counters_.rx_msgs[proto::messageIdOf(sink_.frames[i].message)];
    }
    syncDecoderStats();
    if (!status) {
      ChannelError error = makeError(ChannelError::Kind::Malformed, status.error().toString());
      error.codec = status.error();
      fail(std::move(error), false);
    }
  }
}

bool FrameChannel::send(const proto::Frame& frame) {
  if (!open_ || closed_) {
    ++counters_.send_queue_drops;
    return false;
  }
  if (send_queue_.size() >= options_.max_queued_frames) {
    ++counters_.send_queue_drops;
    fail(makeError(ChannelError::Kind::Overloaded,
                   fmt::format("send queue full ({} frames): peer is not reading",
                               options_.max_queued_frames)),
         true);
    return false;
  }
  Outgoing item;
  item.message_id = proto::messageIdOf(frame.message);
  if (auto status = encoder_.encode(frame, item.bytes); !status) {
    ++counters_.send_queue_drops;
    return false;
  }
  send_queue_.push_back(std::move(item));
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(stream_->get_executor(), writeLoop(shared_from_this()), asio::detached);
  }
  return true;
}

asio::awaitable<void> FrameChannel::writeLoop(std::shared_ptr<FrameChannel> /*keep_alive*/) {
  asio::steady_timer timer(stream_->get_executor());
  while (!send_queue_.empty() && open_) {
    // Coalesce what is queued into one write: one SSL_write (full 16 KiB TLS records) and one
    // syscall per batch instead of per frame, which is what a burst of notifications needs.
    write_batch_.clear();
    size_t frames = 0;
    for (const Outgoing& item : send_queue_) {
      if (frames > 0 && write_batch_.size() + item.bytes.size() > kMaxWriteBatchBytes) {
        break;
      }
      write_batch_.insert(write_batch_.end(), item.bytes.begin(), item.bytes.end());
      ++frames;
    }
    timer.expires_after(options_.write_timeout);
    auto outcome = co_await (asio::async_write(*stream_, asio::buffer(write_batch_), kNoThrow) ||
                             timer.async_wait(kNoThrow));
    if (outcome.index() == 1) {
      fail(makeError(ChannelError::Kind::Overloaded,
                     fmt::format("write timed out after {} ms: peer is not reading",
                                 options_.write_timeout.count())),
           true);
      break;
    }
    auto [ec, n] = std::get<0>(outcome);
    if (ec) {
      fail(classify(ec), true);
      break;
    }
    counters_.tx_bytes += n;
    for (size_t i = 0; i < frames; ++i) {
      ++counters_.tx_frames;
      ++counters_.tx_msgs[send_queue_.front().message_id];
      send_queue_.pop_front();
    }
  }
  if (!open_) {
    send_queue_.clear();
  }
  writing_ = false;
  writer_idle_.cancel();
}

void FrameChannel::interrupt(std::string reason) {
  if (interrupted_ || closed_) {
    return;
  }
  interrupted_ = std::move(reason);
  if (read_timer_ != nullptr) {
    read_timer_->cancel();  // wins the race against the socket read, which is then cancelled
  }
}

asio::awaitable<void> FrameChannel::close() {
  auto self = shared_from_this();
  if (closed_) {
    co_return;
  }
  closed_ = true;  // no new frames from now on; queued ones still go out
  const auto deadline = steady_clock::now() + options_.write_timeout;
  while (writing_ && steady_clock::now() < deadline) {
    writer_idle_.expires_at(deadline);
    co_await writer_idle_.async_wait(kNoThrow);
  }
  const bool tls_usable = !failure_ || failure_->kind == ChannelError::Kind::Malformed ||
                          failure_->kind == ChannelError::Kind::Timeout ||
                          failure_->kind == ChannelError::Kind::Closed;
  if (tls_usable && !writing_) {
    asio::steady_timer timer(stream_->get_executor());
    timer.expires_after(options_.shutdown_timeout);
    co_await (stream_->async_shutdown(kNoThrow) || timer.async_wait(kNoThrow));
  }
  open_ = false;
  boost::system::error_code ignored;
  stream_->lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_->lowest_layer().close(ignored);
}

}  // namespace nmsp::session
