#include "proto_json/utc_time.h"

#include <fmt/format.h>

#include <chrono>

namespace nmsp::proto_json {

std::string formatUtcMs(uint64_t ms_since_epoch) {
  constexpr uint64_t kYear10000Ms = 253402300800000;  // 10000-01-01T00:00:00Z
  if (ms_since_epoch >= kYear10000Ms) {
    return fmt::format("+{}ms", ms_since_epoch);
  }
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{static_cast<int64_t>(ms_since_epoch)}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

}  // namespace nmsp::proto_json
