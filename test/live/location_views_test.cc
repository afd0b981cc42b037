// The text of `show location <mac>` and `show location summary`, byte for byte as in
// docs/operator-commands.md "Locations (MSE)".
#include <gtest/gtest.h>

#include "surface/location_commands.h"

namespace nmsp::surface {
namespace {

TEST(LocationViews, ShowLocationMac) {
  api::DeviceLocation l;
  l.device = *MacAddress::parse("02:00:00:00:00:01");
  l.kind = proto::DeviceKind::Client;
  l.venue = "accuracy-a";
  l.floor = "f1";
  l.x_m = 12.341;
  l.y_m = 5.6;
  l.uncertainty_m = 3.214;
  l.last_seen_ms = 1796253052123;  // 2026-12-02T23:10:52.123Z
  l.aps_used = 7;
  EXPECT_EQ(locationView(l),
            "Device        : 02:00:00:00:00:01\n"
            "Kind          : client\n"
            "Venue         : accuracy-a\n"
            "Floor         : f1\n"
            "X             : 12.34 m\n"
            "Y             : 5.60 m\n"
            "Uncertainty   : 3.21 m\n"
            "Last seen     : 2026-12-02T23:10:52.123Z\n"
            "APs used      : 7\n"
            "Source        : engine\n");
  l.presence_only = true;
  l.uncertainty_m = 14;
  EXPECT_NE(locationView(l).find("Uncertainty   : 14.00 m (presence only: fewer than 3 APs)\n"),
            std::string::npos);
  l.presence_only = false;
  l.from_store = true;
  EXPECT_NE(locationView(l).find("Source        : store (not tracked in memory)\n"),
            std::string::npos);
}

TEST(LocationViews, ShowLocationSummary) {
  api::LocationSummary s;
  s.venues.push_back(api::VenueLocationStatus{"accuracy-a", "A", 1, 12, 16, 1});
  s.reports = 1840;
  s.ap_reports = 132;
  s.locations = 1708;
  s.presence_only = 4;
  s.locate_rate = 9.6;
  s.counts.push_back(api::FloorKindDevices{"accuracy-a", "f1", proto::DeviceKind::Client, 12});
  s.counts.push_back(api::FloorKindDevices{"accuracy-a", "f1", proto::DeviceKind::RfidTag, 4});
  s.store_backend = "sqlite";
  s.store_target = "/var/lib/nmsp/mse.db";
  s.store_connected = true;
  s.store_queue_limit_bytes = 67108864;
  s.store_written = 1708;
  s.stored_p50_ms = 51;
  s.stored_p99_ms = 53;
  s.stored_samples = 1708;
  EXPECT_EQ(locationSummaryView(s),
            "Locating: on (1 venue)\n"
            "\n"
            "Venue               Floors  APs   Tracked   Calibrated floors\n"
            "accuracy-a          1       12    16        1/1\n"
            "\n"
            "Reports received                        : 1840\n"
            "  AP neighbour reports (calibration)    : 132\n"
            "  Heard by no venue AP                  : 0\n"
            "Locations                               : 1708\n"
            "  Presence only (fewer than 3 APs)      : 4\n"
            "Locate rate (last 10 s)                 : 9.6/s\n"
            "\n"
            "Stored devices by floor and kind\n"
            "Venue               Floor           Kind          Devices\n"
            "accuracy-a          f1              client        12\n"
            "accuracy-a          f1              rfid-tag      4\n"
            "\n"
            "Store                                   : sqlite /var/lib/nmsp/mse.db (connected)\n"
            "Store queued records                    : 0\n"
            "Store queued bytes                      : 0 of 67108864\n"
            "Store lag                               : 0 ms\n"
            "Store written                           : 1708\n"
            "Store dropped                           : 0\n"
            "Store failed                            : 0\n"
            "Receive to stored p50/p99               : 51 ms / 53 ms (1708 records)\n"
            "Store last error                        : none\n");
}

TEST(LocationViews, SummaryWithoutVenueOrStoreReadError) {
  api::LocationSummary s;
  s.reports = 3;
  s.no_venue = 3;
  s.counts_error = "the store is not connected: down";
  s.store_backend = "postgresql";
  s.store_target = "postgresql://mse:***@db/nmsp";
  const auto text = locationSummaryView(s);
  EXPECT_EQ(text.rfind("Locating: off (no venue: start nmsp mse with --venue FILE)\n\n"
                       "Reports received",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("Stored devices by floor and kind\n% the store is not connected: down\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("postgresql postgresql://mse:***@db/nmsp (not connected)\n"),
            std::string::npos);
  EXPECT_NE(text.find(": - (nothing stored yet)\n"), std::string::npos);
}

}  // namespace
}  // namespace nmsp::surface
