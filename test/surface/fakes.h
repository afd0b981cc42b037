#pragma once
// Small in-test implementations of the roles' control interfaces, over a real AuthList (in a
// temporary directory) and a real TraceBuffer with a fixed clock.

#include <unistd.h>

#include <filesystem>
#include <string>

#include "../support/temp_dir.h"
#include "shell/shell.h"
#include "surface/commands.h"

namespace nmsp::surface::testing {

namespace fs = std::filesystem;

using TempDir = test_support::TempDir;

// 2015-06-03 22:28:10.762 UTC, as in the seed trace.
inline std::chrono::system_clock::time_point seedTime() {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1433370490762));
}

class FakeController : public api::ControllerControl {
 public:
  explicit FakeController(const fs::path& dir)
      : auth_(std::move(*authlist::AuthList::open(dir))), trace_(8, [] { return seedTime(); }) {}
  std::vector<api::MseSessionStatus> sessions() const override { return sessions_; }
  api::ControllerStatistics statistics() const override { return stats_; }
  std::shared_ptr<const authlist::AuthSnapshot> authList() const override {
    return auth_->snapshot();
  }
  Result<void, std::string> editAuthList(api::AuthListEdit edit) override { return edit(*auth_); }
  trace::TraceBuffer& trace() override { return trace_; }
  Result<void, std::string> setStrongCipher(bool on) override {
    strong_ = on;
    return {};
  }
  bool strongCipher() const override { return strong_; }
  proto::ServiceMask offeredServices() const override { return offered; }
  std::string listenAddress() const override { return "0.0.0.0:16113"; }
  std::string name() const override { return "wlc1"; }

  std::vector<api::MseSessionStatus> sessions_;
  api::ControllerStatistics stats_;
  std::unique_ptr<authlist::AuthList> auth_;
  trace::TraceBuffer trace_;
  bool strong_ = false;
  proto::ServiceMask offered = 0;
};

class FakeMse : public api::MseControl {
 public:
  FakeMse() : trace_(8, [] { return seedTime(); }) {}
  const identity::Identity& identity() const override { return identity_; }
  std::vector<api::ControllerLinkStatus> controllers() const override { return links_; }
  Result<void, std::string> addController(const std::string& host, uint16_t port) override {
    if (host == "refused.example") {
      return Unexpected{std::string("cannot persist the controller list")};
    }
    api::ControllerLinkStatus link;
    link.host = host;
    link.port = port;
    links_.push_back(link);
    return {};
  }
  Result<void, std::string> deleteController(const std::string& host,
                                             std::optional<uint16_t> port) override {
    deleted_port_ = port;
    const auto before = links_.size();
    std::erase_if(links_, [&](const auto& l) { return l.host == host; });
    if (links_.size() == before) {
      return Unexpected{"no controller " + host};
    }
    return {};
  }
  void setUnauthenticatedNmsp(bool on) override { unauthenticated_ = on; }
  bool unauthenticatedNmsp() const override { return unauthenticated_; }
  trace::TraceBuffer& trace() override { return trace_; }
  std::string name() const override { return "mse1"; }
  Result<void, std::string> setControllerServices(const std::string& host,
                                                  std::optional<uint16_t> /*port*/,
                                                  std::optional<uint64_t> services) override {
    for (auto& link : links_) {
      if (link.host == host) {
        link.services_configured = services.value_or(0);
        services_set_ = services;
        return {};
      }
    }
    return Unexpected{"controller " + host + " is not configured"};
  }
  Result<devices::DevicesSummary, std::string> devices(std::optional<proto::DeviceKind> kind,
                                                       size_t limit) const override {
    return table_.summary(kind, limit);
  }
  Result<std::optional<devices::DeviceDetail>, std::string> device(
      const MacAddress& mac) const override {
    return table_.detail(mac);
  }
  std::optional<api::RecordStatus> recording() const override { return recording_; }

  identity::Identity identity_;
  std::vector<api::ControllerLinkStatus> links_;
  std::optional<uint64_t> services_set_;  // given to the last setControllerServices()
  devices::DeviceTable table_;
  std::optional<api::RecordStatus> recording_;
  std::optional<uint16_t> deleted_port_;  // port given to the last deleteController()
  bool unauthenticated_ = false;
  trace::TraceBuffer trace_;
};

/// Runs lines one after another on one session; returns the concatenated output and whether
/// every line succeeded.
struct Transcript {
  std::string text;
  bool ok = true;
};
inline Transcript runLines(const shell::CommandRegistry& registry, shell::Session& session,
                           const std::string& lines) {
  Transcript t;
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos) {
      end = lines.size();
    }
    const auto reply = registry.execute(session, lines.substr(start, end - start));
    t.text += reply.text;
    t.ok = t.ok && reply.ok;
    start = end + 1;
  }
  return t;
}

}  // namespace nmsp::surface::testing
