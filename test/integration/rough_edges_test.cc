// Day-one rough edges (issue 8), on the real binary: the demo stops its daemons on SIGTERM and
// starts clean on a re-used --dir, MACs no controller admits are refused at once, a data
// directory is locked and its role checked before anything is written, and --listen takes a
// name and says when the port is out of range.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace nmsp::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::Command;
using test_support::CommandResult;
using test_support::waitFor;

const std::string kBinary = NMSP_BINARY;

CommandResult nmsp(std::vector<std::string> args, std::chrono::milliseconds timeout = 10s) {
  args.insert(args.begin(), kBinary);
  return test_support::run(Command(args).timeout(timeout));
}

bool daemonAnswers(const fs::path& dir) {
  return nmsp({"cli", "--data-dir", dir.string(), "show version"}).exit_code == 0;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class RoughEdges : public ::testing::Test {
 protected:
  test_support::TempDir dir_{"nmsp-rough"};
};

TEST_F(RoughEdges, DemoKilledWithSigtermStopsItsControllerAndMse) {
  const fs::path demo = dir_.path() / "demo";
  ChildProcess run({kBinary, "demo", "--duration", "0", "--port", "0", "--dir", demo.string()},
                   dir_.path() / "demo.log");
  ASSERT_TRUE(waitFor(
      [&] { return daemonAnswers(demo / "controller") && daemonAnswers(demo / "mse"); }, 30s))
      << run.log();
  EXPECT_EQ(run.stop(10s), 128 + SIGTERM) << run.log();
  EXPECT_NE(run.log().find("stopping the controller and the MSE"), std::string::npos);
  // Nobody owns the data directories any more: both daemons are gone.
  EXPECT_FALSE(daemonAnswers(demo / "controller"));
  EXPECT_FALSE(daemonAnswers(demo / "mse"));
}

TEST_F(RoughEdges, DemoReRunOnTheSameDirStartsClean) {
  const fs::path demo = dir_.path() / "demo";
  for (int i = 0; i < 2; ++i) {
    const auto r = nmsp({"demo", "--duration", "1", "--port", "0", "--dir", demo.string()}, 120s);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    // The failure scenario of each run is a refusal, not an already active link.
    const auto failure =
        r.out.substr(r.out.find("==== 4."), r.out.find("==== 5.") - r.out.find("==== 4."));
    EXPECT_NE(failure.find("certificate unknown"), std::string::npos) << "run " << i << ":\n"
                                                                      << failure;
    EXPECT_EQ(failure.find(" ACTIVE "), std::string::npos) << "run " << i << ":\n" << failure;
  }
}

TEST_F(RoughEdges, MacsNoControllerAdmitsAreRefusedAtOnce) {
  for (const char* mac : {"ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "01:00:5e:00:00:01", "zz"}) {
    const auto started = std::chrono::steady_clock::now();
    const auto demo = nmsp({"demo", "--mac", mac, "--dir", (dir_.path() / "d").string()});
    EXPECT_EQ(demo.exit_code, 2) << mac << ": " << demo.out;
    EXPECT_NE(demo.out.find("nmsp demo: --mac: "), std::string::npos) << demo.out;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << mac;
    const auto mse = nmsp({"mse", "--data-dir", (dir_.path() / "m").string(), "--mac", mac});
    EXPECT_EQ(mse.exit_code, 2) << mac << ": " << mse.out;
    EXPECT_NE(mse.out.find("nmsp mse: --mac: "), std::string::npos) << mse.out;
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "m" / "identity"));  // refused before writing
}

TEST_F(RoughEdges, SecondControllerOnALiveDirIsRefusedBeforeWriting) {
  const fs::path ctl = dir_.path() / "ctl";
  ChildProcess first({kBinary, "controller", "--data-dir", ctl.string(), "--listen", "127.0.0.1:0"},
                     dir_.path() / "first.log");
  ASSERT_TRUE(
      waitFor([&] { return daemonAnswers(ctl) && fs::exists(ctl / "controller.port"); }, 15s))
      << first.log();
  const std::string port = readFile(ctl / "controller.port");
  const auto second = nmsp({"controller", "--data-dir", ctl.string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.out.find("is in use by another nmsp daemon (pid "), std::string::npos)
      << second.out;
  EXPECT_EQ(readFile(ctl / "controller.port"), port);
  EXPECT_TRUE(daemonAnswers(ctl));
}

TEST_F(RoughEdges, ARoleIsRefusedTheOtherRolesDirectory) {
  const fs::path ctl = dir_.path() / "ctl";
  const fs::path mse = dir_.path() / "mse";
  {
    ChildProcess c({kBinary, "controller", "--data-dir", ctl.string(), "--listen", "127.0.0.1:0"},
                   dir_.path() / "c.log");
    ASSERT_TRUE(waitFor([&] { return daemonAnswers(ctl); }, 15s)) << c.log();
    ChildProcess m({kBinary, "mse", "--data-dir", mse.string(), "--mac", "00:50:56:9c:34:89",
                    "--key-type", "ecdsa"},
                   dir_.path() / "m.log");
    ASSERT_TRUE(waitFor([&] { return daemonAnswers(mse); }, 15s)) << m.log();
  }
  const auto on_mse = nmsp({"controller", "--data-dir", mse.string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(on_mse.exit_code, 1);
  EXPECT_NE(on_mse.out.find("belongs to an MSE"), std::string::npos) << on_mse.out;
  EXPECT_FALSE(fs::exists(mse / "authlist.json"));
  const auto on_ctl = nmsp({"mse", "--data-dir", ctl.string(), "--mac", "00:50:56:9c:34:89"});
  EXPECT_EQ(on_ctl.exit_code, 1);
  EXPECT_NE(on_ctl.out.find("belongs to a controller"), std::string::npos) << on_ctl.out;
  EXPECT_FALSE(fs::exists(ctl / "controllers.json"));
}

TEST_F(RoughEdges, ListenTakesANameAndNamesAnOutOfRangePort) {
  const auto range = nmsp(
      {"controller", "--data-dir", (dir_.path() / "r").string(), "--listen", "127.0.0.1:99999"});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.out.find("--listen port 99999 is out of range (0 to 65535"), std::string::npos)
      << range.out;
  const fs::path ctl = dir_.path() / "named";
  ChildProcess c({kBinary, "controller", "--data-dir", ctl.string(), "--listen", "localhost:0"},
                 dir_.path() / "named.log");
  EXPECT_TRUE(waitFor([&] { return fs::exists(ctl / "controller.port"); }, 15s)) << c.log();
  EXPECT_NE(c.log().find("listening on 127.0.0.1:"), std::string::npos) << c.log();
}

}  // namespace
}  // namespace nmsp::testing
