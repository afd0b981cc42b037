#include "session/frame_channel.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <algorithm>
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
  const auto& stats = decoder_.stats();
  const uint64_t messages = stats.unknown_messages - decoder_unknown_messages_;
  const uint64_t attributes = stats.unknown_attributes - decoder_unknown_attributes_;
  decoder_unknown_messages_ = stats.unknown_messages;
  decoder_unknown_attributes_ = stats.unknown_attributes;
  if (messages != 0 || attributes != 0) {
    count([&](SessionCounters& c) {
      c.unknown_messages.add(messages);
      c.unknown_attributes.add(attributes);
    });
  }
}

void FrameChannel::countUnsupported() {
  count([](SessionCounters& c) { c.unsupported.add(); });
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
    count([n = n](SessionCounters& c) { c.rx_bytes.add(n); });
    const size_t before = sink_.frames.size();
    auto status = decoder_.decode(std::span<const uint8_t>(read_buffer_.data(), n));
    for (size_t i = before; i < sink_.frames.size(); ++i) {
      const uint16_t id = proto::messageIdOf(sink_.frames[i].message);
      count([id](SessionCounters& c) {
        c.rx_frames.add();
        c.rx.count(id);
      });
    }
    syncDecoderStats();
    if (!status) {
      ChannelError error = makeError(ChannelError::Kind::Malformed, status.error().toString());
      error.codec = status.error();
      error.header = decoder_.failedHeader();
      fail(std::move(error), false);
    }
  }
}

bool FrameChannel::send(const proto::Frame& frame) {
  const uint16_t id = proto::messageIdOf(frame.message);
  const proto::MessageInfo* info = proto::findMessage(id);
  const SendClass send_class = info != nullptr && info->kind == proto::MessageKind::Notification
                                   ? SendClass::notification
                                   : SendClass::control;
  if (!open_ || closed_) {
    count([](SessionCounters& c) { c.send_drops.add(); });
    return false;
  }
  encode_scratch_.clear();
  if (auto status = encoder_.encode(frame, encode_scratch_); !status) {
    count([](SessionCounters& c) { c.send_drops.add(); });
    return false;
  }
  Outgoing item;
  item.message_id = id;
  item.send_class = send_class;
  if (encode_scratch_.size() <= kInlineFrameBytes) {
    std::copy(encode_scratch_.begin(), encode_scratch_.end(), item.inline_bytes.begin());
    item.inline_size = static_cast<uint16_t>(encode_scratch_.size());
  } else {
    item.shared = std::make_shared<const std::vector<uint8_t>>(encode_scratch_);
  }
  return enqueue(std::move(item));
}

bool FrameChannel::makeRoom(size_t needed) {
  auto it = send_queue_.begin();
  while (queued_bytes_ + needed > options_.max_queued_bytes && it != send_queue_.end()) {
    if (it->send_class != SendClass::notification) {
      ++it;
      continue;
    }
    queued_bytes_ -= it->bytes().size();
    it = send_queue_.erase(it);
    count([](SessionCounters& c) { c.notifications_dropped.add(); });
  }
  return queued_bytes_ + needed <= options_.max_queued_bytes;
}

bool FrameChannel::sendEncoded(SharedFrame bytes, SendClass send_class) {
  if (!open_ || closed_ || !bytes || bytes->size() < proto::kHeaderSize) {
    count([](SessionCounters& c) { c.send_drops.add(); });
    return false;
  }
  Outgoing item;
  item.message_id = static_cast<uint16_t>((*bytes)[2] << 8 | (*bytes)[3]);
  item.send_class = send_class;
  item.shared = std::move(bytes);
  return enqueue(std::move(item));
}

bool FrameChannel::enqueue(Outgoing&& item) {
  const size_t size = item.bytes().size();
  if (!makeRoom(size)) {
    if (item.send_class == SendClass::notification) {
      count([](SessionCounters& c) { c.notifications_dropped.add(); });
      return false;
    }
    count([](SessionCounters& c) { c.send_drops.add(); });
    fail(makeError(ChannelError::Kind::Overloaded,
                   fmt::format("send queue full ({} bytes of requests and responses, bound {}): "
                               "peer is not reading",
                               queued_bytes_ + size, options_.max_queued_bytes)),
         true);
    return false;
  }
  queued_bytes_ += size;
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
    // The batched frames leave the queue now: the queue holds only frames not yet written.
    write_batch_.clear();
    in_flight_.clear();
    while (!send_queue_.empty()) {
      const Outgoing& item = send_queue_.front();
      const auto bytes = item.bytes();
      if (!in_flight_.empty() && write_batch_.size() + bytes.size() > kMaxWriteBatchBytes) {
        break;
      }
      write_batch_.insert(write_batch_.end(), bytes.begin(), bytes.end());
      in_flight_.push_back(item.message_id);
      send_queue_.pop_front();  // its bytes stay in queued_bytes_ until the write completes
    }
    // Tx counts a frame when it is handed to TLS (docs/protocol.md section 10): before the
    // write completes, so a peer that has read it always finds it counted.
    count([&](SessionCounters& c) {
      c.tx_frames.add(in_flight_.size());
      for (const uint16_t id : in_flight_) {
        c.tx.count(id);
      }
    });
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
    count([n = n](SessionCounters& c) { c.tx_bytes.add(n); });
    queued_bytes_ -= write_batch_.size();
  }
  if (!open_) {
    send_queue_.clear();
    queued_bytes_ = 0;
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
