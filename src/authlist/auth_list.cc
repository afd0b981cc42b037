#include "authlist/auth_list.h"

#include <fmt/format.h>

#include <algorithm>

namespace nmsp::authlist {
namespace {

const std::string& digestFor(HashType type, const identity::KeyHashes& hashes) {
  return type == HashType::Sha1 ? hashes.sha1_hex : hashes.sha256_hex;
}

HashType typeOfLength(const std::string& hash) {
  return hash.size() == 40 ? HashType::Sha1 : HashType::Sha256;
}

}  // namespace

Result<std::unique_ptr<AuthList>, std::string> AuthList::open(
    const std::filesystem::path& data_dir) {
  std::unique_ptr<AuthList> list(new AuthList());
  list->path_ = data_dir / "authlist.json";
  std::error_code ec;
  if (std::filesystem::exists(list->path_, ec)) {
    auto state = load(list->path_);
    if (!state) {
      return Unexpected{state.error()};
    }
    list->current_.store(std::make_shared<const AuthSnapshot>(std::move(*state)));
    return list;
  }
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Unexpected{fmt::format("cannot create {}: {}", data_dir.string(), ec.message())};
  }
  if (auto saved = save(list->path_, AuthListState{}); !saved) {
    return Unexpected{saved.error()};
  }
  return list;
}

Result<void, std::string> AuthList::update(const Mutation& mutation) {
  writer_.assertOnOwner("the auth list (changes)");
  AuthListState next = snapshot()->state();
  if (auto r = mutation(next); !r) {
    return r;
  }
  if (auto r = save(path_, next); !r) {
    return r;
  }
  current_.store(std::make_shared<const AuthSnapshot>(std::move(next)));
  return {};
}

AuthSnapshot::AuthSnapshot(AuthListState state) : state_(std::move(state)) {
  for (const auto& [mac, entry] : state_.aireos) {
    entries_.push_back(Entry{mac, entry.first, entry.second, ""});
  }
  // IOS-XE usernames count only once their attribute list carries a password.
  for (const auto& [mac, list] : state_.usernames) {
    const auto it = state_.lists.find(list);
    if (it != state_.lists.end() && !it->second.empty()) {
      entries_.push_back(Entry{mac, typeOfLength(it->second), it->second, list});
    }
  }
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.mac < b.mac; });
  by_mac_.reserve(entries_.size());
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    auto [it, added] = by_mac_.try_emplace(entries_[i].mac, i, i + 1);
    if (!added) {
      it->second.second = i + 1;  // sorted: a MAC's entries are adjacent
    }
  }
}

Decision AuthSnapshot::check(const MacAddress& mac, const identity::KeyHashes& hashes) const {
  const auto range = by_mac_.find(mac);
  if (range == by_mac_.end()) {
    return Decision{};
  }
  Decision decision;
  for (uint32_t i = range->second.first; i < range->second.second; ++i) {
    const Entry& entry = entries_[i];
    if (entry.key_hash == digestFor(entry.type, hashes)) {
      return Decision{Verdict::Admitted, entry};
    }
    if (!decision.entry) {
      decision = Decision{Verdict::HashMismatch, entry};
    }
  }
  return decision;
}

Result<void, std::string> AuthList::addAireOs(HashType type, const MacAddress& mac,
                                              const std::string& hash) {
  if (auto valid = validateMseMac(mac); !valid) {
    return valid;
  }
  auto parsed = parseHash(hash, type);
  if (!parsed) {
    return Unexpected{parsed.error()};
  }
  return update([&](AuthListState& s) -> Result<void, std::string> {
    s.aireos[mac] = *parsed;
    return {};
  });
}

Result<void, std::string> AuthList::deleteMac(const MacAddress& mac) {
  return update([&](AuthListState& s) -> Result<void, std::string> {
    if (s.aireos.erase(mac) == 0) {
      return Unexpected{fmt::format("no auth-list entry for {}", mac.toString())};
    }
    return {};
  });
}

Result<void, std::string> AuthList::setUsername(const MacAddress& mac,
                                                const std::string& list_name) {
  if (auto valid = validateMseMac(mac); !valid) {
    return valid;
  }
  if (auto valid = validateListName(list_name); !valid) {
    return valid;
  }
  return update([&](AuthListState& s) -> Result<void, std::string> {
    s.usernames[mac] = list_name;
    return {};
  });
}

Result<void, std::string> AuthList::removeUsername(const MacAddress& mac) {
  return update([&](AuthListState& s) -> Result<void, std::string> {
    if (s.usernames.erase(mac) == 0) {
      return Unexpected{fmt::format("no username {}", mac.toCompactString())};
    }
    return {};
  });
}

Result<void, std::string> AuthList::createList(const std::string& list_name) {
  if (auto valid = validateListName(list_name); !valid) {
    return valid;
  }
  return update([&](AuthListState& s) -> Result<void, std::string> {
    s.lists.try_emplace(list_name, "");
    return {};
  });
}

Result<void, std::string> AuthList::setListPassword(const std::string& list_name,
                                                    const std::string& hash) {
  if (auto valid = validateListName(list_name); !valid) {
    return valid;
  }
  auto parsed = parseHash(hash);
  if (!parsed) {
    return Unexpected{parsed.error()};
  }
  return update([&](AuthListState& s) -> Result<void, std::string> {
    s.lists[list_name] = parsed->second;
    return {};
  });
}

Result<void, std::string> AuthList::removeList(const std::string& list_name) {
  return update([&](AuthListState& s) -> Result<void, std::string> {
    if (s.lists.erase(list_name) == 0) {
      return Unexpected{fmt::format("no attribute list {}", list_name)};
    }
    return {};
  });
}

bool AuthSnapshot::hasList(const std::string& list_name) const {
  return state_.lists.contains(list_name);
}

std::optional<std::string> AuthSnapshot::listPassword(const std::string& list_name) const {
  const auto it = state_.lists.find(list_name);
  if (it == state_.lists.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<MacAddress> AuthSnapshot::usernamesOf(const std::string& list_name) const {
  std::vector<MacAddress> out;
  for (const auto& [mac, list] : state_.usernames) {
    if (list == list_name) {
      out.push_back(mac);
    }
  }
  return out;
}

std::vector<std::string> AuthSnapshot::runningConfigLines() const {
  std::vector<std::string> lines;
  if (state_.credential_download) {
    lines.push_back("aaa authorization credential-download wcm_loc_serv_cert local");
  }
  for (const auto& [name, password] : state_.lists) {
    lines.push_back("aaa attribute list " + name);
    if (!password.empty()) {
      lines.push_back(" attribute type password " + password);
    }
  }
  for (const auto& [mac, list] : state_.usernames) {
    lines.push_back(fmt::format("username {} aaa attribute list {}", mac.toCompactString(), list));
  }
  return lines;
}

void AuthList::setCredentialDownload(bool on) {
  // The checked variant reports persistence failures; this one keeps the old value then.
  (void)configureCredentialDownload(on);
}

Result<void, std::string> AuthList::configureCredentialDownload(bool on) {
  return update([&](AuthListState& s) -> Result<void, std::string> {
    s.credential_download = on;
    return {};
  });
}

}  // namespace nmsp::authlist
