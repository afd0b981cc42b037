#include "surface/text_table.h"

#include <fmt/format.h>

namespace nmsp::surface {

std::string cell(std::string_view text, size_t width) {
  std::string out(text);
  out.append(out.size() < width ? width - out.size() : 1, ' ');
  return out;
}

std::string counterLine(std::string_view label, std::string_view value) {
  return fmt::format("{:<40}: {}\n", label, value);
}

std::string counterLine(std::string_view label, uint64_t value) {
  return counterLine(label, std::to_string(value));
}

std::string heading(std::string_view title) {
  return fmt::format("{}\n{}\n", title, std::string(title.size(), '-'));
}

}  // namespace nmsp::surface
