#include "authlist/auth_list.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "../support/temp_dir.h"
#include "common/owner_thread.h"

namespace nmsp::authlist {
namespace {

namespace fs = std::filesystem;

const MacAddress kMac = *MacAddress::parse("00:50:56:9c:34:89");
const MacAddress kOther = *MacAddress::parse("00:50:56:9c:34:8a");
const identity::KeyHashes kHashes{
    "e0afbe2e2abeed5a2f9ffc75f059da6a1bf2bfa0",
    "6ab919e20afc103d025aaf210c2a9dda151af9403ef52e80a35ae1ecb6d3c177"};
const identity::KeyHashes kWrongHashes{"0000" + kHashes.sha1_hex.substr(4),
                                       "0000" + kHashes.sha256_hex.substr(4)};

using TempDir = test_support::TempDir;

std::string upper(std::string s) {
  for (auto& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

class AuthListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = AuthList::open(dir_.path());
    ASSERT_TRUE(opened) << opened.error();
    list_ = std::move(*opened);
  }
  std::unique_ptr<AuthList> reopen() {
    auto opened = AuthList::open(dir_.path());
    EXPECT_TRUE(opened) << opened.error();
    return opened ? std::move(*opened) : nullptr;
  }
  TempDir dir_;
  std::unique_ptr<AuthList> list_;
};

TEST(OperatorInput, ParsesMacsInEveryForm) {
  for (const char* text :
       {"00:50:56:9c:34:89", "00-50-56-9C-34-89", "0050.569c.3489", "0050569c3489"}) {
    auto mac = parseMac(text);
    ASSERT_TRUE(mac) << text;
    EXPECT_EQ(*mac, kMac);
  }
  auto bad = parseMac("00505g9c3489");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "malformed MAC address \"00505g9c3489\"");
}

TEST(OperatorInput, RefusesAddressesNoMseCanHave) {
  for (const char* text :
       {"ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "33:33:00:00:00:01", "00:00:00:00:00:00"}) {
    EXPECT_TRUE(parseMac(text)) << text;      // well-formed...
    EXPECT_FALSE(parseMseMac(text)) << text;  // ...but not an MSE's
  }
  EXPECT_EQ(parseMseMac("0000.0000.0000").error(),
            "00:00:00:00:00:00 is the all-zero MAC address, not an MSE's address");
  EXPECT_EQ(parseMseMac("ffff.ffff.ffff").error(),
            "ff:ff:ff:ff:ff:ff is the broadcast MAC address, not an MSE's address");
  EXPECT_EQ(parseMseMac("01005e000001").error(),
            "01:00:5e:00:00:01 is a multicast MAC address (group bit set in the first octet), not "
            "an MSE's address");
  EXPECT_EQ(parseMseMac("02:50:56:9c:34:89").value().toString(), "02:50:56:9c:34:89");  // local ok
}

TEST(OperatorInput, ValidatesHashes) {
  auto sha1 = parseHash(upper(kHashes.sha1_hex), HashType::Sha1);
  ASSERT_TRUE(sha1);
  EXPECT_EQ(sha1->first, HashType::Sha1);
  EXPECT_EQ(sha1->second, kHashes.sha1_hex);  // stored lowercase

  auto inferred = parseHash(kHashes.sha256_hex);
  ASSERT_TRUE(inferred);
  EXPECT_EQ(inferred->first, HashType::Sha256);

  auto short_sha1 = parseHash("abc", HashType::Sha1);
  ASSERT_FALSE(short_sha1);
  EXPECT_EQ(short_sha1.error(), "a SHA1 key hash has 40 hex digits, \"abc\" has 3");
  auto sha1_as_sha256 = parseHash(kHashes.sha1_hex, HashType::Sha256);
  ASSERT_FALSE(sha1_as_sha256);
  EXPECT_NE(sha1_as_sha256.error().find("a SHA2 key hash has 64 hex digits"), std::string::npos);
  auto not_hex = parseHash("xyz");
  ASSERT_FALSE(not_hex);
  EXPECT_EQ(not_hex.error(), "key hash \"xyz\" is not hexadecimal");
  auto odd_length = parseHash("abcd");
  ASSERT_FALSE(odd_length);
  EXPECT_EQ(odd_length.error(), "a key hash has 40 (SHA1) or 64 (SHA2) hex digits, \"abcd\" has 4");
}

TEST(OperatorInput, ValidatesListNames) {
  EXPECT_TRUE(validateListName("NMSP"));
  EXPECT_TRUE(validateListName("cmx_0050.569c-3489"));
  EXPECT_TRUE(validateListName(std::string(64, 'a')));
  EXPECT_FALSE(validateListName(std::string(65, 'a')));
  EXPECT_FALSE(validateListName(""));
  auto bad = validateListName("NM SP");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(),
            "invalid attribute list name \"NM SP\": use 1 to 64 letters, digits, '_', '.' or '-'");
}

TEST_F(AuthListTest, EmptyListAdmitsNobody) {
  EXPECT_TRUE(fs::exists(dir_.path() / "authlist.json"));
  const auto decision = list_->check(kMac, kHashes);
  EXPECT_EQ(decision.verdict, Verdict::NoEntry);
  EXPECT_FALSE(decision.entry);
  EXPECT_TRUE(list_->entries().empty());
}

TEST_F(AuthListTest, AireOsSha256EntryAdmitsTheMatchingKey) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, upper(kHashes.sha256_hex)));
  auto decision = list_->check(kMac, kHashes);
  EXPECT_EQ(decision.verdict, Verdict::Admitted);
  ASSERT_TRUE(decision.entry);
  EXPECT_EQ(decision.entry->key_hash, kHashes.sha256_hex);
  EXPECT_EQ(decision.entry->certificate_type(), "LBS-SSC-SHA256");

  decision = list_->check(kMac, kWrongHashes);
  EXPECT_EQ(decision.verdict, Verdict::HashMismatch);
  ASSERT_TRUE(decision.entry);
  EXPECT_EQ(decision.entry->mac, kMac);
  EXPECT_EQ(list_->check(kOther, kHashes).verdict, Verdict::NoEntry);
}

TEST_F(AuthListTest, AireOsSha1EntryComparesTheSha1Digest) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha1, kMac, kHashes.sha1_hex));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::Admitted);
  EXPECT_EQ(list_->entries().at(0).certificate_type(), "LBS-SSC");
  // Re-adding the same MAC replaces its entry.
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, kWrongHashes.sha256_hex));
  EXPECT_EQ(list_->entries().size(), 1u);
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::HashMismatch);
}

TEST_F(AuthListTest, AireOsErrorsChangeNothing) {
  auto bad = list_->addAireOs(HashType::Sha1, kMac, kHashes.sha256_hex);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("a SHA1 key hash has 40 hex digits"), std::string::npos);
  EXPECT_TRUE(list_->entries().empty());
  auto missing = list_->deleteMac(kMac);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "no auth-list entry for 00:50:56:9c:34:89");
}

TEST_F(AuthListTest, GroupAndZeroMacsAreRefusedButAnOldFilesEntryCanStillBeDeleted) {
  const auto broadcast = *MacAddress::parse("ff:ff:ff:ff:ff:ff");
  EXPECT_FALSE(list_->addAireOs(HashType::Sha256, broadcast, kHashes.sha256_hex));
  EXPECT_FALSE(list_->setUsername(*MacAddress::parse("01:00:5e:00:00:01"), "NMSP"));
  EXPECT_FALSE(list_->setUsername(MacAddress{}, "NMSP"));
  EXPECT_TRUE(list_->entries().empty());
  EXPECT_TRUE(list_->runningConfigLines().empty());
  // A file written before the check still loads (the controller keeps starting) and the entry
  // can be removed.
  list_.reset();
  std::ofstream(dir_.path() / "authlist.json")
      << R"({"aireos":[{"mac":"ff:ff:ff:ff:ff:ff","type":"sha256","hash":")" + kHashes.sha256_hex +
             R"("}]})";
  list_ = reopen();
  ASSERT_TRUE(list_);
  EXPECT_EQ(list_->entries().size(), 1u);
  EXPECT_TRUE(list_->deleteMac(broadcast));
  EXPECT_TRUE(list_->entries().empty());
}

TEST_F(AuthListTest, ListPasswordAndUsernamesOf) {
  EXPECT_EQ(list_->listPassword("NMSP"), std::nullopt);
  ASSERT_TRUE(list_->createList("NMSP"));
  EXPECT_EQ(list_->listPassword("NMSP"), std::string());
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  EXPECT_EQ(list_->listPassword("NMSP"), kHashes.sha256_hex);
  const auto other = *MacAddress::parse("00:50:56:9c:34:94");
  ASSERT_TRUE(list_->setUsername(other, "NMSP"));
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setUsername(*MacAddress::parse("00:50:56:9c:34:95"), "OTHER"));
  EXPECT_EQ(list_->usernamesOf("NMSP"), (std::vector<MacAddress>{kMac, other}));
  EXPECT_TRUE(list_->usernamesOf("NONE").empty());
}

TEST_F(AuthListTest, DeleteRemovesTheAireOsEntry) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, kHashes.sha256_hex));
  ASSERT_TRUE(list_->deleteMac(kMac));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::NoEntry);
  EXPECT_EQ(reopen()->check(kMac, kHashes).verdict, Verdict::NoEntry);
}

TEST_F(AuthListTest, IosXeUsernameResolvesThroughItsList) {
  // The username may come before its list exists (as in the TAC note's order).
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  EXPECT_FALSE(list_->hasList("NMSP"));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::NoEntry);
  ASSERT_TRUE(list_->createList("NMSP"));
  EXPECT_TRUE(list_->hasList("NMSP"));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::NoEntry);  // no password yet
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  auto decision = list_->check(kMac, kHashes);
  EXPECT_EQ(decision.verdict, Verdict::Admitted);
  ASSERT_TRUE(decision.entry);
  EXPECT_EQ(decision.entry->attribute_list, "NMSP");
  EXPECT_EQ(list_->check(kMac, kWrongHashes).verdict, Verdict::HashMismatch);
  EXPECT_EQ(list_->check(kOther, kHashes).verdict, Verdict::NoEntry);

  // A SHA-1 password is recognised by its length.
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha1_hex));
  EXPECT_EQ(list_->entries().at(0).type, HashType::Sha1);
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::Admitted);
}

TEST_F(AuthListTest, IosXeRemovals) {
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  ASSERT_TRUE(list_->removeList("NMSP"));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::NoEntry);
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  ASSERT_TRUE(list_->removeUsername(kMac));
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::NoEntry);
  auto missing = list_->removeUsername(kMac);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "no username 0050569c3489");
  auto no_list = list_->removeList("OTHER");
  ASSERT_FALSE(no_list);
  EXPECT_EQ(no_list.error(), "no attribute list OTHER");
  EXPECT_FALSE(list_->setUsername(kMac, "bad name"));
  EXPECT_FALSE(list_->setListPassword("NMSP", "1234"));
  EXPECT_EQ(list_->runningConfigLines(),
            (std::vector<std::string>{"aaa attribute list NMSP",
                                      " attribute type password " + kHashes.sha256_hex}));
}

TEST_F(AuthListTest, EitherDialectCanAdmit) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha1, kMac, kWrongHashes.sha1_hex));
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  EXPECT_EQ(list_->entries().size(), 2u);
  EXPECT_EQ(list_->check(kMac, kHashes).verdict, Verdict::Admitted);
}

TEST_F(AuthListTest, EntriesAreSortedByMac) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kOther, kHashes.sha256_hex));
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, kHashes.sha256_hex));
  const auto entries = list_->entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].mac, kMac);
  EXPECT_EQ(entries[1].mac, kOther);
}

TEST_F(AuthListTest, RunningConfigLines) {
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  list_->setCredentialDownload(true);
  EXPECT_TRUE(list_->credentialDownload());
  EXPECT_EQ(list_->runningConfigLines(),
            (std::vector<std::string>{
                "aaa authorization credential-download wcm_loc_serv_cert local",
                "aaa attribute list NMSP", " attribute type password " + kHashes.sha256_hex,
                "username 0050569c3489 aaa attribute list NMSP"}));
}

TEST_F(AuthListTest, SurvivesReopen) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha1, kOther, upper(kHashes.sha1_hex)));
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  ASSERT_TRUE(list_->createList("EMPTY"));
  ASSERT_TRUE(list_->configureCredentialDownload(true));
  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->check(kMac, kHashes).verdict, Verdict::Admitted);
  EXPECT_EQ(again->check(kOther, kHashes).verdict, Verdict::Admitted);
  EXPECT_TRUE(again->hasList("EMPTY"));
  EXPECT_TRUE(again->credentialDownload());
  EXPECT_EQ(again->runningConfigLines(), list_->runningConfigLines());
  EXPECT_FALSE(fs::exists(dir_.path() / "authlist.json.tmp"));
}

TEST_F(AuthListTest, RefusesACorruptFile) {
  std::ofstream(dir_.path() / "authlist.json") << "{ not json";
  auto opened = AuthList::open(dir_.path());
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().find("authlist.json is not valid JSON"), std::string::npos)
      << opened.error();

  std::ofstream(dir_.path() / "authlist.json")
      << R"({"aireos":[{"mac":"00:50:56:9c:34:89","type":"sha1","hash":"abc"}]})";
  opened = AuthList::open(dir_.path());
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().find("a SHA1 key hash has 40 hex digits"), std::string::npos)
      << opened.error();
}

TEST_F(AuthListTest, FailedSaveChangesNothing) {
  // A directory where the temp file should go makes the atomic write fail.
  fs::create_directory(dir_.path() / "authlist.json.tmp");
  fs::create_directory(dir_.path() / "authlist.json.tmp" / "keep");
  auto added = list_->addAireOs(HashType::Sha256, kMac, kHashes.sha256_hex);
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().find("cannot create"), std::string::npos) << added.error();
  EXPECT_TRUE(list_->entries().empty());
}

// Readers hold immutable snapshots: a change publishes a new one and never alters one in use.
TEST_F(AuthListTest, ASnapshotNeverChangesUnderItsReader) {
  const auto before = list_->snapshot();
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, kHashes.sha256_hex));
  EXPECT_TRUE(before->entries().empty());
  EXPECT_EQ(before->check(kMac, kHashes).verdict, Verdict::NoEntry);
  const auto after = list_->snapshot();
  ASSERT_EQ(after->entries().size(), 1u);
  EXPECT_EQ(after->check(kMac, kHashes).verdict, Verdict::Admitted);
}

// One MAC admitted by both dialects: the lookup sees every entry of that MAC, AireOS first.
TEST_F(AuthListTest, LookupFindsEachEntryOfAMac) {
  ASSERT_TRUE(list_->addAireOs(HashType::Sha1, kMac, std::string(40, 'a')));
  ASSERT_TRUE(list_->setUsername(kMac, "NMSP"));
  ASSERT_TRUE(list_->setListPassword("NMSP", kHashes.sha256_hex));
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kOther, kHashes.sha256_hex));
  const auto snapshot = list_->snapshot();
  auto decision = snapshot->check(kMac, kHashes);
  EXPECT_EQ(decision.verdict, Verdict::Admitted);
  EXPECT_EQ(decision.entry->attribute_list, "NMSP");
  decision = snapshot->check(kMac, kWrongHashes);
  EXPECT_EQ(decision.verdict, Verdict::HashMismatch);
  EXPECT_EQ(decision.entry->attribute_list, "");  // the first entry of the MAC: AireOS
}

TEST_F(AuthListTest, ChangesComeFromOneThread) {
  if (!threadChecksEnabled()) {
    GTEST_SKIP() << "built without NMSP_THREAD_CHECKS";
  }
  ASSERT_TRUE(list_->addAireOs(HashType::Sha256, kMac, kHashes.sha256_hex));
  EXPECT_DEATH(std::thread([&] { (void)list_->deleteMac(kMac); }).join(),
               "the auth list \\(changes\\) touched from a thread that does not own it");
  // Reading is for any thread.
  bool admitted = false;
  std::thread([&] { admitted = list_->check(kMac, kHashes).verdict == Verdict::Admitted; }).join();
  EXPECT_TRUE(admitted);
}

}  // namespace
}  // namespace nmsp::authlist
