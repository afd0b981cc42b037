#pragma once
// The database a test binary runs against. The store tests are compiled twice from the same
// source: against SQLite (a file in a temporary directory; label unit) and against a real
// PostgreSQL server started for the test binary (label integration).

#include <functional>
#include <memory>
#include <string>

#include "store/sql_connection.h"
#include "store/store_target.h"
#include "support/temp_dir.h"

namespace nmsp::store {

class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  /// A fresh, empty database.
  static std::unique_ptr<TestDatabase> create();

  virtual StoreTarget target() const = 0;
  /// A direct connection, to look at what the store wrote.
  virtual std::unique_ptr<sql::Connection> connect() const = 0;
  /// Holds a lock that stops the store's writer at its next batch until the returned
  /// connection ends its transaction (ROLLBACK).
  virtual std::unique_ptr<sql::Connection> stallWriter() const = 0;
};

}  // namespace nmsp::store
