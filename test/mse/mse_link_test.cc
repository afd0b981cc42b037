// The MSE role's controller links against an in-process TLS controller (real TLS on
// loopback, real certificates, real files): admission, refusal with alert 46 over TLS 1.2 and
// TLS 1.3, recovery once admitted, pinning, echo timeout and reconnect, clock skew, refused
// and unresolvable controllers, persistence.

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "mse/mse_role.h"
#include "support/wait.h"
#include "test_controller.h"

namespace nmsp::mse {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::TestController;

const char* kMseMac = "00:50:56:9c:34:89";

using test_support::waitFor;

// A TCP port on 127.0.0.1 where nothing listens, held for the test's lifetime: the socket is
// bound but never listens, so a connect is refused (RST) and no other process can take the
// port meanwhile (no bind-and-release race).
class ClosedPort {
 public:
  explicit ClosedPort(asio::io_context& io) : socket_(io) {
    socket_.open(asio::ip::tcp::v4());
    socket_.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  }
  uint16_t port() const { return socket_.local_endpoint().port(); }

 private:
  asio::ip::tcp::socket socket_;
};

// The tests' name resolution: IP literals only, any name is unknown. No DNS in a unit test.
Result<std::vector<asio::ip::tcp::endpoint>, std::string> literalOnly(const std::string& host,
                                                                      uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return Unexpected{std::string("Host not found (authoritative)")};
  }
  return std::vector<asio::ip::tcp::endpoint>{{address, port}};
}

identity::Identity makeIdentity(const std::filesystem::path& dir, const char* mac) {
  identity::CreateOptions options;
  options.mac = MacAddress::parse(mac);
  options.key_type = identity::KeyType::EcdsaP256;
  auto id = identity::create(dir, options);
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error());
  return std::move(*id);
}

class MseLinkTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nmsp-mse-link-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    mse_identity_ = makeIdentity(dir_ / "mse-identity", kMseMac);
    controller_identity_ = makeIdentity(dir_ / "controller-identity", "00:11:22:33:44:55");
    controller_ = std::make_unique<TestController>(io_, controller_identity_, GetParam());
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (role_) {
      role_->stop();
    }
    controller_->stop();
    work_.reset();
    io_.stop();
    io_thread_.join();
    role_.reset();
    controller_.reset();
    std::filesystem::remove_all(dir_);
  }

  void startRole(LinkOptions link = fastLink()) {
    MseOptions options;
    options.data_dir = dir_;
    options.link = std::move(link);
    auto role = MseRole::create(io_.get_executor(), mse_identity_, options);
    ASSERT_TRUE(role.has_value()) << role.error();
    role_ = std::move(*role);
    role_->trace().setLevel(trace::Level::Debug);
    role_->start();
  }

  static LinkOptions fastLink() {
    LinkOptions link;
    link.name = "test-mse";
    link.software_version = "0.1.0";
    link.echo_interval = 100ms;
    // Generous: a loaded sanitizer run must not flap a healthy link (100 ms x 3 did). The
    // echo-timeout test sets its own 3.
    link.missed_echoes = 30;
    link.resolve = literalOnly;
    link.initial_backoff = 50ms;
    link.max_backoff = 400ms;
    link.connect_timeout = 2s;
    link.handshake_timeout = 2s;
    link.init_timeout = 2s;
    return link;
  }

  api::ControllerLinkStatus only() const {
    auto all = role_->controllers();
    return all.size() == 1 ? all[0] : api::ControllerLinkStatus{};
  }

  bool waitActive(std::chrono::milliseconds timeout = 5s) {
    return waitFor([&] { return only().active; }, timeout);
  }

  bool waitCause(const std::string& fragment, std::chrono::milliseconds timeout = 5s) {
    return waitFor(
        [&] {
          const auto s = only();
          return !s.active && s.last_cause.find(fragment) != std::string::npos;
        },
        timeout);
  }

  std::string traceText() const {
    std::string all;
    for (const auto& line : role_->trace().lines()) {
      all += line + "\n";
    }
    return all;
  }

  std::filesystem::path dir_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread io_thread_;
  identity::Identity mse_identity_;
  identity::Identity controller_identity_;
  std::unique_ptr<TestController> controller_;
  std::unique_ptr<MseRole> role_;
};

TEST_P(MseLinkTest, AdmittedLinkIsActiveSubscribesAndEchoes) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive()) << only().last_cause;
  EXPECT_TRUE(waitFor([&] { return only().rx_echo_resp >= 3; }, 5s));
  const auto status = only();
  EXPECT_EQ(status.host, "127.0.0.1");
  EXPECT_EQ(status.port, controller_->port());
  EXPECT_EQ(status.peer_name, "test-wlc");
  EXPECT_EQ(status.peer_version, "17.9.4");
  EXPECT_EQ(status.connects, 1u);
  EXPECT_EQ(status.last_cause, "");
  EXPECT_GE(status.tx_echo_req, status.rx_echo_resp);
  EXPECT_LT(std::llabs(status.clock_skew_ms), 5000);
  EXPECT_TRUE(waitFor([&] { return controller_->subscribes.load() == 1; }, 2s));
  EXPECT_EQ(controller_->subscribed_mask.load(), TestController::kOffered);
  EXPECT_EQ(controller_->inits.load(), 1);

  // The controller certificate is pinned, in memory and on disk.
  X509* cert = nullptr;
  {
    BIO* bio = BIO_new_mem_buf(controller_identity_.cert_pem.data(),
                               static_cast<int>(controller_identity_.cert_pem.size()));
    cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  }
  ASSERT_NE(cert, nullptr);
  const std::string fingerprint = identity::certificateFingerprint(cert);
  X509_free(cert);
  EXPECT_EQ(status.pinned_fingerprint, fingerprint);
  // The file is written by the role's persistence worker, off the io thread, just after.
  const std::string endpoint = "127.0.0.1:" + std::to_string(controller_->port());
  EXPECT_TRUE(waitFor(
      [&] {
        std::ifstream pins(dir_ / "known_controllers.json");
        const auto json = nlohmann::json::parse(pins, nullptr, /*allow_exceptions=*/false);
        return json.is_object() && json.contains(endpoint) &&
               json[endpoint].value("sha256", "") == fingerprint;
      },
      5s));

  const std::string trace = traceText();
  EXPECT_NE(trace.find("TLS handshake succeeded"), std::string::npos) << trace;
  EXPECT_NE(trace.find("sent Init Request"), std::string::npos);
  EXPECT_NE(trace.find("link ACTIVE"), std::string::npos);
  EXPECT_NE(trace.find("received Echo Response"), std::string::npos);
}

TEST_P(MseLinkTest, RefusedCertificateNamesTheAuthListEntryThenRecovers) {
  controller_->admit = false;
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  const std::string expected =
      "controller rejected this MSE's certificate (TLS alert: certificate unknown): add MAC "
      "00:50:56:9c:34:89 with SHA2 key hash " +
      mse_identity_.hashes.sha256_hex + " to its auth list";
  ASSERT_TRUE(waitCause(expected)) << only().last_cause;
  EXPECT_EQ(only().connects, 0u);
  EXPECT_NE(traceText().find("TLS alert received: fatal certificate unknown (ret = 0x22e)"),
            std::string::npos)
      << traceText();

  // Fixing the auth list is enough: the link comes up by itself within the backoff cap.
  controller_->admit = true;
  EXPECT_TRUE(waitActive(3s)) << only().last_cause;
}

TEST_P(MseLinkTest, CertificateTimeRefusalsPointAtNtp) {
  // The controller refuses with "certificate expired" (alert 45).
  controller_->admit = false;
  controller_->reject_error = X509_V_ERR_CERT_HAS_EXPIRED;
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  EXPECT_TRUE(waitFor(
      [&] {
        const auto cause = only().last_cause;
        return cause.starts_with(
                   "controller rejected this MSE's certificate as expired or not yet valid "
                   "(TLS alert: certificate expired): the certificate is valid from ") &&
               cause.ends_with(
                   "the controller's clock is outside that window: check NTP on the controller and "
                   "the MSE");
      },
      5s))
      << only().last_cause;
}

TEST_P(MseLinkTest, NotYetValidOwnCertificatePointsAtNtpEvenWithAlert46) {
  identity::CreateOptions options;
  options.mac = MacAddress::parse(kMseMac);
  options.key_type = identity::KeyType::EcdsaP256;
  options.not_before_offset = std::chrono::hours(2);
  auto future = identity::create(dir_ / "mse-identity-future", options);
  ASSERT_TRUE(future.has_value()) << future.error();
  mse_identity_ = std::move(*future);
  controller_->admit = false;
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  EXPECT_TRUE(waitFor(
      [&] {
        const auto cause = only().last_cause;
        return cause.starts_with(
                   "controller rejected this MSE's certificate (TLS alert: certificate "
                   "unknown): the certificate is not yet valid by this MSE's clock (valid from ") &&
               cause.ends_with("): check NTP on the controller and the MSE");
      },
      5s))
      << only().last_cause;
}

TEST_P(MseLinkTest, ChangedControllerCertificateIsRefusedUnlessUnauthenticated) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive()) << only().last_cause;
  const std::string pinned = only().pinned_fingerprint;

  auto rekeyed = makeIdentity(dir_ / "controller-identity-2", "00:11:22:33:44:55");
  controller_->replaceIdentity(rekeyed);
  controller_->dropSessions();
  ASSERT_TRUE(waitCause("controller certificate changed (pinned SHA-256 " + pinned + ", got "))
      << only().last_cause;
  EXPECT_NE(only().last_cause.find("if the controller was re-keyed on purpose, delete and re-add "
                                   "it, or set config unauthenticated-nmsp true"),
            std::string::npos);
  EXPECT_EQ(only().pinned_fingerprint, pinned);  // the pin is not replaced silently

  role_->setUnauthenticatedNmsp(true);
  EXPECT_TRUE(role_->unauthenticatedNmsp());
  EXPECT_TRUE(waitActive()) << only().last_cause;
}

TEST_P(MseLinkTest, DeleteAndReAddAcceptsARekeyedController) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive());
  auto rekeyed = makeIdentity(dir_ / "controller-identity-2", "00:11:22:33:44:55");
  controller_->replaceIdentity(rekeyed);
  controller_->dropSessions();
  ASSERT_TRUE(waitCause("controller certificate changed"));

  ASSERT_TRUE(role_->deleteController("127.0.0.1", std::nullopt).has_value());
  EXPECT_TRUE(role_->controllers().empty());
  EXPECT_FALSE(role_->deleteController("127.0.0.1", std::nullopt).has_value());
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  EXPECT_TRUE(waitActive()) << only().last_cause;
}

TEST_P(MseLinkTest, UnansweredEchoesEndTheSessionAndTheLinkReconnects) {
  LinkOptions link = fastLink();
  link.missed_echoes = 3;
  startRole(link);
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive());
  controller_->answer_echoes = false;
  ASSERT_TRUE(waitCause("controller stopped answering echo requests (3 missed, one every 0.1 s)"))
      << only().last_cause;
  EXPECT_GE(only().disconnects, 1u);
  controller_->answer_echoes = true;
  EXPECT_TRUE(waitFor([&] { return only().active && only().connects >= 2; }, 5s));
}

TEST_P(MseLinkTest, ControllerClockSkewIsReportedInPlainWords) {
  controller_->clock_offset_ms = 120'400;  // 120.4 s minus the transit: rounds to 120
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  EXPECT_TRUE(
      waitCause("clock skew of 120 s with the controller: check NTP on the controller and the MSE"))
      << only().last_cause;
  EXPECT_GT(only().clock_skew_ms, 119'000);
}

TEST_P(MseLinkTest, ControllerRestartIsFollowedByAReconnect) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive());
  controller_->dropSessions();
  EXPECT_TRUE(waitFor([&] { return only().connects >= 2 && only().active; }, 5s))
      << only().last_cause;
  EXPECT_GE(only().disconnects, 1u);
}

TEST_P(MseLinkTest, RefusedConnectionSaysWhatToCheck) {
  startRole();
  const ClosedPort closed(io_);
  const uint16_t closed_port = closed.port();
  ASSERT_TRUE(role_->addController("127.0.0.1", closed_port).has_value());
  EXPECT_TRUE(waitCause("connection refused by 127.0.0.1:" + std::to_string(closed_port) +
                        ": check that NMSP is enabled on the controller and TCP " +
                        std::to_string(closed_port) + " is open"))
      << only().last_cause;
}

TEST_P(MseLinkTest, TwoControllersOnOneHostAreTwoLinks) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitActive());
  const ClosedPort closed(io_);
  const uint16_t closed_port = closed.port();
  ASSERT_TRUE(role_->addController("127.0.0.1", closed_port).has_value());
  ASSERT_TRUE(role_->addController("127.0.0.1", closed_port).has_value());  // no duplicate
  const auto link = [&](uint16_t port) {
    for (const auto& s : role_->controllers()) {
      if (s.port == port) {
        return s;
      }
    }
    return api::ControllerLinkStatus{};
  };
  EXPECT_TRUE(waitFor(
      [&] { return link(closed_port).last_cause.find("connection refused") != std::string::npos; },
      5s));
  EXPECT_EQ(role_->controllers().size(), 2u);
  EXPECT_TRUE(link(controller_->port()).active);  // the first link was not torn down
  EXPECT_EQ(link(controller_->port()).connects, 1u);
  const std::string pinned = link(controller_->port()).pinned_fingerprint;
  EXPECT_EQ(pinned.size(), 64u);

  // Neither is on 16113: deleting by host alone is ambiguous and changes nothing.
  auto refused = role_->deleteController("127.0.0.1", std::nullopt);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(),
            "Invalid input detected: several controllers on 127.0.0.1; give 127.0.0.1:PORT");
  ASSERT_TRUE(role_->deleteController("127.0.0.1", closed_port).has_value());
  ASSERT_EQ(role_->controllers().size(), 1u);
  EXPECT_TRUE(only().active);
  EXPECT_EQ(only().pinned_fingerprint, pinned);  // the other port's pin is kept
  EXPECT_EQ(only().connects, 1u);
  // The only one left on the host goes without a port.
  ASSERT_TRUE(role_->deleteController("127.0.0.1", std::nullopt).has_value());
  EXPECT_TRUE(role_->controllers().empty());
}

TEST_P(MseLinkTest, UnresolvableNameSaysWhatToCheck) {
  startRole();
  ASSERT_TRUE(role_->addController("no-such-controller.invalid", 16113).has_value());
  EXPECT_TRUE(waitCause("cannot resolve controller name \"no-such-controller.invalid\""))
      << only().last_cause;
}

// docs/protocol.md section 10, rule 2: a message before the Init Response is answered with
// Error(UnexpectedMessage, its id, its transaction id), then the MSE closes.
TEST_P(MseLinkTest, MessageBeforeInitResponseIsAnsweredWithUnexpectedMessage) {
  controller_->init_reply = TestController::InitReply::EchoFirst;
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitFor([&] { return controller_->errors_received.load() >= 1; }, 5s));
  EXPECT_EQ(controller_->last_error_reason.load(),
            static_cast<int>(proto::ErrorReason::UnexpectedMessage));
  EXPECT_EQ(controller_->last_error_offending.load(), 0x0003);
  EXPECT_EQ(controller_->last_error_txn.load(), 0x33);
  EXPECT_TRUE(waitCause("echo-request")) << only().last_cause;
}

// Rule 8: a malformed frame is answered with Error(MalformedFrame), the offending id and
// transaction id copied from its header, then the MSE closes.
TEST_P(MseLinkTest, MalformedFrameIsAnsweredWithMalformedFrameError) {
  controller_->init_reply = TestController::InitReply::Malformed;
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(waitFor([&] { return controller_->errors_received.load() >= 1; }, 5s));
  EXPECT_EQ(controller_->last_error_reason.load(),
            static_cast<int>(proto::ErrorReason::MalformedFrame));
  EXPECT_EQ(controller_->last_error_offending.load(), 0x0003);
  EXPECT_EQ(controller_->last_error_txn.load(), 0x2c);
  EXPECT_FALSE(only().active);
}

TEST_P(MseLinkTest, ControllersAndUnauthenticatedFlagSurviveARestart) {
  startRole();
  ASSERT_TRUE(role_->addController("127.0.0.1", controller_->port()).has_value());
  ASSERT_TRUE(role_->addController("wlc.example.invalid", 16113).has_value());  // never resolved
  ASSERT_TRUE(role_->deleteController("wlc.example.invalid", std::nullopt).has_value());
  role_->setUnauthenticatedNmsp(true);
  ASSERT_TRUE(waitActive());
  role_->stop();
  role_.reset();

  startRole();
  EXPECT_TRUE(role_->unauthenticatedNmsp());
  ASSERT_EQ(role_->controllers().size(), 1u);
  EXPECT_EQ(only().host, "127.0.0.1");
  EXPECT_EQ(only().port, controller_->port());
  EXPECT_TRUE(waitActive()) << only().last_cause;
}

INSTANTIATE_TEST_SUITE_P(Tls, MseLinkTest, ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION),
                         [](const auto& param_info) {
                           return param_info.param == TLS1_3_VERSION ? std::string("Tls13")
                                                                     : std::string("Tls12");
                         });

}  // namespace
}  // namespace nmsp::mse
