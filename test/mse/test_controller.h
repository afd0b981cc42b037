#pragma once
// A minimal NMSP controller for in-process tests of the MSE links: real TLS server on
// 127.0.0.1:0 (client certificate required), the Init/Capability/Subscribe/Echo exchange,
// and knobs to refuse the MSE (fatal alert 46), stop answering echoes, skew its clock, change
// its certificate, or drop every session. Runs on the io_context given; knobs are atomics.

#include <openssl/x509_vfy.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "identity/identity.h"
#include "proto/messages.h"
#include "proto/services.h"
#include "session/frame_channel.h"

namespace nmsp::testing {

class TestController {
 public:
  /// `tls_max_version`: TLS1_2_VERSION or TLS1_3_VERSION.
  TestController(boost::asio::io_context& io, const identity::Identity& id, int tls_max_version);
  ~TestController();

  uint16_t port() const { return port_; }
  /// New connections present this certificate from now on (call from any thread).
  void replaceIdentity(const identity::Identity& id);
  /// Closes every open session (the MSE sees the controller go away).
  void dropSessions();
  void stop();

  std::atomic<bool> admit{true};
  /// X509 error set when refusing; OpenSSL maps it to the alert (default: 46).
  std::atomic<int> reject_error{X509_V_ERR_OCSP_CERT_UNKNOWN};
  std::atomic<bool> answer_echoes{true};
  std::atomic<int64_t> clock_offset_ms{0};
  std::atomic<int> handshakes_failed{0};
  std::atomic<int> inits{0};
  std::atomic<int> subscribes{0};
  std::atomic<int> echoes{0};
  std::atomic<uint64_t> subscribed_mask{0};
  std::atomic<int> unsubscribes{0};
  std::atomic<uint64_t> unsubscribed_mask{0};
  /// How the controller answers an Init Request: normally, or (rules 2 and 8 of the MSE's
  /// side) with an Echo Request (txn 0x33) before any Init Response, or with a malformed Echo
  /// Request (attribute overrun, txn 0x2c) written raw.
  enum class InitReply { Normal, EchoFirst, Malformed };
  std::atomic<InitReply> init_reply{InitReply::Normal};
  /// The last Error the MSE sent: count, reason, offending id, transaction id.
  std::atomic<int> errors_received{0};
  std::atomic<int> last_error_reason{-1};
  std::atomic<int> last_error_offending{-1};
  std::atomic<int64_t> last_error_txn{-1};
  static constexpr proto::ServiceMask kOffered = proto::bit(proto::Service::RssiMs) |
                                                 proto::bit(proto::Service::InfoMs) |
                                                 proto::bit(proto::Service::ApInfo);
  /// The Capability Notification's services (and what a Subscribe is granted of).
  std::atomic<proto::ServiceMask> offered{kOffered};
  /// Messages sent (txn 0, in order) right after each Subscribe Response: the data a real
  /// controller would stream. Set before the MSE connects.
  void sendAfterSubscribe(std::vector<proto::Message> messages);

 private:
  std::shared_ptr<boost::asio::ssl::context> makeContext(const identity::Identity& id);
  void accept();
  void serve(std::shared_ptr<session::TlsStream> stream);

  boost::asio::io_context& io_;
  int tls_max_version_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> ctx_;
  std::vector<std::weak_ptr<session::TlsStream>> streams_;
  std::vector<proto::Message> after_subscribe_;  // guarded by mu_
  proto::ServiceMask granted_ = 0;               // io thread: the last session's subscription
};

}  // namespace nmsp::testing
