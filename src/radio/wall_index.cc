#include "radio/wall_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nmsp::radio {
namespace {

constexpr double kWallCellM = 8.0;

double cross(double ax, double ay, double bx, double by, double cx, double cy) {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

// Calls visit(column, row) for every grid cell the segment passes (Amanatides-Woo walk) until
// visit returns false.
template <class Visit>
void walkCells(const UniformGrid& grid, double x0, double y0, double x1, double y1, Visit&& visit) {
  int column = grid.columnOf(x0);
  int row = grid.rowOf(y0);
  const int last_column = grid.columnOf(x1);
  const int last_row = grid.rowOf(y1);
  const double dx = x1 - x0;
  const double dy = y1 - y0;
  const double cell = grid.cellSize();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const int step_x = dx > 0 ? 1 : -1;
  const int step_y = dy > 0 ? 1 : -1;
  const double delta_x = dx != 0 ? cell / std::abs(dx) : kInf;
  const double delta_y = dy != 0 ? cell / std::abs(dy) : kInf;
  double next_x = dx != 0 ? ((column + (dx > 0 ? 1 : 0)) * cell - x0) / dx : kInf;
  double next_y = dy != 0 ? ((row + (dy > 0 ? 1 : 0)) * cell - y0) / dy : kInf;
  // Clamped ends can leave the walk one step short or long: bound it and stay on the grid.
  for (int steps = grid.columns() + grid.rows() + 2; steps > 0; --steps) {
    if (!visit(column, row) || (column == last_column && row == last_row)) {
      return;
    }
    if (next_x < next_y) {
      column += step_x;
      next_x += delta_x;
    } else {
      row += step_y;
      next_y += delta_y;
    }
    if (column < 0 || row < 0 || column >= grid.columns() || row >= grid.rows()) {
      return;
    }
  }
}

}  // namespace

bool segmentsCross(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y,
                   double q1x, double q1y) {
  const double d1 = cross(q0x, q0y, q1x, q1y, p0x, p0y);
  const double d2 = cross(q0x, q0y, q1x, q1y, p1x, p1y);
  const double d3 = cross(p0x, p0y, p1x, p1y, q0x, q0y);
  const double d4 = cross(p0x, p0y, p1x, p1y, q1x, q1y);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

WallIndex::WallIndex(std::vector<Wall> walls, double width_m, double length_m)
    : walls_(std::move(walls)), marks_(walls_.size(), 0) {
  if (walls_.size() < kScanAllBelow) {
    return;
  }
  grid_ = UniformGrid(width_m, length_m, kWallCellM);
  // Every cell the wall's box (a little enlarged) touches: a path crossing the wall exactly on
  // a cell border then finds it from either side.
  constexpr double kSlackM = 0.01;
  grid_.build(static_cast<uint32_t>(walls_.size()), [&](uint32_t i, auto&& add) {
    const Wall& w = walls_[i];
    const int c0 = grid_.columnOf(std::min(w.x1_m, w.x2_m) - kSlackM);
    const int c1 = grid_.columnOf(std::max(w.x1_m, w.x2_m) + kSlackM);
    const int r0 = grid_.rowOf(std::min(w.y1_m, w.y2_m) - kSlackM);
    const int r1 = grid_.rowOf(std::max(w.y1_m, w.y2_m) + kSlackM);
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        add(c, r);
      }
    }
  });
}

double WallIndex::pathLossDb(double x0, double y0, double x1, double y1, double stop_db) const {
  double loss = 0;
  auto test = [&](uint32_t i) {
    const Wall& w = walls_[i];
    if (segmentsCross(x0, y0, x1, y1, w.x1_m, w.y1_m, w.x2_m, w.y2_m)) {
      loss += w.attenuation_db;
    }
  };
  if (walls_.size() < kScanAllBelow) {
    for (uint32_t i = 0; i < walls_.size() && loss < stop_db; ++i) {
      test(i);
    }
    return loss;
  }
  if (++query_ == 0) {  // wrapped: forget every old mark
    std::fill(marks_.begin(), marks_.end(), 0);
    query_ = 1;
  }
  walkCells(grid_, x0, y0, x1, y1, [&](int column, int row) {
    for (uint32_t i : grid_.cell(column, row)) {
      if (marks_[i] != query_) {
        marks_[i] = query_;
        test(i);
      }
    }
    return loss < stop_db;
  });
  return loss;
}

}  // namespace nmsp::radio
