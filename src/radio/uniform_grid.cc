#include "radio/uniform_grid.h"

namespace nmsp::radio {

UniformGrid::UniformGrid(double width_m, double length_m, double cell_m)
    : cell_m_(cell_m),
      columns_(std::max(1, static_cast<int>(std::ceil(width_m / cell_m)))),
      rows_(std::max(1, static_cast<int>(std::ceil(length_m / cell_m)))),
      starts_(static_cast<size_t>(columns_) * static_cast<size_t>(rows_) + 1, 0) {}

}  // namespace nmsp::radio
