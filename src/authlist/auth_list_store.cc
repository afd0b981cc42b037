// DATA/authlist.json: loading and atomic saving of the auth list.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "authlist/auth_list.h"
#include "fileio/atomic_file.h"

namespace nmsp::authlist {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

const char* hashTypeName(HashType type) {
  return type == HashType::Sha1 ? "sha1" : "sha256";
}

}  // namespace

Result<void, std::string> AuthList::save(const std::filesystem::path& path,
                                         const AuthListState& state) {
  json doc{{"version", kFormatVersion},
           {"credential_download", state.credential_download},
           {"aireos", json::array()},
           {"usernames", json::array()},
           {"attribute_lists", json::array()}};
  for (const auto& [mac, entry] : state.aireos) {
    doc["aireos"].push_back(
        {{"mac", mac.toString()}, {"type", hashTypeName(entry.first)}, {"hash", entry.second}});
  }
  for (const auto& [mac, list] : state.usernames) {
    doc["usernames"].push_back({{"mac", mac.toString()}, {"list", list}});
  }
  for (const auto& [name, password] : state.lists) {
    doc["attribute_lists"].push_back({{"name", name}, {"password", password}});
  }
  return fileio::writeFileAtomically(path, doc.dump(2) + "\n");
}

Result<AuthListState, std::string> AuthList::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    return Unexpected{fmt::format("cannot read {}: {}", path.string(), std::strerror(errno))};
  }
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Unexpected{fmt::format("{} is not valid JSON; fix it or move it away", path.string())};
  }
  // Every value is re-validated as if typed by an operator: a hand-edited file cannot smuggle
  // in an entry the shell would refuse.
  auto bad = [&](const std::string& why) -> Result<AuthListState, std::string> {
    return Unexpected{fmt::format("{}: {}; fix it or move it away", path.string(), why)};
  };
  auto text_of = [](const json& obj, const char* key) -> std::string {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) {
      return {};
    }
    return obj[key].get<std::string>();
  };
  AuthListState state;
  if (doc.contains("credential_download") && doc["credential_download"].is_boolean()) {
    state.credential_download = doc["credential_download"].get<bool>();
  }
  for (const char* section : {"aireos", "usernames", "attribute_lists"}) {
    if (doc.contains(section) && !doc[section].is_array()) {
      return bad(fmt::format("\"{}\" is not a list", section));
    }
  }
  for (const auto& item : doc.value("aireos", json::array())) {
    auto mac = parseMac(text_of(item, "mac"));
    const std::string type = text_of(item, "type");
    if (!mac || (type != "sha1" && type != "sha256")) {
      return bad("bad entry in \"aireos\": " + item.dump());
    }
    auto hash =
        parseHash(text_of(item, "hash"), type == "sha1" ? HashType::Sha1 : HashType::Sha256);
    if (!hash) {
      return bad(hash.error());
    }
    state.aireos[*mac] = *hash;
  }
  for (const auto& item : doc.value("usernames", json::array())) {
    auto mac = parseMac(text_of(item, "mac"));
    const std::string list = text_of(item, "list");
    if (!mac || !validateListName(list)) {
      return bad("bad entry in \"usernames\": " + item.dump());
    }
    state.usernames[*mac] = list;
  }
  for (const auto& item : doc.value("attribute_lists", json::array())) {
    const std::string name = text_of(item, "name");
    const std::string password = text_of(item, "password");
    if (!validateListName(name)) {
      return bad("bad entry in \"attribute_lists\": " + item.dump());
    }
    if (!password.empty()) {
      auto hash = parseHash(password);
      if (!hash) {
        return bad(hash.error());
      }
      state.lists[name] = hash->second;
    } else {
      state.lists[name] = "";
    }
  }
  return state;
}

}  // namespace nmsp::authlist
