#include "vector_file.h"

#include <fstream>
#include <sstream>

namespace nmsp::proto::testing {
namespace {

// Lowercase only: the document's vectors are written in lowercase.
int hexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

bool parseHexLine(const std::string& line, std::vector<uint8_t>& out) {
  std::istringstream in(line);
  std::string token;
  while (in >> token) {
    if (token.size() != 2) {
      return false;
    }
    const int hi = hexDigit(token[0]);
    const int lo = hexDigit(token[1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return true;
}

}  // namespace

std::vector<DocVector> readDocVectors(const std::string& path, std::string& error) {
  std::ifstream file(path);
  if (!file) {
    error = "cannot open " + path;
    return {};
  }
  std::vector<DocVector> out;
  std::string line;
  int line_no = 0;
  while (std::getline(file, line)) {
    ++line_no;
    const bool good = line.rfind("<!-- vector: ", 0) == 0;
    const bool bad = line.rfind("<!-- bad-vector: ", 0) == 0;
    if (!good && !bad) {
      continue;
    }
    DocVector v;
    v.bad = bad;
    v.line = line_no;
    std::istringstream marker(line.substr(bad ? 17 : 13));
    marker >> v.name;
    if (bad) {
      marker >> v.error_code;
    }
    if (!std::getline(file, line) || line != "```hex") {
      error = "line " + std::to_string(line_no) + ": marker not followed by ```hex";
      return {};
    }
    ++line_no;
    while (std::getline(file, line)) {
      ++line_no;
      if (line == "```") {
        break;
      }
      if (!parseHexLine(line, v.bytes)) {
        error = "line " + std::to_string(line_no) + ": not hex bytes: " + line;
        return {};
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace nmsp::proto::testing
