#include "proto_json/encode_tool.h"

#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "proto_json/frame_json.h"
#include "proto_json/hex.h"
#include "proto_json/json_documents.h"

namespace nmsp::proto_json {
namespace {

Result<std::string, std::string> readAll(std::istream& in, size_t limit) {
  std::string text;
  std::string chunk(64 * 1024, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > limit) {
      return Unexpected{fmt::format("input larger than {} bytes", limit)};
    }
  }
  if (in.bad()) {
    return Unexpected{std::string("read failed")};
  }
  return text;
}

std::string frameLabel(size_t index, const std::string& origin) {
  return origin.empty() ? fmt::format("frame {}", index)
                        : fmt::format("frame {} ({})", index, origin);
}

}  // namespace

int runEncode(const EncodeOptions& options, std::istream& in, std::ostream& out,
              std::ostream& err) {
  auto text = readAll(in, options.max_input_bytes);
  if (!text) {
    err << "error: " << text.error() << '\n';
    return 1;
  }
  auto docs = parseJsonDocuments(*text);
  if (!docs) {
    err << "error: " << docs.error() << '\n';
    return 1;
  }
  const proto::Encoder encoder(proto::EncoderOptions{options.max_frame_size});
  std::vector<std::vector<uint8_t>> frames;
  frames.reserve(docs->size());
  for (size_t i = 0; i < docs->size(); ++i) {
    const JsonDocument& doc = (*docs)[i];
    auto frame = fromJson(doc.value);
    if (!frame) {
      err << "error: " << frameLabel(i, doc.origin) << ": " << frame.error() << '\n';
      return 1;
    }
    std::vector<uint8_t> bytes;
    if (auto encoded = encoder.encode(*frame, bytes); !encoded) {
      err << "error: " << frameLabel(i, doc.origin) << ": " << encoded.error().toString() << '\n';
      return 1;
    }
    frames.push_back(std::move(bytes));
  }
  for (const auto& bytes : frames) {
    if (options.binary) {
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
    } else {
      out << formatHex(bytes) << '\n';
    }
  }
  out.flush();
  return out ? 0 : 1;
}

}  // namespace nmsp::proto_json
