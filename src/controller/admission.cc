#include "controller/admission.h"

#include <fmt/format.h>
#include <openssl/x509.h>

#include <ctime>

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

Admission checkAdmission(X509* cert, const authlist::AuthSnapshot& auth_list,
                         std::chrono::system_clock::time_point now) {
  Admission result;
  result.hashes = identity::keyHashes(cert);
  result.mac = identity::macFromCertificate(cert);
  if (!result.mac) {
    result.verdict = AdmissionVerdict::NoMac;
    result.reason = "the certificate subject CN is not a MAC address";
    return result;
  }
  // X509_cmp_time: -1 when the certificate time is earlier than `t`, 1 when later, 0 on error.
  time_t t = std::chrono::system_clock::to_time_t(now);
  if (X509_cmp_time(X509_get0_notBefore(cert), &t) >= 0) {
    result.verdict = AdmissionVerdict::NotYetValid;
    result.reason = "the certificate is not yet valid (notBefore is in the future: check NTP)";
    return result;
  }
  if (X509_cmp_time(X509_get0_notAfter(cert), &t) <= 0) {
    result.verdict = AdmissionVerdict::Expired;
    result.reason = "the certificate has expired";
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
