#pragma once
// NMSP frames over an established TLS stream, shared by both roles. Reads feed a proto::Decoder
// (any fragmentation); writes go through a bounded queue drained by one writer coroutine, so a
// slow peer can never make us buffer without limit. Runs on the stream's executor (one thread).

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/codec.h"

namespace nmsp::session {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

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
  int alert = -1;                          // for TlsAlert: the TLS alert description number
};

struct ChannelCounters {
  uint64_t tx_frames = 0;
  uint64_t rx_frames = 0;
  uint64_t tx_bytes = 0;
  uint64_t rx_bytes = 0;
  uint64_t unknown_messages = 0;
  uint64_t unknown_attributes = 0;
  uint64_t send_queue_drops = 0;
  std::map<uint16_t, uint64_t> tx_msgs;  // per message id
  std::map<uint16_t, uint64_t> rx_msgs;
};

struct ChannelOptions {
  proto::DecoderOptions decoder;
  proto::EncoderOptions encoder;
  size_t max_queued_frames = 1024;  // send queue bound
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

  /// Encodes and queues `frame` (starts the writer if idle). Returns false and counts a drop if
  /// the queue is full or the channel is closed; an encode error is a bug and returns false too.
  /// A full queue (peer not reading) also ends the channel: the pending read returns Overloaded.
  bool send(const proto::Frame& frame);

  /// Ends reading without touching the socket: a pending (or the next) read returns Closed with
  /// `reason`, so the owner can still send a last frame (e.g. Error(Shutdown)) and close().
  void interrupt(std::string reason);

  /// Flushes queued frames (bounded by write_timeout), sends TLS close_notify, closes the socket.
  /// Safe to call more than once and after any error.
  boost::asio::awaitable<void> close();

  const ChannelCounters& counters() const { return counters_; }
  TlsStream& stream() { return *stream_; }
  bool isOpen() const { return open_; }
  /// Frames waiting in the send queue (not yet fully written).
  size_t queuedFrames() const { return send_queue_.size(); }
  /// The error that ended reading, if any.
  const std::optional<ChannelError>& failure() const { return failure_; }

 private:
  // Collects what the decoder delivers; read() hands frames out one by one.
  struct FrameSink : proto::DecoderCallbacks {
    std::deque<proto::Frame> frames;
    void onFrame(proto::Frame&& frame) override { frames.push_back(std::move(frame)); }
  };
  struct Outgoing {
    uint16_t message_id = 0;
    std::vector<uint8_t> bytes;
  };

  boost::asio::awaitable<void> writeLoop(std::shared_ptr<FrameChannel> self);
  // Records the first error, stops sending if the stream is no longer usable, and cancels
  // pending socket operations when `cancel_io` so a blocked read or write returns.
  void fail(ChannelError error, bool cancel_io);
  void syncDecoderStats();

  std::shared_ptr<TlsStream> stream_;
  ChannelOptions options_;
  ChannelCounters counters_;
  bool open_ = true;
  FrameSink sink_;
  proto::Decoder decoder_;
  proto::Encoder encoder_;
  std::optional<ChannelError> failure_;
  std::deque<Outgoing> send_queue_;
  bool writing_ = false;
  bool closed_ = false;
  boost::asio::steady_timer writer_idle_;  // cancelled when the writer drains (close() waits)
  boost::asio::steady_timer* read_timer_ = nullptr;  // the pending read's deadline, if any
  std::optional<std::string> interrupted_;           // set by interrupt()
  std::array<uint8_t, 16 * 1024> read_buffer_{};
  static constexpr size_t kMaxWriteBatchBytes = 64 * 1024;
  std::vector<uint8_t> write_batch_;  // queued frames coalesced into one write
};

}  // namespace nmsp::session
