#include "test_database.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "store/postgres_connection.h"
#include "store/sqlite_connection.h"

#if NMSP_STORE_TEST_POSTGRES
#include "postgres_server.h"
#endif

namespace nmsp::store {
namespace {

[[noreturn]] void unusable(const std::string& why) {
  ADD_FAILURE() << why;
  std::abort();  // the test machine is broken, not the code under test
}

#if NMSP_STORE_TEST_POSTGRES

// One server for the whole test binary, each test in a database of its own.
test_support::PostgresServer& server() {
  static std::unique_ptr<test_support::PostgresServer> instance = [] {
    auto made = test_support::PostgresServer::create();
    if (!made) {
      unusable("cannot start PostgreSQL: " + made.error());
    }
    return std::move(*made);
  }();
  return *instance;
}

class PostgresDatabase final : public TestDatabase {
 public:
  PostgresDatabase() {
    auto made = server().createDatabase();
    if (!made) {
      unusable(made.error());
    }
    uri_ = *made;
  }
  StoreTarget target() const override {
    StoreTarget t;
    t.kind = StoreTarget::Kind::Postgres;
    t.postgres_uri = uri_;
    return t;
  }
  std::unique_ptr<sql::Connection> connect() const override {
    auto c = sql::PostgresConnection::open(uri_, {});
    if (!c) {
      unusable(c.error().message);
    }
    return std::move(*c);
  }
  std::unique_ptr<sql::Connection> stallWriter() const override {
    auto c = connect();
    if (!c->beginWrite() || !c->script("LOCK TABLE location_history IN ACCESS EXCLUSIVE MODE")) {
      unusable("cannot lock location_history");
    }
    return c;
  }

 private:
  std::string uri_;
};

#else

class SqliteDatabase final : public TestDatabase {
 public:
  StoreTarget target() const override {
    StoreTarget t;
    t.sqlite_path = dir_.path() / "mse.db";
    return t;
  }
  std::unique_ptr<sql::Connection> connect() const override {
    auto c = sql::SqliteConnection::open(target().sqlite_path, sql::SqliteConnection::Role::Writer,
                                         std::chrono::seconds(10));
    if (!c) {
      unusable(c.error().message);
    }
    return std::move(*c);
  }
  std::unique_ptr<sql::Connection> stallWriter() const override {
    auto c = connect();
    if (!c->beginWrite()) {  // BEGIN IMMEDIATE: the one write lock
      unusable("cannot take the write lock");
    }
    return c;
  }

 private:
  test_support::TempDir dir_{"nmsp-store"};
};

#endif

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::create() {
#if NMSP_STORE_TEST_POSTGRES
  return std::make_unique<PostgresDatabase>();
#else
  return std::make_unique<SqliteDatabase>();
#endif
}

}  // namespace nmsp::store
