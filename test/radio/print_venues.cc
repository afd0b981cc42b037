// Prints the accuracy venues: print_venues a > data/venues/accuracy-a.json (and b).
#include <iostream>
#include <string_view>

#include "accuracy_venues.h"
#include "venue/venue_file.h"

int main(int argc, char** argv) {
  const std::string_view which = argc > 1 ? argv[1] : "";
  if (which != "a" && which != "b") {
    std::cerr << "usage: print_venues a|b\n";
    return 2;
  }
  const auto spec =
      which == "a" ? nmsp::radio::test::accuracyVenueA() : nmsp::radio::test::accuracyVenueB();
  std::cout << nmsp::venue::formatVenue(nmsp::radio::makeOfficeVenue(spec));
  return 0;
}
