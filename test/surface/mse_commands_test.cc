#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include "fakes.h"
#include "surface/controller_address.h"
#include "surface/version_command.h"
#include "surface/views.h"

namespace nmsp::surface {
namespace {

using namespace testing;

const std::string kSha1 = "e0afbe2e2abeed5a2f9ffc75f059da6a1bf2bfa0";
const std::string kSha2 = "6ab919e20afc103d025aaf210c2a9dda151af9403ef52e80a35ae1ecb6d3c177";

class MseCommandsTest : public ::testing::Test {
 protected:
  MseCommandsTest() {
    mse_.identity_.mac = *MacAddress::parse("00:50:56:9c:34:89");
    mse_.identity_.hashes = {kSha1, kSha2};
    registerMseCommands(registry_, mse_);
  }
  shell::Reply run(const std::string& line) { return registry_.execute(session_, line); }
  /// A client heard by one AP (-52 dBm) via wlc-a, received at `received_ms`.
  void addClient(const std::string& mac, uint64_t received_ms) {
    proto::DeviceMeasurement m;
    m.mac = *MacAddress::parse(mac);
    proto::ApRssi r;
    r.ap_mac = *MacAddress::parse("00:2b:01:00:0a:00");
    r.rssi_dbm = -52;
    r.timestamp_utc_ms = 1764633600000;
    m.aps.push_back(r);
    mse_.table_.onMeasurement(mse_.table_.controller("wlc-a"), m, received_ms);
  }

  FakeMse mse_;
  shell::CommandRegistry registry_;
  shell::Session session_;
};

TEST_F(MseCommandsTest, ShowServerAuthInfo) {
  const auto reply = run("show server-auth-info");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "----------------\n"
            "Server Auth Info\n"
            "----------------\n"
            "MAC Address: 00:50:56:9c:34:89\n"
            "SHA1 Key Hash: " +
                kSha1 +
                "\n"
                "SHA2 Key Hash: " +
                kSha2 +
                "\n"
                "Certificate Type: SSC\n"
                "\n"
                "! To admit this MSE on an IOS-XE controller (Catalyst 9800, 3850), paste:\n"
                "configure terminal\n"
                "username 0050569c3489 aaa attribute list NMSP_0050569c3489\n"
                "aaa attribute list NMSP_0050569c3489\n"
                " attribute type password " +
                kSha2 +
                "\n"
                "aaa authorization credential-download wcm_loc_serv_cert local\n"
                "end\n"
                "\n"
                "! On an AireOS controller, run:\n"
                "config auth-list add sha256-lbs-ssc 00:50:56:9c:34:89 " +
                kSha2 +
                "\n"
                "! or, for a controller that only takes SHA1 key hashes:\n"
                "config auth-list add sha1-lbs-ssc 00:50:56:9c:34:89 " +
                kSha1 + "\n");
}

// The IOS-XE block of `show server-auth-info`, from "configure terminal" to "end".
std::string iosXeBlock(const identity::Identity& id) {
  const std::string text = serverAuthInfoView(id);
  const auto begin = text.find("configure terminal\n");
  const auto end = text.find("end\n", begin);
  return text.substr(begin, end + 4 - begin);
}

TEST(ServerAuthInfoBlock, PastedForTwoMsesAdmitsBoth) {
  TempDir dir;
  FakeController controller(dir.path());
  shell::CommandRegistry registry;
  registerControllerCommands(registry, controller);
  shell::Session session;
  identity::Identity first;
  first.mac = *MacAddress::parse("00:50:56:9c:34:89");
  first.hashes = {kSha1, kSha2};
  identity::Identity second;
  second.mac = *MacAddress::parse("00:50:56:9c:34:94");
  second.hashes = {std::string(40, 'b'), std::string(64, 'b')};
  for (const auto* id : {&first, &second}) {
    const auto pasted = runLines(registry, session, iosXeBlock(*id));
    ASSERT_TRUE(pasted.ok) << pasted.text;
  }
  EXPECT_EQ(controller.authList()->check(first.mac, first.hashes).verdict,
            authlist::Verdict::Admitted);
  EXPECT_EQ(controller.authList()->check(second.mac, second.hashes).verdict,
            authlist::Verdict::Admitted);
}

TEST_F(MseCommandsTest, AddAndDeleteControllers) {
  EXPECT_TRUE(run("config controllers add 192.0.2.1").ok);
  EXPECT_TRUE(run("config controllers add wlc.example:17000").ok);
  EXPECT_TRUE(run("config controllers add [2001:db8::1]:16114").ok);
  EXPECT_TRUE(run("conf controllers add 2001:db8::2").ok);
  ASSERT_EQ(mse_.links_.size(), 4u);
  EXPECT_EQ(mse_.links_[0].host, "192.0.2.1");
  EXPECT_EQ(mse_.links_[0].port, 16113);
  EXPECT_EQ(mse_.links_[1].host, "wlc.example");
  EXPECT_EQ(mse_.links_[1].port, 17000);
  EXPECT_EQ(mse_.links_[2].host, "2001:db8::1");
  EXPECT_EQ(mse_.links_[2].port, 16114);
  EXPECT_EQ(mse_.links_[3].host, "2001:db8::2");
  EXPECT_EQ(mse_.links_[3].port, 16113);
  EXPECT_TRUE(run("config controllers delete [2001:db8::1]").ok);
  EXPECT_EQ(mse_.deleted_port_, std::nullopt);  // no port: the MSE picks among the host's
  EXPECT_TRUE(run("config controllers delete wlc.example:17000").ok);
  EXPECT_EQ(mse_.deleted_port_, std::optional<uint16_t>(17000));
  EXPECT_EQ(mse_.links_.size(), 2u);
  EXPECT_EQ(run("config controllers delete wlc.example").text, "% no controller wlc.example\n");
  EXPECT_EQ(run("config controllers add refused.example").text,
            "% cannot persist the controller list\n");
}

TEST_F(MseCommandsTest, BadControllerAddresses) {
  auto reply = run("config controllers add 192.0.2.1:99999");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "config controllers add 192.0.2.1:99999\n"
            "                       ^\n"
            "% Invalid input detected at '^' marker: invalid port \"99999\": use 1 to 65535\n");
  EXPECT_FALSE(run("config controllers add [2001:db8::1").ok);
  EXPECT_FALSE(run("config controllers add [192.0.2.1]:1").ok);
  EXPECT_FALSE(run("config controllers add host:").ok);
  EXPECT_FALSE(run("config controllers add bad!host").ok);
  EXPECT_TRUE(mse_.links_.empty());
}

TEST_F(MseCommandsTest, AddressesThatLookLikeIpv4MustBeIpv4) {
  auto reply = run("config controllers add 10.0.0.300");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "config controllers add 10.0.0.300\n"
            "                       ^\n"
            "% Invalid input detected at '^' marker: \"10.0.0.300\" is not an IPv4 address (four "
            "numbers 0 to 255, e.g. 10.0.0.5)\n");
  for (const char* bad : {"1.2.3", "1.2.3:16113", "10.0.0.1.5", "10..0.1", "4294967295"}) {
    reply = run(std::string("config controllers add ") + bad);
    EXPECT_FALSE(reply.ok) << bad;
    EXPECT_NE(reply.text.find("% Invalid input detected"), std::string::npos) << bad;
  }
  EXPECT_FALSE(run("config controllers delete 1.2.3").ok);
  EXPECT_TRUE(mse_.links_.empty());
  EXPECT_TRUE(run("config controllers add 10.0.0.255:16114").ok);
  EXPECT_TRUE(run("config controllers add 1.2.3.example").ok);  // a name, not an address
  EXPECT_EQ(mse_.links_.size(), 2u);
}

TEST(ControllerAddress, Parses) {
  auto a = parseControllerAddress("[::1]");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 16113);
  a = parseControllerAddress("localhost:1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 1);
  EXPECT_FALSE(parseControllerAddress("localhost:0"));
  EXPECT_FALSE(parseControllerAddress("localhost:12a"));
  EXPECT_FALSE(parseControllerAddress(""));
  EXPECT_TRUE(a->port_given);  // "localhost:1"
  EXPECT_FALSE(parseControllerAddress("wlc")->port_given);
  EXPECT_TRUE(parseControllerAddress("wlc:16113")->port_given);
  EXPECT_TRUE(parseControllerAddress("[::1]:16113")->port_given);
  EXPECT_FALSE(parseControllerAddress("::1")->port_given);
}

TEST_F(MseCommandsTest, ShowControllers) {
  api::ControllerLinkStatus up;
  up.host = "127.0.0.1";
  up.active = true;
  up.peer_name = "wlc1";
  up.tx_echo_req = 3;
  up.rx_echo_resp = 3;
  api::ControllerLinkStatus down;
  down.host = "2001:db8::1";
  down.port = 16114;
  down.last_cause =
      "controller rejected this MSE's certificate (TLS alert: certificate unknown): add MAC "
      "00:50:56:9c:34:89 with SHA2 key hash " +
      kSha2 + " to its auth list";
  mse_.links_ = {up, down};
  EXPECT_EQ(
      run("show controllers").text,
      "Controller                              Port   Status    Peer name         Echo Tx/Rx\n"
      "127.0.0.1                               16113  ACTIVE    wlc1              3/3\n"
      "2001:db8::1                             16114  INACTIVE  -                 0/0\n"
      "  last cause: " +
          down.last_cause + "\n");
  mse_.links_.clear();
  EXPECT_EQ(
      run("show controllers").text,
      "Controller                              Port   Status    Peer name         Echo Tx/Rx\n"
      "No controllers configured; add one with: config controllers add <host>[:<port>]\n");
}

TEST_F(MseCommandsTest, ShowControllersDetailAsDocumented) {
  using proto::bit;
  using proto::Service;
  const uint64_t defaults =
      bit(Service::RssiMs) | bit(Service::RssiRfid) | bit(Service::RssiRogue) |
      bit(Service::ApMonitor) | bit(Service::InfoMs) | bit(Service::InfoRfid) |
      bit(Service::InfoRogue) | bit(Service::StatsMs) | bit(Service::StatsRfid) |
      bit(Service::StatsRogue) | bit(Service::Attach) | bit(Service::ApInfo);
  api::ControllerLinkStatus a;
  a.host = "10.0.0.5";
  a.active = true;
  a.peer_name = "wlc-a";
  a.tx_echo_req = 4;
  a.rx_echo_resp = 4;
  a.services_configured = defaults;
  a.services_granted = defaults & ~bit(Service::ApMonitor);
  api::ControllerLinkStatus b;
  b.host = "10.0.0.6";
  b.last_cause =
      "connection refused by 10.0.0.6:16113: check that NMSP is enabled on the controller and "
      "TCP 16113 is open";
  b.services_configured = bit(Service::RssiMs) | bit(Service::ApInfo);
  b.services_granted = b.services_configured;  // of an earlier session: not shown
  mse_.links_ = {a, b};
  // The example of docs/operator-commands.md, byte for byte.
  EXPECT_EQ(run("show controllers detail").text,
            "Controller                              Port   Status    Peer name         Echo "
            "Tx/Rx\n"
            "10.0.0.5                                16113  ACTIVE    wlc-a             4/4\n"
            "  services: rssi-ms, rssi-rfid, rssi-rogue, info-ms, info-rfid, info-rogue, "
            "stats-ms, stats-rfid, stats-rogue, attach, ap-monitor, ap-info\n"
            "  granted: rssi-ms, rssi-rfid, rssi-rogue, info-ms, info-rfid, info-rogue, stats-ms, "
            "stats-rfid, stats-rogue, attach, ap-info\n"
            "10.0.0.6                                16113  INACTIVE  -                 0/0\n"
            "  last cause: connection refused by 10.0.0.6:16113: check that NMSP is enabled on "
            "the controller and TCP 16113 is open\n"
            "  services: rssi-ms, ap-info\n"
            "  granted: none\n");
  // show controllers is unchanged by the detail lines.
  EXPECT_EQ(run("show controllers").text.find("services:"), std::string::npos);
}

TEST_F(MseCommandsTest, ConfigControllerServices) {
  ASSERT_TRUE(run("config controllers add 10.0.0.5").ok);
  EXPECT_TRUE(run("config controllers services 10.0.0.5 rssi-ms, ap-info attach").ok);
  EXPECT_EQ(mse_.services_set_, proto::bit(proto::Service::RssiMs) |
                                    proto::bit(proto::Service::ApInfo) |
                                    proto::bit(proto::Service::Attach));
  EXPECT_TRUE(run("config controllers services 10.0.0.5 default").ok);
  EXPECT_EQ(mse_.services_set_, std::nullopt);
  const auto bad = run("config controllers services 10.0.0.5 rssi-ms,bogus");
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.text.find("unknown service \"bogus\" (service names: rssi-ms, rssi-rfid"),
            std::string::npos)
      << bad.text;
  const auto unknown = run("config controllers services 10.9.9.9 rssi-ms");
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.text, "% controller 10.9.9.9 is not configured\n");
}

TEST_F(MseCommandsTest, ShowDevicesAndDevice) {
  addClient("f4:8c:50:00:00:01", 1764633600600);
  const auto all = run("show devices");
  EXPECT_TRUE(all.ok);
  EXPECT_NE(all.text.find("f4:8c:50:00:00:01  client        1    -52 dBm    00:2b:01:00:0a:00  "
                          "2025-12-02T00:00:00.600Z  wlc-a\n"),
            std::string::npos)
      << all.text;
  EXPECT_NE(run("show devices rfid-tag").text.find("(none)"), std::string::npos);
  EXPECT_FALSE(run("show devices phone").ok);
  EXPECT_TRUE(run("show device f4:8c:50:00:00:01").ok);
  const auto unknown = run("show device 00:00:00:00:00:02");
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.text, "% Device 00:00:00:00:00:02 is not known\n");
  EXPECT_FALSE(run("show device nonsense").ok);
}

// What `show devices` asks of the live location path: the engine's locations, or an error.
struct FakeLocation final : api::LocationControl {
  Result<std::optional<api::DeviceLocation>, std::string> location(const MacAddress&) override {
    return std::optional<api::DeviceLocation>{};
  }
  Result<api::LocationSummary, std::string> locationSummary() override {
    return api::LocationSummary{};
  }
  Result<api::EngineLocations, std::string> engineLocations(
      const std::vector<MacAddress>& devices) override {
    asked = devices;
    if (!error.empty()) {
      return Unexpected{error};
    }
    api::EngineLocations out;
    out.locating = locating;
    if (locating) {
      for (const auto& device : devices) {
        const auto it = where.find(device);
        out.locations.push_back(it == where.end() ? std::nullopt
                                                  : std::optional<api::DeviceLocation>(it->second));
      }
    }
    return out;
  }
  bool locating = false;
  std::map<MacAddress, api::DeviceLocation> where;
  std::string error;
  std::vector<MacAddress> asked;
};

TEST_F(MseCommandsTest, ShowDevicesHasLocationColumnsOnlyWhenTheMseLocates) {
  FakeLocation location;
  shell::CommandRegistry registry;
  registerMseCommands(registry, mse_, &location);
  const auto run_here = [&](const std::string& line) { return registry.execute(session_, line); };
  addClient("f4:8c:50:00:00:01", 1764633600600);
  addClient("f4:8c:50:00:00:02", 1764633600700);

  // No venue: exactly the output without a location path.
  EXPECT_EQ(run_here("show devices").text, run("show devices").text);
  EXPECT_EQ(location.asked, (std::vector<MacAddress>{*MacAddress::parse("f4:8c:50:00:00:01"),
                                                     *MacAddress::parse("f4:8c:50:00:00:02")}));

  location.locating = true;
  api::DeviceLocation l;
  l.floor = "1";
  l.x_m = 10.004;
  l.y_m = 22.5;
  l.uncertainty_m = 4.126;
  location.where[*MacAddress::parse("f4:8c:50:00:00:01")] = l;
  const auto located = run_here("show devices");
  EXPECT_TRUE(located.ok);
  EXPECT_NE(located.text.find("Last Seen (UTC)           Floor  X(m)     Y(m)     +-m     Via\n"),
            std::string::npos)
      << located.text;
  EXPECT_NE(located.text.find("f4:8c:50:00:00:01  client        1    -52 dBm    00:2b:01:00:0a:00  "
                              "2025-12-02T00:00:00.600Z  1      10.00    22.50    4.13    wlc-a\n"),
            std::string::npos)
      << located.text;
  EXPECT_NE(located.text.find("f4:8c:50:00:00:02  client        1    -52 dBm    00:2b:01:00:0a:00  "
                              "2025-12-02T00:00:00.700Z  -      -        -        -       wlc-a\n"),
            std::string::npos)
      << located.text;
  EXPECT_NE(run_here("show devices client").text.find("Floor  X(m)"), std::string::npos);

  location.error = "no answer from the MSE's io thread within 10000 ms";
  const auto failed = run_here("show devices");
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.text, "% no answer from the MSE's io thread within 10000 ms\n");
}

TEST_F(MseCommandsTest, ShowRecording) {
  EXPECT_EQ(run("show recording").text, "Recording: off (start the MSE with --record FILE)\n");
  mse_.recording_ = api::RecordStatus{"/var/lib/nmsp/rec.jsonl", 120, 3, 0};
  EXPECT_EQ(run("show recording").text,
            "Recording to: /var/lib/nmsp/rec.jsonl\n"
            "Observations written: 120\n"
            "Observations dropped: 3\n"
            "Write errors: 0\n");
}

TEST_F(MseCommandsTest, UnauthenticatedNmsp) {
  EXPECT_EQ(run("show unauthenticated-nmsp").text, "Unauthenticated NMSP: false\n");
  EXPECT_TRUE(run("config unauthenticated-nmsp true").ok);
  EXPECT_TRUE(mse_.unauthenticatedNmsp());
  EXPECT_EQ(run("show unauth").text, "Unauthenticated NMSP: true\n");
  EXPECT_TRUE(run("config unauthenticated-nmsp false").ok);
  EXPECT_FALSE(mse_.unauthenticatedNmsp());
  const auto bad = run("config unauthenticated-nmsp yes");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.text,
            "config unauthenticated-nmsp yes\n"
            "                            ^\n"
            "% Invalid input detected at '^' marker: expected true or false, not \"yes\"\n");
}

TEST_F(MseCommandsTest, TraceCommands) {
  EXPECT_TRUE(run("set trace nmsp connection level info").ok);
  mse_.trace_.add(trace::Level::Info, "connecting to 127.0.0.1:16113");
  mse_.trace_.add(trace::Level::Debug, "not recorded at info");
  EXPECT_EQ(run("show trace messages nmsp").text, "[06/03/15 22:28:10.762 UTC 1 " +
                                                      std::to_string(::getpid()) +
                                                      "] connecting to 127.0.0.1:16113\n");
}

// Controller commands typed on the MSE say where they belong instead of "% Invalid input".
TEST_F(MseCommandsTest, WrongRoleCommandsSayWhereTheyBelong) {
  const std::string auth_list = "% This is an MSE; auth-list commands are on the controller\n";
  auto reply =
      run("config auth-list add sha1-lbs-ssc 00:50:56:9c:34:89 "
          "e0afbe2e2abeed5a2f9ffc75f059da6a1bf2bfa0");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, auth_list);
  EXPECT_EQ(run("show auth-list").text, auth_list);
  EXPECT_EQ(run("sh nmsp statu").text,
            "% This is an MSE; show nmsp commands are on the controller (here: show "
            "controllers)\n");
  EXPECT_TRUE(run("configure terminal").ok);
  EXPECT_EQ(run("username 0050569c3489 aaa attribute list NMSP").text, auth_list);
  EXPECT_EQ(run("aaa attribute list NMSP").text, auth_list);
  EXPECT_EQ(run("end").text, "");
  EXPECT_EQ(run("Building configuration...").text,
            "% This is an MSE; paste this output into the controller's shell (nmsp cli "
            "--data-dir <controller's dir>)\n");
  // The MSE's own commands and typos are unaffected.
  EXPECT_TRUE(run("show controllers").ok);
  EXPECT_NE(run("show bogus").text.find("% Invalid input detected"), std::string::npos);
  EXPECT_EQ(registry_.prompt(session_), "mse1#");
}

TEST_F(MseCommandsTest, ShowVersion) {
  const auto reply = run("show version");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text, "OpenNMSP Software (nmsp), Version " + softwareVersion() +
                            "\nRole: MSE\nHost name: mse1\n"
                            "Wire protocol: OpenNMSP version 1 (docs/protocol.md); it does not "
                            "interoperate with Cisco controllers or CMX\n");
}

}  // namespace
}  // namespace nmsp::surface
