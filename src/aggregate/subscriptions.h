#pragma once
// Per-MSE subscriptions on the controller (docs/data-path.md) and the pure selection of what
// goes to which MSE: each granted data service of an MSE is one stream (service, interval) of
// the Aggregator; MSEs with the same stream share its encoded frames (a copy only when their
// transaction ids differ: notifications carry the Subscribe Request's transaction id).

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "aggregate/aggregator.h"
#include "aggregate/frames.h"
#include "aggregate/settings.h"
#include "proto/messages.h"
#include "proto/services.h"

namespace nmsp::aggregate {

using MseId = uint64_t;  // the caller's session id

struct MseSubscription {
  proto::ServiceMask services = 0;  // granted and still subscribed
  // Per service bit, for the services in `services`: the notification interval (0: sent when
  // something changes) and the transaction id of the Subscribe Request that granted it.
  std::array<uint16_t, proto::kServiceCount> interval_s{};
  std::array<uint32_t, proto::kServiceCount> transaction_id{};
  // Services whose interval the Subscribe Request named; the others follow the controller's
  // class intervals (applySettings).
  proto::ServiceMask requested_intervals = 0;
  std::vector<std::string> ap_groups;  // as requested; kept, not applied (docs/data-path.md)

  bool has(proto::Service s) const { return (services & proto::bit(s)) != 0; }
};

struct SubscribeResult {
  proto::ServiceSubscribeResponse response;
  /// ap-info was granted now: send the whole AP table (Aggregator::apInfoFrames) right after
  /// the response, with `transaction_id`.
  bool send_ap_table = false;
};

/// One frame for one MSE (its transaction id already in the header).
struct Delivery {
  MseId mse = 0;
  proto::Service service = proto::Service::RssiMs;
  SharedFrame frame;
};

class Subscriptions {
 public:
  /// Grants the requested services the controller offers, each with the interval the request
  /// sets (else defaultIntervalS). Per requested known service, in bit order (unknown bits get
  /// no result and are not granted): UnsupportedService when not offered, InvalidRequest when its
  /// interval is outside 1..180; Success else. Additive: services granted earlier stay; a service
  /// granted again takes the new interval and transaction id. Opens / closes the Aggregator's
  /// streams to match.
  SubscribeResult subscribe(MseId mse, const proto::ServiceSubscribeRequest& request,
                            uint32_t transaction_id, proto::ServiceMask offered,
                            const AggregationSettings& settings, Aggregator& aggregator,
                            uint64_t now_ms);
  /// The class intervals changed (settings): every granted stream whose interval came from the
  /// settings, not from its Subscribe Request, moves to the new interval (Aggregator::moveStream:
  /// nothing logged is lost). Returns how many streams of MSEs moved.
  size_t applySettings(const AggregationSettings& settings, Aggregator& aggregator,
                       uint64_t now_ms);
  /// Removes the services (Success for each listed one); `remaining` is what is left.
  proto::ServiceUnsubscribeResponse unsubscribe(MseId mse,
                                                const proto::ServiceUnsubscribeRequest& request,
                                                Aggregator& aggregator);
  /// The session ended: close its streams.
  void remove(MseId mse, Aggregator& aggregator);

  const MseSubscription* find(MseId mse) const;
  const std::map<MseId, MseSubscription>& all() const { return subscriptions_; }
  /// True when some MSE receives some data service (a replay starts then).
  bool anyData() const;

  /// Appends, for every output and every MSE subscribed to its stream, one Delivery per frame,
  /// in output order then MSE id order.
  void route(const std::vector<StreamOutput>& outputs, std::vector<Delivery>& out) const;
  /// `frames` (e.g. the AP table) for one MSE with the transaction id of its `service`.
  void routeTo(MseId mse, proto::Service service, const std::vector<SharedFrame>& frames,
               std::vector<Delivery>& out) const;

 private:
  void open(MseId mse, const StreamKey& key, Aggregator& aggregator, uint64_t now_ms);
  void close(MseId mse, const StreamKey& key, Aggregator& aggregator);
  // The readers_ side of open/close: adds `mse` to the stream's readers; removes it (false when
  // it was not one).
  void addReader(MseId mse, const StreamKey& key);
  bool removeReader(MseId mse, const StreamKey& key);

  std::map<MseId, MseSubscription> subscriptions_;
  std::map<StreamKey, std::vector<MseId>> readers_;  // stream -> its MSEs, ascending
};

}  // namespace nmsp::aggregate
