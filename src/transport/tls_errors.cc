#include "transport/tls_errors.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

namespace nmsp::transport {
namespace {

bool isSslCategory(const boost::system::error_code& ec) {
  return ec.category() == boost::asio::error::get_ssl_category();
}

int reasonOf(const boost::system::error_code& ec) {
  return ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
}

}  // namespace

std::optional<int> receivedAlert(const boost::system::error_code& ec) {
  if (!isSslCategory(ec)) {
    return std::nullopt;
  }
  const int reason = reasonOf(ec);
  if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
    return reason - SSL_AD_REASON_OFFSET;
  }
  return std::nullopt;
}

std::string errorString(const boost::system::error_code& ec) {
  if (isSslCategory(ec)) {
    std::array<char, 256> buf{};
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), buf.data(), buf.size());
    return buf.data();
  }
  return ec.message();
}

int sslErrorClass(const boost::system::error_code& ec) {
  if (ec == boost::asio::ssl::error::stream_truncated || !isSslCategory(ec)) {
    return SSL_ERROR_SYSCALL;
  }
  return SSL_ERROR_SSL;
}

bool isNoPeerCertificate(const boost::system::error_code& ec) {
  return isSslCategory(ec) && reasonOf(ec) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

bool isEndOfStream(const boost::system::error_code& ec) {
  return ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated ||
         ec == boost::asio::error::connection_reset;
}

}  // namespace nmsp::transport
