#pragma once
// A certificate's validity period against a local clock, in the words both roles use when a
// peer refuses a certificate for its dates (docs/operator-guide.md "Clocks and certificates").

#include <openssl/types.h>

#include <chrono>
#include <string>

namespace nmsp::identity {

struct ValidityWindow {
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

enum class ValidityState { Valid, NotYetValid, Expired };

/// notBefore/notAfter of `cert` (the epoch for an unreadable field).
ValidityWindow validityOf(X509* cert);
/// ASN1_TIME as a time point (the epoch when unreadable).
std::chrono::system_clock::time_point toTimePoint(const ASN1_TIME* time);

/// NotYetValid when now < notBefore, Expired when now > notAfter (RFC 5280: both inclusive).
ValidityState validityAt(const ValidityWindow& window, std::chrono::system_clock::time_point now);

/// "2026-12-02 19:30:00 UTC".
std::string formatUtc(std::chrono::system_clock::time_point when);

/// "valid from 2026-12-04 19:25:00 UTC to 2036-12-02 19:25:00 UTC, local clock
/// 2026-12-02 19:30:00 UTC"
std::string validityText(const ValidityWindow& window, std::chrono::system_clock::time_point now);

/// How far `now` lies outside the window, in words ("2 d 0 h 5 min before notBefore",
/// "3 h 0 min after notAfter"); empty when inside.
std::string outsideBy(const ValidityWindow& window, std::chrono::system_clock::time_point now);

}  // namespace nmsp::identity
