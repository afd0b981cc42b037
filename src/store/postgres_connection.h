#pragma once
// PostgreSQL behind sql::Connection, through libpq: prepared statements cached by their text,
// bulk writes as one statement over arrays (unnest) sent in binary, so that the server parses
// no numbers. Every wait is bounded: connect_timeout,
// statement_timeout, and TCP keepalives / tcp_user_timeout for a peer that vanished.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql_connection.h"

struct pg_conn;

namespace nmsp::store::sql {

struct PostgresOptions {
  std::chrono::seconds connect_timeout{5};  // libpq counts whole seconds, 2 at least
  std::chrono::milliseconds statement_timeout{10000};
};

class PostgresConnection final : public Connection {
 public:
  /// Connects to `uri` (postgresql://...; parameters given in it win over our defaults).
  static DbResult<std::unique_ptr<PostgresConnection>> open(const std::string& uri,
                                                            const PostgresOptions& options);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::Postgres; }
  DbResult<void> script(std::string_view sql) override;
  DbResult<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override;
  DbResult<uint64_t> execute(std::string_view sql, const std::vector<Value>& params) override;
  DbResult<void> bulk(const BulkStatement& statement, const std::vector<Value>& values) override;
  DbResult<void> beginWrite() override { return script("BEGIN"); }
  bool broken() const override;

 private:
  /// What PQexecPrepared takes: each value's bytes (nullopt: NULL), all in text or all in
  /// binary format, and the parameters' type OIDs (empty: the server infers them).
  struct Parameters {
    std::vector<std::optional<std::string>> values;
    std::vector<unsigned int> types;
    bool binary = false;
  };
  static Parameters textParameters(const std::vector<Value>& params);

  explicit PostgresConnection(pg_conn* connection) : connection_(connection) {}
  /// Runs a prepared statement (prepared on first use); rows go to `rows` when not null.
  DbResult<uint64_t> run(const std::string& sql, const Parameters& params, std::vector<Row>* rows);

  pg_conn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace nmsp::store::sql
