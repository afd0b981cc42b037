#pragma once
// The text of every show command, as pure functions of the data (tested byte for byte).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/controller_control.h"
#include "api/mse_control.h"
#include "authlist/auth_list.h"
#include "identity/identity.h"

namespace nmsp::surface {

// Controller.
std::string nmspStatusView(const std::vector<api::MseSessionStatus>& sessions);
std::string statisticsSummaryView(const api::ControllerStatistics& stats);
std::string statisticsConnectionView(const std::vector<api::MseSessionStatus>& sessions);
/// `show nmsp status detail`: the Cisco columns of `show nmsp status`, byte for byte, then each
/// session's MSE MAC, Init clock skew and name (two MSEs on one host told apart).
std::string nmspStatusDetailView(const std::vector<api::MseSessionStatus>& sessions);
/// `show nmsp admission`: the last admission decision per MSE MAC, with what it presented.
std::string admissionView(const std::map<MacAddress, api::AdmissionAttempt>& admissions);
/// `show nmsp capability`: the services this controller offers, 9800 Service/Subservice rows.
std::string capabilityView(proto::ServiceMask offered);
/// `show nmsp subscription summary`: per active MSE, the services it subscribed to.
std::string subscriptionSummaryView(const std::vector<api::MseSessionStatus>& sessions);
std::string authListView(const std::vector<authlist::Entry>& entries);
struct RunningConfig {
  std::string hostname;
  bool strong_cipher = false;
  std::vector<std::string> auth_lines;          // AuthList::runningConfigLines()
  std::vector<authlist::Entry> aireos_entries;  // shown as comments (exec-mode commands)
};
std::string runningConfigView(const RunningConfig& config);

// MSE.
std::string serverAuthInfoView(const identity::Identity& identity);
std::string controllersView(const std::vector<api::ControllerLinkStatus>& links);
/// `show controllers detail`: `show controllers`, and under each controller (after its last
/// cause) `  services: <configured>` and `  granted: <granted this session>`.
std::string controllersDetailView(const std::vector<api::ControllerLinkStatus>& links);
/// `show recording`.
std::string recordingView(const std::optional<api::RecordStatus>& status);

// Both.
std::string traceView(const std::vector<std::string>& lines);

}  // namespace nmsp::surface
