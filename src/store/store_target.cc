#include "store/store_target.h"

#include <regex>

namespace nmsp::store {

std::string_view StoreTarget::backendName() const {
  return kind == Kind::Sqlite ? "sqlite" : "postgresql";
}

std::string StoreTarget::display() const {
  if (kind == Kind::Sqlite) {
    return sqlite_path.string();
  }
  // user:password@ in the authority, and password=... among the parameters.
  static const std::regex authority(R"(^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@)");
  static const std::regex parameter(R"(([?&]password=)[^&]*)");
  std::string shown = std::regex_replace(postgres_uri, authority, "$1:***@");
  return std::regex_replace(shown, parameter, "$1***");
}

Result<StoreTarget, std::string> parseStoreTarget(std::string_view value,
                                                  const std::filesystem::path& data_dir) {
  StoreTarget target;
  if (value.empty()) {
    target.sqlite_path = data_dir / kDefaultSqliteFile;
    return target;
  }
  constexpr std::string_view kSqlite = "sqlite:";
  if (value.starts_with(kSqlite)) {
    if (value.size() == kSqlite.size()) {
      return Unexpected{std::string("--store sqlite:PATH: the path is missing")};
    }
    target.sqlite_path = std::filesystem::path(std::string(value.substr(kSqlite.size())));
    return target;
  }
  if (value.starts_with("postgresql://") || value.starts_with("postgres://")) {
    target.kind = StoreTarget::Kind::Postgres;
    target.postgres_uri = std::string(value);
    return target;
  }
  return Unexpected{"--store " + std::string(value) +
                    ": expected postgresql://..., postgres://... or sqlite:PATH"};
}

}  // namespace nmsp::store
