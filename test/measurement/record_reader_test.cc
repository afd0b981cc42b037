// Streaming files: malformed lines reported with their number and skipped, counts at the end,
// lines across buffer boundaries, over-long lines skipped in constant memory, the writer.
#include "measurement/record_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "measurement/record_writer.h"

namespace nmsp::measurement {
namespace {

std::string observationLine(uint64_t ts, int rssi) {
  Observation o;
  o.ts_ms = ts;
  o.device = *MacAddress::parse("f4:8c:50:53:bc:09");
  o.ap = *MacAddress::parse("00:2b:01:00:0a:00");
  o.rssi = static_cast<int8_t>(rssi);
  std::string line;
  appendLine(line, o);
  return line;
}

TEST(ObservationReader, SkipsAndReportsMalformedLines) {
  std::stringstream in;
  in << observationLine(1, -50)  // 1
     << "\n"                     // 2 blank
     << "{\"ts_ms\":2}\n"        // 3 missing members
     << "not json\n"             // 4
     << observationLine(3, -60).substr(0, observationLine(3, -60).size() - 1) << "\r\n"  // 5
     << "   \t\n"                                                                        // 6 blank
     << observationLine(4, -70).substr(0, observationLine(4, -70).size() - 1);           // 7, no \n
  std::vector<LineProblem> problems;
  ObservationReader reader(in, [&](const LineProblem& p) { problems.push_back(p); });
  std::vector<uint64_t> times;
  Observation o;
  while (reader.next(o)) {
    times.push_back(o.ts_ms);
  }
  EXPECT_EQ(times, (std::vector<uint64_t>{1, 3, 4}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(describe(problems[0]), "line 3: device: missing (required)");
  EXPECT_EQ(problems[1].line, 4u);
  EXPECT_EQ(problems[1].reason.rfind("invalid JSON", 0), 0u) << problems[1].reason;
  EXPECT_EQ(reader.counts().lines, 7u);
  EXPECT_EQ(reader.counts().records, 3u);
  EXPECT_EQ(reader.counts().skipped, 2u);
  EXPECT_EQ(describe(reader.counts(), "observations"), "7 lines, 3 observations, 2 skipped");
  EXPECT_FALSE(reader.next(o));  // stays at the end
}

TEST(ObservationReader, ReadsLinesAcrossBufferBoundaries) {
  std::stringstream in;
  constexpr int kLines = 5000;  // about 600 KiB: several refills of the 64 KiB chunks
  for (int i = 0; i < kLines; ++i) {
    in << observationLine(static_cast<uint64_t>(i), -(i % 100));
  }
  ObservationReader reader(in);
  Observation o;
  int n = 0;
  while (reader.next(o)) {
    ASSERT_EQ(o.ts_ms, static_cast<uint64_t>(n));
    ASSERT_EQ(o.rssi, -(n % 100));
    ++n;
  }
  EXPECT_EQ(n, kLines);
  EXPECT_EQ(reader.counts().skipped, 0u);
}

TEST(ObservationReader, SkipsOverlongLinesWithoutHoldingThem) {
  std::stringstream in;
  in << observationLine(1, -50) << std::string(300 * 1024, 'x') << "\n"
     << observationLine(2, -51).substr(0, 90) << std::string(200, 'y');  // 290 bytes, no \n
  std::vector<LineProblem> problems;
  ObservationReader reader(
      in, [&](const LineProblem& p) { problems.push_back(p); }, 200);
  Observation o;
  std::vector<uint64_t> times;
  while (reader.next(o)) {
    times.push_back(o.ts_ms);
  }
  EXPECT_EQ(times, (std::vector<uint64_t>{1}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(describe(problems[0]), "line 2: line longer than 200 bytes");
  EXPECT_EQ(problems[1].line, 3u);
  EXPECT_EQ(reader.counts().lines, 3u);
}

TEST(RecordWriter, WritesLinesThatReadBack) {
  std::stringstream out;
  {
    RecordWriter writer(out);
    for (int i = 0; i < 3000; ++i) {  // more than one buffer
      Observation o;
      o.ts_ms = static_cast<uint64_t>(i);
      o.device = *MacAddress::parse("f4:8c:50:53:bc:09");
      o.kind = proto::DeviceKind::RogueAp;
      o.ap = *MacAddress::parse("00:2b:01:00:0a:00");
      o.rssi = -60;
      o.band = proto::Band::Band2_4GHz;
      writer.write(o);
    }
    TruthRecord t;
    t.floor = "1";
    writer.write(t);
    EXPECT_EQ(writer.lines(), 3001u);
    EXPECT_TRUE(writer.flush());
  }
  ObservationReader reader(out);
  Observation o;
  uint64_t n = 0;
  while (reader.next(o)) {
    ASSERT_EQ(o.ts_ms, n++);
    ASSERT_EQ(o.kind, proto::DeviceKind::RogueAp);
  }
  EXPECT_EQ(n, 3000u);
  EXPECT_EQ(reader.counts().skipped, 1u);  // the truth line is not an observation
}

}  // namespace
}  // namespace nmsp::measurement
