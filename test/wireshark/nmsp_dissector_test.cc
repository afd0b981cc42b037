// tools/wireshark/nmsp.lua against real captures: the golden vectors of docs/protocol.md are
// sent over plain TCP on loopback while dumpcap captures, then tshark decodes the capture with
// the dissector. One capture serves every test of the suite.
//
// Segmentation is forced without sleeps: the receiving end reads each part completely before
// the next part is sent, so every part is its own TCP segment.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../proto/vector_file.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace {

using nmsp::proto::testing::DocVector;
using nmsp::test_support::ChildProcess;
using nmsp::test_support::Command;
using nmsp::test_support::waitFor;
using Bytes = std::vector<uint8_t>;

// A socket that closes itself; every blocking call has a 10 s timeout.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// Listener on 127.0.0.1, any free port.
class Loopback {
 public:
  Loopback() : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listener_.fd, 8) != 0 ||
        ::getsockname(listener_.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(addr.sin_port);
  }
  uint16_t port() const { return port_; }

  /// One connection that carries `parts`, each in its own TCP segment.
  bool send(const std::vector<Bytes>& parts) {
    Fd client(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port_);
    const int one = 1;
    ::setsockopt(client.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(client.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return false;
    }
    Fd server(::accept(listener_.fd, nullptr, nullptr));
    if (server.fd < 0) {
      return false;
    }
    for (const auto& part : parts) {
      if (::send(client.fd, part.data(), part.size(), 0) != static_cast<ssize_t>(part.size())) {
        return false;
      }
      size_t got = 0;
      std::vector<uint8_t> buffer(part.size());
      while (got < part.size()) {
        const ssize_t n = ::recv(server.fd, buffer.data() + got, part.size() - got, 0);
        if (n <= 0) {
          return false;
        }
        got += static_cast<size_t>(n);
      }
    }
    return true;
  }

 private:
  Fd listener_;
  uint16_t port_ = 0;
};

// Sends `marker` in UDP datagrams to 127.0.0.1:port until the capture file holds it.
bool captured(const std::filesystem::path& pcap, uint16_t port, const std::string& marker) {
  Fd udp(::socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return waitFor(
      [&] {
        ::sendto(udp.fd, marker.data(), marker.size(), 0, reinterpret_cast<sockaddr*>(&addr),
                 sizeof addr);
        std::ifstream in(pcap, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        return content.str().find(marker) != std::string::npos;
      },
      std::chrono::seconds(30));
}

bool installed(const std::string& program) {
  return nmsp::test_support::runShell("command -v " + program).exit_code == 0;
}

Bytes concat(const std::vector<const DocVector*>& vectors) {
  Bytes out;
  for (const auto* v : vectors) {
    out.insert(out.end(), v->bytes.begin(), v->bytes.end());
  }
  return out;
}

Bytes slice(const Bytes& bytes, size_t from, size_t to) {
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(from),
               bytes.begin() + static_cast<std::ptrdiff_t>(to));
}

// What tshark made of the capture.
struct Dissection {
  std::string error;
  std::string verbose;  // tshark -V
  // Per packet carrying NMSP: the messages and the expert messages, in order.
  struct Packet {
    std::vector<std::string> messages;
    std::vector<std::string> experts;
  };
  std::vector<Packet> packets;
  std::vector<DocVector> vectors;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  if (text.empty()) {
    return out;
  }
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, separator)) {
    out.push_back(item);
  }
  return out;
}

std::vector<const DocVector*> valid(const std::vector<DocVector>& vectors) {
  std::vector<const DocVector*> out;
  for (const auto& v : vectors) {
    if (!v.bad) {
      out.push_back(&v);
    }
  }
  return out;
}

Dissection capture() {
  Dissection d;
  d.vectors = nmsp::proto::testing::readDocVectors(NMSP_PROTOCOL_DOC, d.error);
  if (!d.error.empty()) {
    return d;
  }
  if (!installed("dumpcap") || !installed("tshark")) {
    d.error = "dumpcap and tshark are needed (scripts/install-deps installs them)";
    return d;
  }
  static nmsp::test_support::TempDir dir("nmsp-wireshark");
  const auto pcap = dir.path() / "nmsp.pcapng";
  Loopback loopback;
  const std::string port = std::to_string(loopback.port());
  {
    ChildProcess capture({"dumpcap", "-q", "-i", "lo", "-f",
                          "tcp port " + port + " or udp port " + port, "-w", pcap.string()},
                         dir.path() / "dumpcap.log");
    // Synchronisation without sleeps: a UDP datagram carrying a marker is sent until the
    // marker shows up in the capture file (dumpcap writes it out on its update interval).
    if (!captured(pcap, loopback.port(), "nmsp-capture-started")) {
      d.error = "dumpcap did not capture: " + capture.log();
      return d;
    }
    const auto good = valid(d.vectors);
    // 1. Every valid vector, all in one segment (several frames per segment).
    // 2. init-request split across three segments (5 bytes, 10 bytes, the rest).
    // 3. echo-request plus the first 7 bytes of echo-response, then the rest.
    const Bytes init = good.at(0)->bytes;
    const Bytes echo_pair = concat({good.at(2), good.at(3)});
    const size_t cut = good.at(2)->bytes.size() + 7;
    bool ok = loopback.send({concat(good), slice(init, 0, 5), slice(init, 5, 15),
                             slice(init, 15, init.size()), slice(echo_pair, 0, cut),
                             slice(echo_pair, cut, echo_pair.size())});
    // 4. Each malformed vector on a connection of its own (a receiver closes after one).
    for (const auto& v : d.vectors) {
      if (v.bad) {
        ok = ok && loopback.send({v.bytes});
      }
    }
    if (!ok) {
      d.error = "loopback send failed";
      return d;
    }
    if (!captured(pcap, loopback.port(), "nmsp-capture-complete")) {
      d.error = "dumpcap missed the end of the traffic: " + capture.log();
      return d;
    }
    capture.stop();
  }
  // tshark's "Running as user root" warning goes to stderr, kept apart.
  const std::vector<std::string> base{"tshark", "-n",
                                      "-r",     pcap.string(),
                                      "-X",     std::string("lua_script:") + NMSP_DISSECTOR,
                                      "-d",     "tcp.port==" + port + ",nmsp",
                                      "-Y",     "nmsp"};
  auto with = [&](std::vector<std::string> extra) {
    auto argv = base;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return nmsp::test_support::run(Command(argv).separateStderr());
  };
  const auto verbose = with({"-V"});
  const auto fields = with({"-T", "fields", "-e", "nmsp.message", "-e", "_ws.expert.message", "-E",
                            "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|"});
  if (verbose.exit_code != 0 || fields.exit_code != 0) {
    d.error = "tshark failed: " + verbose.err + fields.err;
    return d;
  }
  d.verbose = verbose.out;
  for (const auto& line : split(fields.out, '\n')) {
    const auto columns = split(line, '\t');
    Dissection::Packet packet;
    packet.messages = split(columns.empty() ? "" : columns[0], '|');
    packet.experts = split(columns.size() > 1 ? columns[1] : "", '|');
    d.packets.push_back(std::move(packet));
  }
  return d;
}

const Dissection& dissection() {
  static const Dissection d = capture();
  return d;
}

class NmspDissector : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(dissection().error, ""); }
  const Dissection& d = dissection();
};

// A vector's name starts with its message's name ("echo-request-empty" is an echo-request).
TEST_F(NmspDissector, NamesEveryValidVectorInOneSegment) {
  const auto good = valid(d.vectors);
  ASSERT_GE(d.packets.size(), 1u);
  const auto& messages = d.packets[0].messages;
  ASSERT_EQ(messages.size(), good.size());
  for (size_t i = 0; i < good.size(); ++i) {
    const std::string& name = good[i]->name;
    if (name == "unknown-message") {
      EXPECT_EQ(messages[i], "unknown-message-0x0777");
    } else {
      EXPECT_EQ(name.rfind(messages[i], 0), 0u) << name << " decoded as " << messages[i];
    }
  }
}

TEST_F(NmspDissector, ReassemblesFramesSplitAcrossSegments) {
  ASSERT_GE(d.packets.size(), 3u);
  // The split init-request appears once, in the packet of its last segment; the next packet
  // holds a whole echo-request and the head of an echo-response, which the last one completes.
  EXPECT_EQ(d.packets[1].messages, (std::vector<std::string>{"init-request"}));
  EXPECT_EQ(d.packets[2].messages, (std::vector<std::string>{"echo-request"}));
  ASSERT_GE(d.packets.size(), 4u);
  EXPECT_EQ(d.packets[3].messages, (std::vector<std::string>{"echo-response"}));
  EXPECT_TRUE(d.packets[1].experts.empty());
}

TEST_F(NmspDissector, DecodesAttributesWithTheSpecsNames) {
  for (const char* line : {
           "flags: 0x01",
           "transaction id: 1",
           "payload length: 54",
           "peer-role: 2 (mse)",
           "peer-name: \"mse-lab-01\"",
           "software-version: \"8.0.150.0\"",
           "clock-utc-ms: 1763942400123 (2025-11-24T00:00:00.123Z)",
           "result-code: 0 (success)",
           "selected-version: 1",
           "echoed-clock-utc-ms: 1763942415123",
           "error-reason: 1 (unsupported-message)",
           "offending-message-id: 0x0099",
           "error-text: \"message 0x0099 not supported\"",
           "service-mask: 0x0000000000432203 (rssi-ms, rssi-rfid, info-ms, stats-ms, attach, "
           "location, ap-info)",
           "service-interval: service=0 (rssi-ms), interval-s=2",
           "service-result: service=9 (info-ms), result-code=0 (success)",
           "ap-group: \"floor2\"",
           "device-mac: 3c:22:fb:10:20:30",
           "device-kind: 1 (client)",
           "count: 2",
           "AP 70:db:98:2a:11:50: slot 1, band 5 GHz, rssi -59 dBm, snr 31 dB",
           "rssi_dbm: -52",
           "snr_db: 38",
           "timestamp_utc_ms: 1763942400206 (2025-11-24T00:00:00.206Z)",
           "ip-address: 10.20.30.41",
           "ip-address: 2001:db8::41",
           "ssid: \"corp-wifi\"",
           "vlan-id: 120",
           "username: \"alice\"",
           "assoc-state: 2 (associated)",
           "serving-ap-mac: 70:db:98:2a:11:40",
           "battery-pct: 87",
           "telemetry: temperature = 2150",
           "tx-bytes: 18345012",
           "tx-retries: 311",
           "ap-name: \"AP-Floor2-East\"",
           "ap-radio: radio-slot=1, band=2 (5 GHz), channel=36, tx-power-dbm=20",
           "attach-state: 1 (attach)",
           "map-name: \"Campus>Building 1>Floor 2\"",
           "position-mm: x 12500 mm, y 8250 mm, z 1200 mm",
           "error-radius-mm: 3000",
           "geo-position: 45.3070000, 9.4320000",
       }) {
    EXPECT_NE(d.verbose.find(line), std::string::npos) << "missing: " << line;
  }
}

TEST_F(NmspDissector, UnknownIdsAreNotesNotErrors) {
  EXPECT_NE(d.verbose.find("[Expert Info (Note/Undecoded): unknown message id 0x0777: counted, "
                           "answered with Error(unsupported-message)]"),
            std::string::npos);
  EXPECT_NE(d.verbose.find("[Expert Info (Note/Undecoded): unknown attribute 0x7f02: skipped"),
            std::string::npos);
  EXPECT_NE(d.verbose.find("[Expert Info (Note/Undecoded): unknown attribute 0x7f01: skipped"),
            std::string::npos);
  // The first packet holds every valid vector: no error among its expert infos.
  ASSERT_FALSE(d.packets.empty());
  for (const auto& e : d.packets[0].experts) {
    EXPECT_TRUE(e.starts_with("unknown")) << e;
  }
}

// Each malformed vector gets an expert error named by the code docs/protocol.md expects.
TEST_F(NmspDissector, FlagsEveryMalformedVectorWithItsErrorCode) {
  std::vector<const DocVector*> bad;
  for (const auto& v : d.vectors) {
    if (v.bad) {
      bad.push_back(&v);
    }
  }
  ASSERT_FALSE(bad.empty());
  ASSERT_EQ(d.packets.size(), 4 + bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    const auto& packet = d.packets[4 + i];
    std::vector<std::string> codes;
    for (const auto& e : packet.experts) {
      if (!e.starts_with("unknown")) {
        codes.push_back(e.substr(0, e.find(':')));
      }
    }
    ASSERT_FALSE(codes.empty()) << bad[i]->name;
    EXPECT_EQ(codes.front(), bad[i]->error_code) << bad[i]->name;
  }
  EXPECT_NE(d.verbose.find("[Expert Info (Error/Malformed): unsupported-version: version 2 "
                           "(accepted 1..1)]"),
            std::string::npos);
  EXPECT_NE(d.verbose.find("[Expert Info (Error/Malformed): frame-too-large: 12 + 65525 bytes "
                           "exceeds 65536]"),
            std::string::npos);
}

}  // namespace
