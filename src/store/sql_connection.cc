#include "store/sql_connection.h"

#include <charconv>
#include <cstdlib>

namespace nmsp::store::sql {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

bool Row::isNull(size_t i) const {
  return i >= values_.size() || std::holds_alternative<std::monostate>(values_[i]);
}

int64_t toInteger(const Value& value) {
  return std::visit(
      Overloaded{[](std::monostate) -> int64_t { return 0; }, [](int64_t v) { return v; },
                 [](double v) { return static_cast<int64_t>(v); },
                 [](const std::string& v) {
                   int64_t out = 0;
                   std::from_chars(v.data(), v.data() + v.size(), out);
                   return out;
                 }},
      value);
}

double toReal(const Value& value) {
  return std::visit(
      Overloaded{[](std::monostate) { return 0.0; },
                 [](int64_t v) { return static_cast<double>(v); }, [](double v) { return v; },
                 [](const std::string& v) { return std::strtod(v.c_str(), nullptr); }},
      value);
}

int64_t Row::integer(size_t i) const {
  return i < values_.size() ? toInteger(values_[i]) : 0;
}

double Row::real(size_t i) const {
  return i < values_.size() ? toReal(values_[i]) : 0;
}

std::string toText(const Value& value) {
  return std::visit(Overloaded{[](std::monostate) { return std::string(); },
                               [](int64_t v) { return std::to_string(v); },
                               [](double v) {
                                 char buffer[32];
                                 auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
                                 return std::string(buffer, end);
                               },
                               [](const std::string& v) { return v; }},
                    value);
}

std::string Row::text(size_t i) const {
  return i < values_.size() ? toText(values_[i]) : std::string();
}

}  // namespace nmsp::store::sql
