// Full mutual-TLS handshakes per second with the controller's admission check (auth-list
// lookup and key-hash comparison in the verify callback), client and server in one thread
// over an in-memory BIO pair: the CPU cost of admitting one MSE, both sides included; and the
// auth-list lookup alone, by list size.
//   build/bench/bench_admission --benchmark_min_time=2

#include <benchmark/benchmark.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "authlist/auth_list.h"
#include "controller/admission.h"
#include "identity/identity.h"
#include "transport/handshake_observer.h"
#include "transport/tls_context.h"

namespace {

using namespace nmsp;

struct Setup {
  std::filesystem::path dir;
  std::unique_ptr<authlist::AuthList> auth_list;
  std::shared_ptr<const authlist::AuthSnapshot> admission_list;  // what the io thread holds
  transport::SslContextPtr server;
  transport::SslContextPtr client;
  std::string error;
};

Setup makeSetup(identity::KeyType key_type, int tls_version) {
  Setup s;
  std::string tmpl = (std::filesystem::temp_directory_path() / "nmsp-bench-XXXXXX").string();
  s.dir = mkdtemp(tmpl.data());
  identity::CreateOptions options;
  options.key_type = key_type;
  options.mac = MacAddress{{0x00, 0x50, 0x56, 0x9c, 0x34, 0x89}};
  auto mse = identity::create(s.dir / "mse", options);
  options.mac = MacAddress{{0x00, 0x50, 0x56, 0x00, 0x00, 0x01}};
  auto controller = identity::create(s.dir / "controller", options);
  auto list = authlist::AuthList::open(s.dir / "controller");
  if (!mse || !controller || !list) {
    s.error = "setup failed";
    return s;
  }
  s.auth_list = std::move(*list);
  (void)s.auth_list->addAireOs(authlist::HashType::Sha256, mse->mac, mse->hashes.sha256_hex);
  s.admission_list = s.auth_list->snapshot();
  auto server = transport::makeServerContext(*controller, transport::CipherPolicy::Default);
  transport::ClientTlsOptions client_options;
  client_options.min_version = tls_version;
  client_options.max_version = tls_version;
  auto client = transport::makeClientContext(&*mse, client_options);
  if (!server || !client) {
    s.error = "context setup failed";
    return s;
  }
  s.server = *server;
  s.client = *client;
  return s;
}

// One complete handshake; false if either side failed.
bool handshake(Setup& s) {
  SSL* server = SSL_new(s.server->native_handle());
  SSL* client = SSL_new(s.client->native_handle());
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_accept_state(server);
  SSL_set_connect_state(client);
  transport::HandshakeObserver observer;
  observer.admit = [&](X509* leaf) {
    return controller::checkAdmission(leaf, *s.admission_list, std::chrono::system_clock::now())
        .admitted();
  };
  transport::attachObserver(server, &observer);
  bool client_done = false;
  bool server_done = false;
  for (int round = 0; round < 32 && !(client_done && server_done); ++round) {
    if (!client_done) {
      client_done = SSL_do_handshake(client) == 1;
    }
    if (!server_done) {
      server_done = SSL_do_handshake(server) == 1;
    }
  }
  transport::attachObserver(server, nullptr);
  SSL_free(server);
  SSL_free(client);
  return client_done && server_done && observer.admitted.value_or(false);
}

void BM_AdmissionHandshake(benchmark::State& state) {
  const auto key_type =
      state.range(0) == 0 ? identity::KeyType::Rsa2048 : identity::KeyType::EcdsaP256;
  const int version = state.range(1) == 12 ? TLS1_2_VERSION : TLS1_3_VERSION;
  Setup setup = makeSetup(key_type, version);
  if (!setup.error.empty()) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  for (auto _ : state) {
    if (!handshake(setup)) {
      state.SkipWithError("handshake failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(key_type == identity::KeyType::Rsa2048 ? "RSA-2048" : "ECDSA-P256") +
                 (version == TLS1_2_VERSION ? " TLSv1.2" : " TLSv1.3"));
  std::error_code ignored;
  std::filesystem::remove_all(setup.dir, ignored);
}

// key: 0 RSA-2048, 1 ECDSA P-256; tls: 12 or 13.
BENCHMARK(BM_AdmissionHandshake)
    ->ArgsProduct({{0, 1}, {12, 13}})
    ->ArgNames({"key", "tls"})
    ->Unit(benchmark::kMicrosecond);

// The auth-list part alone: the lookup a handshake does in the io thread's snapshot, against
// lists of 16 to 65536 entries (it should not grow with the list: one hash-map lookup).
void BM_AuthListLookup(benchmark::State& state) {
  authlist::AuthListState list;
  const auto entries = static_cast<uint32_t>(state.range(0));
  for (uint32_t i = 0; i < entries; ++i) {
    const MacAddress mac{{0x00, 0x50, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
                          static_cast<uint8_t>(i), 0x02}};
    list.aireos[mac] = {authlist::HashType::Sha256, std::string(64, 'a')};
  }
  const authlist::AuthSnapshot snapshot(std::move(list));
  const MacAddress probe{{0x00, 0x50, 0x00, 0x00, 0x07, 0x02}};  // listed (entries >= 8)
  const identity::KeyHashes hashes{std::string(40, 'b'), std::string(64, 'a')};
  for (auto _ : state) {
    benchmark::DoNotOptimize(snapshot.check(probe, hashes));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthListLookup)->RangeMultiplier(16)->Range(16, 65536);

}  // namespace

BENCHMARK_MAIN();
