// Drives the real binary: `nmsp encode | nmsp decode` through a shell, checking stdout,
// stderr and exit codes.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/process.h"

namespace {

namespace fs = std::filesystem;

struct Shell {
  int code;
  std::string out;
  std::string err;
};

class CliPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "nmsp-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Runs `script` under bash with pipefail; NMSP is the binary's path (test/support/process.h:
  // own process group, bounded, stdout and stderr apart, stdin empty).
  Shell run(const std::string& script) {
    const fs::path sh = write("script.sh", "set -o pipefail\nNMSP='" + std::string(NMSP_BINARY) +
                                               "'\ncd '" + dir_.string() + "'\n" + script + "\n");
    const auto result = nmsp::test_support::run(
        nmsp::test_support::Command({"bash", sh.string()}).separateStderr());
    return {result.exit_code, result.out, result.err};
  }

  fs::path dir_;
};

constexpr const char* kInit =
    R"({"message":"init-request","transaction_id":1,"min_version":1,"max_version":1,)"
    R"("role":"mse","name":"mse-1","software_version":"8.0.150.0","clock_utc_ms":1795428000000})";
constexpr const char* kMeasurement =
    R"({"message":"measurement-notification","transaction_id":3,"devices":[{"mac":)"
    R"("0011.2233.4455","kind":"client","aps":[{"ap_mac":"a0:b1:c2:00:00:01","slot":0,)"
    R"("band":"2.4ghz","antenna":0,"rssi_dbm":-60,"snr_db":30,"timestamp_utc_ms":1795428000000}]}]})";

TEST_F(CliPipeline, EncodeDecodeJsonRoundTrip) {
  write("in.json", std::string(kInit) + "\n" + kMeasurement + "\n");
  const Shell r = run("\"$NMSP\" encode in.json | \"$NMSP\" decode --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            R"({"clock_utc_ms":1795428000000,"flags":1,"max_version":1,"message":"init-request",)"
            R"("min_version":1,"name":"mse-1","role":"mse","software_version":"8.0.150.0",)"
            R"("transaction_id":1,"version":1})"
            "\n"
            R"({"devices":[{"aps":[{"antenna":0,"ap_mac":"a0:b1:c2:00:00:01","band":"2.4ghz",)"
            R"("rssi_dbm":-60,"slot":0,"snr_db":30,"timestamp_utc_ms":1795428000000}],"kind":)"
            R"("client","mac":"00:11:22:33:44:55"}],"flags":0,"message":)"
            R"("measurement-notification","transaction_id":3,"version":1})"
            "\n");
  // And the canonical output encodes to the same bytes again.
  const Shell again =
      run("\"$NMSP\" encode in.json >a.hex && \"$NMSP\" encode in.json | "
          "\"$NMSP\" decode --json | \"$NMSP\" encode - >b.hex && cmp a.hex b.hex");
  EXPECT_EQ(again.code, 0) << again.err;
}

TEST_F(CliPipeline, BinaryIsDetectedAndPrintedAsText) {
  write("in.json", kMeasurement);
  const Shell r = run("\"$NMSP\" encode --binary in.json | \"$NMSP\" decode -");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(
      r.out.rfind("frame 0: measurement-notification (0x0022) v1 flags=0x00 txn=3 length=", 0), 0u)
      << r.out;
  EXPECT_NE(r.out.find("    ap[0] ap_mac=a0:b1:c2:00:00:01 slot=0 band=2.4ghz antenna=0 "
                       "rssi=-60dBm snr=30dB ts=2026-11-23T10:00:00.000Z\n"),
            std::string::npos)
      << r.out;
}

TEST_F(CliPipeline, TruncatedInputFailsAfterPrintingTheGoodFrames) {
  write("in.json", std::string("[") + kInit + "," + kInit + "]");
  // Drop the last 4 hex digits (2 bytes) of the second frame.
  const Shell r = run("\"$NMSP\" encode in.json | sed '2s/....$//' | \"$NMSP\" decode");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind("frame 0: init-request", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("frame 1"), std::string::npos);
  EXPECT_EQ(r.err.rfind("error: truncated-payload at offset ", 0), 0u) << r.err;
}

TEST_F(CliPipeline, SchemaErrorWritesNothing) {
  write("bad.json", R"({"message":"measurement-request","devices":["00:11:22:33:44:zz"]})");
  const Shell r = run("\"$NMSP\" encode bad.json");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: frame 0: devices[0]: expected MAC address like \"00:11:22:33:44:55\", got "
            "\"00:11:22:33:44:zz\"\n");
}

TEST_F(CliPipeline, UsageErrors) {
  const Shell missing = run("\"$NMSP\" decode no-such-file");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "nmsp decode: cannot open no-such-file: No such file or directory\n");
  const Shell both = run("echo 00 | \"$NMSP\" decode --hex --binary");
  EXPECT_NE(both.code, 0);
  EXPECT_NE(both.err.find("excludes"), std::string::npos) << both.err;
  const Shell tiny = run("echo '{}' | \"$NMSP\" encode --max-frame-size 4");
  EXPECT_NE(tiny.code, 0);
  EXPECT_EQ(tiny.out, "");
}

}  // namespace
