#pragma once
// The controller's NMSP auth list: which MSE MAC addresses are admitted, with which key hash.
// Two configuration dialects feed the same store:
//   IOS-XE:  username 0050569c3489 aaa attribute list NMSP
//            aaa attribute list NMSP / attribute type password <sha2-hash>
//   AireOS:  config auth-list add sha1-lbs-ssc|sha256-lbs-ssc <mac> <hash>
// Persisted as JSON in the controller's data dir. Readers (the controller's admission on its io
// thread, the operator's show commands) use immutable AuthSnapshots; one thread writes (the
// controller's persistence worker), each change saved with fsync before it takes effect.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/mac_address.h"
#include "common/owner_thread.h"
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

/// What DATA/authlist.json holds: both dialects, as the operator configured them.
struct AuthListState {
  std::map<MacAddress, std::pair<HashType, std::string>> aireos;
  std::map<MacAddress, std::string> usernames;  // mac -> attribute list name
  std::map<std::string, std::string> lists;     // list name -> password hash ("" = none yet)
  bool credential_download = false;
};

/// The auth list at one moment. Immutable, so any thread reads it without a lock; admission
/// looks a MAC up in a hash map (no copy of the list, no sort, no lock per handshake).
class AuthSnapshot {
 public:
  explicit AuthSnapshot(AuthListState state = {});

  /// Admission check: admitted when an entry for `mac` has a hash equal to the matching digest.
  Decision check(const MacAddress& mac, const identity::KeyHashes& hashes) const;
  /// Effective entries, sorted by MAC (for one MAC, the AireOS entry first).
  const std::vector<Entry>& entries() const { return entries_; }
  /// IOS-XE running-config lines for the entries (usernames, attribute lists, credential-download).
  std::vector<std::string> runningConfigLines() const;
  bool hasList(const std::string& list_name) const;
  /// The list's password ("" if it has none yet), nullopt if the list does not exist.
  std::optional<std::string> listPassword(const std::string& list_name) const;
  /// The MACs whose IOS-XE username refers to `list_name`, sorted.
  std::vector<MacAddress> usernamesOf(const std::string& list_name) const;
  bool credentialDownload() const { return state_.credential_download; }
  const AuthListState& state() const { return state_; }

 private:
  AuthListState state_;
  std::vector<Entry> entries_;
  std::unordered_map<MacAddress, std::pair<uint32_t, uint32_t>>
      by_mac_;  // [first, end) of entries_
};

class AuthList {
 public:
  /// Opens (or creates empty) DATA/authlist.json.
  static Result<std::unique_ptr<AuthList>, std::string> open(const std::filesystem::path& data_dir);

  /// The list as last saved. Any thread (an atomic load); the snapshot stays valid while held.
  std::shared_ptr<const AuthSnapshot> snapshot() const { return current_.load(); }

  // Reads of the current snapshot, for convenience (any thread; see AuthSnapshot).
  Decision check(const MacAddress& mac, const identity::KeyHashes& hashes) const {
    return snapshot()->check(mac, hashes);
  }
  std::vector<Entry> entries() const { return snapshot()->entries(); }
  std::vector<std::string> runningConfigLines() const { return snapshot()->runningConfigLines(); }
  bool hasList(const std::string& list_name) const { return snapshot()->hasList(list_name); }
  std::optional<std::string> listPassword(const std::string& list_name) const {
    return snapshot()->listPassword(list_name);
  }
  std::vector<MacAddress> usernamesOf(const std::string& list_name) const {
    return snapshot()->usernamesOf(list_name);
  }
  bool credentialDownload() const { return snapshot()->credentialDownload(); }

  // Changes: from one thread only, the list's owner (asserted; in the controller, its
  // persistence worker). Each saves DATA/authlist.json (fsync) before it takes effect; a failed
  // step changes nothing. Errors are operator-facing texts (the shell prefixes "% ...").
  // AireOS dialect.
  Result<void, std::string> addAireOs(HashType type, const MacAddress& mac,
                                      const std::string& hash);
  Result<void, std::string> deleteMac(const MacAddress& mac);
  // IOS-XE dialect.
  Result<void, std::string> setUsername(const MacAddress& mac, const std::string& list_name);
  Result<void, std::string> removeUsername(const MacAddress& mac);
  Result<void, std::string> setListPassword(const std::string& list_name, const std::string& hash);
  Result<void, std::string> removeList(const std::string& list_name);
  /// `aaa attribute list NAME` (IOS-XE): creates the list (without a password) if missing.
  Result<void, std::string> createList(const std::string& list_name);
  /// `aaa authorization credential-download wcm_loc_serv_cert local` seen.
  void setCredentialDownload(bool on);
  /// Same, reporting a failure to persist (the state is then unchanged).
  Result<void, std::string> configureCredentialDownload(bool on);

 private:
  using Mutation = std::function<Result<void, std::string>(AuthListState&)>;

  AuthList() = default;
  /// Applies `mutation` to a copy, persists it, then publishes it: a failed step changes nothing.
  Result<void, std::string> update(const Mutation& mutation);
  static Result<void, std::string> save(const std::filesystem::path& path,
                                        const AuthListState& state);
  static Result<AuthListState, std::string> load(const std::filesystem::path& path);

  std::filesystem::path path_;
  OwnerThread writer_;
  std::atomic<std::shared_ptr<const AuthSnapshot>> current_{std::make_shared<const AuthSnapshot>()};
};

}  // namespace nmsp::authlist
