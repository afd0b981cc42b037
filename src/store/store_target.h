#pragma once
// Where the MSE keeps its data: the value of `--store` (docs/storage.md, "Choosing a backend").
//   (absent or empty)        SQLite, DATA/mse.db in the MSE's data directory
//   sqlite:PATH              SQLite, the file PATH (relative: to the working directory)
//   postgresql://... , postgres://...   PostgreSQL, a libpq connection URI

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace nmsp::store {

struct StoreTarget {
  enum class Kind { Sqlite, Postgres };
  Kind kind = Kind::Sqlite;
  std::filesystem::path sqlite_path;  // Kind::Sqlite
  std::string postgres_uri;           // Kind::Postgres

  /// "sqlite" or "postgresql".
  std::string_view backendName() const;
  /// The path, or the URI with any password replaced by "***" (for status and logs).
  std::string display() const;
};

/// The file name of the default SQLite database in the data directory.
inline constexpr std::string_view kDefaultSqliteFile = "mse.db";

/// Parses a `--store` value; the error names the accepted forms.
Result<StoreTarget, std::string> parseStoreTarget(std::string_view value,
                                                  const std::filesystem::path& data_dir);

}  // namespace nmsp::store
