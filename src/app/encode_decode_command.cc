// `nmsp encode` and `nmsp decode`: CLI wiring only; the work is in src/proto_json.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "app/subcommands.h"
#include "proto_json/decode_tool.h"
#include "proto_json/encode_tool.h"

namespace nmsp::app {
namespace {

constexpr size_t kMinFrameSize = nmsp::proto::kHeaderSize;
constexpr size_t kMaxFrameSizeLimit = size_t{16} << 20;  // one frame is held in memory

// "-" or nothing: stdin. Returns nullptr (after printing why) when the file cannot be opened.
std::istream* openInput(const std::string& path, std::unique_ptr<std::ifstream>& file,
                        const char* command) {
  if (path.empty() || path == "-") {
    return &std::cin;
  }
  file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) {
    std::cerr << "nmsp " << command << ": cannot open " << path << ": " << std::strerror(errno)
              << '\n';
    return nullptr;
  }
  return file.get();
}

struct EncodeArgs {
  std::string path;
  nmsp::proto_json::EncodeOptions options;
};

struct DecodeArgs {
  std::string path;
  bool hex = false;
  bool binary = false;
  nmsp::proto_json::DecodeOptions options;
};

}  // namespace

void addEncodeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EncodeArgs>();
  auto* cmd = app.add_subcommand(
      "encode",
      "JSON frame descriptions (docs/protocol-json.md) to NMSP frames: lowercase hex, one frame "
      "per line, or raw bytes with --binary");
  cmd->add_option("file", args->path,
                  "JSON input: one object, an array, or one object per line "
                  "('-' or nothing: stdin)");
  cmd->add_flag("--binary", args->options.binary, "write raw frame bytes instead of hex lines");
  cmd->add_option("--max-frame-size", args->options.max_frame_size,
                  "largest frame (header + payload) to produce, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(kMinFrameSize, kMaxFrameSizeLimit));
  cmd->callback([args, &exit_code] {
    std::unique_ptr<std::ifstream> file;
    std::istream* in = openInput(args->path, file, "encode");
    exit_code = in ? nmsp::proto_json::runEncode(args->options, *in, std::cout, std::cerr) : 1;
  });
}

void addDecodeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DecodeArgs>();
  auto* cmd = app.add_subcommand(
      "decode",
      "NMSP frames (hex text or raw bytes, any number concatenated) to readable text or JSON");
  cmd->add_option("file", args->path, "input ('-' or nothing: stdin)");
  auto* hex = cmd->add_flag("--hex", args->hex,
                            "input is hex text (default: detected from the first 4 KiB)");
  auto* binary = cmd->add_flag("--binary", args->binary, "input is raw frame bytes");
  hex->excludes(binary);
  cmd->add_flag("--json", args->options.json, "print one canonical JSON object per line");
  cmd->add_option("--max-frame-size", args->options.max_frame_size,
                  "largest accepted frame (header + payload), in bytes")
      ->capture_default_str()
      ->check(CLI::Range(kMinFrameSize, kMaxFrameSizeLimit));
  cmd->callback([args, &exit_code] {
    using Input = nmsp::proto_json::DecodeOptions::Input;
    args->options.input = args->hex ? Input::Hex : args->binary ? Input::Binary : Input::Auto;
    std::unique_ptr<std::ifstream> file;
    std::istream* in = openInput(args->path, file, "decode");
    exit_code = in ? nmsp::proto_json::runDecode(args->options, *in, std::cout, std::cerr) : 1;
  });
}

}  // namespace nmsp::app
