#include "aggregate/subscriptions.h"

#include <algorithm>

namespace nmsp::aggregate {

namespace {
StreamKey keyOf(proto::Service service, uint16_t interval_s) {
  const StreamKind kind = streamKindOf(service);
  const bool events = kind == StreamKind::Attachment || kind == StreamKind::ApInfo;
  return StreamKey{service, events ? uint16_t{0} : interval_s};
}
bool streamed(proto::Service service) {
  return streamKindOf(service) != StreamKind::None;
}
}  // namespace

void Subscriptions::addReader(MseId mse, const StreamKey& key) {
  auto& readers = readers_[key];
  readers.insert(std::upper_bound(readers.begin(), readers.end(), mse), mse);
}

bool Subscriptions::removeReader(MseId mse, const StreamKey& key) {
  auto it = readers_.find(key);
  if (it == readers_.end()) {
    return false;
  }
  auto& readers = it->second;
  auto pos = std::find(readers.begin(), readers.end(), mse);
  if (pos == readers.end()) {
    return false;
  }
  readers.erase(pos);
  if (readers.empty()) {
    readers_.erase(it);
  }
  return true;
}

void Subscriptions::open(MseId mse, const StreamKey& key, Aggregator& aggregator, uint64_t now_ms) {
  addReader(mse, key);
  aggregator.openStream(key, now_ms);
}

void Subscriptions::close(MseId mse, const StreamKey& key, Aggregator& aggregator) {
  if (removeReader(mse, key)) {
    aggregator.closeStream(key);
  }
}

SubscribeResult Subscriptions::subscribe(MseId mse, const proto::ServiceSubscribeRequest& request,
                                         uint32_t transaction_id, proto::ServiceMask offered,
                                         const AggregationSettings& settings,
                                         Aggregator& aggregator, uint64_t now_ms) {
  SubscribeResult result;
  MseSubscription& sub = subscriptions_[mse];
  if (!request.ap_groups.empty()) {
    sub.ap_groups = request.ap_groups;
  }
  for (uint8_t b = 0; b < proto::kServiceCount; ++b) {
    if ((request.services & (proto::ServiceMask{1} << b)) == 0) {
      continue;
    }
    const auto service = static_cast<proto::Service>(b);
    proto::ServiceResult outcome{service, proto::ResultCode::Success};
    if ((offered & proto::bit(service)) == 0) {
      outcome.result = proto::ResultCode::UnsupportedService;
      result.response.results.push_back(outcome);
      continue;
    }
    uint16_t interval = defaultIntervalS(service, settings);
    bool valid = true;
    bool named = false;
    for (const auto& wanted : request.intervals) {
      if (wanted.service == service) {
        valid = wanted.interval_s >= kMinIntervalS && wanted.interval_s <= kMaxIntervalS;
        interval = wanted.interval_s;
        named = true;
      }
    }
    if (!valid) {
      outcome.result = proto::ResultCode::InvalidRequest;
      result.response.results.push_back(outcome);
      continue;
    }
    const StreamKey key = keyOf(service, interval);
    if (sub.has(service) && streamed(service)) {
      close(mse, keyOf(service, sub.interval_s[b]), aggregator);
    }
    sub.services |= proto::bit(service);
    sub.interval_s[b] = key.interval_s;
    sub.requested_intervals = named ? sub.requested_intervals | proto::bit(service)
                                    : sub.requested_intervals & ~proto::bit(service);
    sub.transaction_id[b] = transaction_id;
    if (streamed(service)) {
      open(mse, key, aggregator, now_ms);
    }
    if (service == proto::Service::ApInfo) {
      result.send_ap_table = true;
    }
    result.response.granted |= proto::bit(service);
    result.response.results.push_back(outcome);
  }
  return result;
}

proto::ServiceUnsubscribeResponse Subscriptions::unsubscribe(
    MseId mse, const proto::ServiceUnsubscribeRequest& request, Aggregator& aggregator) {
  proto::ServiceUnsubscribeResponse response;
  auto it = subscriptions_.find(mse);
  for (uint8_t b = 0; b < proto::kServiceCount; ++b) {
    if ((request.services & (proto::ServiceMask{1} << b)) == 0) {
      continue;
    }
    const auto service = static_cast<proto::Service>(b);
    response.results.push_back({service, proto::ResultCode::Success});
    if (it != subscriptions_.end() && it->second.has(service)) {
      if (streamed(service)) {
        close(mse, keyOf(service, it->second.interval_s[b]), aggregator);
      }
      it->second.services &= ~proto::bit(service);
      it->second.interval_s[b] = 0;
    }
  }
  response.remaining = it == subscriptions_.end() ? 0 : it->second.services;
  return response;
}

size_t Subscriptions::applySettings(const AggregationSettings& settings, Aggregator& aggregator,
                                    uint64_t now_ms) {
  size_t moved = 0;
  for (auto& [mse, sub] : subscriptions_) {
    for (uint8_t b = 0; b < proto::kServiceCount; ++b) {
      const auto service = static_cast<proto::Service>(b);
      if (!sub.has(service) || !streamed(service) ||
          (sub.requested_intervals & proto::bit(service)) != 0) {
        continue;
      }
      const StreamKey from = keyOf(service, sub.interval_s[b]);
      const StreamKey to = keyOf(service, defaultIntervalS(service, settings));
      if (from == to) {
        continue;
      }
      removeReader(mse, from);
      addReader(mse, to);
      aggregator.moveStream(from, to, now_ms);
      sub.interval_s[b] = to.interval_s;
      ++moved;
    }
  }
  return moved;
}

void Subscriptions::remove(MseId mse, Aggregator& aggregator) {
  auto it = subscriptions_.find(mse);
  if (it == subscriptions_.end()) {
    return;
  }
  for (uint8_t b = 0; b < proto::kServiceCount; ++b) {
    const auto service = static_cast<proto::Service>(b);
    if (it->second.has(service) && streamed(service)) {
      close(mse, keyOf(service, it->second.interval_s[b]), aggregator);
    }
  }
  subscriptions_.erase(it);
}

const MseSubscription* Subscriptions::find(MseId mse) const {
  auto it = subscriptions_.find(mse);
  return it == subscriptions_.end() ? nullptr : &it->second;
}

bool Subscriptions::anyData() const {
  return !readers_.empty();
}

void Subscriptions::route(const std::vector<StreamOutput>& outputs,
                          std::vector<Delivery>& out) const {
  for (const auto& output : outputs) {
    auto it = readers_.find(output.key);
    if (it == readers_.end()) {
      continue;
    }
    const auto b = static_cast<size_t>(output.key.service);
    // One patched copy per distinct transaction id, shared by the MSEs that use it.
    std::map<uint32_t, std::vector<SharedFrame>> by_txn;
    for (const MseId mse : it->second) {
      const uint32_t txn = subscriptions_.at(mse).transaction_id[b];
      auto [frames, inserted] = by_txn.try_emplace(txn);
      if (inserted) {
        for (const auto& frame : output.frames) {
          frames->second.push_back(withTransactionId(frame, txn));
        }
      }
      for (const auto& frame : frames->second) {
        out.push_back(Delivery{mse, output.key.service, frame});
      }
    }
  }
}

void Subscriptions::routeTo(MseId mse, proto::Service service,
                            const std::vector<SharedFrame>& frames,
                            std::vector<Delivery>& out) const {
  const MseSubscription* sub = find(mse);
  if (sub == nullptr) {
    return;
  }
  const uint32_t txn = sub->transaction_id[static_cast<size_t>(service)];
  for (const auto& frame : frames) {
    out.push_back(Delivery{mse, service, withTransactionId(frame, txn)});
  }
}

}  // namespace nmsp::aggregate
