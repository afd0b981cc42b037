#include "doctor/data_dir.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

namespace nmsp::doctor {
namespace {

std::optional<std::string> certificateOu(const std::filesystem::path& cert_path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(cert_path.c_str(), "r"), &std::fclose);
  if (!file) {
    return std::nullopt;
  }
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) {
    return std::nullopt;
  }
  char ou[64] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_organizationalUnitName, ou,
                                sizeof ou) <= 0) {
    return std::nullopt;
  }
  return std::string(ou);
}

}  // namespace

std::optional<DataDirRole> dataDirRole(const std::filesystem::path& dir) {
  if (const auto ou = certificateOu(dir / "identity" / "cert.pem")) {
    if (*ou == "Controller") {
      return DataDirRole::Controller;
    }
    if (*ou == "MSE") {
      return DataDirRole::Mse;
    }
  }
  std::error_code ec;
  for (const char* f : {"authlist.json", "controller-settings.json", "controller.port"}) {
    if (std::filesystem::exists(dir / f, ec)) {
      return DataDirRole::Controller;
    }
  }
  for (const char* f : {"controllers.json", "known_controllers.json"}) {
    if (std::filesystem::exists(dir / f, ec)) {
      return DataDirRole::Mse;
    }
  }
  return std::nullopt;
}

std::string roleName(DataDirRole role) {
  return role == DataDirRole::Controller ? "controller" : "MSE";
}

}  // namespace nmsp::doctor
