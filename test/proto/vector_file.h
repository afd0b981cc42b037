#pragma once
// Reads the golden vectors out of docs/protocol.md:
//   <!-- vector: NAME -->            followed by a ```hex block: a valid frame
//   <!-- bad-vector: NAME CODE -->   followed by a ```hex block: decoding fails with CODE

#include <cstdint>
#include <string>
#include <vector>

namespace nmsp::proto::testing {

struct DocVector {
  std::string name;
  bool bad = false;
  std::string error_code;  // errorCodeName() expected for bad vectors
  std::vector<uint8_t> bytes;
  int line = 0;  // of the marker, for failure messages
};

/// Empty (and `error` set) if the file cannot be read or a block is malformed.
std::vector<DocVector> readDocVectors(const std::string& path, std::string& error);

}  // namespace nmsp::proto::testing
