#include "proto/field_path.h"

#include <cstdio>
#include <utility>

#include "proto/attribute_types.h"

namespace nmsp::proto {
namespace {

void appendPath(const FieldPath* node, std::string& out) {
  if (node == nullptr || node->isRoot()) {
    return;  // the root contributes nothing
  }
  appendPath(node->parent, out);
  if (!out.empty()) {
    out += '.';
  }
  if (node->name.empty()) {
    out += attributeLabel(node->type);
  } else {
    out += node->name;
  }
  if (node->index >= 0) {
    out += '[';
    out += std::to_string(node->index);
    out += ']';
  }
}

}  // namespace

std::string FieldPath::render() const {
  std::string out;
  appendPath(this, out);
  return out;
}

std::string FieldPath::render(std::string_view leaf) const {
  std::string out = render();
  if (!out.empty()) {
    out += '.';
  }
  out += leaf;
  return out;
}

CodecError Site::error(ErrorCode code, std::string detail) const {
  return makeError(code, path().render(), offset, std::move(detail));
}

CodecError Site::error(ErrorCode code, std::string_view leaf, size_t at, std::string detail) const {
  return makeError(code, path().render(leaf), at, std::move(detail));
}

CodecError makeError(ErrorCode code, std::string field, size_t offset, std::string detail) {
  CodecError e;
  e.code = code;
  e.field = std::move(field);
  e.offset = offset;
  e.detail = std::move(detail);
  return e;
}

std::string attributeLabel(uint16_t type) {
  if (auto name = attr::attributeName(type)) {
    return std::string(*name);
  }
  char buf[24];
  std::snprintf(buf, sizeof(buf), "attribute-0x%04x", type);
  return buf;
}

}  // namespace nmsp::proto
