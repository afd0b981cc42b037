#pragma once
// Turning Asio/OpenSSL error codes into what operators and the seed-style traces need: the
// TLS alert a peer sent, the OpenSSL error string, and an SSL_get_error-like number.

#include <boost/system/error_code.hpp>
#include <optional>
#include <string>

namespace nmsp::transport {

/// The TLS alert description the peer sent (e.g. 46 certificate unknown), if `ec` reports one.
/// OpenSSL records a received alert as reason SSL_AD_REASON_OFFSET + description.
std::optional<int> receivedAlert(const boost::system::error_code& ec);

/// OpenSSL's text for `ec` ("error:0A000418:SSL routines::tlsv1 alert unknown ca") when it is
/// an SSL error, otherwise the system message.
std::string errorString(const boost::system::error_code& ec);

/// The SSL_get_error class the failure belongs to: 1 (SSL_ERROR_SSL) for protocol errors,
/// 5 (SSL_ERROR_SYSCALL) for socket errors and EOF, 6 (SSL_ERROR_ZERO_RETURN) for close_notify.
int sslErrorClass(const boost::system::error_code& ec);

/// True when `ec` says the peer sent no certificate although we require one.
bool isNoPeerCertificate(const boost::system::error_code& ec);

/// True for an orderly end of the stream (EOF, close_notify, or TCP close without close_notify).
bool isEndOfStream(const boost::system::error_code& ec);

}  // namespace nmsp::transport
