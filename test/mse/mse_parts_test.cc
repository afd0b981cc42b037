// The MSE's pure parts: reconnect backoff, persisted configuration, certificate pins and the
// wording of link causes.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "../support/temp_dir.h"
#include "common/owner_thread.h"
#include "mse/backoff.h"
#include "mse/link_cause.h"
#include "mse/mse_config_store.h"
#include "mse/pin_store.h"

namespace nmsp::mse {
namespace {

using namespace std::chrono_literals;

using TempDir = test_support::TempDir;

TEST(Backoff, DoublesWithJitterAndNeverExceedsTheCap) {
  Backoff backoff(500ms, 10s, 42);
  const std::vector<int64_t> bases{500, 1000, 2000, 4000, 8000, 10000, 10000, 10000};
  for (int64_t base : bases) {
    const auto delay = backoff.next().count();
    EXPECT_GE(delay, base / 2) << "base " << base;
    EXPECT_LE(delay, base) << "base " << base;
  }
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 500);
}

TEST(Backoff, CapBelowInitialIsTheCap) {
  Backoff backoff(500ms, 100ms, 1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_LE(backoff.next().count(), 500);
  }
}

TEST(MseConfigStore, PersistsAtomicallyWithMode0600) {
  TempDir dir;
  {
    auto store = MseConfigStore::open(dir.path());
    ASSERT_TRUE(store.has_value()) << store.error();
    EXPECT_TRUE(store->controllers().empty());
    EXPECT_FALSE(store->unauthenticatedNmsp());
    ASSERT_TRUE(store->addController({"10.0.0.5", 16113}).has_value());
    ASSERT_TRUE(store->addController({"2001:db8::5", 16114}).has_value());
    ASSERT_TRUE(store->addController({"10.0.0.5", 16200}).has_value());  // a second controller
    ASSERT_TRUE(store->addController({"10.0.0.5", 16113}).has_value());  // already there
    ASSERT_TRUE(store->setUnauthenticatedNmsp(true).has_value());
  }
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "controllers.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "controllers.json.tmp"));

  auto reopened = MseConfigStore::open(dir.path());
  ASSERT_TRUE(reopened.has_value());
  const std::vector<ControllerAddress> expected{
      {"10.0.0.5", 16113}, {"2001:db8::5", 16114}, {"10.0.0.5", 16200}};
  EXPECT_EQ(reopened->controllers(), expected);
  EXPECT_TRUE(reopened->unauthenticatedNmsp());
  // No port: the one on 16113 first, then the only one left on the host.
  auto deleted = reopened->deleteController("10.0.0.5", std::nullopt);
  ASSERT_TRUE(deleted.has_value()) << deleted.error();
  EXPECT_EQ(*deleted, (ControllerAddress{"10.0.0.5", 16113}));
  deleted = reopened->deleteController("10.0.0.5", std::nullopt);
  ASSERT_TRUE(deleted.has_value()) << deleted.error();
  EXPECT_EQ(*deleted, (ControllerAddress{"10.0.0.5", 16200}));
  auto missing = reopened->deleteController("10.0.0.5", std::nullopt);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), "controller 10.0.0.5 is not configured");
  missing = reopened->deleteController("2001:db8::5", 16113);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), "controller [2001:db8::5]:16113 is not configured");
  EXPECT_EQ(MseConfigStore::open(dir.path())->controllers(),
            (std::vector<ControllerAddress>{{"2001:db8::5", 16114}}));
}

TEST(MseConfigStore, DeleteWithoutPortRefusesWhenSeveralPortsAndNone16113) {
  TempDir dir;
  auto store = MseConfigStore::open(dir.path());
  ASSERT_TRUE(store.has_value());
  for (uint16_t port : {16114, 16115}) {
    ASSERT_TRUE(store->addController({"10.0.0.5", port}).has_value());
    ASSERT_TRUE(store->addController({"2001:db8::5", port}).has_value());
  }
  auto refused = store->deleteController("10.0.0.5", std::nullopt);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(),
            "Invalid input detected: several controllers on 10.0.0.5; give 10.0.0.5:PORT");
  refused = store->deleteController("2001:db8::5", std::nullopt);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(),
            "Invalid input detected: several controllers on 2001:db8::5; give [2001:db8::5]:PORT");
  EXPECT_EQ(store->controllers().size(), 4u);
  auto deleted = store->deleteController("10.0.0.5", 16115);
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(*deleted, (ControllerAddress{"10.0.0.5", 16115}));
  const std::vector<ControllerAddress> left{
      {"10.0.0.5", 16114}, {"2001:db8::5", 16114}, {"2001:db8::5", 16115}};
  EXPECT_EQ(MseConfigStore::open(dir.path())->controllers(), left);
}

TEST(MseConfigStore, LoadsFilesOfTheHostKeyedFormat) {
  // Written by the release that kept one port per host; duplicates are collapsed.
  TempDir dir;
  std::ofstream(dir.path() / "controllers.json")
      << R"({"controllers": [{"host": "10.0.0.5", "port": 16113}, )"
         R"({"host": "2001:db8::5", "port": 16200}, {"host": "10.0.0.5", "port": 16113}], )"
         R"("unauthenticated_nmsp": false})";
  auto store = MseConfigStore::open(dir.path());
  ASSERT_TRUE(store.has_value()) << store.error();
  const std::vector<ControllerAddress> expected{{"10.0.0.5", 16113}, {"2001:db8::5", 16200}};
  EXPECT_EQ(store->controllers(), expected);
  ASSERT_TRUE(store->addController({"10.0.0.5", 16114}).has_value());
  EXPECT_EQ(store->controllers().size(), 3u);
}

TEST(MseConfigStore, CorruptFileIsRefusedWithItsName) {
  TempDir dir;
  std::ofstream(dir.path() / "controllers.json") << R"({"controllers": [{"host": "x"}]})";
  auto store = MseConfigStore::open(dir.path());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error(), (dir.path() / "controllers.json").string() +
                               " is corrupt (each controller needs a host and a port 1..65535): "
                               "fix or delete it");
  std::ofstream(dir.path() / "controllers.json") << "{not json";
  EXPECT_FALSE(MseConfigStore::open(dir.path()).has_value());
}

TEST(EndpointName, BracketsIpv6) {
  EXPECT_EQ(endpointName({"10.0.0.5", 16113}), "10.0.0.5:16113");
  EXPECT_EQ(endpointName({"2001:db8::5", 16113}), "[2001:db8::5]:16113");
  EXPECT_EQ(hostOfEndpoint("[2001:db8::5]:16113"), "2001:db8::5");
  EXPECT_EQ(hostOfEndpoint("wlc:16113"), "wlc");
}

TEST(PinStore, PinsForgetsOneEndpointAndSurvivesReopen) {
  TempDir dir;
  const std::string a(64, 'a');
  const std::string b(64, 'b');
  const std::string c(64, 'c');
  {
    auto pins = PinStore::open(dir.path());
    ASSERT_TRUE(pins.has_value());
    EXPECT_FALSE(pins->lookup("10.0.0.5:16113").has_value());
    ASSERT_TRUE(pins->pin("10.0.0.5:16113", a).has_value());
    ASSERT_TRUE(pins->pin("[2001:db8::5]:16113", b).has_value());
    ASSERT_TRUE(pins->pin("10.0.0.5:16114", c).has_value());
  }
  auto pins = PinStore::open(dir.path());
  ASSERT_TRUE(pins.has_value());
  EXPECT_EQ(pins->lookup("10.0.0.5:16113"), a);
  EXPECT_EQ(pins->lookup("[2001:db8::5]:16113"), b);
  ASSERT_TRUE(pins->forget("[2001:db8::5]:16113").has_value());
  ASSERT_TRUE(pins->forget("10.0.0.5:16114").has_value());
  ASSERT_TRUE(pins->forget("10.0.0.5:16999").has_value());  // nothing pinned: nothing to do
  EXPECT_FALSE(pins->lookup("[2001:db8::5]:16113").has_value());
  auto again = PinStore::open(dir.path());
  EXPECT_FALSE(again->lookup("[2001:db8::5]:16113").has_value());
  EXPECT_FALSE(again->lookup("10.0.0.5:16114").has_value());
  EXPECT_EQ(again->lookup("10.0.0.5:16113"), a);  // same host, other port: kept
}

TEST(PinStore, LoadsAFileOfTheFirstRelease) {
  TempDir dir;
  const std::string a(64, 'a');
  std::ofstream(dir.path() / "known_controllers.json")
      << R"({"10.0.0.5:16113": {"sha256": ")" << a
      << R"(", "pinned_at": "2026-11-23T23:40:00Z"}, "[::1]:16213": {"sha256": ")" << a << R"("}})";
  auto pins = PinStore::open(dir.path());
  ASSERT_TRUE(pins.has_value()) << pins.error();
  EXPECT_EQ(pins->lookup(endpointName({"10.0.0.5", 16113})), a);
  EXPECT_EQ(pins->lookup(endpointName({"::1", 16213})), a);
}

TEST(PinStore, CorruptEntryIsRefused) {
  TempDir dir;
  std::ofstream(dir.path() / "known_controllers.json") << R"({"x:1": {"sha256": "ab"}})";
  auto pins = PinStore::open(dir.path());
  ASSERT_FALSE(pins.has_value());
  EXPECT_NE(pins.error().find("entry x:1 needs a 64-digit sha256"), std::string::npos);
}

// The pins belong to the MSE's io thread; a queued writer takes the file writes off it.
TEST(PinStore, WritesGoToTheWriterInOrder) {
  TempDir dir;
  auto pins = PinStore::open(dir.path());
  ASSERT_TRUE(pins.has_value());
  std::vector<std::function<void()>> queued;
  pins->setWriter([&](std::function<void()> write) {
    queued.push_back(std::move(write));
    return queued.size() < 3;  // the third write is refused: the queue is full
  });
  ASSERT_TRUE(pins->pin("10.0.0.5:16113", std::string(64, 'a')).has_value());
  ASSERT_TRUE(pins->pin("10.0.0.6:16113", std::string(64, 'b')).has_value());
  EXPECT_EQ(pins->lookup("10.0.0.6:16113"), std::string(64, 'b'));  // in force at once
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "known_controllers.json"));
  auto refused = pins->forget("10.0.0.5:16113");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("not saved: the disk writer refused the write"),
            std::string::npos);
  queued[0]();
  queued[1]();
  auto reopened = PinStore::open(dir.path());
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ(reopened->lookup("10.0.0.6:16113"), std::string(64, 'b'));
}

TEST(PinStore, BelongsToOneThread) {
  if (!threadChecksEnabled()) {
    GTEST_SKIP() << "built without NMSP_THREAD_CHECKS";
  }
  TempDir dir;
  auto pins = PinStore::open(dir.path());
  ASSERT_TRUE(pins.has_value());
  EXPECT_FALSE(pins->lookup("10.0.0.5:16113").has_value());
  EXPECT_DEATH(std::thread([&] { (void)pins->lookup("10.0.0.5:16113"); }).join(),
               "the MSE's controller pins touched from a thread that does not own it");
}

identity::Identity fakeIdentity() {
  identity::Identity id;
  id.mac = *MacAddress::parse("00:50:56:9c:34:89");
  id.hashes.sha256_hex = std::string(64, 'c');
  const auto now = std::chrono::system_clock::now();
  id.not_before = now - 1h;
  id.not_after = now + 24h;
  return id;
}

TEST(LinkCause, Alert46NamesMacAndSha2Hash) {
  const auto id = fakeIdentity();
  EXPECT_EQ(cause::tlsAlert(46, id, std::chrono::system_clock::now()),
            "controller rejected this MSE's certificate (TLS alert: certificate unknown): add MAC "
            "00:50:56:9c:34:89 with SHA2 key hash " +
                std::string(64, 'c') + " to its auth list");
}

TEST(LinkCause, CertificateTimeProblemsPointAtNtp) {
  auto id = fakeIdentity();
  // Whole seconds, so the texts below are exact.
  id.not_before = std::chrono::system_clock::from_time_t(1796169600);  // 2026-12-02 00:00:00 UTC
  id.not_after = id.not_before + 24h * 3650;
  const auto inside = id.not_before + 2h;
  EXPECT_EQ(cause::tlsAlert(46, id, id.not_before - 1h),
            "controller rejected this MSE's certificate (TLS alert: certificate unknown): the "
            "certificate is not yet valid by this MSE's clock (valid from 2026-12-02 00:00:00 UTC "
            "to 2036-11-29 00:00:00 UTC, local clock 2026-12-01 23:00:00 UTC): check NTP on the "
            "controller and the MSE");
  EXPECT_NE(cause::tlsAlert(46, id, id.not_after + 1h).find("is expired by this MSE's clock"),
            std::string::npos);
  // Alert 45: the controller judged our dates by its clock. The cause names the clocks, the
  // window and NTP, never the auth list.
  const std::string expired = cause::tlsAlert(45, id, inside);
  EXPECT_EQ(expired,
            "controller rejected this MSE's certificate as expired or not yet valid (TLS alert: "
            "certificate expired): the certificate is valid from 2026-12-02 00:00:00 UTC to "
            "2036-11-29 00:00:00 UTC, local clock 2026-12-02 02:00:00 UTC: the controller's clock "
            "is outside that window: check NTP on the controller and the MSE");
  EXPECT_EQ(expired.find("auth list"), std::string::npos);
  EXPECT_EQ(cause::controllerCertificateTime({id.not_before, id.not_after}, id.not_before - 2h),
            "controller certificate is not yet valid by this MSE's clock (valid from 2026-12-02 "
            "00:00:00 UTC to 2036-11-29 00:00:00 UTC, local clock 2026-12-01 22:00:00 UTC): check "
            "NTP on the controller and the MSE");
  EXPECT_NE(cause::controllerCertificateTime({id.not_before, id.not_after}, id.not_after + 1s)
                .find("controller certificate is expired by this MSE's clock"),
            std::string::npos);
}

TEST(LinkCause, OtherAlertsKeepTheirNumberAndName) {
  const auto id = fakeIdentity();
  EXPECT_EQ(cause::tlsAlert(80, id, std::chrono::system_clock::now()),
            "controller ended the TLS session (TLS alert 80: internal error)");
  EXPECT_NE(cause::tlsAlert(40, id, std::chrono::system_clock::now()).find("strong-cipher"),
            std::string::npos);
}

TEST(LinkCause, NetworkAndSessionCauses) {
  EXPECT_EQ(cause::connectionRefused("10.0.0.5:16113", 16113),
            "connection refused by 10.0.0.5:16113: check that NMSP is enabled on the controller "
            "and TCP 16113 is open");
  EXPECT_EQ(cause::connectionRefused("[2001:db8::5]:16299", 16299),
            "connection refused by [2001:db8::5]:16299: check that NMSP is enabled on the "
            "controller and TCP 16299 is open");
  EXPECT_EQ(cause::connectTimeout("10.0.0.5:16213", 16213, 5s),
            "no answer from 10.0.0.5:16213 within 5.0 s: check the address, the routing and that "
            "firewalls let TCP 16213 through");
  EXPECT_EQ(cause::handshakeTimeout("10.0.0.5:443", 443, 10s),
            "TLS handshake with 10.0.0.5:443 did not finish within 10.0 s: check that TCP 443 is "
            "the controller's NMSP port (16113 unless changed)");
  EXPECT_EQ(cause::clockSkew(75),
            "clock skew of 75 s with the controller: check NTP on the controller and the MSE");
  EXPECT_EQ(cause::pinMismatch("ab12", "cd34"),
            "controller certificate changed (pinned SHA-256 ab12, got cd34): if the controller was "
            "re-keyed on purpose, delete and re-add it, or set config unauthenticated-nmsp true");
  EXPECT_EQ(cause::echoTimeout(3, 15s),
            "controller stopped answering echo requests (3 missed, one every 15.0 s): check the "
            "network path and the controller's load");
  EXPECT_EQ(cause::versionUnsupported(2),
            "controller does not support this MSE's NMSP version (it selected version 2): "
            "upgrade the older side");
  EXPECT_EQ(cause::initRejected(proto::ResultCode::NotAuthorized, ""),
            "controller rejected the NMSP Init (not authorized)");
}

TEST(LinkCause, ControllerErrorsNameTheReasonAndShutdownEndsTheSession) {
  proto::ErrorMessage shutdown;
  shutdown.reason = proto::ErrorReason::Shutdown;
  EXPECT_EQ(cause::controllerError(shutdown),
            "controller shut the session down (NMSP Error: shutdown): it is stopping or "
            "restarting; reconnecting with back-off");
  proto::ErrorMessage unsupported;
  unsupported.reason = proto::ErrorReason::UnsupportedMessage;
  unsupported.text = "message id 0x7777 is not supported";
  EXPECT_EQ(cause::controllerError(unsupported),
            "controller reported an NMSP error (unsupported message, reason 1): message id "
            "0x7777 is not supported");
  EXPECT_TRUE(cause::errorEndsSession(proto::ErrorReason::Shutdown));
  EXPECT_TRUE(cause::errorEndsSession(proto::ErrorReason::MalformedFrame));
  EXPECT_TRUE(cause::errorEndsSession(proto::ErrorReason::ClockSkew));
  EXPECT_FALSE(cause::errorEndsSession(proto::ErrorReason::UnsupportedMessage));
  EXPECT_FALSE(cause::errorEndsSession(proto::ErrorReason::RateLimited));
}

}  // namespace
}  // namespace nmsp::mse
