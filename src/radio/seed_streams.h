#pragma once
// Independent random streams derived from the one seed: hashOf(seed, stream, ...). A new kind
// of randomness gets a new number here, so that adding it changes no other stream.

#include <cstdint>

namespace nmsp::radio {

enum SeedStream : uint64_t {
  Shadowing = 1,      // per AP and floor: the static shadowing field
  ApCalibration = 2,  // per AP: gain error
  DeviceTx = 3,       // per device: transmit power offset
  Behaviour = 4,      // per device: its Rng (movement, probing, sessions)
  EmissionKey = 5,    // per emission: fading and misses at each AP
  Identity = 6,       // MAC addresses of simulated devices
};

}  // namespace nmsp::radio
