#pragma once
// The controller's admission decision for an MSE certificate: bound to a MAC address, within
// its validity period (by an injectable clock), and listed in the auth list with this key hash.

#include <openssl/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "api/controller_control.h"
#include "authlist/auth_list.h"
#include "common/mac_address.h"
#include "identity/identity.h"
#include "identity/validity.h"

namespace nmsp::controller {

enum class AdmissionVerdict { Admitted, NoMac, NotYetValid, Expired, NoEntry, HashMismatch };

struct Admission {
  AdmissionVerdict verdict = AdmissionVerdict::NoEntry;
  std::optional<MacAddress> mac;
  identity::KeyHashes hashes;            // of the presented certificate
  std::optional<authlist::Entry> entry;  // the auth-list entry consulted, if any
  std::string reason;                    // one line for logs: what did not match and why
  identity::ValidityWindow validity;     // of the presented certificate
  std::chrono::system_clock::time_point checked_at;  // the controller's clock at the check
  bool admitted() const { return verdict == AdmissionVerdict::Admitted; }
};

/// "admitted", "no-mac", "not-yet-valid", "expired", "no-entry", "hash-mismatch".
std::string_view verdictName(AdmissionVerdict verdict);

/// True for NotYetValid and Expired: refused for the certificate's dates, not the auth list.
bool isValidityRefusal(AdmissionVerdict verdict);

/// The X509 verify error a refusal sets, which selects the TLS alert (handshake_observer.h):
/// certificate_expired (45) for a validity refusal, certificate_unknown (46) otherwise.
int refusalX509Error(AdmissionVerdict verdict);

/// Records `admission` of a certificate from `peer` in stats.admissions (bounded: the oldest
/// entry makes room).
void recordAdmission(api::ControllerStatistics& stats, const Admission& admission,
                     const std::string& peer);

/// Runs on the io thread for every handshake: one hash-map lookup in the snapshot, no lock.
Admission checkAdmission(X509* cert, const authlist::AuthSnapshot& auth_list,
                         std::chrono::system_clock::time_point now);

}  // namespace nmsp::controller
