// The doctor's checks on both roles, one test per failure the seed and docs/operator-guide.md
// describe. No network and no DNS: the resolver and the connection attempt are values.
#include <gtest/gtest.h>

#include "doctor/controller_doctor.h"
#include "doctor/mse_doctor.h"

namespace nmsp::doctor {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

const auto kNow = system_clock::from_time_t(1796227200);  // 2026-12-02 16:00:00 UTC
const std::string kSha2(64, 'a');
const std::string kSha1(40, 'b');

MseDoctorInput mseInput() {
  MseDoctorInput in;
  in.self.mac = *MacAddress::parse("00:50:56:9c:34:89");
  in.self.hashes = {kSha1, kSha2};
  in.self.not_before = kNow - 24h;
  in.self.not_after = kNow + 24h * 3650;
  in.host = "wlc.example";
  in.port = 16113;
  in.pinned = std::string(64, 'f');
  in.now = kNow;
  return in;
}

Resolver resolvesTo(std::string address) {
  return [address](const std::string&) -> Result<std::vector<std::string>, std::string> {
    return std::vector<std::string>{address};
  };
}

// A controller that admits us and answers everything.
ControllerProbe healthy() {
  ControllerProbe p;
  p.connected = true;
  p.handshake_done = true;
  p.tls_version = "TLSv1.3";
  p.peer_fingerprint = std::string(64, 'f');
  p.peer_validity = identity::ValidityWindow{kNow - 48h, kNow + 24h * 3650};
  p.init_answered = true;
  p.init_result = "success";
  p.clock_skew_ms = 120;
  p.offered = 0x3;
  p.subscribe_answered = true;
  p.granted = 0x3;
  p.echo_answered = true;
  p.echo_rtt_ms = 1;
  return p;
}

Prober probing(ControllerProbe p) {
  return [p](const std::string&, uint16_t) { return p; };
}

// The number of the first failed check (1-based), 0 if none.
size_t firstFailure(const Report& r) {
  for (size_t i = 0; i < r.checks.size(); ++i) {
    if (r.checks[i].outcome == Outcome::Fail) {
      return i + 1;
    }
  }
  return 0;
}

TEST(MseDoctor, AllPassPrintsNineNumberedOkLinesAndExitsZero) {
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(healthy()));
  EXPECT_EQ(r.exitCode(), 0);
  ASSERT_EQ(r.checks.size(), 9u);
  const std::string text = r.text();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "1. [ OK ] name resolution: wlc.example resolves to 10.0.0.5");
  EXPECT_NE(text.find("2. [ OK ] TCP reachability: connected to 10.0.0.5:16113\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("9. [ OK ] data flowing: echo answered in 1 ms"), std::string::npos);
  EXPECT_NE(text.find("All checks passed.\n"), std::string::npos);
}

TEST(MseDoctor, UnresolvableNameStopsAtCheckOne) {
  const Resolver nxdomain =
      [](const std::string&) -> Result<std::vector<std::string>, std::string> {
    return Unexpected{std::string("Name or service not known")};
  };
  bool probed = false;
  const Prober never = [&](const std::string&, uint16_t) {
    probed = true;
    return ControllerProbe{};
  };
  const auto r = mseDoctor(mseInput(), nxdomain, never);
  EXPECT_EQ(r.exitCode(), 1);
  EXPECT_EQ(firstFailure(r), 1u);
  EXPECT_FALSE(probed);
  const std::string text = r.text();
  EXPECT_NE(text.find("1. [FAIL] name resolution: cannot resolve \"wlc.example\" (Name or service "
                      "not known)\n          fix: Check the controller's name"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2. [SKIP] TCP reachability: not checked (check 1 failed)"),
            std::string::npos);
  EXPECT_NE(text.find("9. [SKIP] data flowing"), std::string::npos);
}

TEST(MseDoctor, NothingListeningFailsTcpReachability) {
  ControllerProbe p;
  p.refused = true;
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 2u);
  EXPECT_EQ(r.checks[1].detail, "connection refused by 10.0.0.5:16113");
  EXPECT_NE(r.checks[1].fix.find("listens on TCP 16113"), std::string::npos);
}

TEST(MseDoctor, WrongHashOrMissingEntryIsTheAuthListWithTheEntryToAdd) {
  auto p = healthy();
  p.alert = 46;  // what the controller sends for both (the MSE cannot tell them apart)
  p.init_answered = false;
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 6u);
  EXPECT_EQ(r.checks[2].outcome, Outcome::Ok);  // the handshake itself worked
  EXPECT_NE(r.checks[2].detail.find("alert 46 (certificate unknown)"), std::string::npos);
  EXPECT_EQ(r.checks[5].fix, "On the controller, add MAC 00:50:56:9c:34:89 with SHA2 key hash " +
                                 kSha2 +
                                 " to the auth list (show server-auth-info here prints both "
                                 "forms).");
}

TEST(MseDoctor, Alert45IsTheClockWithTheValidityWindowNotTheAuthList) {
  auto p = healthy();
  p.alert = 45;
  p.init_answered = false;
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 4u);
  EXPECT_EQ(r.checks[3].detail,
            "the controller refused this MSE's certificate for its dates (alert 45); it is valid "
            "from 2026-12-01 16:00:00 UTC to 2036-11-29 16:00:00 UTC, local clock 2026-12-02 "
            "16:00:00 UTC");
  EXPECT_NE(r.checks[3].fix.find("NTP"), std::string::npos);
  EXPECT_EQ(r.text().find("auth list"), std::string::npos);
}

TEST(MseDoctor, OwnCertificateNotYetValidByTheLocalClock) {
  auto in = mseInput();
  in.self.not_before = kNow + 48h;
  const auto r = mseDoctor(in, resolvesTo("10.0.0.5"), probing(healthy()));
  EXPECT_EQ(firstFailure(r), 4u);
  EXPECT_NE(r.checks[3].detail.find("this MSE's certificate is not yet valid (valid from "),
            std::string::npos);
}

TEST(MseDoctor, ControllerCertificateNotYetValidWhenItsClockIsAhead) {
  auto p = healthy();
  p.peer_validity = identity::ValidityWindow{kNow + 48h, kNow + 24h * 3650};
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 4u);
  EXPECT_NE(r.checks[3].detail.find("the controller's certificate is not yet valid by this MSE's "
                                    "clock"),
            std::string::npos);
}

TEST(MseDoctor, PinMismatch) {
  auto p = healthy();
  p.peer_fingerprint = std::string(64, 'e');
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 5u);
  EXPECT_NE(r.checks[4].detail.find("controller certificate changed: pinned SHA-256 ffff"),
            std::string::npos);
  EXPECT_NE(r.checks[4].fix.find("config controllers delete wlc.example:16113"), std::string::npos);
}

TEST(MseDoctor, UnauthenticatedSkipsThePinAndStillPasses) {
  auto in = mseInput();
  in.unauthenticated = true;
  auto p = healthy();
  p.peer_fingerprint = std::string(64, 'e');
  const auto r = mseDoctor(in, resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(r.exitCode(), 0);
  EXPECT_EQ(r.checks[4].outcome, Outcome::Skip);
}

TEST(MseDoctor, ClockSkewBeyondTheToleranceAfterTls) {
  auto p = healthy();
  p.init_result = "clock-skew";
  p.clock_skew_ms = -300000;
  const auto r = mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p));
  EXPECT_EQ(firstFailure(r), 7u);
  EXPECT_EQ(r.checks[6].detail,
            "the controller's clock differs from this MSE's by -300000 ms (tolerance 60000 ms)");
}

TEST(MseDoctor, NothingGrantedAndNoEcho) {
  auto p = healthy();
  p.granted = 0;
  EXPECT_EQ(firstFailure(mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p))), 8u);
  p = healthy();
  p.echo_answered = false;
  EXPECT_EQ(firstFailure(mseDoctor(mseInput(), resolvesTo("10.0.0.5"), probing(p))), 9u);
}

// --- Controller side ------------------------------------------------------------------------

ControllerDoctorInput controllerInput() {
  ControllerDoctorInput in;
  in.now = kNow;
  in.server.running = true;
  in.server.endpoint = "127.0.0.1:16113";
  in.server.connected = true;
  in.server.tls_answered = true;
  in.server.certificate = identity::ValidityWindow{kNow - 24h, kNow + 24h * 3650};
  in.server.fingerprint = std::string(64, 'f');
  const auto mac = *MacAddress::parse("00:50:56:9c:34:89");
  in.auth_list.push_back({mac, authlist::HashType::Sha256, kSha2, "NMSP"});
  PresentedCertificate p;
  p.mac = mac;
  p.verdict = "admitted";
  p.sha1_hex = kSha1;
  p.sha256_hex = kSha2;
  p.validity = {kNow - 24h, kNow + 24h * 3650};
  p.at = "2026-12-02 15:59:00 UTC";
  in.presented.push_back(p);
  SessionFacts s;
  s.mac = mac;
  s.active = true;
  s.clock_skew_ms = -45;
  s.services = "rssi-ms, info-ms";
  s.rx_data = 12;
  s.tx_echo_resp = 10;
  in.sessions.push_back(s);
  return in;
}

TEST(ControllerDoctor, AllPassWithTheLastMseSeen) {
  const auto r = controllerDoctor(controllerInput());
  EXPECT_EQ(r.exitCode(), 0) << r.text();
  EXPECT_EQ(r.checks[0].outcome, Outcome::Skip);  // name resolution is the MSE's
  EXPECT_EQ(r.checks[4].outcome, Outcome::Skip);  // so is the pin
  EXPECT_EQ(r.checks[6].detail,
            "-45 ms at the last Init (MSE minus controller; tolerance 60000 ms)");
}

TEST(ControllerDoctor, NoControllerRunning) {
  auto in = controllerInput();
  in.server = ServerProbe{};
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 2u);
  EXPECT_EQ(r.checks[1].fix, "Start it: nmsp controller --data-dir DIR.");
}

TEST(ControllerDoctor, MissingAuthListEntryNamesThePresentedHash) {
  auto in = controllerInput();
  in.auth_list.clear();
  in.presented[0].verdict = "no-entry";
  in.sessions.clear();
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 6u);
  EXPECT_EQ(r.checks[5].fix, "Add it: config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " +
                                 kSha2 +
                                 " (or the IOS-XE block of show server-auth-info on the MSE).");
}

TEST(ControllerDoctor, WrongHashComparesWithWhatTheMsePresented) {
  auto in = controllerInput();
  in.auth_list[0].key_hash = std::string(64, 'c');
  in.presented[0].verdict = "hash-mismatch";
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 6u);
  EXPECT_EQ(r.checks[5].detail, "key hash mismatch for 00:50:56:9c:34:89: the auth list has SHA2 " +
                                    std::string(64, 'c') + ", the MSE presented " + kSha2 +
                                    " at 2026-12-02 15:59:00 UTC");
}

TEST(ControllerDoctor, GivenMacWithoutEntry) {
  auto in = controllerInput();
  in.mac = *MacAddress::parse("00:50:56:9c:34:90");
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 6u);
  EXPECT_EQ(r.checks[5].detail, "no auth-list entry for 00:50:56:9c:34:90");
}

TEST(ControllerDoctor, MseCertificateNotYetValidIsTheClock) {
  auto in = controllerInput();
  in.presented[0].verdict = "not-yet-valid";
  in.presented[0].validity = {kNow + 48h, kNow + 24h * 3650};
  in.sessions.clear();
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 4u);
  EXPECT_NE(r.checks[3].detail.find("MSE 00:50:56:9c:34:89's certificate is not yet valid by this "
                                    "controller's clock (valid from 2026-12-04 16:00:00 UTC"),
            std::string::npos)
      << r.checks[3].detail;
  EXPECT_NE(r.checks[3].fix.find("NTP"), std::string::npos);
}

TEST(ControllerDoctor, ClockSkewAtTheLastInit) {
  auto in = controllerInput();
  in.sessions[0].active = false;
  in.sessions[0].clock_skew_ms = 300000;
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 7u);
}

TEST(ControllerDoctor, NoMseSeenAndNoMacGiven) {
  auto in = controllerInput();
  in.presented.clear();
  in.sessions.clear();
  const auto r = controllerDoctor(in);
  EXPECT_EQ(firstFailure(r), 6u);
}

}  // namespace
}  // namespace nmsp::doctor
