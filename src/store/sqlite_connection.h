#pragma once
// SQLite behind sql::Connection: one file, WAL journal, prepared statements cached by their
// text. The writer's connection commits with synchronous=FULL (docs/storage.md, "Durability").

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql_connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace nmsp::store::sql {

class SqliteConnection final : public Connection {
 public:
  enum class Role { Writer, Reader };

  /// Opens (creating it for the writer) the database file at `path`. Waits at most
  /// `busy_timeout` for another connection's lock on every statement.
  static DbResult<std::unique_ptr<SqliteConnection>> open(const std::filesystem::path& path,
                                                          Role role,
                                                          std::chrono::milliseconds busy_timeout);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::Sqlite; }
  DbResult<void> script(std::string_view sql) override;
  DbResult<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override;
  DbResult<uint64_t> execute(std::string_view sql, const std::vector<Value>& params) override;
  DbResult<void> bulk(const BulkStatement& statement, const std::vector<Value>& values) override;
  DbResult<void> beginWrite() override { return script("BEGIN IMMEDIATE"); }
  bool broken() const override { return false; }

 private:
  struct Statement {
    sqlite3_stmt* handle = nullptr;
    std::vector<int> slots;  // slots[k]: SQLite's index of parameter $k+1
  };

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  DbResult<Statement*> prepare(const std::string& sql);
  /// Binds params[first .. first+count) and steps the statement to its end; rows go to `rows`
  /// when it is not null.
  DbResult<void> run(Statement& statement, const std::vector<Value>& params, size_t first,
                     size_t count, std::vector<Row>* rows);
  DbError error(int code) const;

  sqlite3* db_;
  std::unordered_map<std::string, Statement> statements_;
};

}  // namespace nmsp::store::sql
