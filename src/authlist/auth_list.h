#pragma once
// The controller's NMSP auth list: which MSE MAC addresses are admitted, with which key hash.
// Two configuration dialects feed the same store:
//   IOS-XE:  username 0050569c3489 aaa attribute list NMSP
//            aaa attribute list NMSP / attribute type password <sha2-hash>
//   AireOS:  config auth-list add sha1-lbs-ssc|sha256-lbs-ssc <mac> <hash>
// Persisted as JSON in the controller's data dir; thread-safe.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "common/result.h"
#include "identity/identity.h"

namespace nmsp::authlist {

enum class HashType { Sha1, Sha256 };

/// One effective admission entry (IOS-XE entries are resolved through their attribute list).
struct Entry {
  MacAddress mac;
  HashType type = HashType::Sha256;
  std::string key_hash;  // lowercase hex, 40 (SHA-1) or 64 (SHA-256) digits
  std::string certificate_type() const {
    return type == HashType::Sha1 ? "LBS-SSC" : "LBS-SSC-SHA256";
  }
  std::string attribute_list;  // IOS-XE list name, empty for AireOS entries
};

enum class Verdict { Admitted, NoEntry, HashMismatch };

// Operator input parsing, shared with the shell commands (messages are operator-facing).
/// Any MacAddress::parse form, else: malformed MAC address "x". Syntax only (removals use it, so
/// an entry loaded from an older file can always be deleted).
Result<MacAddress, std::string> parseMac(const std::string& text);
/// An address an MSE can have: not all-zero, not broadcast, not multicast (group bit set).
Result<void, std::string> validateMseMac(const MacAddress& mac);
/// parseMac, then validateMseMac (what adding an entry accepts).
Result<MacAddress, std::string> parseMseMac(const std::string& text);
/// Lowercased hex hash of the given type's length (40 for SHA-1, 64 for SHA-256); without a
/// type (IOS-XE password) the type is inferred from the length.
Result<std::pair<HashType, std::string>, std::string> parseHash(
    const std::string& text, std::optional<HashType> type = std::nullopt);
/// [A-Za-z0-9_.-]{1,64}.
Result<void, std::string> validateListName(const std::string& name);

struct Decision {
  Verdict verdict = Verdict::NoEntry;
  std::optional<Entry> entry;  // the entry that matched or mismatched
};

class AuthList {
 public:
  /// Opens (or creates empty) DATA/authlist.json.
  static Result<std::unique_ptr<AuthList>, std::string> open(const std::filesystem::path& data_dir);

  /// Admission check: admitted when an entry for `mac` has a hash equal to the matching digest.
  Decision check(const MacAddress& mac, const identity::KeyHashes& hashes) const;

  // AireOS dialect. Errors are operator-facing texts (the shell prefixes "% Invalid input ...").
  Result<void, std::string> addAireOs(HashType type, const MacAddress& mac,
                                      const std::string& hash);
  Result<void, std::string> deleteMac(const MacAddress& mac);

  // IOS-XE dialect.
  Result<void, std::string> setUsername(const MacAddress& mac, const std::string& list_name);
  Result<void, std::string> removeUsername(const MacAddress& mac);
  Result<void, std::string> setListPassword(const std::string& list_name, const std::string& hash);
  Result<void, std::string> removeList(const std::string& list_name);
  bool hasList(const std::string& list_name) const;
  /// The list's password ("" if it has none yet), nullopt if the list does not exist.
  std::optional<std::string> listPassword(const std::string& list_name) const;
  /// The MACs whose IOS-XE username refers to `list_name`, sorted.
  std::vector<MacAddress> usernamesOf(const std::string& list_name) const;

  /// Effective entries, sorted by MAC.
  std::vector<Entry> entries() const;
  /// IOS-XE running-config lines for the entries (usernames, attribute lists, credential-download).
  std::vector<std::string> runningConfigLines() const;

  /// `aaa attribute list NAME` (IOS-XE): creates the list (without a password) if missing.
  Result<void, std::string> createList(const std::string& list_name);

  /// `aaa authorization credential-download wcm_loc_serv_cert local` seen.
  void setCredentialDownload(bool on);
  /// Same, reporting a failure to persist (the state is then unchanged).
  Result<void, std::string> configureCredentialDownload(bool on);
  bool credentialDownload() const;

 private:
  struct State {
    std::map<MacAddress, std::pair<HashType, std::string>> aireos;
    std::map<MacAddress, std::string> usernames;  // mac -> attribute list name
    std::map<std::string, std::string> lists;     // list name -> password hash ("" = none yet)
    bool credential_download = false;
  };
  using Mutation = std::function<Result<void, std::string>(State&)>;

  AuthList() = default;
  /// Applies `mutation` to a copy, persists it, then commits: a failed step changes nothing.
  Result<void, std::string> update(const Mutation& mutation);
  static Result<void, std::string> save(const std::filesystem::path& path, const State& state);
  static Result<State, std::string> load(const std::filesystem::path& path);

  std::filesystem::path path_;
  mutable std::mutex mu_;
  State state_;
};

}  // namespace nmsp::authlist
