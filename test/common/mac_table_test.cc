// MacTable: find, touch, least-recently-seen eviction with its counter, slot reuse, order.
#include "common/mac_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace nmsp {
namespace {

MacAddress mac(uint8_t n) {
  return MacAddress{{0, 0x11, 0x22, 0, 0, n}};
}

TEST(MacTable, EvictsTheLeastRecentlySeen) {
  MacTable<int> table(3);
  table.touch(mac(1)).first = 1;
  table.touch(mac(2)).first = 2;
  table.touch(mac(3)).first = 3;
  EXPECT_FALSE(table.touch(mac(1)).second);  // seen again: now the most recent
  std::vector<int> evicted;
  auto [value, created] = table.touch(mac(4), [&](const int& v) { evicted.push_back(v); });
  EXPECT_TRUE(created);
  EXPECT_EQ(value, 0);  // a reused slot starts value-initialised
  value = 4;
  EXPECT_EQ(evicted, std::vector<int>{2});
  EXPECT_EQ(table.evicted(), 1u);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.find(mac(2)), nullptr);
  ASSERT_NE(table.find(mac(3)), nullptr);
  std::vector<int> order;
  table.forEachRecentFirst([&](const int& v) {
    order.push_back(v);
    return true;
  });
  EXPECT_EQ(order, (std::vector<int>{4, 1, 3}));
}

}  // namespace
}  // namespace nmsp
