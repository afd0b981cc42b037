#include "transport/handshake_observer.h"

#include <fmt/format.h>
#include <openssl/x509.h>

#include <cstdint>
#include <mutex>

namespace nmsp::transport {
namespace {

// One ex_data slot on every SSL for our observer (asio already uses the app-data slot).
int observerIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

HandshakeObserver* observerOf(const SSL* ssl) {
  return static_cast<HandshakeObserver*>(SSL_get_ex_data(ssl, observerIndex()));
}

// The client's lines: alerts at info (and the alert received kept), states at debug.
void clientInfo(HandshakeObserver& o, const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_ALERT) != 0) {
    const bool read = (where & SSL_CB_READ) != 0;
    const int desc = ret & 0xff;
    if (read && desc != SSL_AD_CLOSE_NOTIFY) {
      o.alert_received = desc;
    }
    o.trace->add(trace::Level::Info,
                 fmt::format("controller {}: TLS alert {}: {} {} (ret = 0x{:x})", o.endpoint,
                             read ? "received" : "sent", SSL_alert_type_string_long(ret),
                             SSL_alert_desc_string_long(ret), static_cast<unsigned>(ret)));
    return;
  }
  if (o.trace->enabled(trace::Level::Debug)) {
    o.trace->add(trace::Level::Debug,
                 fmt::format("controller {}: SSL State = 0x{:x}; where = 0x{:x}; ret = 0x{:x}; "
                             "SSL_state_string={}",
                             o.endpoint, static_cast<unsigned>(SSL_get_state(ssl)),
                             static_cast<unsigned>(where), static_cast<unsigned>(ret),
                             SSL_state_string_long(ssl)));
  }
}

void infoCallback(const SSL* ssl, int where, int ret) {
  HandshakeObserver* o = observerOf(ssl);
  if (o == nullptr || o->trace == nullptr) {
    return;
  }
  if (o->side == HandshakeObserver::Side::Client) {
    clientInfo(*o, ssl, where, ret);
    return;
  }
  if (!o->trace->enabled(trace::Level::Debug)) {
    return;
  }
  const bool alert = (where & SSL_CB_ALERT) != 0;
  o->trace->add(trace::Level::Debug,
                fmt::format("SSL State = {:#x}; where = {:#x}; ret = {:#x}",
                            static_cast<unsigned>(SSL_get_state(ssl)), static_cast<unsigned>(where),
                            static_cast<unsigned>(ret)));
  o->trace->add(
      trace::Level::Debug,
      fmt::format("ret_type_string={}", alert ? SSL_alert_type_string_long(ret) : "unknown"));
  o->trace->add(
      trace::Level::Debug,
      fmt::format("ret_desc_string={}", alert ? SSL_alert_desc_string_long(ret) : "unknown"));
  o->trace->add(trace::Level::Debug,
                fmt::format("SSL_state_string={}", SSL_state_string_long(ssl)));
}

// Called by OpenSSL for every chain position and error. The chain result itself does not
// matter (MSE certificates are self-signed); what matters is our admission of the leaf,
// decided once and repeated for every later call of the same handshake.
int verifyCallback(int /*preverify_ok*/, X509_STORE_CTX* store) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  HandshakeObserver* o = ssl != nullptr ? observerOf(ssl) : nullptr;
  if (o == nullptr || !o->admit) {
    X509_STORE_CTX_set_error(store, kAdmissionRejectedX509Error);
    return 0;
  }
  if (!o->admitted) {
    o->admitted = o->admit(X509_STORE_CTX_get0_cert(store));
  }
  if (!*o->admitted) {
    X509_STORE_CTX_set_error(store, o->refusal_x509_error);
    return 0;
  }
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

}  // namespace

std::string sslId(const SSL* ssl) {
  return fmt::format("{:x}", reinterpret_cast<uintptr_t>(ssl));
}

void installObserverCallbacks(SSL_CTX* ctx) {
  SSL_CTX_set_info_callback(ctx, &infoCallback);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &verifyCallback);
}

void attachObserver(SSL* ssl, HandshakeObserver* observer) {
  if (observer != nullptr && observer->side == HandshakeObserver::Side::Client) {
    SSL_set_info_callback(ssl, &infoCallback);
  } else if (observer == nullptr && SSL_get_info_callback(ssl) == &infoCallback) {
    SSL_set_info_callback(ssl, nullptr);  // a client SSL: unhook what we installed (a server
                                          // SSL uses its context's callback, not its own)
  }
  SSL_set_ex_data(ssl, observerIndex(), observer);
}

}  // namespace nmsp::transport
