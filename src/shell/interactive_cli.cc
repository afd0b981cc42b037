#include "shell/interactive_cli.h"

#include <fmt/format.h>
#include <histedit.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>
#include <vector>

#include "shell/command_line.h"

namespace nmsp::shell {
namespace {

constexpr int kHistorySize = 500;

// What the libedit callbacks need (EL_CLIENTDATA).
struct State {
  detail::Connection& connection;
  std::string prompt;
  bool lost = false;
  detail::error_code error;

  std::optional<Reply> ask(const std::string& line) {
    auto reply = connection.roundTrip(line, error);
    lost = lost || !reply;
    return reply;
  }
  void refreshPrompt() {
    if (auto reply = ask(std::string(1, kQueryByte) + "prompt")) {
      std::string text = reply->text;
      while (!text.empty() && text.back() == '\n') {
        text.pop_back();
      }
      prompt = text;
    }
  }
};

State& stateOf(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return *static_cast<State*>(data);
}

void print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

std::string beforeCursor(EditLine* el) {
  const LineInfo* info = el_line(el);
  return std::string(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
}

const char* promptOf(EditLine* el) {
  return stateOf(el).prompt.c_str();
}

// Tab: a unique keyword is completed (and a space added); several are extended to their
// common prefix; otherwise the terminal beeps, as IOS does.
unsigned char complete(EditLine* el, int) {
  State& state = stateOf(el);
  const std::string line = beforeCursor(el);
  const auto reply = state.ask(std::string(1, kQueryByte) + "complete " + line);
  if (!reply) {
    return CC_EOF;
  }
  std::vector<std::string> words;
  std::istringstream in(reply->text);
  for (std::string word; std::getline(in, word);) {
    if (!word.empty()) {
      words.push_back(word);
    }
  }
  // Characters of the word being completed already typed (0 after a space).
  const size_t space = line.find_last_of(" \t");
  const size_t typed_len = space == std::string::npos ? line.size() : line.size() - space - 1;
  if (words.empty()) {
    return CC_REFRESH_BEEP;
  }
  std::string common = words.front();
  for (const auto& word : words) {
    size_t n = 0;
    while (n < common.size() && n < word.size() && common[n] == word[n]) {
      ++n;
    }
    common.resize(n);
  }
  std::string insert = common.size() > typed_len ? common.substr(typed_len) : "";
  if (words.size() == 1) {
    insert += " ";
  }
  if (insert.empty()) {
    return CC_REFRESH_BEEP;
  }
  el_insertstr(el, insert.c_str());
  return CC_REFRESH;
}

// '?': the daemon's help for the words before the cursor, printed at once, then the line again.
unsigned char help(EditLine* el, int) {
  State& state = stateOf(el);
  const std::string line = beforeCursor(el);
  const auto reply = state.ask(line + "?");
  if (!reply) {
    return CC_EOF;
  }
  print("?\n" + reply->text);
  return CC_REDISPLAY;
}

// "exit" (or "logout", "quit") in exec mode ends the session, as on IOS.
bool leavesTheShell(const State& state, const std::string& line) {
  if (state.prompt.find('(') != std::string::npos) {
    return false;
  }
  const auto tokens = detail::tokenize(line);
  if (tokens.size() != 1) {
    return false;
  }
  const std::string& word = tokens.front().text;
  return (word.size() >= 2 && detail::isPrefixIgnoreCase(word, "exit")) ||
         detail::equalsIgnoreCase(word, "logout") || detail::equalsIgnoreCase(word, "quit");
}

struct EditLineDeleter {
  void operator()(EditLine* el) const { el_end(el); }
};
struct HistoryDeleter {
  void operator()(History* h) const { history_end(h); }
};

}  // namespace

int runInteractive(detail::Connection& connection, const std::string& socket_path,
                   std::ostream& err) {
  State state{connection, "nmsp#", false, {}};
  state.refreshPrompt();
  std::unique_ptr<EditLine, EditLineDeleter> el(el_init("nmsp", stdin, stdout, stderr));
  std::unique_ptr<History, HistoryDeleter> history(history_init());
  if (!el || !history) {
    err << "nmsp cli: cannot set up the line editor\n";
    return 2;
  }
  HistEvent event;
  ::history(history.get(), &event, H_SETSIZE, kHistorySize);
  ::history(history.get(), &event, H_SETUNIQUE, 1);
  el_set(el.get(), EL_CLIENTDATA, &state);
  el_set(el.get(), EL_EDITOR, "emacs");
  el_set(el.get(), EL_SIGNAL, 1);
  el_set(el.get(), EL_PROMPT, promptOf);
  el_set(el.get(), EL_HIST, ::history, history.get());
  el_set(el.get(), EL_ADDFN, "nmsp-complete", "Complete a keyword", complete);
  el_set(el.get(), EL_ADDFN, "nmsp-help", "List the next words", help);
  el_set(el.get(), EL_BIND, "^I", "nmsp-complete", nullptr);
  el_set(el.get(), EL_BIND, "?", "nmsp-help", nullptr);

  while (!state.lost) {
    int count = 0;
    const char* raw = el_gets(el.get(), &count);
    if (raw == nullptr || count <= 0) {
      print("\n");
      break;  // end of file (Ctrl-D)
    }
    std::string line(raw, static_cast<size_t>(count));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
      line.pop_back();
    }
    if (detail::tokenize(line).empty()) {
      continue;
    }
    ::history(history.get(), &event, H_ENTER, line.c_str());
    if (leavesTheShell(state, line)) {
      break;
    }
    if (line.size() > detail::kMaxLineBytes) {
      print(detail::lineTooLong());
      continue;
    }
    if (auto reply = state.ask(line)) {
      print(reply->text);
    }
    state.refreshPrompt();
  }
  if (state.lost) {
    err << fmt::format("lost the connection to the nmsp daemon ({}: {})\n", socket_path,
                       detail::describe(state.error));
    return 2;
  }
  return 0;
}

}  // namespace nmsp::shell
