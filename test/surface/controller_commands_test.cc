#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "fakes.h"
#include "identity/identity.h"
#include "surface/version_command.h"
#include "surface/views.h"

namespace nmsp::surface {
namespace {

using namespace testing;
using authlist::Verdict;

const MacAddress kMac = *MacAddress::parse("00:50:56:9c:34:89");
const std::string kSha1 = "e0afbe2e2abeed5a2f9ffc75f059da6a1bf2bfa0";
const std::string kSha2 = "6ab919e20afc103d025aaf210c2a9dda151af9403ef52e80a35ae1ecb6d3c177";
const identity::KeyHashes kHashes{kSha1, kSha2};

class ControllerCommandsTest : public ::testing::Test {
 protected:
  ControllerCommandsTest() : controller_(dir_.path()) {
    registerControllerCommands(registry_, controller_);
  }
  shell::Reply run(const std::string& line) { return registry_.execute(session_, line); }
  Transcript runAll(const std::string& lines) { return runLines(registry_, session_, lines); }

  TempDir dir_;
  FakeController controller_;
  shell::CommandRegistry registry_;
  shell::Session session_;
};

api::MseSessionStatus activeSession() {
  api::MseSessionStatus s;
  s.connection_id = 0;
  s.peer_ip = "127.0.0.1";
  s.peer_port = 40000;
  s.active = true;
  s.mac = kMac;
  s.peer_name = "mse1";
  s.peer_version = "0.1.0";
  s.tls_version = "TLSv1.3";
  s.cipher = "TLS_AES_256_GCM_SHA384";
  s.tx_echo_resp = 2;
  s.rx_echo_req = 2;
  s.tx_data = 5;
  s.rx_data = 3;
  s.tx_msgs = {{0x0002, 1}, {0x0004, 2}};
  s.rx_msgs = {{0x0001, 1}, {0x0003, 2}};
  s.subscriptions = proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::InfoMs);
  return s;
}

TEST_F(ControllerCommandsTest, ShowNmspStatus) {
  auto inactive = activeSession();
  inactive.connection_id = 1;
  inactive.peer_ip = "2001:db8::1";
  inactive.active = false;
  inactive.tx_echo_resp = 0;
  inactive.rx_echo_req = 0;
  inactive.tx_data = 1;
  inactive.rx_data = 0;
  controller_.sessions_ = {activeSession(), inactive};
  const auto reply = run("sh nmsp statu");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "MSE IP Address   Active    Tx Echo Resp  Rx Echo Req  Tx Data  Rx Data  Transport\n"
            "127.0.0.1        Active    2             2            5        3        TLS\n"
            "2001:db8::1      Inactive  0             0            1        0        TLS\n");
}

TEST_F(ControllerCommandsTest, ShowNmspCapabilityGroupsServicesLikeA9800) {
  controller_.offered = proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::RssiRfid) |
                        proto::bit(proto::Service::InfoMs) | proto::bit(proto::Service::ApInfo) |
                        (proto::ServiceMask{1} << 40);
  const auto reply = run("show nmsp capability");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "Services offered to MSEs (Capability Notification)\n"
            "Service         Subservice\n"
            "--------------- ----------------------------------------\n"
            "RSSI            rssi-ms, rssi-rfid\n"
            "Info            info-ms\n"
            "AP Info         ap-info\n"
            "Other bits      0x0000010000000000\n");
}

TEST_F(ControllerCommandsTest, ShowNmspSubscriptionSummaryListsActiveMsesOnly) {
  auto ended = activeSession();
  ended.connection_id = 1;
  ended.peer_ip = "10.0.0.9";
  ended.active = false;
  auto fresh = activeSession();
  fresh.connection_id = 2;
  fresh.peer_ip = "10.0.0.7";
  fresh.peer_name.clear();
  fresh.subscriptions = 0;
  controller_.sessions_ = {activeSession(), ended, fresh};
  const auto reply = run("sh nmsp subscription sum");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "MSE IP Address: 127.0.0.1 (mse1)\n"
            "  Service         Subservice\n"
            "  --------------- ----------------------------------------\n"
            "  RSSI            rssi-ms\n"
            "  Info            info-ms\n"
            "MSE IP Address: 10.0.0.7\n"
            "  no subscriptions\n");
  controller_.sessions_.clear();
  EXPECT_EQ(run("show nmsp subscription summary").text, "No active NMSP subscriptions\n");
}

// Two MSEs on one host: the Cisco columns stay byte for byte, MAC, skew and name follow.
TEST_F(ControllerCommandsTest, ShowNmspStatusDetailTellsTwoMsesOnOneHostApart) {
  auto second = activeSession();
  second.connection_id = 1;
  second.mac = *MacAddress::parse("00:50:56:9c:34:90");
  second.peer_name = "mse2";
  second.clock_skew_ms = -45;
  controller_.sessions_ = {activeSession(), second};
  const auto plain = run("show nmsp status").text;
  const auto detail = run("show nmsp status detail");
  ASSERT_TRUE(detail.ok) << detail.text;
  EXPECT_EQ(detail.text,
            "MSE IP Address   Active    Tx Echo Resp  Rx Echo Req  Tx Data  Rx Data  Transport  "
            "MSE MAC Address    Clock Skew (ms)  MSE Name\n"
            "127.0.0.1        Active    2             2            5        3        TLS        "
            "00:50:56:9c:34:89  0                mse1\n"
            "127.0.0.1        Active    2             2            5        3        TLS        "
            "00:50:56:9c:34:90  -45              mse2\n");
  // Each detail line starts with the plain line's text.
  std::istringstream p(plain);
  std::istringstream d(detail.text);
  std::string pl;
  std::string dl;
  while (std::getline(p, pl) && std::getline(d, dl)) {
    EXPECT_EQ(dl.substr(0, pl.size()), pl);
  }
}

TEST_F(ControllerCommandsTest, ShowNmspAdmissionListsWhatEachMacPresented) {
  EXPECT_EQ(run("show nmsp admission").text,
            "No MSE has presented a certificate since the controller started\n");
  api::AdmissionAttempt a;
  a.mac = kMac;
  a.peer = "127.0.0.1:40000";
  a.verdict = "hash-mismatch";
  a.sha1_hex = std::string(40, 'b');
  a.sha256_hex = std::string(64, 'a');
  a.not_before = std::chrono::system_clock::from_time_t(1796227200);
  a.not_after = a.not_before + std::chrono::hours(24);
  a.at = a.not_before + std::chrono::hours(1);
  controller_.stats_.admissions[kMac] = a;
  EXPECT_EQ(run("show nmsp admission").text,
            "MSE 00:50:56:9c:34:89\n"
            "---------------------\n"
            "Peer                                    : 127.0.0.1:40000\n"
            "Last attempt                            : 2026-12-02 17:00:00 UTC\n"
            "Result                                  : hash-mismatch\n"
            "SHA1 Key Hash presented                 : " +
                std::string(40, 'b') +
                "\n"
                "SHA2 Key Hash presented                 : " +
                std::string(64, 'a') +
                "\n"
                "Certificate not before                  : 2026-12-02 16:00:00 UTC\n"
                "Certificate not after                   : 2026-12-03 16:00:00 UTC\n");
}

TEST_F(ControllerCommandsTest, ShowNmspStatusWithoutSessionsPrintsTheHeader) {
  EXPECT_EQ(run("show nmsp status").text,
            "MSE IP Address   Active    Tx Echo Resp  Rx Echo Req  Tx Data  Rx Data  "
            "Transport\n");
}

TEST_F(ControllerCommandsTest, ShowNmspStatisticsSummary) {
  auto& s = controller_.stats_;
  s.verify_count = 6;
  s.verify_success = 5;
  s.verify_fail = 1;
  s.accept_attempts = 8;
  s.accept_fail = 1;
  s.accept_reject = 2;
  s.accept_success = 5;
  s.connections_created = 5;
  s.connections_closed = 4;
  s.handshake_timeouts = 1;
  s.connection_cap_rejects = 1;
  s.malformed_frames = 3;
  s.echo_timeouts = 2;
  s.clock_skew_events = 1;
  s.unsupported_msgs = 7;
  s.cert_not_yet_valid = 1;
  s.last_validity_refusal =
      "127.0.0.1:40000 MAC 00:50:56:9c:34:89: certificate not yet valid (valid from ...)";
  s.tx_msgs = {{0x0002, 5}, {0x0004, 9}};
  s.rx_msgs = {{0x0001, 5}, {0x0003, 9}, {0x7777, 1}};
  s.data.source = "replay";
  s.data.devices = 2;
  s.data.observations = 30;
  s.data.frames_encoded = 4;
  s.data.replay_started = true;
  s.data.replay_played = 30;
  s.data.replay_skipped = 2;
  EXPECT_EQ(run("show nmsp statistics summary").text,
            "NMSP Global Counters\n"
            "--------------------\n"
            "Handshake timeouts                      : 1\n"
            "Connection-cap rejects                  : 1\n"
            "Malformed frames                        : 3\n"
            "Echo timeouts                           : 2\n"
            "Clock-skew events                       : 1\n"
            "Unsupported messages                    : 7\n"
            "Certificates not yet valid              : 1\n"
            "Certificates expired                    : 0\n"
            "Last certificate date refusal           : 127.0.0.1:40000 MAC 00:50:56:9c:34:89: "
            "certificate not yet valid (valid from ...)\n"
            "\n"
            "SSL Statistics\n"
            "--------------\n"
            "Total amount of verifications           : 6\n"
            "Verification failures                   : 1\n"
            "Verification success                    : 5\n"
            "Amount of connections created           : 5\n"
            "Amount of connections closed            : 4\n"
            "Total amount of accept attempts         : 8\n"
            "Failures in accept                      : 1\n"
            "Rejected accepts                        : 2\n"
            "Amount of successful accepts            : 5\n"
            "\n"
            "Message Counters\n"
            "----------------\n"
            "Message ID  Message                         Tx          Rx\n"
            "0x0001      init-request                    0           5\n"
            "0x0002      init-response                   5           0\n"
            "0x0003      echo-request                    0           9\n"
            "0x0004      echo-response                   9           0\n"
            "0x7777      unknown                         0           1\n"
            "\n"
            "Data Path\n"
            "---------\n"
            "Source                                  : replay\n"
            "Devices in the store                    : 2\n"
            "APs in the AP table                     : 0\n"
            "RSSI observations received              : 30\n"
            "Observations not stored (16 APs)        : 0\n"
            "Observations below notify threshold     : 0\n"
            "Devices evicted                         : 0\n"
            "Pending entries dropped                 : 0\n"
            "Notification entries lost               : 0\n"
            "Attachments dropped                     : 0\n"
            "Notification frames encoded             : 4\n"
            "Replay                                  : playing\n"
            "Replay observations played              : 30\n"
            "Replay passes completed                 : 0\n"
            "Replay lines skipped (malformed)        : 2\n");
}

TEST_F(ControllerCommandsTest, ShowNmspStatisticsConnection) {
  EXPECT_EQ(run("show nmsp statistics connection").text, "No NMSP connections\n");
  controller_.sessions_ = {activeSession()};
  controller_.sessions_[0].sent.measurement_notifications = 12;
  controller_.sessions_[0].sent.info_notifications = 1;
  controller_.sessions_[0].notifications_dropped = 3;
  EXPECT_EQ(run("show nmsp statistics connection").text,
            "NMSP Connection 0\n"
            "-----------------\n"
            "Peer                                    : 127.0.0.1:40000\n"
            "MAC Address                             : 00:50:56:9c:34:89\n"
            "State                                   : Active\n"
            "Peer name                               : mse1\n"
            "Peer version                            : 0.1.0\n"
            "Transport                               : TLS\n"
            "TLS version                             : TLSv1.3\n"
            "Cipher                                  : TLS_AES_256_GCM_SHA384\n"
            "Tx Echo Resp                            : 2\n"
            "Rx Echo Req                             : 2\n"
            "Tx Data                                 : 5\n"
            "Rx Data                                 : 3\n"
            "Unsupported messages                    : 0\n"
            "Clock skew (ms)                         : 0\n"
            "Subscribed services                     : rssi-ms, info-ms\n"
            "Measurement notifications sent          : 12\n"
            "Info notifications sent                 : 1\n"
            "Statistics notifications sent           : 0\n"
            "AP info notifications sent              : 0\n"
            "Attachment notifications sent           : 0\n"
            "Notifications dropped (queue full)      : 3\n"
            "Message ID  Message                         Tx          Rx\n"
            "0x0001      init-request                    0           1\n"
            "0x0002      init-response                   1           0\n"
            "0x0003      echo-request                    0           2\n"
            "0x0004      echo-response                   2           0\n");
}

TEST_F(ControllerCommandsTest, ClosedSessionStaysInStatusButNotInConnectionStatistics) {
  auto ended = activeSession();
  ended.connection_id = 7;
  ended.peer_ip = "10.0.0.9";
  ended.active = false;
  ended.closed = true;
  controller_.sessions_ = {ended};
  EXPECT_EQ(run("show nmsp status").text,
            "MSE IP Address   Active    Tx Echo Resp  Rx Echo Req  Tx Data  Rx Data  Transport\n"
            "10.0.0.9         Inactive  2             2            5        3        TLS\n");
  EXPECT_EQ(run("show nmsp statistics connection").text, "No NMSP connections\n");
  controller_.sessions_ = {ended, activeSession()};
  const auto text = run("show nmsp statistics connection").text;
  EXPECT_NE(text.find("NMSP Connection 0\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("NMSP Connection 7"), std::string::npos) << text;
}

TEST_F(ControllerCommandsTest, AireOsAuthList) {
  EXPECT_TRUE(run("config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " + kSha2).ok);
  EXPECT_TRUE(run("config auth-list add sha1-lbs-ssc 0050.569c.348a " + kSha1).ok);
  EXPECT_EQ(run("show auth-list").text, "MAC Address        Cert Type         Key Hash" +
                                            std::string(58, ' ') +
                                            "Source\n"
                                            "00:50:56:9c:34:89  LBS-SSC-SHA256    " +
                                            kSha2 +
                                            "  AireOS\n"
                                            "00:50:56:9c:34:8a  LBS-SSC           " +
                                            kSha1 + std::string(26, ' ') + "AireOS\n");
  EXPECT_EQ(controller_.authList()->check(kMac, kHashes).verdict, Verdict::Admitted);
  EXPECT_TRUE(run("config auth-list delete 00:50:56:9c:34:89").ok);
  EXPECT_EQ(controller_.authList()->check(kMac, kHashes).verdict, Verdict::NoEntry);
  const auto missing = run("config auth-list delete 00:50:56:9c:34:89");
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.text, "% no auth-list entry for 00:50:56:9c:34:89\n");
}

TEST_F(ControllerCommandsTest, AireOsErrorsPointAtTheBadWord) {
  auto reply = run("config auth-list add sha256-lbs-ssc 00:50:56:9c:34:zz " + kSha2);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "config auth-list add sha256-lbs-ssc 00:50:56:9c:34:zz " + kSha2 + "\n" +
                            std::string(36, ' ') +
                            "^\n% Invalid input detected at '^' marker: malformed MAC address "
                            "\"00:50:56:9c:34:zz\"\n");
  reply = run("config auth-list add sha1-lbs-ssc 00:50:56:9c:34:89 " + kSha2);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "config auth-list add sha1-lbs-ssc 00:50:56:9c:34:89 " + kSha2 + "\n" +
                            std::string(52, ' ') +
                            "^\n% Invalid input detected at '^' marker: a SHA1 key hash has 40 "
                            "hex digits, \"" +
                            kSha2 + "\" has 64\n");
  EXPECT_TRUE(controller_.authList()->entries().empty());
}

TEST_F(ControllerCommandsTest, IosXeBlockAdmitsTheMse) {
  const auto t = runAll(
      "configure terminal\n"
      "username 0050569c3489 aaa attribute list NMSP\n"
      "aaa attribute list NMSP\n"
      " attribute type password " +
      kSha2 +
      "\n"
      "aaa authorization credential-download wcm_loc_serv_cert local\n"
      "end\n");
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(t.text, "");
  EXPECT_EQ(session_.mode(), shell::Mode::Exec);
  EXPECT_EQ(controller_.authList()->check(kMac, kHashes).verdict, Verdict::Admitted);
  EXPECT_TRUE(controller_.authList()->credentialDownload());
  EXPECT_EQ(run("show auth-list").text, "MAC Address        Cert Type         Key Hash" +
                                            std::string(58, ' ') +
                                            "Source\n"
                                            "00:50:56:9c:34:89  LBS-SSC-SHA256    " +
                                            kSha2 + "  IOS-XE list NMSP\n");
}

TEST_F(ControllerCommandsTest, AireOsDeleteNotesTheIosXeUsernameThatStillAdmits) {
  ASSERT_TRUE(runAll("conf t\nusername 0050569c3489 aaa attribute list NMSP\n"
                     "aaa attribute list NMSP\nattribute type password " +
                     kSha2 + "\nend")
                  .ok);
  EXPECT_TRUE(run("config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " + kSha2).ok);
  const std::string note =
      "% MAC 00:50:56:9c:34:89 is still admitted by IOS-XE \"username 0050569c3489\"; remove it "
      "with \"no username 0050569c3489\"\n";
  auto reply = run("config auth-list delete 00:50:56:9c:34:89");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text, note);
  const auto entries = controller_.authList()->entries();
  ASSERT_EQ(entries.size(), 1u);  // the AireOS entry is gone, the IOS-XE one stays
  EXPECT_EQ(entries[0].attribute_list, "NMSP");
  // Nothing left to delete in AireOS: refused as before, with the same hint.
  reply = run("config auth-list delete 00:50:56:9c:34:89");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% no auth-list entry for 00:50:56:9c:34:89; " + note.substr(2));
  // Without a username, no note.
  ASSERT_TRUE(runAll("conf t\nno username 0050569c3489\nend").ok);
  EXPECT_TRUE(run("config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " + kSha2).ok);
  reply = run("config auth-list delete 00:50:56:9c:34:89");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text, "");
}

TEST_F(ControllerCommandsTest, PasswordChangeOfASharedOrUsedListWarnsAndNamesTheUsernames) {
  const std::string other(64, 'a');
  // First password of a list with one username: nothing to warn about.
  auto t = runAll(
      "conf t\nusername 0050569c3489 aaa attribute list NMSP\naaa attribute list NMSP\n"
      "attribute type password " +
      kSha2);
  EXPECT_TRUE(t.ok);
  EXPECT_EQ(t.text, "");
  // The same hash again changes nothing.
  EXPECT_EQ(run("attribute type password " + kSha2).text, "");
  // A different hash: accepted, with a warning naming who now needs the new key (walkthrough A1).
  auto reply = run("attribute type password " + other);
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text, "% Warning: attribute list NMSP had another key hash (" + kSha2 +
                            "); username 0050569c3489 is now admitted only with the new one\n");
  EXPECT_EQ(controller_.authList()->listPassword("NMSP"), other);
  // A fresh list already shared by two usernames.
  t = runAll(
      "exit\nusername 0050569c3494 aaa attribute list SHARED\n"
      "username 0050569c3489 aaa attribute list SHARED\naaa attribute list SHARED\n"
      "attribute type password " +
      kSha2);
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(t.text,
            "% Warning: attribute list SHARED is shared by username 0050569c3489, username "
            "0050569c3494: all of them are now admitted with this one key hash; give each MSE its "
            "own list (e.g. NMSP_<mac>)\n");
  EXPECT_EQ(controller_.authList()->listPassword("SHARED"), kSha2);
}

TEST_F(ControllerCommandsTest, GroupBroadcastAndZeroMacsAreRefused) {
  auto reply = run("config auth-list add sha256-lbs-ssc ff:ff:ff:ff:ff:ff " + kSha2);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "config auth-list add sha256-lbs-ssc ff:ff:ff:ff:ff:ff " + kSha2 + "\n" +
                            std::string(36, ' ') +
                            "^\n% Invalid input detected at '^' marker: ff:ff:ff:ff:ff:ff is the "
                            "broadcast MAC address, not an MSE's address\n");
  reply = run("config auth-list add sha1-lbs-ssc 01:00:5e:00:00:01 " + kSha1);
  EXPECT_FALSE(reply.ok);
  EXPECT_NE(reply.text.find("% Invalid input detected at '^' marker: 01:00:5e:00:00:01 is a "
                            "multicast MAC address (group bit set in the first octet)"),
            std::string::npos)
      << reply.text;
  run("configure terminal");
  reply = run("username 000000000000 aaa attribute list NMSP");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "username 000000000000 aaa attribute list NMSP\n"
            "         ^\n"
            "% Invalid input detected at '^' marker: 00:00:00:00:00:00 is the all-zero MAC "
            "address, not an MSE's address\n");
  EXPECT_TRUE(controller_.authList()->entries().empty());
  EXPECT_TRUE(controller_.authList()->runningConfigLines().empty());
}

TEST_F(ControllerCommandsTest, IosXeMalformedMacChangesNothing) {
  run("configure terminal");
  const auto reply = run("username 00505g9c3489 aaa attribute list NMSP");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "username 00505g9c3489 aaa attribute list NMSP\n"
            "         ^\n"
            "% Invalid input detected at '^' marker: malformed MAC address \"00505g9c3489\"\n");
  EXPECT_TRUE(controller_.authList()->runningConfigLines().empty());
  EXPECT_EQ(session_.mode(), shell::Mode::Config);
}

TEST_F(ControllerCommandsTest, IosXeBadPasswordAndListName) {
  runAll("conf t\naaa attribute list NMSP");
  auto reply = run("attribute type password 1234");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "attribute type password 1234\n"
            "                        ^\n"
            "% Invalid input detected at '^' marker: a key hash has 40 (SHA1) or 64 (SHA2) hex "
            "digits, \"1234\" has 4\n");
  EXPECT_EQ(session_.mode(), shell::Mode::ConfigAttrList);
  reply = run("username 0050569c3489 aaa attribute list bad/name");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.substr(0, reply.text.find('\n', reply.text.find('\n') + 1)),
            "username 0050569c3489 aaa attribute list bad/name\n"
            "                                         ^");
  EXPECT_EQ(controller_.authList()->runningConfigLines(),
            std::vector<std::string>{"aaa attribute list NMSP"});
}

TEST_F(ControllerCommandsTest, IosXeNoForms) {
  runAll(
      "conf t\nusername 0050569c3489 mac aaa attribute list NMSP\naaa attribute list NMSP\n"
      "attribute type password " +
      kSha2);
  EXPECT_EQ(controller_.authList()->check(kMac, kHashes).verdict, Verdict::Admitted);
  EXPECT_TRUE(run("no username 0050.569c.3489").ok);
  EXPECT_EQ(controller_.authList()->check(kMac, kHashes).verdict, Verdict::NoEntry);
  EXPECT_TRUE(run("no aaa attribute list NMSP").ok);
  EXPECT_FALSE(controller_.authList()->hasList("NMSP"));
  EXPECT_EQ(run("no username 0050569c3489").text, "% no username 0050569c3489\n");
}

TEST_F(ControllerCommandsTest, StrongCipherAndRunningConfig) {
  const auto t = runAll(
      "conf t\n"
      "nmsp strong-cipher\n"
      "username 0050569c3489 aaa attribute list NMSP\n"
      "aaa attribute list NMSP\n"
      "attribute type password " +
      kSha2 +
      "\n"
      "aaa authorization credential-download wcm_loc_serv_cert local\n"
      "end\n"
      "config auth-list add sha1-lbs-ssc 00:50:56:9c:34:8a " +
      kSha1);
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_TRUE(controller_.strongCipher());
  const std::string config =
      "!\n"
      "hostname wlc1\n"
      "!\n"
      "nmsp enable\n"
      "nmsp strong-cipher\n"
      "!\n"
      "aaa authorization credential-download wcm_loc_serv_cert local\n"
      "aaa attribute list NMSP\n"
      " attribute type password " +
      kSha2 +
      "\n"
      "username 0050569c3489 aaa attribute list NMSP\n"
      "!\n"
      "! AireOS auth-list entries (exec-mode commands, see show auth-list):\n"
      "do config auth-list add sha1-lbs-ssc 00:50:56:9c:34:8a " +
      kSha1 +
      "\n"
      "!\n"
      "end\n";
  EXPECT_EQ(run("show running-config").text,
            "Building configuration...\n\nCurrent configuration : " +
                std::to_string(config.size()) + " bytes\n" + config);
  runAll("conf t\nno nmsp strong-cipher\nend");
  EXPECT_FALSE(controller_.strongCipher());
}

TEST_F(ControllerCommandsTest, PastedRunningConfigRecreatesTheConfiguration) {
  runAll(
      "conf t\nnmsp strong-cipher\nusername 0050569c3489 aaa attribute list NMSP\n"
      "aaa attribute list NMSP\nattribute type password " +
      kSha2 + "\naaa authorization credential-download wcm_loc_serv_cert local\nend");
  const std::string config = run("show running-config").text;

  TempDir other_dir;
  FakeController other(other_dir.path());
  shell::CommandRegistry other_registry;
  registerControllerCommands(other_registry, other);
  shell::Session session;
  // The first line is IOS's banner, not configuration.
  const auto t =
      runLines(other_registry, session, "configure terminal\n" + config.substr(config.find('!')));
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(other_registry.execute(session, "show running-config").text, config);
  EXPECT_EQ(other.authList()->check(kMac, kHashes).verdict, Verdict::Admitted);
}

// The whole output, header included, piped into a fresh controller's shell in exec mode.
TEST_F(ControllerCommandsTest, WholeRunningConfigPastesBackAsItIs) {
  const auto setup = runAll(
      "conf t\nnmsp strong-cipher\nusername 0050569c3489 aaa attribute list NMSP\n"
      "aaa attribute list NMSP\nattribute type password " +
      kSha2 +
      "\nend\n"
      "config auth-list add sha1-lbs-ssc 00:50:56:9c:34:8a " +
      kSha1);
  ASSERT_TRUE(setup.ok) << setup.text;
  const std::string config = run("show running-config").text;
  ASSERT_NE(config.find("Current configuration : "), std::string::npos);

  TempDir other_dir;
  FakeController other(other_dir.path());
  shell::CommandRegistry other_registry;
  registerControllerCommands(other_registry, other);
  shell::Session session;
  const auto t = runLines(other_registry, session, config);
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(t.text, "");
  EXPECT_EQ(session.mode(), shell::Mode::Exec);  // "end" closed the configuration
  EXPECT_EQ(other_registry.execute(session, "show running-config").text, config);
  EXPECT_EQ(other.authList()->entries().size(), controller_.authList()->entries().size());
  EXPECT_TRUE(other.strongCipher());
}

TEST_F(ControllerCommandsTest, WrongRoleCommandsSayWhereTheyBelong) {
  auto reply = run("show server-auth-info");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% This is a controller; show server-auth-info is on the MSE\n");
  EXPECT_EQ(run("config controllers add 10.0.0.1").text,
            "% This is a controller; controller links are configured on the MSE\n");
  EXPECT_EQ(run("sh controllers").text,
            "% This is a controller; show controllers is on the MSE (here: show nmsp status)\n");
  // A typo in a controller command is still an invalid input.
  EXPECT_NE(run("show nmsp bogus").text.find("% Invalid input detected"), std::string::npos);
}

TEST_F(ControllerCommandsTest, ShowVersion) {
  const auto reply = run("sh ver");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text.substr(0, reply.text.find("Wire protocol")),
            "OpenNMSP Software (nmsp), Version " + softwareVersion() +
                "\nRole: controller\nHost name: wlc1\n");
  EXPECT_NE(softwareVersion().find('.'), std::string::npos);
}

TEST_F(ControllerCommandsTest, HostNameAndNmspEnable) {
  run("conf t");
  EXPECT_TRUE(run("hostname wlc1").ok);
  EXPECT_EQ(run("hostname other").text,
            "% the host name is \"wlc1\" and is set when the controller daemon starts\n");
  EXPECT_TRUE(run("nmsp enable").ok);
  EXPECT_FALSE(run("no nmsp enable").ok);
}

TEST_F(ControllerCommandsTest, TraceCommands) {
  EXPECT_TRUE(run("set trace nmsp connection level debug").ok);
  EXPECT_EQ(controller_.trace_.level(), trace::Level::Debug);
  controller_.trace_.add(trace::Level::Info, "New NMSP Connection assigned 0");
  controller_.trace_.add(trace::Level::Debug, "sslConnectionInit: SSL_new()");
  const std::string pid = std::to_string(::getpid());
  EXPECT_EQ(run("show trace messages nmsp").text,
            "[06/03/15 22:28:10.762 UTC 1 " + pid + "] New NMSP Connection assigned 0\n" +
                "[06/03/15 22:28:10.762 UTC 2 " + pid + "] sslConnectionInit: SSL_new()\n");
  EXPECT_EQ(run("show trace nmsp connection level").text, "nmsp connection trace level: debug\n");
  EXPECT_TRUE(run("clear trace messages nmsp").ok);
  EXPECT_EQ(run("show trace messages nmsp").text, "");
  const auto bad = run("set trace nmsp connection level loud");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.text,
            "set trace nmsp connection level loud\n"
            "                                ^\n"
            "% Invalid input detected at '^' marker: unknown trace level \"loud\": use debug, "
            "info or off\n");
  EXPECT_TRUE(run("set trace nmsp connection level off").ok);
  EXPECT_EQ(controller_.trace_.level(), trace::Level::Off);
}

TEST_F(ControllerCommandsTest, HelpShowsTheCommands) {
  const auto reply = run("show nmsp ?");
  EXPECT_EQ(
      reply.text,
      "  admission     Last admission decision per MSE MAC, with the key hashes it presented\n"
      "  capability    Services this controller offers to MSEs\n"
      "  notification  NMSP notification settings\n"
      "  statistics    NMSP counters\n"
      "  status        Status of the MSE connections\n"
      "  subscription  MSE service subscriptions\n");
  run("conf t");
  const auto config = run("?").text;
  EXPECT_NE(config.find("  username "), std::string::npos) << config;
  EXPECT_NE(config.find("  nmsp "), std::string::npos) << config;
}

// The identity of an MSE with MAC kMac (a fast ECDSA key).
Result<identity::Identity, std::string> mseIdentity(const TempDir& dir) {
  identity::CreateOptions options;
  options.mac = kMac;
  options.key_type = identity::KeyType::EcdsaP256;
  return identity::create(dir.path(), options);
}

// What `show server-auth-info` prints on an MSE, pasted into the controller, admits that MSE.
TEST_F(ControllerCommandsTest, ServerAuthInfoPasteAdmitsTheMse) {
  TempDir mse_dir;
  auto mse = mseIdentity(mse_dir);
  ASSERT_TRUE(mse) << mse.error();
  const std::string info = serverAuthInfoView(*mse);
  const std::string ios_block = info.substr(
      info.find("configure terminal"), info.find("end\n") + 4 - info.find("configure terminal"));
  const auto t = runAll(ios_block);
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(controller_.authList()->check(kMac, mse->hashes).verdict, Verdict::Admitted);

  TempDir aireos_dir;
  FakeController aireos(aireos_dir.path());
  shell::CommandRegistry aireos_registry;
  registerControllerCommands(aireos_registry, aireos);
  shell::Session session;
  const auto from = info.find("! On an AireOS controller");
  const auto aireos_t = runLines(aireos_registry, session, info.substr(from));
  EXPECT_TRUE(aireos_t.ok) << aireos_t.text;
  EXPECT_EQ(aireos.authList()->check(kMac, mse->hashes).verdict, Verdict::Admitted);
}

// The whole output, pasted: the header is accepted, the IOS-XE block applies, the AireOS lines
// for the same MSE are skipped with the reason.
TEST_F(ControllerCommandsTest, WholeServerAuthInfoPasteAppliesTheIosXeBlockOnly) {
  TempDir mse_dir;
  auto mse = mseIdentity(mse_dir);
  ASSERT_TRUE(mse) << mse.error();
  const std::string info = serverAuthInfoView(*mse);
  const auto t = runAll(info);
  EXPECT_TRUE(t.ok) << t.text;
  EXPECT_EQ(t.text,
            "% Pasted show server-auth-info of MSE 00:50:56:9c:34:89: its header changes nothing "
            "here; its IOS-XE block (configure terminal ... end) admits the MSE, its AireOS lines "
            "are skipped\n"
            "% Skipped: AireOS form of the pasted show server-auth-info; the IOS-XE block above "
            "admits 00:50:56:9c:34:89\n"
            "% Skipped: AireOS form of the pasted show server-auth-info; the IOS-XE block above "
            "admits 00:50:56:9c:34:89\n");
  EXPECT_EQ(controller_.authList()->check(kMac, mse->hashes).verdict, Verdict::Admitted);
  const auto entries = controller_.authList()->entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].attribute_list, "NMSP_0050569c3489");
  // The paste is over: the same AireOS line typed afterwards runs.
  EXPECT_TRUE(
      run("config auth-list add sha1-lbs-ssc 00:50:56:9c:34:89 " + mse->hashes.sha1_hex).ok);
  EXPECT_EQ(controller_.authList()->entries().size(), 2u);
}

// Without its IOS-XE block (the header and the AireOS lines only), nothing is admitted, and
// the reply says why.
TEST_F(ControllerCommandsTest, ServerAuthInfoPasteWithoutTheIosXeBlockSaysWhy) {
  const auto t = runAll(
      "----------------\nServer Auth Info\n----------------\n"
      "MAC Address: 00:50:56:9c:34:89\nSHA1 Key Hash: " +
      kSha1 + "\nSHA2 Key Hash: " + kSha2 +
      "\nCertificate Type: SSC\n"
      "config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " +
      kSha2);
  EXPECT_FALSE(t.ok);
  EXPECT_NE(t.text.find("% Not applied: AireOS line of a pasted show server-auth-info, and no "
                        "IOS-XE username admits 00:50:56:9c:34:89"),
            std::string::npos)
      << t.text;
  EXPECT_TRUE(controller_.authList()->entries().empty());
}

}  // namespace
}  // namespace nmsp::surface

namespace nmsp::surface {
namespace {

TEST_F(ControllerCommandsTest, ShowNmspNotificationIntervalAndTheConfigCommands) {
  const std::string defaults =
      "NMSP Notification Intervals\n"
      "---------------------------\n"
      "\n"
      "RSSI Interval:\n"
      " Client         : 2 sec\n"
      " RFID           : 2 sec\n"
      " Rogue          : 2 sec\n"
      " Spectrum       : 2 sec\n"
      "\n"
      "Location RSSI Settings\n"
      "----------------------\n"
      "Class      Half-life  Expiry    Notify threshold\n"
      "client     0 sec      15 sec    0 dB\n"
      "tags       0 sec      15 sec    0 dB\n"
      "rogue-aps  0 sec      15 sec    0 dB\n";
  EXPECT_EQ(run("show nmsp notification interval").text, defaults);
  const auto t = runAll(
      "configure terminal\n"
      "nmsp notification interval rssi rfid 5\n"
      "nmsp notification interval rssi clients 181\n"
      "location rssi-half-life tags 10\n"
      "location rssi-half-life client 7\n"
      "location expiry rogue-aps 60\n"
      "location expiry client 4\n"
      "location notify-threshold rogues 3\n"
      "location notify-threshold tags 11\n"
      "end\n");
  EXPECT_NE(t.text.find("nmsp notification interval rssi clients 181\n"
                        "                                        ^\n"
                        "% Invalid input detected at '^' marker: the interval must be a whole "
                        "number of seconds from 1 to 180\n"),
            std::string::npos)
      << t.text;
  EXPECT_NE(t.text.find("% Invalid input detected at '^' marker: the half-life must be one of 0, "
                        "1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300 seconds\n"),
            std::string::npos)
      << t.text;
  EXPECT_NE(t.text.find("% Invalid input detected at '^' marker: the expiry must be a whole "
                        "number of seconds from 5 to 3600\n"),
            std::string::npos)
      << t.text;
  EXPECT_NE(t.text.find("% Invalid input detected at '^' marker: the threshold must be a whole "
                        "number of dB from 0 to 10\n"),
            std::string::npos)
      << t.text;
  aggregate::AggregationSettings expected;
  expected.interval_s[1] = 5;
  expected.half_life_s[1] = 10;
  expected.expiry_s[2] = 60;
  expected.notify_threshold_db[2] = 3;
  EXPECT_EQ(controller_.aggregation, expected);
  const std::string shown = run("show nmsp notification interval").text;
  EXPECT_NE(shown.find(" RFID           : 5 sec\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("tags       10 sec     15 sec    0 dB\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("rogue-aps  0 sec      60 sec    3 dB\n"), std::string::npos) << shown;
  const std::string config = run("show running-config").text;
  EXPECT_NE(config.find("nmsp enable\n"
                        "nmsp notification interval rssi rfid 5\n"
                        "location rssi-half-life tags 10\n"
                        "location expiry rogue-aps 60\n"
                        "location notify-threshold rogues 3\n"
                        "!\n"),
            std::string::npos)
      << config;
  const auto reset = runAll(
      "configure terminal\n"
      "no nmsp notification interval rssi rfid\n"
      "no location rssi-half-life tags\n"
      "no location expiry rogue-aps\n"
      "no location notify-threshold rogues\n"
      "end\n");
  EXPECT_EQ(controller_.aggregation, aggregate::AggregationSettings{}) << reset.text;
}

TEST_F(ControllerCommandsTest, ShowNmspSubscriptionDetailListsServicesWithIntervals) {
  EXPECT_EQ(run("show nmsp subscription detail").text, "No active NMSP subscriptions\n");
  auto s = activeSession();
  s.subscriptions |= proto::bit(proto::Service::ApInfo) | proto::bit(proto::Service::OnDemand);
  s.service_interval_s[static_cast<size_t>(proto::Service::RssiMs)] = 2;
  s.service_interval_s[static_cast<size_t>(proto::Service::InfoMs)] = 30;
  controller_.sessions_ = {s};
  EXPECT_EQ(run("show nmsp subscription detail").text,
            "MSE IP Address: 127.0.0.1 (mse1)\n"
            "  Service         Subservice        Interval\n"
            "  --------------- ----------------- ---------\n"
            "  RSSI            rssi-ms           2 s\n"
            "  Info            info-ms           30 s\n"
            "  On Demand       on-demand         -\n"
            "  AP Info         ap-info           on change\n");
}

}  // namespace
}  // namespace nmsp::surface
