#include "controller/admission.h"

#include <fmt/format.h>
#include <openssl/x509.h>

#include <ctime>

#include "transport/handshake_observer.h"

namespace nmsp::controller {

std::string_view verdictName(AdmissionVerdict verdict) {
  switch (verdict) {
    case AdmissionVerdict::Admitted:
      return "admitted";
    case AdmissionVerdict::NoMac:
      return "no-mac";
    case AdmissionVerdict::NotYetValid:
      return "not-yet-valid";
    case AdmissionVerdict::Expired:
      return "expired";
    case AdmissionVerdict::NoEntry:
      return "no-entry";
    case AdmissionVerdict::HashMismatch:
      return "hash-mismatch";
  }
  return "unknown";
}

bool isValidityRefusal(AdmissionVerdict verdict) {
  return verdict == AdmissionVerdict::NotYetValid || verdict == AdmissionVerdict::Expired;
}

int refusalX509Error(AdmissionVerdict verdict) {
  return isValidityRefusal(verdict) ? transport::kValidityRejectedX509Error
                                    : transport::kAdmissionRejectedX509Error;
}

void recordAdmission(api::ControllerStatistics& stats, const Admission& admission,
                     const std::string& peer) {
  if (!admission.mac) {
    return;  // no MAC to key it by
  }
  auto& table = stats.admissions;
  if (table.size() >= api::ControllerStatistics::kMaxAdmissionAttempts &&
      table.find(*admission.mac) == table.end()) {
    auto oldest = table.begin();
    for (auto it = table.begin(); it != table.end(); ++it) {
      if (it->second.at < oldest->second.at) {
        oldest = it;
      }
    }
    table.erase(oldest);
  }
  api::AdmissionAttempt a;
  a.mac = *admission.mac;
  a.peer = peer;
  a.verdict = std::string(verdictName(admission.verdict));
  a.sha1_hex = admission.hashes.sha1_hex;
  a.sha256_hex = admission.hashes.sha256_hex;
  a.not_before = admission.validity.not_before;
  a.not_after = admission.validity.not_after;
  a.at = admission.checked_at;
  table[*admission.mac] = std::move(a);
}

Admission checkAdmission(X509* cert, const authlist::AuthSnapshot& auth_list,
                         std::chrono::system_clock::time_point now) {
  Admission result;
  result.hashes = identity::keyHashes(cert);
  result.mac = identity::macFromCertificate(cert);
  result.validity = identity::validityOf(cert);
  result.checked_at = now;
  if (!result.mac) {
    result.verdict = AdmissionVerdict::NoMac;
    result.reason = "the certificate subject CN is not a MAC address";
    return result;
  }
  if (const auto state = identity::validityAt(result.validity, now);
      state != identity::ValidityState::Valid) {
    const bool early = state == identity::ValidityState::NotYetValid;
    result.verdict = early ? AdmissionVerdict::NotYetValid : AdmissionVerdict::Expired;
    result.reason = fmt::format(
        "certificate {} ({}; {}): {}", early ? "not yet valid" : "expired",
        identity::validityText(result.validity, now), identity::outsideBy(result.validity, now),
        early ? "the MSE's clock is ahead or this controller's is behind: check NTP on both"
              : "check NTP on both; if the clocks are right, renew the MSE's certificate");
    return result;
  }
  const authlist::Decision decision = auth_list.check(*result.mac, result.hashes);
  result.entry = decision.entry;
  switch (decision.verdict) {
    case authlist::Verdict::Admitted:
      result.verdict = AdmissionVerdict::Admitted;
      result.reason = fmt::format("auth-list entry {} matches",
                                  decision.entry ? decision.entry->certificate_type() : "?");
      break;
    case authlist::Verdict::NoEntry:
      result.verdict = AdmissionVerdict::NoEntry;
      result.reason = fmt::format("no auth-list entry for MAC {} (key hash sha256 {})",
                                  result.mac->toString(), result.hashes.sha256_hex);
      break;
    case authlist::Verdict::HashMismatch: {
      result.verdict = AdmissionVerdict::HashMismatch;
      const bool sha1 = decision.entry && decision.entry->type == authlist::HashType::Sha1;
      result.reason =
          fmt::format("key hash mismatch for MAC {}: auth list has {} {}, certificate has {}",
                      result.mac->toString(), sha1 ? "sha1" : "sha256",
                      decision.entry ? decision.entry->key_hash : "?",
                      sha1 ? result.hashes.sha1_hex : result.hashes.sha256_hex);
      break;
    }
  }
  return result;
}

}  // namespace nmsp::controller
