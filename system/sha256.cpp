// SHA-256 fingerprints through OpenSSL's EVP interface; see provenance.hpp for the framing.
#include "system/sha256.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace catengine {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
  }
}

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL could not update a SHA-256 digest");
  }
}

void Sha256::update_length(std::uint64_t n) {
  std::array<char, 8> be{};
  for (int i = 7; i >= 0; --i, n >>= 8) be[static_cast<std::size_t>(i)] = static_cast<char>(n);
  update(std::string_view(be.data(), be.size()));
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &size) != 1) {
    throw std::runtime_error("OpenSSL could not finish a SHA-256 digest");
  }
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex();
}

std::string sha256_of_files(const std::vector<std::pair<std::string, std::string>>& files) {
  // Sort pointers, not the files: contents may be large.
  std::vector<const std::pair<std::string, std::string>*> order;
  order.reserve(files.size());
  for (const auto& file : files) order.push_back(&file);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return *a < *b; });

  Sha256 sha;
  sha.update("catengine-sources-v1\n");
  sha.update_length(order.size());
  for (const auto* file : order) {
    sha.update_length(file->first.size());
    sha.update(file->first);
    sha.update_length(file->second.size());
    sha.update(file->second);
  }
  return sha.hex();
}

}  // namespace catengine
