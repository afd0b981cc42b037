// The controller's TLS admission over real loopback connections: who gets in, which alert the
// others see on the wire, the seed-style trace lines and the YANG-named counters.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "transport/controller_fixture.h"
#include "transport/handshake_observer.h"

namespace nmsp::testing {
namespace {

class AdmissionTest : public ControllerFixture {};

TEST_F(AdmissionTest, AdmitsListedMseOverTls13AndTracesLikeTheSeed) {
  startController();
  admitSha256(mse_);
  auto ctx = clientContext(&mse_);
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    EXPECT_TRUE(co_await echo(*channel, 2));
    co_await channel->close();
  });
  waitForFreed(1);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.verify_count, 1u);
  EXPECT_EQ(stats.verify_success, 1u);
  EXPECT_EQ(stats.accept_attempts, 1u);
  EXPECT_EQ(stats.accept_success, 1u);
  EXPECT_EQ(stats.accept_reject, 0u);
  EXPECT_EQ(stats.connections_created, 1u);
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"New NMSP Connection assigned 0", "Authlist authentication succeeded",
                            "NMSP Connection successful! for conn 0"}));
  stopController();
}

TEST_F(AdmissionTest, AdmittedSessionShowsInStatusAndTrace) {
  startController();
  admitSha256(mse_);
  auto ctx = clientContext(&mse_, tls12());
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    EXPECT_TRUE(co_await echo(*channel, 2));
    EXPECT_TRUE(co_await echo(*channel, 3));
    const auto sessions = controller_->sessions();
    EXPECT_EQ(sessions.size(), 1u);
    if (sessions.size() == 1) {
      const auto& s = sessions[0];
      EXPECT_TRUE(s.active);
      EXPECT_EQ(s.peer_ip, "127.0.0.1");
      EXPECT_EQ(s.mac, mse_.mac);
      EXPECT_EQ(s.peer_name, "mse-test");
      EXPECT_EQ(s.tls_version, "TLSv1.2");
      EXPECT_EQ(s.rx_echo_req, 2u);
      EXPECT_EQ(s.tx_echo_resp, 2u);
      EXPECT_EQ(s.rx_msgs.at(0x0001), 1u);  // Init Request
      EXPECT_EQ(s.tx_msgs.at(0x0010), 1u);  // Capability Notification
    }
    co_await channel->close();
  });
  waitForFreed(1);
  const auto lines = controller_->trace().lines();
  EXPECT_TRUE(linesInOrder(
      lines,
      {"New NMSP Connection assigned 0", "sslConnectionInit: SSL_new() conn ssl ",
       "conn state: INIT, SSL state: HANDSHAKE", "SSL State = 0x", "ret_type_string=unknown",
       "ret_desc_string=unknown", "SSL_state_string=before SSL initialization", "calling authlist.",
       "Authlist authentication succeeded for conn ssl ", "Peer Validated against the AuthList",
       "SSL_do_handshake() succeeded for conn ssl ", "NMSP Connection successful! for conn 0"}));
}

// Wrong key hash: the seed's failure scenario, line for line, and alert 46 on the wire.
TEST_F(AdmissionTest, WrongHashGetsCertificateUnknownOverTls12) {
  startController();
  auto added = addAireOs(authlist::HashType::Sha256, mse_.mac, std::string(64, 'a'));
  ASSERT_TRUE(added.has_value()) << added.error();
  auto ctx = clientContext(&mse_, tls12());
  int alert = 0;
  run([&]() -> asio::awaitable<void> { alert = co_await refusalAlert(port_, *ctx); });
  waitForFreed(1);
  EXPECT_EQ(alert, 46);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.verify_count, 1u);
  EXPECT_EQ(stats.verify_fail, 1u);
  EXPECT_EQ(stats.accept_reject, 1u);
  EXPECT_EQ(stats.accept_success, 0u);
  EXPECT_EQ(stats.connections_created, 0u);
  const auto lines = controller_->trace().lines();
  ASSERT_FALSE(lines.empty());
  // The SSL id is the same in every line of the connection.
  std::string id;
  for (const auto& l : lines) {
    if (auto at = l.find("SSL_new() conn ssl "); at != std::string::npos) {
      id = l.substr(at + 19);
    }
  }
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(linesInOrder(
      lines,
      {"New NMSP Connection assigned 0", "sslConnectionInit: SSL_new() conn ssl " + id,
       "Peer certificate Validation Done for conn ssl " + id + ", calling authlist.",
       "Authlist authentication failed for conn ssl " + id,
       " MAC " + mse_.mac.toString() + ": key hash does not match the auth-list entry (SHA2 " +
           mse_.hashes.sha256_hex + " presented)",
       "Peer Not Validated against the AuthList", "ret = 0x22e", "ret_type_string=fatal",
       "ret_desc_string=certificate unknown",
       "handshake failed for conn ssl " + id + ", ssl_err 1 error = error:",
       "freeing Nmsp conn ssl " + id + ", conn id 0"}));
}

TEST_F(AdmissionTest, WrongHashGetsCertificateUnknownOverTls13) {
  startController();
  auto added = addAireOs(authlist::HashType::Sha256, mse_.mac, std::string(64, 'b'));
  ASSERT_TRUE(added.has_value());
  auto ctx = clientContext(&mse_);
  int alert = 0;
  run([&]() -> asio::awaitable<void> { alert = co_await refusalAlert(port_, *ctx); });
  waitForFreed(1);
  EXPECT_EQ(alert, 46);
  EXPECT_EQ(controller_->statistics().accept_reject, 1u);
}

TEST_F(AdmissionTest, UnknownMacIsRefused) {
  startController();
  auto other = makeIdentity(dir_.path() / "other", testMac(0x01), identity::KeyType::EcdsaP256);
  admitSha256(other);  // a different MSE is listed, ours is not
  auto ctx = clientContext(&mse_, tls12());
  int alert = 0;
  run([&]() -> asio::awaitable<void> { alert = co_await refusalAlert(port_, *ctx); });
  waitForFreed(1);
  EXPECT_EQ(alert, 46);
  EXPECT_EQ(controller_->statistics().verify_fail, 1u);
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"Authlist authentication failed", "Peer Not Validated"}));
}

// At Info level the refused peer is named right after the seed's line, with its IP and MAC.
TEST_F(AdmissionTest, InfoTraceNamesTheRefusedPeer) {
  startController();
  controller_->trace().setLevel(trace::Level::Info);
  auto sha1_listed =
      makeIdentity(dir_.path() / "sha1", testMac(0x02), identity::KeyType::EcdsaP256);
  auto added = addAireOs(authlist::HashType::Sha1, sha1_listed.mac, std::string(40, 'c'));
  ASSERT_TRUE(added.has_value()) << added.error();
  auto unknown = clientContext(&mse_, tls12());
  auto mismatch = clientContext(&sha1_listed, tls12());
  run([&]() -> asio::awaitable<void> {
    co_await refusalAlert(port_, *unknown);
    co_await refusalAlert(port_, *mismatch);
  });
  waitForFreed(2);
  const auto lines = controller_->trace().lines();
  const std::string peer_unknown =
      "MAC " + mse_.mac.toString() + ": no auth-list entry for this MAC";
  const std::string peer_mismatch = "MAC " + sha1_listed.mac.toString() +
                                    ": key hash does not match the auth-list entry (SHA1 " +
                                    sha1_listed.hashes.sha1_hex + " presented)";
  EXPECT_TRUE(linesInOrder(lines, {"Authlist authentication failed for conn ssl ", peer_unknown,
                                   "Authlist authentication failed for conn ssl ", peer_mismatch}));
  for (const auto& line : lines) {
    if (line.find(peer_unknown) != std::string::npos) {
      EXPECT_NE(line.find("] Peer 127.0.0.1:"), std::string::npos) << line;
    }
  }
}

TEST_F(AdmissionTest, MissingClientCertificateEndsWithFatalAlert) {
  startController();
  admitSha256(mse_);
  auto ctx12 = clientContext(nullptr, tls12());
  auto ctx13 = clientContext(nullptr);
  int alert12 = 0;
  int alert13 = 0;
  run([&]() -> asio::awaitable<void> {
    alert12 = co_await refusalAlert(port_, *ctx12);
    alert13 = co_await refusalAlert(port_, *ctx13);
  });
  waitForFreed(2);
  EXPECT_EQ(alert12, 40);   // handshake_failure (TLS 1.2)
  EXPECT_EQ(alert13, 116);  // certificate_required (TLS 1.3)
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.accept_reject, 2u);
  EXPECT_EQ(stats.verify_count, 0u);
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"handshake failed for conn ssl ", "peer did not return a certificate",
                            "freeing Nmsp conn ssl "}));
}

TEST_F(AdmissionTest, ExpiredCertificateIsRefused) {
  startController();
  auto expired = makeIdentity(dir_.path() / "expired", testMac(), identity::KeyType::EcdsaP256,
                              -std::chrono::hours(48), std::chrono::hours(24));
  admitSha256(expired);
  auto ctx = clientContext(&expired, tls12());
  int alert = 0;
  run([&]() -> asio::awaitable<void> { alert = co_await refusalAlert(port_, *ctx); });
  waitForFreed(1);
  EXPECT_EQ(alert, 45);  // certificate_expired: a clock problem, not the auth list
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.verify_fail, 1u);
  EXPECT_EQ(stats.cert_expired, 1u);
  EXPECT_EQ(stats.cert_not_yet_valid, 0u);
  EXPECT_NE(stats.last_validity_refusal.find("MAC " + expired.mac.toString() +
                                             ": certificate expired (valid from "),
            std::string::npos)
      << stats.last_validity_refusal;
  EXPECT_TRUE(linesInOrder(controller_->trace().lines(),
                           {"Peer certificate Validation failed for conn ssl ",
                            "MAC " + expired.mac.toString() + ": certificate expired (valid from ",
                            "Peer Not Validated against the AuthList", "ret = 0x22d",
                            "ret_desc_string=certificate expired"}));
}

TEST_F(AdmissionTest, NotYetValidCertificateIsRefusedByTheInjectedClock) {
  startController();
  admitSha256(mse_);  // notBefore = now - 5 min
  clock_shift_ = -std::chrono::hours(1);
  auto ctx = clientContext(&mse_);
  int alert = 0;
  run([&]() -> asio::awaitable<void> { alert = co_await refusalAlert(port_, *ctx); });
  waitForFreed(1);
  EXPECT_EQ(alert, 45);
  EXPECT_EQ(controller_->statistics().cert_not_yet_valid, 1u);
  // The window, the controller's clock and how far apart they are, then the NTP hint.
  std::string refusal;
  for (const auto& line : controller_->trace().lines()) {
    if (line.find("certificate not yet valid (valid from ") != std::string::npos) {
      refusal = line;
    }
  }
  EXPECT_NE(refusal.find(" UTC, local clock "), std::string::npos) << refusal;
  EXPECT_NE(refusal.find(" s before notBefore"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("check NTP on both"), std::string::npos) << refusal;
  clock_shift_ = std::chrono::seconds(0);  // same certificate, right time: admitted
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    co_await channel->close();
  });
  waitForFreed(2);
  EXPECT_EQ(controller_->statistics().accept_success, 1u);
}

TEST_F(AdmissionTest, AireOsSha1EntryAdmitsRsaMse) {
  startController();
  auto rsa = makeIdentity(dir_.path() / "rsa", testMac(0x42));
  auto added = addAireOs(authlist::HashType::Sha1, rsa.mac, rsa.hashes.sha1_hex);
  ASSERT_TRUE(added.has_value()) << added.error();
  auto ctx = clientContext(&rsa, tls12());
  run([&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port_, *ctx);
    EXPECT_TRUE(co_await echo(*channel, 9));
    co_await channel->close();
  });
  waitForFreed(1);
  EXPECT_EQ(controller_->statistics().verify_success, 1u);
}

TEST_F(AdmissionTest, StrongCipherRefusesRsaKeyExchangeForNewConnectionsOnly) {
  startController();
  admitSha256(mse_);
  auto modern = clientContext(&mse_);
  transport::ClientTlsOptions weak_options = tls12();
  weak_options.cipher_list = "AES256-SHA";
  auto weak = clientContext(&mse_, weak_options);
  run([&]() -> asio::awaitable<void> {
    // Off (default): an old TLS 1.2 client with only RSA key exchange + CBC is admitted.
    auto old_client = co_await openSession(port_, *weak);
    EXPECT_TRUE(co_await echo(*old_client, 2));
    auto existing = co_await openSession(port_, *modern);
    EXPECT_TRUE(controller_->setStrongCipher(true).has_value());
    EXPECT_TRUE(controller_->strongCipher());
    // On: the same client offer is refused...
    int alert = co_await refusalAlert(port_, *weak);
    EXPECT_EQ(alert, 40);  // handshake_failure: no shared cipher
    // ...while sessions set up before the toggle keep running.
    EXPECT_TRUE(co_await echo(*old_client, 3));
    EXPECT_TRUE(co_await echo(*existing, 4));
    auto fresh = co_await openSession(port_, *modern);
    EXPECT_TRUE(co_await echo(*fresh, 5));
    co_await old_client->close();
    co_await existing->close();
    co_await fresh->close();
  });
  waitForFreed(4);
  const auto stats = controller_->statistics();
  EXPECT_EQ(stats.accept_success, 3u);
  EXPECT_EQ(stats.accept_fail, 1u);
}

TEST_F(AdmissionTest, StrongCipherSurvivesARestartAndNoTurnsItOff) {
  startController();
  admitSha256(mse_);
  ASSERT_TRUE(controller_->setStrongCipher(true).has_value());
  const auto settings_file = dir_.path() / "controller" / "controller-settings.json";
  ASSERT_TRUE(std::filesystem::exists(settings_file));
  EXPECT_EQ(std::filesystem::status(settings_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  stopController();

  // A new controller on the same data dir starts strong and refuses the weak offer.
  startController();
  EXPECT_TRUE(controller_->strongCipher());
  transport::ClientTlsOptions weak_options = tls12();
  weak_options.cipher_list = "AES256-SHA";
  auto weak = clientContext(&mse_, weak_options);
  run([&]() -> asio::awaitable<void> { EXPECT_EQ(co_await refusalAlert(port_, *weak), 40); });
  waitForFreed(1);

  // `no nmsp strong-cipher` persists too.
  ASSERT_TRUE(controller_->setStrongCipher(false).has_value());
  stopController();
  startController();
  EXPECT_FALSE(controller_->strongCipher());
}

TEST_F(AdmissionTest, DamagedSettingsFileStopsTheStartWithItsName) {
  const auto data = dir_.path() / "controller";
  std::filesystem::create_directories(data);
  std::ofstream(data / "controller-settings.json") << "{\"strong_cipher\": \"yes\"}";
  controller::ControllerOptions options;
  options.data_dir = data;
  auto created = controller::Controller::create(io_, options);
  ASSERT_FALSE(created.has_value());
  EXPECT_NE(created.error().find("controller-settings.json"), std::string::npos) << created.error();
}

}  // namespace
}  // namespace nmsp::testing
