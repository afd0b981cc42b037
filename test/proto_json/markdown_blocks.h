#pragma once
// Reads the marked code blocks of our docs:
//   <!-- vector: NAME -->            (docs/protocol.md, followed by a ```hex block)
//   <!-- bad-vector: NAME code -->   (docs/protocol.md)
//   <!-- json: NAME -->              (docs/protocol-json.md, followed by a ```json block)

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nmsp::proto_json::testing {

struct MarkedBlock {
  std::string name;
  std::string extra;  // words after the name (the expected error code of a bad vector)
  std::string body;   // the fenced block's text
};

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::vector<MarkedBlock> markedBlocks(const std::string& doc, const std::string& kind) {
  std::vector<MarkedBlock> blocks;
  const std::string marker = "<!-- " + kind + ": ";
  size_t pos = 0;
  while ((pos = doc.find(marker, pos)) != std::string::npos) {
    pos += marker.size();
    const size_t close = doc.find("-->", pos);
    if (close == std::string::npos) {
      break;
    }
    std::istringstream words(doc.substr(pos, close - pos));
    MarkedBlock block;
    words >> block.name;
    std::getline(words >> std::ws, block.extra);
    while (!block.extra.empty() && block.extra.back() == ' ') {
      block.extra.pop_back();
    }
    const size_t fence = doc.find("```", close);
    const size_t body = fence == std::string::npos ? fence : doc.find('\n', fence);
    const size_t end = body == std::string::npos ? body : doc.find("```", body);
    if (end == std::string::npos) {
      break;
    }
    block.body = doc.substr(body + 1, end - body - 1);
    blocks.push_back(block);
    pos = end + 3;
  }
  return blocks;
}

}  // namespace nmsp::proto_json::testing
