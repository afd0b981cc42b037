// Text of the controller's show commands.
#include <fmt/format.h>

#include <array>
#include <set>

#include "identity/validity.h"
#include "proto/messages.h"
#include "proto/service_text.h"
#include "proto/services.h"
#include "surface/text_table.h"
#include "surface/views.h"

namespace nmsp::surface {
namespace {

// `location notify-threshold client|tags|rogues` (the other location commands say rogue-aps).
constexpr std::array<std::string_view, 3> kThresholdClassNames = {"client", "tags", "rogues"};

std::string messageTable(const std::map<uint16_t, uint64_t>& tx,
                         const std::map<uint16_t, uint64_t>& rx) {
  std::set<uint16_t> ids;
  for (const auto& [id, count] : tx) {
    ids.insert(id);
  }
  for (const auto& [id, count] : rx) {
    ids.insert(id);
  }
  std::string text = cell("Message ID", 12) + cell("Message", 32) + cell("Tx", 12) + "Rx\n";
  for (const uint16_t id : ids) {
    const auto name = proto::messageName(id);
    const auto t = tx.find(id);
    const auto r = rx.find(id);
    text += cell(fmt::format("0x{:04x}", id), 12) + cell(name ? *name : "unknown", 32) +
            cell(std::to_string(t == tx.end() ? 0 : t->second), 12) +
            std::to_string(r == rx.end() ? 0 : r->second) + "\n";
  }
  return text;
}

// The aggregation settings that differ from the defaults, as the commands that set them.
std::string aggregationConfigLines(const aggregate::AggregationSettings& a) {
  const aggregate::AggregationSettings defaults;
  std::string text;
  for (size_t i = 0; i < a.interval_s.size(); ++i) {
    if (a.interval_s[i] != defaults.interval_s[i]) {
      text += fmt::format("nmsp notification interval rssi {} {}\n",
                          aggregate::kIntervalClassNames[i], a.interval_s[i]);
    }
  }
  for (size_t i = 0; i < a.half_life_s.size(); ++i) {
    if (a.half_life_s[i] != defaults.half_life_s[i]) {
      text += fmt::format("location rssi-half-life {} {}\n", aggregate::kLocationClassNames[i],
                          a.half_life_s[i]);
    }
  }
  for (size_t i = 0; i < a.expiry_s.size(); ++i) {
    if (a.expiry_s[i] != defaults.expiry_s[i]) {
      text +=
          fmt::format("location expiry {} {}\n", aggregate::kLocationClassNames[i], a.expiry_s[i]);
    }
  }
  for (size_t i = 0; i < a.notify_threshold_db.size(); ++i) {
    if (a.notify_threshold_db[i] != defaults.notify_threshold_db[i]) {
      text += fmt::format("location notify-threshold {} {}\n", kThresholdClassNames[i],
                          a.notify_threshold_db[i]);
    }
  }
  return text;
}

}  // namespace

std::string notificationIntervalView(const aggregate::AggregationSettings& a) {
  static constexpr std::array<std::string_view, 4> kTitles = {"Client", "RFID", "Rogue",
                                                              "Spectrum"};
  std::string text = heading("NMSP Notification Intervals");
  text += "\nRSSI Interval:\n";
  for (size_t i = 0; i < kTitles.size(); ++i) {
    text += fmt::format(" {}: {} sec\n", cell(kTitles[i], 15), a.interval_s[i]);
  }
  text += "\n" + heading("Location RSSI Settings");
  text += cell("Class", 11) + cell("Half-life", 11) + cell("Expiry", 10) + "Notify threshold\n";
  for (size_t i = 0; i < aggregate::kLocationClassNames.size(); ++i) {
    text += cell(aggregate::kLocationClassNames[i], 11) +
            cell(fmt::format("{} sec", a.half_life_s[i]), 11) +
            cell(fmt::format("{} sec", a.expiry_s[i]), 10) +
            fmt::format("{} dB\n", a.notify_threshold_db[i]);
  }
  return text;
}

namespace {

constexpr const char* kStatusHeader =
    "MSE IP Address   Active    Tx Echo Resp  Rx Echo Req  Tx Data  Rx Data  Transport";

// The Cisco columns of one row, without the line end.
std::string statusRow(const api::MseSessionStatus& s) {
  return cell(s.peer_ip, 17) + cell(s.active ? "Active" : "Inactive", 10) +
         cell(std::to_string(s.tx_echo_resp), 14) + cell(std::to_string(s.rx_echo_req), 13) +
         cell(std::to_string(s.tx_data), 9) + cell(std::to_string(s.rx_data), 9) + s.transport;
}

}  // namespace

std::string nmspStatusView(const std::vector<api::MseSessionStatus>& sessions) {
  std::string text = std::string(kStatusHeader) + "\n";
  for (const auto& s : sessions) {
    text += statusRow(s) + "\n";
  }
  return text;
}

std::string nmspStatusDetailView(const std::vector<api::MseSessionStatus>& sessions) {
  // "Transport" is 9 wide in the header; rows pad it to 11 ("TLS" and more) before the extras.
  std::string text = cell(kStatusHeader, 83) + cell("MSE MAC Address", 19) +
                     cell("Clock Skew (ms)", 17) + "MSE Name\n";
  for (const auto& s : sessions) {
    text += cell(statusRow(s), 83) + cell(s.mac ? s.mac->toString() : "-", 19) +
            cell(std::to_string(s.clock_skew_ms), 17) + (s.peer_name.empty() ? "-" : s.peer_name) +
            "\n";
  }
  return text;
}

std::string statisticsSummaryView(const api::ControllerStatistics& stats) {
  std::string text = heading("NMSP Global Counters");
  text += counterLine("Handshake timeouts", stats.handshake_timeouts);
  text += counterLine("Connection-cap rejects", stats.connection_cap_rejects);
  text += counterLine("Malformed frames", stats.malformed_frames);
  text += counterLine("Echo timeouts", stats.echo_timeouts);
  text += counterLine("Clock-skew events", stats.clock_skew_events);
  text += counterLine("Unsupported messages", stats.unsupported_msgs);
  text += counterLine("Certificates not yet valid", stats.cert_not_yet_valid);
  text += counterLine("Certificates expired", stats.cert_expired);
  if (!stats.last_validity_refusal.empty()) {
    text += counterLine("Last certificate date refusal", stats.last_validity_refusal);
  }
  text += "\n" + heading("SSL Statistics");
  text += counterLine("Total amount of verifications", stats.verify_count);
  text += counterLine("Verification failures", stats.verify_fail);
  text += counterLine("Verification success", stats.verify_success);
  text += counterLine("Amount of connections created", stats.connections_created);
  text += counterLine("Amount of connections closed", stats.connections_closed);
  text += counterLine("Total amount of accept attempts", stats.accept_attempts);
  text += counterLine("Failures in accept", stats.accept_fail);
  text += counterLine("Rejected accepts", stats.accept_reject);
  text += counterLine("Amount of successful accepts", stats.accept_success);
  text += "\n" + heading("Message Counters");
  text += messageTable(stats.tx_msgs, stats.rx_msgs);
  const api::DataPathStatistics& d = stats.data;
  text += "\n" + heading("Data Path");
  text += counterLine("Source", d.source);
  text += counterLine("Devices in the store", d.devices);
  text += counterLine("APs in the AP table", d.aps);
  text += counterLine("RSSI observations received", d.observations);
  text += counterLine("Observations not stored (16 APs)", d.observations_capped);
  text += counterLine("Observations below notify threshold", d.observations_filtered);
  text += counterLine("Devices evicted", d.devices_evicted);
  text += counterLine("Pending entries dropped", d.pending_dropped);
  text += counterLine("Notification entries lost", d.notifications_lost);
  text += counterLine("Attachments dropped", d.attachments_dropped);
  text += counterLine("Notification frames encoded", d.frames_encoded);
  if (d.source == "replay") {
    text += counterLine("Replay", d.replay_started ? "playing" : "waiting for a subscription");
    text += counterLine("Replay observations played", d.replay_played);
    text += counterLine("Replay passes completed", d.replay_cycles);
    text += counterLine("Replay lines skipped (malformed)", d.replay_skipped);
  }
  return text;
}

std::string statisticsConnectionView(const std::vector<api::MseSessionStatus>& sessions) {
  std::string text;
  for (const auto& s : sessions) {
    if (s.closed) {
      continue;  // only open connections; show nmsp status keeps the ended ones
    }
    if (!text.empty()) {
      text += "\n";
    }
    text += heading(fmt::format("NMSP Connection {}", s.connection_id));
    const bool v6 = s.peer_ip.find(':') != std::string::npos;
    text += counterLine("Peer", v6 ? fmt::format("[{}]:{}", s.peer_ip, s.peer_port)
                                   : fmt::format("{}:{}", s.peer_ip, s.peer_port));
    text += counterLine("MAC Address", s.mac ? s.mac->toString() : "unknown");
    text += counterLine("State", s.active ? "Active" : "Inactive");
    text += counterLine("Peer name", s.peer_name.empty() ? "-" : s.peer_name);
    text += counterLine("Peer version", s.peer_version.empty() ? "-" : s.peer_version);
    text += counterLine("Transport", s.transport);
    text += counterLine("TLS version", s.tls_version.empty() ? "-" : s.tls_version);
    text += counterLine("Cipher", s.cipher.empty() ? "-" : s.cipher);
    text += counterLine("Tx Echo Resp", s.tx_echo_resp);
    text += counterLine("Rx Echo Req", s.rx_echo_req);
    text += counterLine("Tx Data", s.tx_data);
    text += counterLine("Rx Data", s.rx_data);
    text += counterLine("Unsupported messages", s.unsupported_msgs);
    text += counterLine("Clock skew (ms)", std::to_string(s.clock_skew_ms));
    text += counterLine("Subscribed services", proto::servicesText(s.subscriptions));
    text += counterLine("Measurement notifications sent", s.sent.measurement_notifications);
    text += counterLine("Info notifications sent", s.sent.info_notifications);
    text += counterLine("Statistics notifications sent", s.sent.statistics_notifications);
    text += counterLine("AP info notifications sent", s.sent.ap_info_notifications);
    text += counterLine("Attachment notifications sent", s.sent.attachment_notifications);
    text += counterLine("Notifications dropped (queue full)", s.notifications_dropped);
    text += messageTable(s.tx_msgs, s.rx_msgs);
  }
  return text.empty() ? "No NMSP connections\n" : text;
}

std::string admissionView(const std::map<MacAddress, api::AdmissionAttempt>& admissions) {
  std::string text;
  for (const auto& [mac, a] : admissions) {
    if (!text.empty()) {
      text += "\n";
    }
    text += heading("MSE " + mac.toString());
    text += counterLine("Peer", a.peer);
    text += counterLine("Last attempt", identity::formatUtc(a.at));
    text += counterLine("Result", a.verdict);
    text += counterLine("SHA1 Key Hash presented", a.sha1_hex);
    text += counterLine("SHA2 Key Hash presented", a.sha256_hex);
    text += counterLine("Certificate not before", identity::formatUtc(a.not_before));
    text += counterLine("Certificate not after", identity::formatUtc(a.not_after));
  }
  return text.empty() ? "No MSE has presented a certificate since the controller started\n" : text;
}

std::string authListView(const std::vector<authlist::Entry>& entries) {
  // Source last, so the first three columns stay where scripts expect them.
  std::string text =
      cell("MAC Address", 19) + cell("Cert Type", 18) + cell("Key Hash", 66) + "Source\n";
  for (const auto& e : entries) {
    text += cell(e.mac.toString(), 19) + cell(e.certificate_type(), 18) + cell(e.key_hash, 66) +
            (e.attribute_list.empty() ? "AireOS" : "IOS-XE list " + e.attribute_list) + "\n";
  }
  return text;
}

std::string runningConfigView(const RunningConfig& config) {
  // Pastes back as it is (src/surface/pasted_output.h): the AireOS entries are exec-mode
  // commands, so they run through "do" from configuration mode.
  std::string text = "!\n";
  text += "hostname " + config.hostname + "\n!\n";
  text += "nmsp enable\n";
  if (config.strong_cipher) {
    text += "nmsp strong-cipher\n";
  }
  text += aggregationConfigLines(config.aggregation);
  text += "!\n";
  for (const auto& line : config.auth_lines) {
    text += line + "\n";
  }
  if (!config.aireos_entries.empty()) {
    text += "!\n! AireOS auth-list entries (exec-mode commands, see show auth-list):\n";
    for (const auto& e : config.aireos_entries) {
      text += fmt::format("do config auth-list add {} {} {}\n",
                          e.type == authlist::HashType::Sha1 ? "sha1-lbs-ssc" : "sha256-lbs-ssc",
                          e.mac.toString(), e.key_hash);
    }
  }
  text += "!\nend\n";
  // As IOS: the size counts the configuration from the first '!' through "end".
  return fmt::format("Building configuration...\n\nCurrent configuration : {} bytes\n{}",
                     text.size(), text);
}

std::string traceView(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

}  // namespace nmsp::surface
