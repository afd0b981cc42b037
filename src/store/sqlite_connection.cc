#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include <string>

namespace nmsp::store::sql {
namespace {

// Worth retrying with the same data: another process holds a lock, or the disk is full or
// failing for now. Anything else is the statement's own fault.
bool isTransient(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace

DbResult<std::unique_ptr<SqliteConnection>> SqliteConnection::open(
    const std::filesystem::path& path, Role role, std::chrono::milliseconds busy_timeout) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == Role::Writer) {
    flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    return Unexpected{
        DbError{path.string() + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), false}};
  }
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  // WAL: readers never block the writer and a commit appends to one file. FULL: the WAL is
  // synced at every commit, so a committed batch survives even an OS crash (one fsync per
  // batch, a few per second).
  std::string pragmas = role == Role::Writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                               "PRAGMA foreign_keys=ON;"
                                             : "PRAGMA query_only=ON; PRAGMA foreign_keys=ON;";
  if (auto done = connection->script(pragmas); !done) {
    return Unexpected{DbError{path.string() + ": " + done.error().message, false}};
  }
  if (role == Role::Writer) {
    auto mode = connection->query("PRAGMA journal_mode", {});
    if (!mode || mode->empty() || (*mode)[0].text(0) != "wal") {
      return Unexpected{DbError{path.string() + ": cannot switch the journal to WAL", false}};
    }
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) {
    sqlite3_finalize(statement.handle);
  }
  sqlite3_close_v2(db_);
}

DbError SqliteConnection::error(int code) const {
  return DbError{std::string(sqlite3_errmsg(db_)) + " (" + sqlite3_errstr(code) + ")",
                 isTransient(code)};
}

DbResult<void> SqliteConnection::script(std::string_view sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    DbError failure{message ? message : sqlite3_errstr(rc), isTransient(rc)};
    sqlite3_free(message);
    return Unexpected{std::move(failure)};
  }
  return {};
}

DbResult<SqliteConnection::Statement*> SqliteConnection::prepare(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) {
    return &it->second;
  }
  Statement statement;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &statement.handle, nullptr);
  if (rc != SQLITE_OK) {
    return Unexpected{error(rc)};
  }
  int count = sqlite3_bind_parameter_count(statement.handle);
  for (int k = 1; k <= count; ++k) {
    int slot = sqlite3_bind_parameter_index(statement.handle, ("$" + std::to_string(k)).c_str());
    if (slot == 0) {
      sqlite3_finalize(statement.handle);
      return Unexpected{DbError{"parameter $" + std::to_string(k) + " missing in: " + sql, false}};
    }
    statement.slots.push_back(slot);
  }
  return &statements_.emplace(sql, std::move(statement)).first->second;
}

DbResult<void> SqliteConnection::run(Statement& statement, const std::vector<Value>& params,
                                     size_t first, size_t count, std::vector<Row>* rows) {
  sqlite3_stmt* s = statement.handle;
  if (count != statement.slots.size()) {
    return Unexpected{DbError{"statement takes " + std::to_string(statement.slots.size()) +
                                  " parameters, got " + std::to_string(count),
                              false}};
  }
  for (size_t k = 0; k < count; ++k) {
    int slot = statement.slots[k];
    const Value& value = params[first + k];
    int rc = SQLITE_OK;
    if (const auto* i = std::get_if<int64_t>(&value)) {
      rc = sqlite3_bind_int64(s, slot, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(s, slot, *d);
    } else if (const auto* t = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text(s, slot, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(s, slot);
    }
    if (rc != SQLITE_OK) {
      sqlite3_reset(s);
      return Unexpected{error(rc)};
    }
  }
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (rows == nullptr) {
      continue;
    }
    int columns = sqlite3_column_count(s);
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(s, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(s, c));
          break;
        case SQLITE_NULL:
          values.emplace_back();
          break;
        default: {
          const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
          values.emplace_back(
              std::string(bytes ? bytes : "", static_cast<size_t>(sqlite3_column_bytes(s, c))));
        }
      }
    }
    rows->emplace_back(std::move(values));
  }
  // The step's own error code (sqlite3_reset repeats it; the message stays in errmsg).
  DbResult<void> outcome;
  if (rc != SQLITE_DONE) {
    outcome = Unexpected{error(rc)};
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return outcome;
}

DbResult<std::vector<Row>> SqliteConnection::query(std::string_view sql,
                                                   const std::vector<Value>& params) {
  auto statement = prepare(std::string(sql));
  if (!statement) {
    return Unexpected{statement.error()};
  }
  std::vector<Row> rows;
  if (auto done = run(**statement, params, 0, params.size(), &rows); !done) {
    return Unexpected{done.error()};
  }
  return rows;
}

DbResult<uint64_t> SqliteConnection::execute(std::string_view sql,
                                             const std::vector<Value>& params) {
  auto statement = prepare(std::string(sql));
  if (!statement) {
    return Unexpected{statement.error()};
  }
  if (auto done = run(**statement, params, 0, params.size(), nullptr); !done) {
    return Unexpected{done.error()};
  }
  return static_cast<uint64_t>(sqlite3_changes64(db_));
}

DbResult<void> SqliteConnection::bulk(const BulkStatement& bulk, const std::vector<Value>& values) {
  const size_t width = bulk.columns.size();
  std::string sql(bulk.head);
  sql += " VALUES (";
  for (size_t k = 1; k <= width; ++k) {
    sql += (k > 1 ? ", $" : "$") + std::to_string(k);
  }
  sql += ")";
  if (!bulk.tail.empty()) {
    sql += ' ';
    sql += bulk.tail;
  }
  auto statement = prepare(sql);
  if (!statement) {
    return Unexpected{statement.error()};
  }
  for (size_t first = 0; first + width <= values.size(); first += width) {
    if (auto done = run(**statement, values, first, width, nullptr); !done) {
      return done;
    }
  }
  return {};
}

}  // namespace nmsp::store::sql
