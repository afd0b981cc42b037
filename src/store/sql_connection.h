#pragma once
// One database connection, whatever the engine: the store's SQL is written once against this
// interface with $1..$n parameters (PostgreSQL's native form; SQLite reads `$1` as a named
// parameter, numbered in order of first use). A connection is used by one thread at a time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace nmsp::store::sql {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline Value null() {
  return Value{};
}
inline Value integer(int64_t v) {
  return Value{v};
}
inline Value real(double v) {
  return Value{v};
}
inline Value text(std::string v) {
  return Value{std::move(v)};
}
/// A value as a number (text is parsed; NULL gives 0).
int64_t toInteger(const Value& value);
double toReal(const Value& value);
/// Decimal text of a value (doubles in their shortest exact form); NULL gives "".
std::string toText(const Value& value);

template <class T>
Value optionalInteger(const std::optional<T>& v) {
  return v ? integer(static_cast<int64_t>(*v)) : null();
}

struct DbError {
  std::string message;
  /// The same work may succeed later (connection lost, server shutting down, database busy,
  /// disk full): keep the data and retry. Otherwise the statement itself is at fault.
  bool transient = false;
  /// The connection is gone (implies transient): connect again before retrying.
  bool connection_lost = false;
};

template <class T>
using DbResult = Result<T, DbError>;

/// One result row. Accessors convert between the engines' representations (PostgreSQL rows
/// arrive as text); a NULL reads as 0 or "".
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool isNull(size_t i) const;
  int64_t integer(size_t i) const;
  double real(size_t i) const;
  std::string text(size_t i) const;
  template <class T>
  std::optional<T> optionalInteger(size_t i) const {
    return isNull(i) ? std::nullopt : std::optional<T>(static_cast<T>(integer(i)));
  }
  std::optional<std::string> optionalText(size_t i) const {
    return isNull(i) ? std::nullopt : std::optional<std::string>(text(i));
  }

 private:
  std::vector<Value> values_;
};

enum class Dialect { Sqlite, Postgres };

/// SQL types of bulk-statement columns (PostgreSQL needs them to type its arrays).
enum class ColumnType { Integer, Real, Text };

/// "head VALUES (...) tail", run for many rows at once: SQLite steps one prepared statement
/// per row, PostgreSQL sends one statement over arrays (`head SELECT * FROM unnest(...) tail`).
struct BulkStatement {
  std::string_view head;  // "INSERT INTO t (a, b)"
  std::vector<ColumnType> columns;
  std::string_view tail;  // "ON CONFLICT ... " or empty
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  /// Statements without parameters or results, several separated by ';' (schema steps).
  virtual DbResult<void> script(std::string_view sql) = 0;
  /// One statement with $1..$n parameters; its rows.
  virtual DbResult<std::vector<Row>> query(std::string_view sql,
                                           const std::vector<Value>& params) = 0;
  /// One statement with parameters; the number of rows it changed.
  virtual DbResult<uint64_t> execute(std::string_view sql, const std::vector<Value>& params) = 0;
  /// `statement` for each row of `values` (row-major, columns.size() values per row).
  virtual DbResult<void> bulk(const BulkStatement& statement, const std::vector<Value>& values) = 0;

  /// Starts a transaction that will write (SQLite takes the write lock now, not at the first
  /// write, so that it never has to be upgraded).
  virtual DbResult<void> beginWrite() = 0;
  DbResult<void> commit() { return script("COMMIT"); }
  /// Best effort: a failed rollback leaves a broken connection, which broken() then reports.
  void rollback() { (void)script("ROLLBACK"); }
  /// The connection is unusable (lost): drop it and connect again. (libpq may report a lost
  /// connection only at the next call: DbError::connection_lost says it at once.)
  virtual bool broken() const = 0;
};

/// Runs `work` in a write transaction: committed if it succeeds, rolled back otherwise.
template <class F>
auto inTransaction(Connection& connection, F&& work) -> decltype(work()) {
  if (auto begun = connection.beginWrite(); !begun) {
    return Unexpected{begun.error()};
  }
  auto result = work();
  if (!result) {
    connection.rollback();
    return result;
  }
  if (auto committed = connection.commit(); !committed) {
    connection.rollback();
    return Unexpected{committed.error()};
  }
  return result;
}

}  // namespace nmsp::store::sql
