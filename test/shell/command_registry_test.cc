#include <gtest/gtest.h>

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
  EXPECT_EQ(run("sh nmsp st").text, "status\n");  // "st" only completes "status"
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
  EXPECT_EQ(run("sh nmsp stat").text, "status\n");
  EXPECT_EQ(run("set trace nmsp connection level").text, "% Incomplete command.\n");
}

TEST_F(RegistryTest, AmbiguousCommand) {
  run("configure terminal");
  auto reply = run("e");  // end and exit
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "% Ambiguous command: \"e\"\n");
  EXPECT_EQ(session_.mode(), Mode::Config);
}

TEST_F(RegistryTest, HelpListsNextWords) {
  auto reply = run("show ?");
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.text,
            "  auth-list  Auth list\n"
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

TEST(SocketPath, IsInTheDataDir) {
  EXPECT_EQ(socketPath("/var/lib/nmsp"), std::filesystem::path("/var/lib/nmsp/nmsp.sock"));
}

}  // namespace
}  // namespace nmsp::shell
