#include "measurement/truth.h"

#include <array>
#include <utility>

namespace nmsp::measurement {
namespace {

constexpr std::array<std::pair<Motion, std::string_view>, 3> kMotionNames{{
    {Motion::Still, "still"},
    {Motion::Walking, "walking"},
    {Motion::Stairs, "stairs"},
}};

}  // namespace

std::string_view motionName(Motion motion) {
  for (const auto& [value, name] : kMotionNames) {
    if (value == motion) {
      return name;
    }
  }
  return "still";
}

std::optional<Motion> motionFromName(std::string_view name) {
  for (const auto& [value, text] : kMotionNames) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace nmsp::measurement
