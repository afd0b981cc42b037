#include "aggregate/frames.h"

namespace nmsp::aggregate {

SharedFrame withTransactionId(const SharedFrame& frame, uint32_t txn) {
  const auto& bytes = *frame;
  if (bytes.size() < proto::kHeaderSize) {
    return frame;
  }
  const uint8_t want[4] = {static_cast<uint8_t>(txn >> 24), static_cast<uint8_t>(txn >> 16),
                           static_cast<uint8_t>(txn >> 8), static_cast<uint8_t>(txn)};
  if (bytes[4] == want[0] && bytes[5] == want[1] && bytes[6] == want[2] && bytes[7] == want[3]) {
    return frame;
  }
  auto copy = std::make_shared<std::vector<uint8_t>>(bytes);
  for (size_t i = 0; i < 4; ++i) {
    (*copy)[4 + i] = want[i];
  }
  return copy;
}

}  // namespace nmsp::aggregate
