#include "identity/validity.h"

#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <ctime>

namespace nmsp::identity {
namespace {

std::string durationWords(std::chrono::seconds d) {
  using namespace std::chrono;
  const auto days = duration_cast<hours>(d).count() / 24;
  const auto hrs = duration_cast<hours>(d).count() % 24;
  const auto mins = duration_cast<minutes>(d).count() % 60;
  if (days > 0) {
    return fmt::format("{} d {} h {} min", days, hrs, mins);
  }
  if (hrs > 0) {
    return fmt::format("{} h {} min", hrs, mins);
  }
  if (mins > 0) {
    return fmt::format("{} min {} s", mins, d.count() % 60);
  }
  return fmt::format("{} s", d.count());
}

}  // namespace

std::chrono::system_clock::time_point toTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return {};
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

ValidityWindow validityOf(X509* cert) {
  return {toTimePoint(X509_get0_notBefore(cert)), toTimePoint(X509_get0_notAfter(cert))};
}

ValidityState validityAt(const ValidityWindow& window, std::chrono::system_clock::time_point now) {
  if (now < window.not_before) {
    return ValidityState::NotYetValid;
  }
  if (now > window.not_after) {
    return ValidityState::Expired;
  }
  return ValidityState::Valid;
}

std::string formatUtc(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string validityText(const ValidityWindow& window, std::chrono::system_clock::time_point now) {
  return fmt::format("valid from {} to {}, local clock {}", formatUtc(window.not_before),
                     formatUtc(window.not_after), formatUtc(now));
}

std::string outsideBy(const ValidityWindow& window, std::chrono::system_clock::time_point now) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  switch (validityAt(window, now)) {
    case ValidityState::NotYetValid:
      return durationWords(duration_cast<seconds>(window.not_before - now)) + " before notBefore";
    case ValidityState::Expired:
      return durationWords(duration_cast<seconds>(now - window.not_after)) + " after notAfter";
    case ValidityState::Valid:
      break;
  }
  return {};
}

}  // namespace nmsp::identity
