#pragma once
// The session core both roles build on: a FrameChannel plus the rules every NMSP session
// shares (docs/protocol.md section 10), in one place. It answers Echo Requests, answers
// unknown requests with Error(UnsupportedMessage) and known messages this role does not take
// (wrong direction, a second Init) with Error(UnexpectedMessage), answers a malformed frame
// with Error(MalformedFrame/FrameTooLarge) carrying the offending header's ids, counts what it
// did not hand on, and dispatches every other message by type to the role's handler.
// Single-threaded: runs on the channel's executor.

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "proto/messages.h"
#include "session/frame_channel.h"

namespace nmsp::session {

enum class Role : uint8_t { Controller, Mse };

/// "controller", "MSE" (error texts, logs).
std::string_view roleName(Role role);

/// True when `role` takes message `id` from its peer (docs/protocol.md section 10): the
/// controller takes Init/Subscribe/Unsubscribe/Measurement/Info/Statistics Requests and Location
/// Notifications, the MSE the matching responses and the other notifications; both take Echo
/// Request/Response and Error.
bool receivedBy(Role role, proto::MessageId id);

/// Rule 9: an Error with reason MalformedFrame, FrameTooLarge, VersionMismatch, ClockSkew or
/// Shutdown is followed by its sender closing, so the receiver closes too.
bool errorEndsSession(proto::ErrorReason reason);

/// A clock skew in whole seconds as both roles word it (docs/protocol.md section 10): the
/// magnitude of `skew_ms`, rounded to the nearest second, halves away from zero (the sign, peer
/// clock minus own, stays in the millisecond figures of the status).
constexpr int64_t skewSeconds(int64_t skew_ms) {
  const int64_t magnitude = skew_ms < 0 ? -skew_ms : skew_ms;
  return (magnitude + 500) / 1000;
}

/// What a handler tells the core after a frame.
enum class Next { Continue, Close };

class SessionCore {
 public:
  /// `clock_ms`: wall clock in ms since the epoch (injectable for tests); empty: system clock.
  SessionCore(std::shared_ptr<FrameChannel> channel, Role role,
              std::function<uint64_t()> clock_ms = {});

  FrameChannel& channel() { return *channel_; }
  const std::shared_ptr<FrameChannel>& sharedChannel() const { return channel_; }
  Role role() const { return role_; }
  uint64_t nowMs() const;

  /// Queues `message` with transaction id `txn` (the request flag follows the catalogue).
  bool send(uint32_t txn, proto::Message message);
  bool sendError(uint32_t txn, proto::ErrorReason reason, uint16_t offending,
                 std::string text = {});

  /// Rule 8: Error(MalformedFrame (2), or FrameTooLarge (6) for frame-too-large) best-effort,
  /// offending-message-id and transaction id copied from the frame's header when its 12 bytes
  /// arrived (0 otherwise). The caller then closes.
  void answerMalformed(const ChannelError& error);
  /// Rule 2: a message before Init completed: Error(UnexpectedMessage (3), its id, its
  /// transaction id). The caller then closes.
  void answerBeforeInit(const proto::Frame& frame, std::string_view expected);
  /// A known message this role does not take (wrong direction, a second Init): counted as
  /// unsupported; answered with Error(UnexpectedMessage) when it carries the REQUEST flag.
  /// Never fatal.
  Next unexpected(const proto::Frame& frame);

  /// Handles one frame of an established session. The core answers what every session answers
  /// the same way; any other message M goes to `handler.on(frame, const M&) -> Next` when the
  /// handler has that overload, else to `handler.onOther(frame)` if it has one (else ignored).
  /// An Echo Request is answered first and then also offered to the handler.
  template <class Handler>
  Next dispatch(const proto::Frame& frame, Handler& handler) {
    return std::visit(
        [&](const auto& m) -> Next {
          using M = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<M, proto::UnknownMessage>) {
            onUnknown(frame, m);
            if constexpr (requires { handler.onUnknown(frame, m); }) {
              handler.onUnknown(frame, m);
            }
            return Next::Continue;
          } else {
            if (!receivedBy(role_, proto::kIdOf<M>)) {
              return unexpected(frame);
            }
            if constexpr (std::is_same_v<M, proto::EchoRequest>) {
              answerEcho(frame, m);
            }
            if constexpr (requires {
                            { handler.on(frame, m) } -> std::same_as<Next>;
                          }) {
              return handler.on(frame, m);
            } else if constexpr (requires { handler.onOther(frame); }) {
              handler.onOther(frame);
              return Next::Continue;
            } else {
              return Next::Continue;
            }
          }
        },
        frame.message);
  }

 private:
  void answerEcho(const proto::Frame& frame, const proto::EchoRequest& request);
  void onUnknown(const proto::Frame& frame, const proto::UnknownMessage& message);

  std::shared_ptr<FrameChannel> channel_;
  Role role_;
  std::function<uint64_t()> clock_ms_;
};

}  // namespace nmsp::session
