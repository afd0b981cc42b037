#pragma once
// A uniform grid over one floor's rectangle whose cells hold item indexes in one flat array
// (compressed rows: no allocation per cell, no allocation per query). Used for walls and APs.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace nmsp::radio {

class UniformGrid {
 public:
  UniformGrid() = default;
  /// Covers [0, width] x [0, length] with square cells of about `cell_m`.
  UniformGrid(double width_m, double length_m, double cell_m);

  int columns() const { return columns_; }
  int rows() const { return rows_; }
  double cellSize() const { return cell_m_; }
  int columnOf(double x) const { return clampIndex(x, columns_); }
  int rowOf(double y) const { return clampIndex(y, rows_); }

  /// Builds the cell lists: `cells_of(item, add)` calls add(column, row) for each cell an item
  /// touches (duplicates allowed).
  template <class CellsOf>
  void build(uint32_t items, CellsOf&& cells_of);

  std::span<const uint32_t> cell(int column, int row) const {
    const auto [begin, end] = cellRange(column, row);
    return {items_.data() + begin, items_.data() + end};
  }
  /// Where the cell's items sit in items(): data copied per item into a parallel array in this
  /// order can then be read cell by cell, contiguously.
  std::pair<uint32_t, uint32_t> cellRange(int column, int row) const {
    const size_t c =
        static_cast<size_t>(row) * static_cast<size_t>(columns_) + static_cast<size_t>(column);
    return {starts_[c], starts_[c + 1]};
  }
  const std::vector<uint32_t>& items() const { return items_; }

 private:
  int clampIndex(double v, int n) const {
    return std::clamp(static_cast<int>(std::floor(v / cell_m_)), 0, n - 1);
  }

  double cell_m_ = 1;
  int columns_ = 1;
  int rows_ = 1;
  std::vector<uint32_t> starts_{0, 0};
  std::vector<uint32_t> items_;
};

template <class CellsOf>
void UniformGrid::build(uint32_t items, CellsOf&& cells_of) {
  const size_t cells = static_cast<size_t>(columns_) * static_cast<size_t>(rows_);
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (cell, item)
  for (uint32_t i = 0; i < items; ++i) {
    cells_of(i, [&](int column, int row) {
      pairs.emplace_back(static_cast<uint32_t>(row * columns_ + column), i);
    });
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  starts_.assign(cells + 1, 0);
  items_.clear();
  items_.reserve(pairs.size());
  for (const auto& [c, item] : pairs) {
    ++starts_[c + 1];
    items_.push_back(item);
  }
  for (size_t c = 0; c < cells; ++c) {
    starts_[c + 1] += starts_[c];
  }
}

}  // namespace nmsp::radio
