#pragma once
// NMSP frames over an established TLS stream, shared by both roles. Reads feed a proto::Decoder
// (any fragmentation); writes go through a queue bounded in bytes and drained by one writer
// coroutine, so a slow peer can never make us buffer without limit. Frames can be encoded once
// and shared between sessions (SharedFrame, fan-out). Runs on the stream's executor (one
// thread); its counters (session/counters.h) can be read from any thread.

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/codec.h"
#include "session/counters.h"

namespace nmsp::session {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// An encoded frame (header + payload), immutable, shared by every session that sends it.
using SharedFrame = std::shared_ptr<const std::vector<std::uint8_t>>;

/// What the send queue may do with a frame when it is full (docs/architecture.md "Sessions"):
/// a notification may be dropped (oldest first, counted); requests, responses and errors
/// (control) never are.
enum class SendClass { control, notification };

/// Why reading stopped. Anything a peer can cause ends up here, never as an exception.
struct ChannelError {
  enum class Kind {
    Closed,      // orderly close or EOF
    Timeout,     // no frame within the timeout
    Malformed,   // the peer sent bytes the codec rejects (see `codec`)
    TlsAlert,    // the peer sent a TLS alert (see `alert`, e.g. 46 certificate unknown)
    Io,          // socket error
    Overloaded,  // our send queue is full (peer not reading)
  };
  Kind kind = Kind::Closed;
  std::string detail;                      // human-readable cause for logs and `show` output
  std::optional<proto::CodecError> codec;  // for Malformed
  /// For Malformed: the offending frame's header ids, when its 12 header bytes arrived.
  std::optional<proto::Decoder::HeaderIds> header;
  int alert = -1;  // for TlsAlert: the TLS alert description number
};

/// The send queue's default bound: 4 MiB of encoded frames per session.
inline constexpr size_t kDefaultMaxQueuedBytes = 4 * 1024 * 1024;

struct ChannelOptions {
  proto::DecoderOptions decoder;
  proto::EncoderOptions encoder;
  /// Send queue bound in bytes (encoded frames not yet handed to TLS). When a frame does not
  /// fit, the oldest queued notifications are dropped (counted in notifications_dropped); if
  /// control frames alone exceed it, the channel ends with Overloaded.
  size_t max_queued_bytes = kDefaultMaxQueuedBytes;
  std::chrono::milliseconds write_timeout{10000};
  /// close(): how long to wait for the peer's close_notify after sending ours.
  std::chrono::milliseconds shutdown_timeout{1000};
};

/// "closed", "timeout", "malformed", "tls-alert", "io", "overloaded" (logs, `show` output).
std::string_view channelErrorKindName(ChannelError::Kind kind);

class FrameChannel : public std::enable_shared_from_this<FrameChannel> {
 public:
  FrameChannel(std::shared_ptr<TlsStream> stream, ChannelOptions options = {});

  /// Waits for the next frame, at most `timeout`. After an error the channel is finished for
  /// reading (every later read returns the same error). After Malformed and Timeout the channel
  /// can still send (e.g. Error(MalformedFrame)) before close(), and so it can after interrupt();
  /// after Closed (by the peer), TlsAlert, Io and Overloaded it cannot. Frames decoded before a
  /// malformed one are delivered first. One read at a time.
  boost::asio::awaitable<Result<proto::Frame, ChannelError>> read(
      std::chrono::milliseconds timeout);

  /// Encodes and queues `frame` (starts the writer if idle); its class follows the catalogue
  /// (notification messages: SendClass::notification, all others: control). Returns false and
  /// counts a drop if the channel is closed or the frame does not fit (see sendEncoded); an
  /// encode error is a bug and returns false too.
  bool send(const proto::Frame& frame);

  /// Queues an already encoded frame (one complete frame, as proto::Encoder writes it); the
  /// bytes are shared, not copied, until the writer coalesces them into a TLS write. When the
  /// queue's bytes would exceed max_queued_bytes, the oldest queued notifications are dropped
  /// and counted until the frame fits; a notification that still does not fit is dropped
  /// itself (false). A control frame that still does not fit ends the channel: the pending
  /// read returns Overloaded (the peer is not reading).
  bool sendEncoded(SharedFrame bytes, SendClass send_class);

  /// Ends reading without touching the socket: a pending (or the next) read returns Closed with
  /// `reason`, so the owner can still send a last frame (e.g. Error(Shutdown)) and close().
  void interrupt(std::string reason);

  /// Flushes queued frames (bounded by write_timeout), sends TLS close_notify, closes the socket.
  /// Safe to call more than once and after any error.
  boost::asio::awaitable<void> close();

  /// A copy of the counters (any thread).
  CountersSnapshot counters() const { return snapshot(*counters_); }
  /// The live counters, for owners that publish them (read from any thread).
  std::shared_ptr<const SessionCounters> sharedCounters() const { return counters_; }
  /// Also counts this channel's frames in `totals` (e.g. the controller's global counters).
  void addTotals(std::shared_ptr<SessionCounters> totals) { totals_ = std::move(totals); }
  /// Counts a frame the owner did not take (unknown id, wrong direction): the "unsupported"
  /// figure of this channel and its totals.
  void countUnsupported();
  TlsStream& stream() { return *stream_; }
  bool isOpen() const { return open_; }
  /// Frames waiting in the send queue (not yet handed to TLS).
  size_t queuedFrames() const { return send_queue_.size(); }
  /// Bytes the queue bound counts: the queued frames and those of the TLS write in progress.
  size_t queuedBytes() const { return queued_bytes_; }
  /// The error that ended reading, if any.
  const std::optional<ChannelError>& failure() const { return failure_; }

 private:
  // Collects what the decoder delivers; read() hands frames out one by one.
  struct FrameSink : proto::DecoderCallbacks {
    std::deque<proto::Frame> frames;
    void onFrame(proto::Frame&& frame) override { frames.push_back(std::move(frame)); }
  };
  // A queued frame: shared bytes, or (small frames from send(): echoes, most control frames)
  // the bytes themselves, so that queuing them allocates nothing.
  static constexpr size_t kInlineFrameBytes = 64;
  struct Outgoing {
    SharedFrame shared;
    std::array<uint8_t, kInlineFrameBytes> inline_bytes{};
    uint16_t inline_size = 0;
    uint16_t message_id = 0;
    SendClass send_class = SendClass::control;
    std::span<const uint8_t> bytes() const {
      return shared ? std::span<const uint8_t>(*shared)
                    : std::span<const uint8_t>(inline_bytes.data(), inline_size);
    }
  };
  bool enqueue(Outgoing&& item);

  boost::asio::awaitable<void> writeLoop(std::shared_ptr<FrameChannel> self);
  // Records the first error, stops sending if the stream is no longer usable, and cancels
  // pending socket operations when `cancel_io` so a blocked read or write returns.
  void fail(ChannelError error, bool cancel_io);
  void syncDecoderStats();
  // Drops queued notifications, oldest first, until `needed` more bytes fit; true if they do.
  bool makeRoom(size_t needed);
  template <class F>
  void count(F&& f) {
    f(*counters_);
    if (totals_) {
      f(*totals_);
    }
  }

  std::shared_ptr<TlsStream> stream_;
  ChannelOptions options_;
  std::shared_ptr<SessionCounters> counters_ = std::make_shared<SessionCounters>();
  std::shared_ptr<SessionCounters> totals_;
  uint64_t decoder_unknown_messages_ = 0;  // decoder stats already added to the counters
  uint64_t decoder_unknown_attributes_ = 0;
  bool open_ = true;
  FrameSink sink_;
  proto::Decoder decoder_;
  proto::Encoder encoder_;
  std::optional<ChannelError> failure_;
  std::deque<Outgoing> send_queue_;
  size_t queued_bytes_ = 0;
  std::vector<uint16_t> in_flight_;  // message ids of the frames in the current TLS write
  bool writing_ = false;
  bool closed_ = false;
  boost::asio::steady_timer writer_idle_;  // cancelled when the writer drains (close() waits)
  boost::asio::steady_timer* read_timer_ = nullptr;  // the pending read's deadline, if any
  std::optional<std::string> interrupted_;           // set by interrupt()
  std::array<uint8_t, 16 * 1024> read_buffer_{};
  static constexpr size_t kMaxWriteBatchBytes = 64 * 1024;
  std::vector<uint8_t> write_batch_;     // queued frames coalesced into one write
  std::vector<uint8_t> encode_scratch_;  // send() encodes here (capacity kept)
};

}  // namespace nmsp::session
