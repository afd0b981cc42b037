#include "store/connector.h"

#include "store/postgres_connection.h"

namespace nmsp::store {

Connector connectorFor(const StoreOptions& options, sql::SqliteConnection::Role role) {
  if (options.target.kind == StoreTarget::Kind::Sqlite) {
    return
        [path = options.target.sqlite_path, role,
         busy = options.sqlite_busy_timeout]() -> sql::DbResult<std::unique_ptr<sql::Connection>> {
          auto c = sql::SqliteConnection::open(path, role, busy);
          if (!c) {
            return Unexpected{c.error()};
          }
          return std::unique_ptr<sql::Connection>(std::move(*c));
        };
  }
  return [uri = options.target.postgres_uri,
          pg = options.postgres]() -> sql::DbResult<std::unique_ptr<sql::Connection>> {
    auto c = sql::PostgresConnection::open(uri, pg);
    if (!c) {
      return Unexpected{c.error()};
    }
    return std::unique_ptr<sql::Connection>(std::move(*c));
  };
}

}  // namespace nmsp::store
