#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

#include "shell/shell.h"

namespace nmsp::shell {
namespace {

using Args = std::vector<std::string>;

// A registry shaped like the controller's, recording what ran.
class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto record = [this](std::string name) {
      return [this, name](Session&, const Args& args) {
        std::string call = name;
        for (const auto& a : args) {
          call += "|" + a;
        }
        calls_.push_back(call);
        return Reply{name + "\n"};
      };
    };
    registry_.add(Mode::Exec, "show nmsp status", "Connection status", record("status"));
    registry_.add(Mode::Exec, "show nmsp statistics summary", "Global counters", record("summary"));
    registry_.add(Mode::Exec, "show nmsp statistics connection", "Per-connection counters",
                  record("connection"));
    registry_.add(Mode::Exec, "show auth-list", "Auth list", record("auth-list"));
    registry_.add(Mode::Exec, "set trace nmsp connection level <level>", "Trace level",
                  record("trace"));
    registry_.add(Mode::Exec, "echo <words...>", "Echo words", record("echo"));
    registry_.add(Mode::Exec, "explode", "Throws",
                  [](Session&, const Args&) -> Reply { throw std::runtime_error("boom"); });
    registry_.describe(Mode::Exec, "show", "Show running system information");
    registry_.describe(Mode::Exec, "show nmsp", "NMSP information");
    registry_.add(Mode::Config, "username <mac> aaa attribute list <name>", "Admit an MSE",
                  [this](Session&, const Args& args) {
                    if (args[0].find('g') != std::string::npos) {
                      return Reply::invalidArgument(0, "malformed MAC address \"" + args[0] + "\"");
                    }
                    calls_.push_back("username|" + args[0] + "|" + args[1]);
                    return Reply{};
                  });
    registry_.add(Mode::Config, "no username <mac>", "Remove an MSE", record("no-username"));
    registry_.add(Mode::Config, "aaa attribute list <name>", "Attribute list",
                  [this](Session& s, const Args& args) {
                    calls_.push_back("list|" + args[0]);
                    s.enter(Mode::ConfigAttrList, args[0]);
                    return Reply{};
                  });
    registry_.add(Mode::ConfigAttrList, "attribute type password <hash>", "Key hash",
                  [this](Session& s, const Args& args) {
                    if (args[0].size() != 4) {
                      return Reply::invalidArgument(0, "bad hash");
                    }
                    calls_.push_back("password|" + s.context() + "|" + args[0]);
                    return Reply{};
                  });
  }

  Reply run(const std::string& line) { return registry_.execute(session_, line); }

  CommandRegistry registry_;
  Session session_;
  std::vector<std::string> calls_;
};

TEST_F(RegistryTest, RunsFullAndAbbreviatedCommands) {
  EXPECT_EQ(run("show nmsp status").text, "status\n");
  EXPECT_EQ(run("sh nmsp statu").text, "status\n");
  EXPECT_EQ(run("SH NMSP STATUS").text, "status\n");
  EXPECT_EQ(run("  sh   nm stat   summ ").text, "summary\n");
  EXPECT_EQ(run("sh nmsp statistics conn").text, "connection\n");
  EXPECT_EQ(run("sh auth").text, "auth-list\n");
  EXPECT_EQ(calls_, (std::vector<std::string>{"status", "status", "status", "summary", "connection",
                                              "auth-list"}));
}

TEST_F(RegistryTest, PassesPlaceholdersAndRest) {
  EXPECT_TRUE(run("set trace nmsp connection level debug").ok);
  EXPECT_TRUE(run("echo a  b c").ok);
  EXPECT_EQ(calls_, (std::vector<std::string>{"trace|debug", "echo|a b c"}));
}

TEST_F(RegistryTest, BlankAndCommentLinesDoNothing) {
  EXPECT_TRUE(run("").ok);
  EXPECT_TRUE(run("   ").ok);
  EXPECT_TRUE(run("! a comment").ok);
  EXPECT_EQ(run("!").text, "");
  EXPECT_TRUE(calls_.empty());
}

TEST_F(RegistryTest, UnknownWordGetsACaretUnderIt) {
  auto reply = run("show nmsp foo");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "show nmsp foo\n"
            "          ^\n"
            "% Invalid input detected at '^' marker.\n");
  reply = run("show nmsp status extra");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "show nmsp status extra\n"
            "                 ^\n"
            "% Invalid input detected at '^' marker.\n");
  reply = run("bogus");
  EXPECT_EQ(reply.text, "bogus\n^\n% Invalid input detected at '^' marker.\n");
  EXPECT_TRUE(calls_.empty());
}

TEST_F(RegistryTest, IncompleteCommand) {
  auto reply = run("show nmsp");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% Incomplete command.\n");
  EXPECT_EQ(run("sh nmsp statistics").text, "% Incomplete command.\n");
  EXPECT_EQ(run("set trace nmsp connection level").text, "% Incomplete command.\n");
}

TEST_F(RegistryTest, AmbiguousCommand) {
  run("configure terminal");
  auto reply = run("e");  // end and exit
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% Ambiguous command: \"e\"\n");
  EXPECT_EQ(session_.mode(), Mode::Config);
}

// IOS resolves an abbreviation only when it is unique, whether or not the other commands it
// could start are complete: "st" is status or statistics.
TEST_F(RegistryTest, AbbreviationsMustBeUniqueAsOnIos) {
  auto reply = run("sh nmsp st");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% Ambiguous command: \"sh nmsp st\"\n");
  EXPECT_EQ(run("sh nmsp stat").text, "% Ambiguous command: \"sh nmsp stat\"\n");
  EXPECT_EQ(run("s").text, "% Ambiguous command: \"s\"\n");  // set, show
  // A later word may rule a reading out: "set" has no "nmsp" after it, only "show" does.
  EXPECT_EQ(run("s nmsp status").text, "status\n");
  EXPECT_EQ(run("conf t").text, "");  // configure terminal and its "config terminal" alias
  EXPECT_EQ(session_.mode(), Mode::Config);
  EXPECT_EQ(calls_.size(), 1u);
}

TEST_F(RegistryTest, CompletionsListTheKeywordsAtTheCursor) {
  using Words = std::vector<std::string>;
  EXPECT_EQ(registry_.completions(session_, "sh"), (Words{"show"}));
  EXPECT_EQ(registry_.completions(session_, "s"), (Words{"set", "show"}));
  EXPECT_EQ(registry_.completions(session_, "sh nmsp st"), (Words{"statistics", "status"}));
  EXPECT_EQ(registry_.completions(session_, "show nmsp "), (Words{"statistics", "status"}));
  EXPECT_EQ(registry_.completions(session_, "show nmsp statu"), (Words{"status"}));
  EXPECT_EQ(registry_.completions(session_, "set trace nmsp connection level "), Words{});
  EXPECT_EQ(registry_.completions(session_, "bogus "), Words{});
  run("configure terminal");
  EXPECT_EQ(registry_.completions(session_, "user"), (Words{"username"}));
  EXPECT_EQ(registry_.completions(session_, "username 0050569c3489 "), (Words{"aaa"}));
}

TEST_F(RegistryTest, QueriesAnswerPromptAndCompletions) {
  registry_.setHostName("wlc");
  EXPECT_EQ(run("\x01"
                "prompt")
                .text,
            "wlc#\n");
  EXPECT_EQ(run("\x01"
                "complete sh nmsp st")
                .text,
            "statistics\nstatus\n");
  run("configure terminal");
  EXPECT_EQ(run("\x01"
                "prompt")
                .text,
            "wlc(config)#\n");
  EXPECT_FALSE(run("\x01"
                   "bogus")
                   .ok);
  EXPECT_EQ(session_.mode(), Mode::Config);  // queries change nothing
  EXPECT_TRUE(calls_.empty());
}

TEST_F(RegistryTest, HiddenCommandsMatchOnlyWordForWord) {
  registry_.addHidden(Mode::Exec, "Building configuration...", [this](Session& s, const Args&) {
    calls_.push_back("building");
    s.enter(Mode::Config);
    return Reply{};
  });
  EXPECT_TRUE(run("Building configuration...").ok);
  EXPECT_EQ(session_.mode(), Mode::Config);
  run("end");
  EXPECT_FALSE(run("Build configuration...").ok);  // no abbreviation
  EXPECT_EQ(run("?").text.find("Building"), std::string::npos);
  EXPECT_TRUE(registry_.completions(session_, "B").empty());
  EXPECT_EQ(calls_, (std::vector<std::string>{"building"}));
}

TEST_F(RegistryTest, ForeignCommandsSayWhereTheyBelong) {
  registry_.addForeign(Mode::Exec, "show server-auth-info",
                       "% This is a controller; show server-auth-info is on the MSE\n");
  registry_.addForeign(Mode::Config, "controller", "% MSE only\n");
  auto reply = run("sh server");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% This is a controller; show server-auth-info is on the MSE\n");
  EXPECT_NE(run("show servers").text.find("Invalid input"), std::string::npos);
  run("configure terminal");
  run("aaa attribute list NMSP");
  EXPECT_EQ(run("controller x").text, "% MSE only\n");  // config commands reach the sub-mode
  EXPECT_EQ(session_.mode(), Mode::ConfigAttrList);
}

TEST_F(RegistryTest, HelpListsNextWords) {
  auto reply = run("show ?");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "  auth-list  Auth list\n"
            "  clock      Time of day (UTC)\n"
            "  nmsp       NMSP information\n");
  reply = run("sh nmsp statistics ?");
  EXPECT_EQ(reply.text,
            "  connection  Per-connection counters\n"
            "  summary     Global counters\n");
  reply = run("show nmsp status ?");
  EXPECT_EQ(reply.text, "  <cr>\n");
  reply = run("set trace nmsp connection level ?");
  EXPECT_EQ(reply.text, "  <level>  Trace level\n");
  reply = run("sh?");
  EXPECT_EQ(reply.text, "  show  Show running system information\n");
  reply = run("show nmsp st?");
  EXPECT_EQ(reply.text,
            "  statistics  (2 commands)\n"
            "  status      Connection status\n");
  reply = run("show bogus ?");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "show bogus ?\n     ^\n% Invalid input detected at '^' marker.\n");
  EXPECT_FALSE(run("zz?").ok);
  EXPECT_TRUE(calls_.empty());
}

TEST_F(RegistryTest, HelpAtTheStartListsTheModesCommands) {
  const auto reply = run("?");
  EXPECT_NE(reply.text.find("  configure  Enter configuration mode\n"), std::string::npos);
  EXPECT_NE(reply.text.find("  show       Show running system information\n"), std::string::npos);
  EXPECT_EQ(reply.text.find("username"), std::string::npos);  // a Config command
}

TEST_F(RegistryTest, ConfigureTerminalEndAndExit) {
  EXPECT_TRUE(run("conf t").ok);
  EXPECT_EQ(session_.mode(), Mode::Config);
  EXPECT_FALSE(run("show nmsp status").ok);  // exec commands need "do" here
  EXPECT_EQ(run("do show nmsp status").text, "status\n");
  EXPECT_EQ(session_.mode(), Mode::Config);
  EXPECT_TRUE(run("aaa attribute list NMSP").ok);
  EXPECT_EQ(session_.mode(), Mode::ConfigAttrList);
  EXPECT_EQ(session_.context(), "NMSP");
  EXPECT_TRUE(run("attribute type password abcd").ok);
  EXPECT_TRUE(run("exit").ok);
  EXPECT_EQ(session_.mode(), Mode::Config);
  EXPECT_TRUE(run("aaa attribute list L2").ok);
  EXPECT_TRUE(run("end").ok);
  EXPECT_EQ(session_.mode(), Mode::Exec);
  EXPECT_TRUE(run("exit").ok);
  EXPECT_EQ(session_.mode(), Mode::Exec);
  EXPECT_EQ(calls_,
            (std::vector<std::string>{"status", "list|NMSP", "password|NMSP|abcd", "list|L2"}));
  EXPECT_EQ(CommandRegistry::prompt(Mode::ConfigAttrList), "nmsp(config-attr-list)#");
  EXPECT_EQ(CommandRegistry::prompt(Mode::Config, "wlc"), "wlc(config)#");
}

TEST_F(RegistryTest, SubModeFallsBackToConfigCommands) {
  run("configure terminal");
  run("aaa attribute list NMSP");
  EXPECT_TRUE(run("username 0050569c3489 aaa attribute list NMSP").ok);
  EXPECT_EQ(session_.mode(), Mode::Config);  // left the sub-mode, as IOS does
  run("aaa attribute list NMSP");
  EXPECT_TRUE(run("aaa attribute list OTHER").ok);
  EXPECT_EQ(session_.mode(), Mode::ConfigAttrList);
  EXPECT_EQ(session_.context(), "OTHER");
}

TEST_F(RegistryTest, ArgumentErrorsPointAtTheArgument) {
  run("configure terminal");
  auto reply = run("username 00505g9c3489 aaa attribute list NMSP");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "username 00505g9c3489 aaa attribute list NMSP\n"
            "         ^\n"
            "% Invalid input detected at '^' marker: malformed MAC address \"00505g9c3489\"\n");
  EXPECT_TRUE(calls_.empty());
}

TEST_F(RegistryTest, FailedCommandKeepsTheMode) {
  run("configure terminal");
  run("aaa attribute list NMSP");
  // Falls back to Config mode, fails: the session stays in the sub-mode with its context.
  EXPECT_FALSE(run("username 00505g9c3489 aaa attribute list NMSP").ok);
  EXPECT_EQ(session_.mode(), Mode::ConfigAttrList);
  EXPECT_EQ(session_.context(), "NMSP");
  auto reply = run("attribute type password 12345");
  EXPECT_EQ(reply.text,
            "attribute type password 12345\n"
            "                        ^\n"
            "% Invalid input detected at '^' marker: bad hash\n");
  EXPECT_EQ(calls_, (std::vector<std::string>{"list|NMSP"}));
}

TEST_F(RegistryTest, HandlerExceptionsBecomeErrors) {
  auto reply = run("explode");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% internal error: boom\n");
}

TEST_F(RegistryTest, ConfigTerminalInAllItsSpellings) {
  // AireOS commands own the word "config", as on the controller.
  registry_.add(Mode::Exec, "config auth-list add <mac>", "AireOS add",
                [this](Session&, const Args&) {
                  calls_.push_back("aireos");
                  return Reply{};
                });
  for (const char* line : {"config t", "config terminal", "conf t", "configure t",
                           "configure terminal", "CONFIG T", "config term"}) {
    Session session;
    const auto reply = registry_.execute(session, line);
    EXPECT_TRUE(reply.ok) << line << ": " << reply.text;
    EXPECT_EQ(session.mode(), Mode::Config) << line;
  }
  EXPECT_TRUE(run("config auth-list add 00:50:56:9c:34:89").ok);  // still there
  EXPECT_EQ(calls_, (std::vector<std::string>{"aireos"}));
  EXPECT_EQ(session_.mode(), Mode::Exec);
  EXPECT_EQ(run("configure").text, "% Incomplete command.\n");
  // A pasted block after "config t" runs in configuration mode.
  for (const char* line : {"config t", "username 0050569c3489 aaa attribute list L", "end"}) {
    EXPECT_TRUE(run(line).ok) << line;
  }
  EXPECT_EQ(calls_.back(), "username|0050569c3489|L");
}

TEST_F(RegistryTest, TerminalLengthIsAcceptedAndDoesNothing) {
  EXPECT_TRUE(run("terminal length 0").ok);
  EXPECT_EQ(run("term len 24").text, "");
  auto reply = run("terminal length many");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "terminal length many\n"
            "                ^\n"
            "% Invalid input detected at '^' marker: use 0 to 512\n");
  EXPECT_FALSE(run("terminal length 513").ok);
  EXPECT_EQ(session_.mode(), Mode::Exec);
}

TEST_F(RegistryTest, WriteMemoryPrintsOk) {
  auto reply = run("write memory");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text, "[OK]\n");
  EXPECT_EQ(run("wr mem").text, "[OK]\n");
}

TEST(Clock, IosFormatInUtcWithMilliseconds) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1796120553)) +
                 std::chrono::milliseconds(123);  // 2026-12-01 10:22:33.123 UTC
  EXPECT_EQ(clockText(t), "*10:22:33.123 UTC Tue Dec 1 2026\n");
  EXPECT_EQ(clockText(std::chrono::system_clock::time_point(std::chrono::milliseconds(7))),
            "*00:00:00.007 UTC Thu Jan 1 1970\n");
}

TEST_F(RegistryTest, ShowClockPrintsTheCurrentTime) {
  const auto reply = run("show clock");
  EXPECT_TRUE(reply.ok);
  EXPECT_TRUE(std::regex_match(
      reply.text,
      std::regex(
          R"(\*\d\d:\d\d:\d\d\.\d{3} UTC (Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{1,2} \d{4}\n)")))
      << reply.text;
}

class FilterTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    registry_.add(Mode::Exec, "show running-config", "Config", [](Session&, const Args&) {
      return Reply{
          "nmsp strong-cipher\nusername 0050569c3489 aaa attribute list L\n"
          "aaa attribute list L\n attribute type password ab\nend\n"};
    });
  }
};

TEST_F(FilterTest, IncludeExcludeBegin) {
  EXPECT_EQ(run("show running-config | include username").text,
            "username 0050569c3489 aaa attribute list L\n");
  EXPECT_EQ(run("sh run | i ^aaa|password").text,
            "aaa attribute list L\n attribute type password ab\n");
  EXPECT_EQ(run("show running-config|exclude list").text,
            "nmsp strong-cipher\n attribute type password ab\nend\n");
  EXPECT_EQ(run("show running-config | begin ^aaa").text,
            "aaa attribute list L\n attribute type password ab\nend\n");
  EXPECT_EQ(run("show running-config | include attribute type").text,
            " attribute type password ab\n");  // the rest of the line is the regex
  EXPECT_EQ(run("show running-config | include nothing-matches").text, "");
  EXPECT_EQ(run("show nmsp status | ex stat").text, "");
  EXPECT_EQ(calls_, (std::vector<std::string>{"status"}));
}

TEST_F(FilterTest, BadFiltersAreRefusedBeforeTheCommandRuns) {
  auto reply = run("show nmsp status | include (");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("show nmsp status | include (\n"
                             "                           ^\n"
                             "% Invalid input detected at '^' marker: bad regular expression: ",
                             0),
            0u)
      << reply.text;
  reply = run("show nmsp status | grep x");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "show nmsp status | grep x\n"
            "                   ^\n"
            "% Invalid input detected at '^' marker.\n");
  EXPECT_EQ(run("show nmsp status | include").text, "% Incomplete command.\n");
  EXPECT_EQ(run("show nmsp status |").text, "% Incomplete command.\n");
  EXPECT_TRUE(calls_.empty());
}

TEST_F(FilterTest, ErrorsPassUnfilteredAndDoTakesFilters) {
  auto reply = run("show nmsp bogus | include x");
  EXPECT_FALSE(reply.ok);
  EXPECT_NE(reply.text.find("% Invalid input detected"), std::string::npos);
  run("configure terminal");
  EXPECT_EQ(run("do show running-config | include strong").text, "nmsp strong-cipher\n");
  EXPECT_EQ(session_.mode(), Mode::Config);
}

TEST(SocketPath, IsInTheDataDir) {
  EXPECT_EQ(socketPath("/var/lib/nmsp"), std::filesystem::path("/var/lib/nmsp/nmsp.sock"));
}

}  // namespace
}  // namespace nmsp::shell
