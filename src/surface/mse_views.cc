// Text of the MSE's show commands.
#include <fmt/format.h>

#include "proto/service_text.h"
#include "surface/text_table.h"
#include "surface/views.h"

namespace nmsp::surface {

std::string serverAuthInfoView(const identity::Identity& id) {
  const std::string mac = id.mac.toString();
  const std::string compact = id.mac.toCompactString();
  const std::string& sha1 = id.hashes.sha1_hex;
  const std::string& sha2 = id.hashes.sha256_hex;
  // Lines starting with '!' are comments for the shells, so the whole blocks can be pasted.
  // The attribute list is named after the MSE: a shared name ("NMSP") pasted for a second MSE
  // would replace the password the first one is admitted with.
  return fmt::format(
      "----------------\n"
      "Server Auth Info\n"
      "----------------\n"
      "MAC Address: {0}\n"
      "SHA1 Key Hash: {2}\n"
      "SHA2 Key Hash: {3}\n"
      "Certificate Type: SSC\n"
      "\n"
      "! To admit this MSE on an IOS-XE controller (Catalyst 9800, 3850), paste:\n"
      "configure terminal\n"
      "username {1} aaa attribute list NMSP_{1}\n"
      "aaa attribute list NMSP_{1}\n"
      " attribute type password {3}\n"
      "aaa authorization credential-download wcm_loc_serv_cert local\n"
      "end\n"
      "\n"
      "! On an AireOS controller, run:\n"
      "config auth-list add sha256-lbs-ssc {0} {3}\n"
      "! or, for a controller that only takes SHA1 key hashes:\n"
      "config auth-list add sha1-lbs-ssc {0} {2}\n",
      mac, compact, sha1, sha2);
}

namespace {

std::string controllerRow(const api::ControllerLinkStatus& link) {
  std::string text = cell(link.host, 40) + cell(std::to_string(link.port), 7) +
                     cell(link.active ? "ACTIVE" : "INACTIVE", 10) +
                     cell(link.peer_name.empty() ? "-" : link.peer_name, 18) +
                     fmt::format("{}/{}\n", link.tx_echo_req, link.rx_echo_resp);
  if (!link.active) {
    text +=
        "  last cause: " + (link.last_cause.empty() ? "not connected yet" : link.last_cause) + "\n";
  }
  return text;
}

std::string controllersHeader(bool empty) {
  std::string text = cell("Controller", 40) + cell("Port", 7) + cell("Status", 10) +
                     cell("Peer name", 18) + "Echo Tx/Rx\n";
  if (empty) {
    text += "No controllers configured; add one with: config controllers add <host>[:<port>]\n";
  }
  return text;
}

}  // namespace

std::string controllersDetailView(const std::vector<api::ControllerLinkStatus>& links) {
  std::string text = controllersHeader(links.empty());
  for (const auto& link : links) {
    text += controllerRow(link);
    text += "  services: " + proto::servicesText(link.services_configured) + "\n";
    text += "  granted: " + proto::servicesText(link.active ? link.services_granted : 0) + "\n";
  }
  return text;
}

std::string recordingView(const std::optional<api::RecordStatus>& status) {
  if (!status) {
    return "Recording: off (start the MSE with --record FILE)\n";
  }
  return fmt::format(
      "Recording to: {}\n"
      "Observations written: {}\n"
      "Observations dropped: {}\n"
      "Write errors: {}\n",
      status->file, status->written, status->dropped, status->write_errors);
}

std::string controllersView(const std::vector<api::ControllerLinkStatus>& links) {
  std::string text = controllersHeader(links.empty());
  for (const auto& link : links) {
    text += controllerRow(link);
  }
  return text;
}

}  // namespace nmsp::surface
