#pragma once
// The walls of one floor and the loss of a straight path across them: walls crossed are summed
// (each counted once), capped by the caller. The grid walk visits only the cells the path
// passes, so a floor with thousands of walls costs what its neighbourhood costs.

#include <cstdint>
#include <limits>
#include <vector>

#include "radio/site.h"
#include "radio/uniform_grid.h"

namespace nmsp::radio {

class WallIndex {
 public:
  WallIndex() = default;
  WallIndex(std::vector<Wall> walls, double width_m, double length_m);

  size_t size() const { return walls_.size(); }

  /// Sum of the attenuations (2.4 GHz values) of the walls that the segment (x0, y0)-(x1, y1)
  /// properly crosses; touching a wall's end or running along it does not count. Stops early
  /// (with a partial sum >= stop_db) once the sum reaches `stop_db`. Not thread-safe (a
  /// per-query mark avoids counting a wall twice).
  double pathLossDb(double x0, double y0, double x1, double y1,
                    double stop_db = std::numeric_limits<double>::infinity()) const;

 private:
  static constexpr size_t kScanAllBelow = 48;  // fewer walls: a plain scan is faster

  std::vector<Wall> walls_;
  UniformGrid grid_;
  mutable std::vector<uint32_t> marks_;  // per wall: the last query that tested it
  mutable uint32_t query_ = 0;
};

/// Whether segments p0-p1 and q0-q1 cross at a point inside both (not at an end, not collinear).
bool segmentsCross(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y,
                   double q1x, double q1y);

}  // namespace nmsp::radio
