// `nmsp mse --venue V --store sqlite:...` as a process: it starts, says what it locates in, and
// `show location summary` / `show location <mac>` answer over the shell (docs/operator-commands.md,
// "Locations").
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nmsp::test_support::ChildProcess;
using nmsp::test_support::Command;
using nmsp::test_support::CommandResult;
using nmsp::test_support::waitFor;

const std::string kBinary = NMSP_BINARY;
const std::string kVenue = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json";

CommandResult nmsp(std::vector<std::string> args, std::chrono::milliseconds timeout = 10s) {
  args.insert(args.begin(), kBinary);
  return nmsp::test_support::run(Command(args).timeout(timeout));
}

CommandResult cli(const fs::path& dir, const std::string& line) {
  return nmsp({"cli", "--data-dir", dir.string(), line});
}

TEST(LiveLocationCli, MseWithAVenueAndASqliteStoreAnswersShowLocation) {
  nmsp::test_support::TempDir tmp("nmsp-live-cli");
  const fs::path dir = tmp.path() / "mse";
  const fs::path db = tmp.path() / "locations.db";
  ChildProcess mse({kBinary, "mse", "--data-dir", dir.string(), "--mac", "00:50:56:9c:34:89",
                    "--venue", kVenue, "--store", "sqlite:" + db.string()},
                   tmp.path() / "mse.log");
  ASSERT_TRUE(waitFor([&] { return cli(dir, "show version").exit_code == 0; }, 15s)) << mse.log();

  const auto summary = cli(dir, "show location summary");
  ASSERT_EQ(summary.exit_code, 0) << summary.out;
  EXPECT_NE(summary.out.find("Locating: on (1 venue)\n"), std::string::npos) << summary.out;
  EXPECT_NE(summary.out.find("accuracy-a          1       12    0         0/1\n"),
            std::string::npos)
      << summary.out;
  EXPECT_NE(summary.out.find("Store                                   : sqlite " + db.string() +
                             " (connected)\n"),
            std::string::npos)
      << summary.out;
  EXPECT_NE(summary.out.find("Store dropped                           : 0\n"), std::string::npos)
      << summary.out;
  EXPECT_TRUE(fs::exists(db));

  const auto unknown = cli(dir, "show location 02:00:00:00:00:01");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.out.find("% no location for 02:00:00:00:00:01"), std::string::npos)
      << unknown.out;
  EXPECT_NE(mse.log().find("venue accuracy-a"), std::string::npos) << mse.log();
  EXPECT_EQ(mse.stop(), 0) << mse.log();
}

TEST(LiveLocationCli, WithoutAVenueTheMseSaysItLocatesNothing) {
  nmsp::test_support::TempDir tmp("nmsp-live-cli");
  const fs::path dir = tmp.path() / "mse";
  ChildProcess mse({kBinary, "mse", "--data-dir", dir.string(), "--mac", "00:50:56:9c:34:89"},
                   tmp.path() / "mse.log");
  ASSERT_TRUE(waitFor([&] { return cli(dir, "show version").exit_code == 0; }, 15s)) << mse.log();
  const auto summary = cli(dir, "show location summary");
  ASSERT_EQ(summary.exit_code, 0) << summary.out;
  EXPECT_EQ(summary.out.rfind("Locating: off (no venue: start nmsp mse with --venue FILE)\n", 0),
            0u)
      << summary.out;
  // The default store: SQLite in the data directory.
  EXPECT_NE(summary.out.find("sqlite " + (dir / "mse.db").string()), std::string::npos)
      << summary.out;
  EXPECT_NE(mse.log().find("no venue (--venue FILE): the MSE locates nothing"), std::string::npos)
      << mse.log();
  EXPECT_EQ(mse.stop(), 0) << mse.log();
}

TEST(LiveLocationCli, BadVenueOrStoreIsRefusedAtStart) {
  nmsp::test_support::TempDir tmp("nmsp-live-cli");
  const auto bad_store = nmsp({"mse", "--data-dir", (tmp.path() / "a").string(), "--mac",
                               "00:50:56:9c:34:89", "--store", "mysql://x"});
  EXPECT_EQ(bad_store.exit_code, 1) << bad_store.out;
  EXPECT_NE(bad_store.out.find("--store"), std::string::npos) << bad_store.out;
  const auto bad_venue = nmsp({"mse", "--data-dir", (tmp.path() / "b").string(), "--mac",
                               "00:50:56:9c:34:89", "--venue", "/nonexistent/v.json"});
  EXPECT_EQ(bad_venue.exit_code, 1) << bad_venue.out;
  EXPECT_NE(bad_venue.out.find("--venue /nonexistent/v.json: cannot open the file"),
            std::string::npos)
      << bad_venue.out;
  // Refused before anything is created: no data directory, no identity.
  EXPECT_FALSE(fs::exists(tmp.path() / "a"));
  EXPECT_FALSE(fs::exists(tmp.path() / "b"));
}

}  // namespace
