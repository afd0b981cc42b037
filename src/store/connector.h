#pragma once
// Makes the store's connections from its options: SQLite (writer or reader role on the file)
// or PostgreSQL (the URI), as one type for the writer and reader threads.

#include <functional>
#include <memory>

#include "store/sql_connection.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace nmsp::store {

using Connector = std::function<sql::DbResult<std::unique_ptr<sql::Connection>>()>;

Connector connectorFor(const StoreOptions& options, sql::SqliteConnection::Role role);

}  // namespace nmsp::store
