#include "venue/json_number.h"

#include <fmt/format.h>

#include <cmath>

namespace nmsp::venue {

double readNumber(const nlohmann::json& value, std::string_view path,
                  proto_json::ReadErrors& errors) {
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::isfinite(v)) {
      return v;
    }
  }
  errors.fail(path, fmt::format("expected number, got {}", proto_json::describeJson(value)));
  return 0;
}

double readNumber(const nlohmann::json& value, std::string_view path,
                  proto_json::ReadErrors& errors, double lo, double hi) {
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::isfinite(v) && v >= lo && v <= hi) {
      return v;
    }
  }
  errors.fail(
      path, fmt::format("expected number {}..{}, got {}", lo, hi, proto_json::describeJson(value)));
  return lo;
}

}  // namespace nmsp::venue
