#pragma once
// IOS-style command shell shared by both daemons: a registry of command patterns per mode,
// unique prefix abbreviations ("sh nmsp statu"), "?" help, configure terminal / sub-modes / end, output
// modifiers ("| include REGEX"), and "% Invalid input detected ..." errors. Transport-free: the
// Unix-socket server feeds it lines.

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nmsp::shell {

enum class Mode {
  Exec,            // "nmsp#"
  Config,          // "nmsp(config)#"   after "configure terminal"
  ConfigAttrList,  // "nmsp(config-attr-list)#" after "aaa attribute list NAME" (IOS-XE)
};

struct Reply {
  std::string text;  // printed as is (handlers end lines with '\n')
  bool ok = true;    // false: `nmsp cli` exits non-zero
  /// Set by invalidArgument(): index into the handler's `args` of the offending word; the
  /// registry then prints the line, a caret under that word and
  /// "% Invalid input detected at '^' marker: <text>".
  std::optional<size_t> bad_arg = std::nullopt;
  static Reply error(std::string text) { return Reply{std::move(text), false}; }
  static Reply invalidArgument(size_t arg_index, std::string why) {
    return Reply{std::move(why), false, arg_index};
  }
};

/// First byte of a query line on the shell socket: "\x01prompt" and "\x01complete <line>"
/// ask the daemon about the session instead of running a command (docs/operator-commands.md).
inline constexpr char kQueryByte = '\x01';

class Session;
/// `args` holds the words matched by <placeholders> (and a trailing <rest...>), in order.
using Handler = std::function<Reply(Session& session, const std::vector<std::string>& args)>;

class CommandRegistry {
 public:
  /// Starts with the built-ins: configure terminal (also "config terminal", so "config t"
  /// works next to AireOS "config ..." commands), end, exit, "do <exec command>" in the
  /// configuration modes, and terminal length, show clock, write memory.
  CommandRegistry();

  /// Pattern words are keywords (matched by unambiguous prefix) or <placeholders> (any word);
  /// a final "<name...>" swallows the remaining words. Example:
  ///   add(Mode::Config, "config auth-list add sha1-lbs-ssc <mac> <hash>", "Add an MSE", h)
  void add(Mode mode, std::string pattern, std::string help, Handler handler);

  /// A command matched only word for word (no abbreviation) and never listed by "?" or Tab:
  /// lines of pasted show output, such as "Building configuration...".
  void addHidden(Mode mode, std::string pattern, Handler handler);

  /// Commands of the other role: a line that fails here but whose first words abbreviate
  /// `keyword_path` is answered with `message` (e.g. "% This is an MSE; auth-list commands
  /// are on the controller") instead of "% Invalid input detected".
  void addForeign(Mode mode, std::string keyword_path, std::string message);

  /// The daemon's name, shown in prompts ("wlc#").
  void setHostName(std::string host) { host_ = std::move(host); }
  const std::string& hostName() const { return host_; }

  /// Tab completion: the keywords that can stand at the cursor's word ("sh nmsp st" gives
  /// "statistics", "status"; "show " gives the words after show), sorted, without
  /// placeholders or hidden commands.
  std::vector<std::string> completions(const Session& session, const std::string& line) const;

  /// Help shown by "?" for an intermediate keyword, e.g. describe(Mode::Exec, "show nmsp",
  /// "NMSP information"). Without it "?" shows the command's own help or a summary.
  void describe(Mode mode, std::string keyword_path, std::string help);

  /// Executes one line in `session` (handles "?", blank lines, "end", "exit", abbreviations).
  /// A line starting with kQueryByte is a query: "prompt" answers the session's prompt,
  /// "complete LINE" the completions of LINE, one per line.
  /// Lines starting with '!' are comments (so a pasted running-config works). In exec mode a
  /// '|' ends the command and starts an output modifier: include, exclude or begin REGEX
  /// (std::regex ECMAScript; a bad one is "% Invalid input detected").
  Reply execute(Session& session, const std::string& line) const;

  /// Prompt for a mode and host name: "nmsp#", "nmsp(config)#", "nmsp(config-attr-list)#".
  std::string prompt(const Session& session) const;
  static std::string prompt(Mode mode, const std::string& host = "nmsp");

 private:
  struct Command;
  struct Foreign {
    Mode mode;
    std::vector<std::string> keywords;
    std::string message;
  };
  Reply answerQuery(Session& session, const std::string& query) const;
  /// The message of the first foreign command whose keywords the line abbreviates.
  std::optional<std::string> foreignHint(Mode mode, const std::vector<std::string>& words) const;

  std::vector<std::shared_ptr<Command>> commands_;
  std::map<std::pair<Mode, std::string>, std::string> descriptions_;
  std::vector<Foreign> foreign_;
  std::string host_ = "nmsp";
};

/// Per-client state: the mode stack and the sub-mode's context (e.g. the attribute list name).
class Session {
 public:
  Mode mode() const { return mode_; }
  const std::string& context() const { return context_; }
  void enter(Mode mode, std::string context = {}) {
    mode_ = mode;
    context_ = std::move(context);
  }
  /// What one line of a multi-line paste tells the next ones (e.g. the MAC address of a pasted
  /// show server-auth-info), by key; "" when nothing is remembered.
  void remember(const std::string& key, std::string value) { notes_[key] = std::move(value); }
  std::string recall(const std::string& key) const {
    const auto it = notes_.find(key);
    return it == notes_.end() ? std::string() : it->second;
  }
  void forget(const std::string& key) { notes_.erase(key); }

 private:
  Mode mode_ = Mode::Exec;
  std::string context_;
  std::map<std::string, std::string> notes_;
};

/// What `show clock` prints for `now`: "*10:22:33.123 UTC Tue Dec 1 2026\n" (IOS format).
std::string clockText(std::chrono::system_clock::time_point now);

/// Registers terminal length <0-512> (no-op), show clock, write memory ("[OK]": every change
/// is already saved). The CommandRegistry constructor calls it.
void addExecBuiltins(CommandRegistry& registry);

/// Path of a daemon's shell socket inside its data dir.
std::filesystem::path socketPath(const std::filesystem::path& data_dir);

/// `nmsp cli --data-dir DIR [COMMAND...]`: runs one command (words joined by spaces), or with
/// no command every line of `in`; prints replies to `out`. Returns 0 if every reply was ok,
/// 1 if any was an error, 2 if the daemon could not be reached.
int runCli(const std::filesystem::path& data_dir, const std::vector<std::string>& command,
           std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace nmsp::shell
