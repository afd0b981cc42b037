// transport/key_log.h: the file is private and only appended to, links are refused, every line
// queued is written by the writer thread.
#include "transport/key_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace nmsp::transport {
namespace {

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(KeyLog, CreatesThePrivateFileAndWritesEveryLine) {
  test_support::TempDir dir("nmsp-keylog-unit");
  const auto path = dir.path() / "keys";
  auto log = KeyLog::open(path);
  ASSERT_TRUE(log.has_value()) << log.error();
  for (int i = 0; i < 100; ++i) {
    (*log)->add("CLIENT_RANDOM " + std::to_string(i));
  }
  (*log)->flush();
  EXPECT_EQ((*log)->written(), 100u);
  EXPECT_EQ((*log)->dropped(), 0u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto text = readAll(path);
  EXPECT_EQ(text.rfind("CLIENT_RANDOM 0\n", 0), 0u);
  EXPECT_NE(text.find("CLIENT_RANDOM 99\n"), std::string::npos);
}

TEST(KeyLog, AnExistingFileIsAppendedToAndMadePrivate) {
  test_support::TempDir dir("nmsp-keylog-unit");
  const auto path = dir.path() / "keys";
  std::ofstream(path) << "earlier\n";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  {
    auto log = KeyLog::open(path);
    ASSERT_TRUE(log.has_value()) << log.error();
    (*log)->add("later");
  }  // the destructor writes what is queued
  EXPECT_EQ(readAll(path), "earlier\nlater\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(KeyLog, RefusesASymbolicLink) {
  test_support::TempDir dir("nmsp-keylog-unit");
  std::ofstream(dir.path() / "target") << "";
  std::filesystem::create_symlink(dir.path() / "target", dir.path() / "link");
  auto log = KeyLog::open(dir.path() / "link");
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().find("cannot open TLS key log"), std::string::npos) << log.error();
}

TEST(KeyLog, ContextsAreHookedOnlyWhenAKeyLogIsInstalled) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  attachKeyLog(ctx);
  EXPECT_EQ(SSL_CTX_get_keylog_callback(ctx), nullptr);
  test_support::TempDir dir("nmsp-keylog-unit");
  auto log = KeyLog::open(dir.path() / "keys");
  ASSERT_TRUE(log.has_value());
  setProcessKeyLog(*log);
  attachKeyLog(ctx);
  EXPECT_NE(SSL_CTX_get_keylog_callback(ctx), nullptr);
  setProcessKeyLog(nullptr);
  SSL_CTX_free(ctx);
}

}  // namespace
}  // namespace nmsp::transport
