#include "store/postgres_connection.h"

#include <libpq-fe.h>

#include <bit>
#include <cstdlib>
#include <string>

namespace nmsp::store::sql {
namespace {

// Type OIDs of the columns we read as numbers (pg_type.h).
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// SQLSTATE classes worth retrying with the same data: connection exception (08), insufficient
// resources such as a full disk (53), operator intervention: shutdown, statement timeout (57),
// transaction rollback: serialization failure, deadlock (40).
bool isTransientState(const char* state) {
  if (state == nullptr) {
    return false;
  }
  std::string_view c(state, 2);
  return c == "08" || c == "53" || c == "57" || c == "40";
}

void ignoreNotice(void*, const char*) {}

// What a failed call says. An error without SQLSTATE comes from libpq itself, not from the
// server: the connection is lost (libpq may still call it CONNECTION_OK until the next call).
DbError errorOf(pg_conn* connection, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  DbError e;
  e.message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(connection));
  if (e.message.empty()) {
    e.message = trimmed(PQerrorMessage(connection));
  }
  e.connection_lost = state == nullptr || PQstatus(connection) != CONNECTION_OK;
  e.transient = e.connection_lost || isTransientState(state);
  return e;
}

// How a bulk column travels: its array type, element type (OIDs, pg_type.h) and SQL cast.
struct ArrayType {
  Oid array;
  Oid element;
  const char* cast;
};

ArrayType arrayTypeOf(ColumnType type) {
  switch (type) {
    case ColumnType::Integer:
      return {1016, kInt8, "bigint[]"};
    case ColumnType::Real:
      return {1022, kFloat8, "double precision[]"};
    case ColumnType::Text:
      break;
  }
  return {1009, 25, "text[]"};
}

void putBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

// Column `column` of the row-major `values` as a one-dimensional array in PostgreSQL's binary
// format (array_recv): the server takes it without parsing any text.
std::string binaryArray(ColumnType type, const std::vector<Value>& values, size_t column,
                        size_t width) {
  const size_t count = values.size() / width;
  bool has_null = false;
  for (size_t at = column; at < values.size(); at += width) {
    has_null = has_null || std::holds_alternative<std::monostate>(values[at]);
  }
  std::string out;
  out.reserve(20 + count * 12);
  putBigEndian(out, 1, 4);  // dimensions
  putBigEndian(out, has_null ? 1 : 0, 4);
  putBigEndian(out, arrayTypeOf(type).element, 4);
  putBigEndian(out, count, 4);
  putBigEndian(out, 1, 4);  // lower bound
  for (size_t at = column; at < values.size(); at += width) {
    const Value& value = values[at];
    if (std::holds_alternative<std::monostate>(value)) {
      putBigEndian(out, 0xffffffff, 4);  // NULL
    } else if (type == ColumnType::Integer) {
      putBigEndian(out, 8, 4);
      putBigEndian(out, static_cast<uint64_t>(toInteger(value)), 8);
    } else if (type == ColumnType::Real) {
      putBigEndian(out, 8, 4);
      putBigEndian(out, std::bit_cast<uint64_t>(toReal(value)), 8);
    } else {
      const std::string text = toText(value);
      putBigEndian(out, text.size(), 4);
      out += text;
    }
  }
  return out;
}

}  // namespace

DbResult<std::unique_ptr<PostgresConnection>> PostgresConnection::open(
    const std::string& uri, const PostgresOptions& options) {
  const std::string connect_timeout = std::to_string(options.connect_timeout.count());
  // Ours first: the URI (expanded where "dbname" stands) overrides any of them.
  const char* keywords[] = {"connect_timeout",
                            "application_name",
                            "keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            "dbname",
                            nullptr};
  const char* values[] = {
      connect_timeout.c_str(), "nmsp-mse", "1", "10", "5", "3", "15000", uri.c_str(), nullptr};
  std::unique_ptr<PostgresConnection> connection(
      new PostgresConnection(PQconnectdbParams(keywords, values, 1)));
  if (connection->connection_ == nullptr) {
    return Unexpected{DbError{"out of memory", true, true}};
  }
  if (PQstatus(connection->connection_) != CONNECTION_OK) {
    return Unexpected{DbError{trimmed(PQerrorMessage(connection->connection_)), true, true}};
  }
  PQsetNoticeProcessor(connection->connection_, ignoreNotice, nullptr);
  const std::string settings =
      "SET statement_timeout = " + std::to_string(options.statement_timeout.count()) +
      "; SET client_min_messages = warning";
  if (auto done = connection->script(settings); !done) {
    return Unexpected{done.error()};
  }
  return connection;
}

PostgresConnection::~PostgresConnection() {
  PQfinish(connection_);
}

bool PostgresConnection::broken() const {
  return PQstatus(connection_) != CONNECTION_OK;
}

DbResult<void> PostgresConnection::script(std::string_view sql) {
  PGresult* result = PQexec(connection_, std::string(sql).c_str());
  ExecStatusType status = PQresultStatus(result);
  DbResult<void> outcome;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    outcome = Unexpected{errorOf(connection_, result)};
  }
  PQclear(result);
  return outcome;
}

PostgresConnection::Parameters PostgresConnection::textParameters(
    const std::vector<Value>& params) {
  Parameters out;
  for (const Value& value : params) {
    out.values.push_back(std::holds_alternative<std::monostate>(value)
                             ? std::nullopt
                             : std::optional<std::string>(toText(value)));
  }
  return out;
}

DbResult<uint64_t> PostgresConnection::run(const std::string& sql, const Parameters& params,
                                           std::vector<Row>* rows) {
  auto failure = [this](PGresult* result) {
    DbError e = errorOf(connection_, result);
    PQclear(result);
    return Unexpected{std::move(e)};
  };
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "nmsp_" + std::to_string(prepared_.size());
    PGresult* result = PQprepare(connection_, name.c_str(), sql.c_str(),
                                 static_cast<int>(params.types.size()), params.types.data());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      return failure(result);
    }
    PQclear(result);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> pointers(params.values.size(), nullptr);
  std::vector<int> lengths(params.values.size(), 0);
  for (size_t k = 0; k < params.values.size(); ++k) {
    if (params.values[k]) {
      pointers[k] = params.values[k]->data();
      lengths[k] = static_cast<int>(params.values[k]->size());
    }
  }
  const std::vector<int> formats(params.values.size(), params.binary ? 1 : 0);
  PGresult* result =
      PQexecPrepared(connection_, it->second.c_str(), static_cast<int>(params.values.size()),
                     pointers.data(), lengths.data(), formats.data(), 0);
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return failure(result);
  }
  if (rows != nullptr) {
    const int count = PQntuples(result);
    const int columns = PQnfields(result);
    rows->reserve(rows->size() + static_cast<size_t>(count));
    for (int r = 0; r < count; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result, r, c)) {
          values.emplace_back();
          continue;
        }
        const char* cell = PQgetvalue(result, r, c);
        switch (PQftype(result, c)) {
          case kInt8:
          case kInt2:
          case kInt4:
            values.emplace_back(static_cast<int64_t>(std::strtoll(cell, nullptr, 10)));
            break;
          case kFloat4:
          case kFloat8:
            values.emplace_back(std::strtod(cell, nullptr));
            break;
          default:
            values.emplace_back(std::string(cell, static_cast<size_t>(PQgetlength(result, r, c))));
        }
      }
      rows->emplace_back(std::move(values));
    }
  }
  const char* changed = PQcmdTuples(result);
  uint64_t count = (changed && *changed) ? std::strtoull(changed, nullptr, 10) : 0;
  PQclear(result);
  return count;
}

DbResult<std::vector<Row>> PostgresConnection::query(std::string_view sql,
                                                     const std::vector<Value>& params) {
  std::vector<Row> rows;
  if (auto done = run(std::string(sql), textParameters(params), &rows); !done) {
    return Unexpected{done.error()};
  }
  return rows;
}

DbResult<uint64_t> PostgresConnection::execute(std::string_view sql,
                                               const std::vector<Value>& params) {
  return run(std::string(sql), textParameters(params), nullptr);
}

DbResult<void> PostgresConnection::bulk(const BulkStatement& bulk,
                                        const std::vector<Value>& values) {
  const size_t width = bulk.columns.size();
  if (width == 0 || values.size() < width) {
    return {};
  }
  std::string sql(bulk.head);
  sql += " SELECT * FROM unnest(";
  Parameters arrays;
  arrays.binary = true;
  for (size_t c = 0; c < width; ++c) {
    const ArrayType array = arrayTypeOf(bulk.columns[c]);
    sql += (c ? ", $" : "$") + std::to_string(c + 1) + "::" + array.cast;
    arrays.types.push_back(array.array);
    arrays.values.emplace_back(binaryArray(bulk.columns[c], values, c, width));
  }
  sql += ")";
  if (!bulk.tail.empty()) {
    sql += ' ';
    sql += bulk.tail;
  }
  if (auto done = run(sql, arrays, nullptr); !done) {
    return Unexpected{done.error()};
  }
  return {};
}

}  // namespace nmsp::store::sql
