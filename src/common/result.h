#pragma once
// Errors as values. g++ 12 has std::expected only under -std=c++23 and clang 14 (used for the
// fuzzers) cannot compile libstdc++'s <expected>, so we keep a small equivalent of our own.

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace nmsp {

/// Wraps an error value so that `return Unexpected{err};` picks the error alternative.
template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

/// Either a value of type T or an error of type E (the std::expected subset we use).
template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <class G>
  Result(Unexpected<G> u) : v_(std::in_place_index<1>, E(std::move(u.error))) {}  // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return check(), std::get<0>(v_); }
  const T& value() const& { return check(), std::get<0>(v_); }
  T&& value() && { return check(), std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  // Reading the value of an error result is a broken invariant, not a peer's fault: abort.
  void check() const {
    if (!has_value()) {
      std::abort();
    }
  }
  std::variant<T, E> v_;
};

/// Result of an operation that yields nothing on success.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <class G>
  Result(Unexpected<G> u) : error_(E(std::move(u.error))), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const E& error() const& { return error_; }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace nmsp
