// Matching command lines against registered patterns, IOS style.
//
// Every word of the line is matched against the next pattern word of each still-possible
// command: exactly (preferred), by prefix, or by a <placeholder>. As on IOS, an abbreviation
// stands for a keyword only when it is unique: "sh nmsp st" is ambiguous (status, statistics)
// even though only "show nmsp status" would be complete. Candidates are kept until the end of
// the line, so a later word can rule one out ("conf t": "configure terminal" and the AireOS
// "config ..." commands share "conf", but only the "config terminal" alias takes "t").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "shell/command_line.h"
#include "shell/output_filter.h"
#include "shell/shell.h"

namespace nmsp::shell {
namespace {

using detail::Token;

struct Word {
  enum class Kind { Keyword, Placeholder, Rest };
  std::string text;  // keyword text, or the placeholder as written ("<mac>")
  Kind kind = Kind::Keyword;
};

std::vector<Word> parsePattern(const std::string& pattern) {
  std::vector<Word> words;
  for (const auto& token : detail::tokenize(pattern)) {
    const auto& t = token.text;
    if (t.size() > 2 && t.front() == '<' && t.back() == '>') {
      const bool rest = t.size() > 5 && t.ends_with("...>");
      words.push_back(Word{t, rest ? Word::Kind::Rest : Word::Kind::Placeholder});
    } else {
      words.push_back(Word{t, Word::Kind::Keyword});
    }
  }
  return words;
}

// What a registered command is; CommandRegistry::Command (private) derives from it so that the
// matching functions below can work on it.
struct CommandSpec {
  Mode mode = Mode::Exec;
  std::string pattern;
  std::vector<Word> words;
  std::string help;
  Handler handler;
  bool is_do = false;  // "do <command...>": runs an exec command from a configuration mode
  // Alias of another command (e.g. "config terminal" of "configure terminal"): "conf t" matches
  // both, and that is not ambiguous.
  std::string same_as;
  // Hidden: pasted show output, matched only word for word; never listed by "?" or Tab.
  bool hidden = false;
};
using Command = CommandSpec;

struct Candidate {
  const Command* command = nullptr;
  size_t next = 0;         // index of the next pattern word to match
  bool saturated = false;  // inside a trailing <rest...>
  std::vector<std::string> args;
  std::vector<size_t> arg_tokens;  // token index where each arg starts
  std::vector<std::string> path;   // chosen keyword per token, "" for placeholders

  bool complete() const { return saturated || next == command->words.size(); }
  /// The command this candidate runs, aliases resolved ("config terminal" is "configure
  /// terminal").
  const std::string& identity() const {
    return command->same_as.empty() ? command->pattern : command->same_as;
  }
};

struct Advance {
  std::vector<Candidate> alive;
  std::optional<size_t> failed_at;  // token no command accepts
};

Advance advance(std::vector<Candidate> alive, const std::vector<Token>& tokens) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& text = tokens[i].text;
    std::vector<Candidate> exact, prefix, placeholder;
    for (auto& c : alive) {
      if (c.saturated) {
        c.args.back() += " " + text;
        c.path.emplace_back();
        placeholder.push_back(std::move(c));
        continue;
      }
      if (c.next >= c.command->words.size()) {
        continue;  // the line is longer than this pattern
      }
      const Word& word = c.command->words[c.next];
      if (word.kind == Word::Kind::Keyword) {
        const bool is_exact = detail::equalsIgnoreCase(text, word.text);
        if (!is_exact && (c.command->hidden || !detail::isPrefixIgnoreCase(text, word.text))) {
          continue;
        }
        c.path.push_back(word.text);
        ++c.next;
        (is_exact ? exact : prefix).push_back(std::move(c));
        continue;
      }
      c.args.push_back(text);
      c.arg_tokens.push_back(i);
      c.path.emplace_back();
      c.saturated = word.kind == Word::Kind::Rest;
      ++c.next;
      placeholder.push_back(std::move(c));
    }
    // Keywords win over placeholders, and an exact keyword over longer ones it prefixes.
    alive = !exact.empty()    ? std::move(exact)
            : !prefix.empty() ? std::move(prefix)
                              : std::move(placeholder);
    if (alive.empty()) {
      return Advance{{}, i};
    }
  }
  return Advance{std::move(alive), std::nullopt};
}

std::string joinTokens(const std::vector<Token>& tokens, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < tokens.size(); ++i) {
    out += (i == 0 ? "" : " ") + tokens[i].text;
  }
  return out;
}

std::vector<std::string> words(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& token : tokens) {
    out.push_back(token.text);
  }
  return out;
}

std::string keywordPath(const Command& command, size_t upto) {
  std::string path;
  for (size_t i = 0; i <= upto && i < command.words.size(); ++i) {
    if (command.words[i].kind == Word::Kind::Keyword) {
      path += (path.empty() ? "" : " ") + command.words[i].text;
    }
  }
  return path;
}

using Descriptions = std::map<std::pair<Mode, std::string>, std::string>;

Reply helpReply(const Descriptions& descriptions, const std::string& line,
                std::vector<Token> tokens, std::vector<Candidate> start);

}  // namespace

struct CommandRegistry::Command : CommandSpec {};

CommandRegistry::CommandRegistry() {
  auto to = [](Mode mode) {
    return [mode](Session& s, const std::vector<std::string>&) {
      s.enter(mode);
      return Reply{};
    };
  };
  add(Mode::Exec, "configure terminal", "Enter configuration mode", to(Mode::Config));
  // IOS muscle memory types "config t"; AireOS "config ..." commands own the word "config".
  add(Mode::Exec, "config terminal", "Enter configuration mode", to(Mode::Config));
  commands_.back()->same_as = "configure terminal";
  add(Mode::Exec, "exit", "Leave exec mode (no effect over the socket)",
      [](Session&, const std::vector<std::string>&) { return Reply{}; });
  add(Mode::Config, "end", "Exit to exec mode", to(Mode::Exec));
  add(Mode::Config, "exit", "Exit to exec mode", to(Mode::Exec));
  add(Mode::ConfigAttrList, "end", "Exit to exec mode", to(Mode::Exec));
  add(Mode::ConfigAttrList, "exit", "Exit to configuration mode", to(Mode::Config));
  add(Mode::Config, "do <command...>", "Run an exec command",
      [](Session&, const std::vector<std::string>&) { return Reply{}; });
  commands_.back()->is_do = true;
  describe(Mode::Exec, "configure", "Enter configuration mode");
  addExecBuiltins(*this);
}

void CommandRegistry::add(Mode mode, std::string pattern, std::string help, Handler handler) {
  auto command = std::make_shared<Command>();
  command->mode = mode;
  command->words = parsePattern(pattern);
  command->pattern = std::move(pattern);
  command->help = std::move(help);
  command->handler = std::move(handler);
  commands_.push_back(std::move(command));
}

void CommandRegistry::describe(Mode mode, std::string keyword_path, std::string help) {
  descriptions_[{mode, std::move(keyword_path)}] = std::move(help);
}

void CommandRegistry::addHidden(Mode mode, std::string pattern, Handler handler) {
  add(mode, std::move(pattern), {}, std::move(handler));
  commands_.back()->hidden = true;
}

void CommandRegistry::addForeign(Mode mode, std::string keyword_path, std::string message) {
  std::vector<std::string> keywords;
  for (auto& token : detail::tokenize(keyword_path)) {
    keywords.push_back(std::move(token.text));
  }
  foreign_.push_back(Foreign{mode, std::move(keywords), std::move(message)});
}

std::optional<std::string> CommandRegistry::foreignHint(
    Mode mode, const std::vector<std::string>& line_words) const {
  for (const auto& foreign : foreign_) {
    const bool mode_fits =
        foreign.mode == mode || (mode == Mode::ConfigAttrList && foreign.mode == Mode::Config);
    if (!mode_fits || line_words.size() < foreign.keywords.size()) {
      continue;
    }
    bool fits = true;
    for (size_t i = 0; i < foreign.keywords.size() && fits; ++i) {
      fits = detail::isPrefixIgnoreCase(line_words[i], foreign.keywords[i]);
    }
    if (fits) {
      return foreign.message;
    }
  }
  return std::nullopt;
}

std::string CommandRegistry::prompt(const Session& session) const {
  return prompt(session.mode(), host_);
}

std::string CommandRegistry::prompt(Mode mode, const std::string& host) {
  switch (mode) {
    case Mode::Exec:
      return host + "#";
    case Mode::Config:
      return host + "(config)#";
    case Mode::ConfigAttrList:
      return host + "(config-attr-list)#";
  }
  return host + "#";
}

Reply CommandRegistry::execute(Session& session, const std::string& raw_line) const {
  std::string line = raw_line;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.pop_back();
  }
  if (!line.empty() && line.front() == kQueryByte) {
    return answerQuery(session, line.substr(1));
  }
  auto tokens = detail::tokenize(line);
  if (tokens.empty() || tokens.front().text.front() == '!') {
    return Reply{};
  }
  if (session.mode() == Mode::Exec && line.find('|') != std::string::npos) {
    auto split = detail::splitOutputFilter(line);
    if (auto* error = std::get_if<std::string>(&split)) {
      return Reply::error(std::move(*error));
    }
    auto& parts = std::get<detail::SplitLine>(split);
    Reply reply = execute(session, parts.command);
    if (reply.ok && parts.filter) {
      reply.text = detail::applyOutputFilter(*parts.filter, reply.text);
    }
    return reply;
  }

  // A sub-mode also accepts the commands of its parent configuration mode (as IOS does).
  std::vector<Candidate> start;
  for (const auto& command : commands_) {
    if (command->mode == session.mode() ||
        (session.mode() == Mode::ConfigAttrList && command->mode == Mode::Config)) {
      Candidate candidate;
      candidate.command = command.get();
      start.push_back(std::move(candidate));
    }
  }

  if (tokens.back().text.back() == '?') {
    return helpReply(descriptions_, line, std::move(tokens), std::move(start));
  }

  auto result = advance(std::move(start), tokens);
  if (result.failed_at) {
    if (auto hint = foreignHint(session.mode(), words(tokens))) {
      return Reply::error(*hint);
    }
    return Reply::error(detail::invalidInput(line, tokens[*result.failed_at].column));
  }
  // Same words registered in the current mode and its parent: the current mode's wins.
  std::stable_partition(result.alive.begin(), result.alive.end(),
                        [&](const Candidate& c) { return c.command->mode == session.mode(); });
  // IOS resolves an abbreviation only when it is unique among the commands the line still
  // fits, complete or not.
  for (const auto& other : result.alive) {
    const Candidate& first = result.alive.front();
    if (other.path == first.path || other.identity() == first.identity()) {
      continue;
    }
    size_t differ = 0;
    while (differ < other.path.size() && differ < first.path.size() &&
           other.path[differ] == first.path[differ]) {
      ++differ;
    }
    if (differ < other.path.size() && differ < first.path.size()) {
      return Reply::error(
          fmt::format("% Ambiguous command: \"{}\"\n", joinTokens(tokens, differ + 1)));
    }
  }
  std::vector<Candidate> complete;
  for (auto& c : result.alive) {
    if (c.complete()) {
      complete.push_back(std::move(c));
    }
  }
  if (complete.empty()) {
    if (auto hint = foreignHint(session.mode(), words(tokens))) {
      return Reply::error(*hint);
    }
    return Reply::error("% Incomplete command.\n");
  }

  const Candidate& chosen = complete.front();
  if (chosen.command->is_do) {
    Session exec;
    return execute(exec, chosen.args.front());
  }
  const Session saved = session;
  if (chosen.command->mode != session.mode()) {
    session.enter(chosen.command->mode);
  }
  Reply reply;
  try {
    reply = chosen.command->handler(session, chosen.args);
  } catch (const std::exception& e) {
    // Handlers return errors as values; this is the last line of defence for the daemon.
    reply = Reply::error(fmt::format("% internal error: {}\n", e.what()));
  }
  if (!reply.ok) {
    session = saved;  // a failed command changes nothing, not even the mode
    if (reply.bad_arg && *reply.bad_arg < chosen.arg_tokens.size()) {
      reply.text =
          detail::invalidInput(line, tokens[chosen.arg_tokens[*reply.bad_arg]].column, reply.text);
    }
  }
  return reply;
}

std::vector<std::string> CommandRegistry::completions(const Session& session,
                                                      const std::string& line) const {
  auto tokens = detail::tokenize(line);
  std::string partial;
  if (!line.empty() && !std::isspace(static_cast<unsigned char>(line.back())) && !tokens.empty()) {
    partial = tokens.back().text;
    tokens.pop_back();
  }
  std::vector<Candidate> start;
  for (const auto& command : commands_) {
    if (!command->hidden &&
        (command->mode == session.mode() ||
         (session.mode() == Mode::ConfigAttrList && command->mode == Mode::Config))) {
      Candidate candidate;
      candidate.command = command.get();
      start.push_back(std::move(candidate));
    }
  }
  auto result = advance(std::move(start), tokens);
  std::set<std::string> found;
  for (const auto& c : result.alive) {
    if (result.failed_at || c.saturated || c.next >= c.command->words.size()) {
      continue;
    }
    const Word& word = c.command->words[c.next];
    if (word.kind == Word::Kind::Keyword && detail::isPrefixIgnoreCase(partial, word.text)) {
      found.insert(word.text);
    }
  }
  return {found.begin(), found.end()};
}

Reply CommandRegistry::answerQuery(Session& session, const std::string& query) const {
  if (query == "prompt") {
    return Reply{prompt(session) + "\n"};
  }
  if (query.starts_with("complete ") || query == "complete") {
    std::string text;
    for (const auto& word : completions(session, query.substr(std::min<size_t>(9, query.size())))) {
      text += word + "\n";
    }
    return Reply{text};
  }
  return Reply::error("% unknown query \"" + query + "\" (known: prompt, complete LINE)\n");
}

namespace {

Reply helpReply(const Descriptions& descriptions, const std::string& line,
                std::vector<Token> tokens, std::vector<Candidate> start) {
  // "show ?" lists the next words; "sh?" lists the words that complete "sh".
  std::string partial = tokens.back().text;
  partial.pop_back();
  if (partial.empty()) {
    tokens.pop_back();
  } else {
    tokens.back().text = partial;
    tokens.pop_back();
  }
  auto result = advance(std::move(start), tokens);
  if (result.failed_at) {
    return Reply::error(detail::invalidInput(line, tokens[*result.failed_at].column));
  }
  struct Option {
    std::set<std::string> helps;
    std::string description;
  };
  std::map<std::string, Option> keywords, placeholders;
  bool can_end = false;
  for (const auto& c : result.alive) {
    if (c.command->hidden) {
      continue;
    }
    if (c.complete() && partial.empty()) {
      can_end = true;
    }
    if (c.saturated || c.next >= c.command->words.size()) {
      continue;
    }
    const Word& word = c.command->words[c.next];
    if (word.kind == Word::Kind::Keyword) {
      if (!detail::isPrefixIgnoreCase(partial, word.text)) {
        continue;
      }
      auto& option = keywords[word.text];
      option.helps.insert(c.command->help);
      const auto it = descriptions.find({c.command->mode, keywordPath(*c.command, c.next)});
      if (it != descriptions.end()) {
        option.description = it->second;
      }
    } else if (partial.empty()) {
      placeholders[word.text].helps.insert(c.command->help);
    }
  }
  if (keywords.empty() && placeholders.empty() && !can_end) {
    return Reply::error("% Unrecognized command\n");
  }
  size_t width = 4;
  for (const auto* options : {&keywords, &placeholders}) {
    for (const auto& [word, option] : *options) {
      width = std::max(width, word.size());
    }
  }
  std::string text;
  auto print = [&](const std::string& word, const Option& option) {
    std::string help = option.description;
    if (help.empty()) {
      help = option.helps.size() == 1 ? *option.helps.begin()
                                      : fmt::format("({} commands)", option.helps.size());
    }
    text += fmt::format("  {:<{}}  {}\n", word, width, help);
  };
  for (const auto& [word, option] : keywords) {
    print(word, option);
  }
  for (const auto& [word, option] : placeholders) {
    print(word, option);
  }
  if (can_end) {
    text += "  <cr>\n";
  }
  return Reply{text};
}

}  // namespace

std::filesystem::path socketPath(const std::filesystem::path& data_dir) {
  return data_dir / "nmsp.sock";
}

}  // namespace nmsp::shell
