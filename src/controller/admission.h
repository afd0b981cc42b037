#pragma once
// The controller's admission decision for an MSE certificate: bound to a MAC address, within
// its validity period (by an injectable clock), and listed in the auth list with this key hash.

#include <openssl/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "authlist/auth_list.h"
#include "common/mac_address.h"
#include "identity/identity.h"

namespace nmsp::controller {

enum class AdmissionVerdict { Admitted, NoMac, NotYetValid, Expired, NoEntry, HashMismatch };

struct Admission {
  AdmissionVerdict verdict = AdmissionVerdict::NoEntry;
  std::optional<MacAddress> mac;
  identity::KeyHashes hashes;            // of the presented certificate
  std::optional<authlist::Entry> entry;  // the auth-list entry consulted, if any
  std::string reason;                    // one line for logs: what did not match and why
  bool admitted() const { return verdict == AdmissionVerdict::Admitted; }
};

/// "admitted", "no-mac", "not-yet-valid", "expired", "no-entry", "hash-mismatch".
std::string_view verdictName(AdmissionVerdict verdict);

/// Runs on the io thread for every handshake: one hash-map lookup in the snapshot, no lock.
Admission checkAdmission(X509* cert, const authlist::AuthSnapshot& auth_list,
                         std::chrono::system_clock::time_point now);

}  // namespace nmsp::controller
