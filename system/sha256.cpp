// SHA-256 fingerprints through OpenSSL's SHA-256 functions; see provenance.hpp for the framing.
//
// Not through the EVP interface: in OpenSSL 3 the first EVP digest of a process loads the
// configuration, the default provider and the engines (5.2 M instructions, 31 M in all for a
// 10-record run), where SHA256_Init is a few stores. Both run the same block function, with
// the processor's SHA instructions where it has them. The functions are marked deprecated in
// OpenSSL 3 but remain part of its API; the macro keeps -Werror from rejecting them.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "system/sha256.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace catengine {

Sha256::Sha256() : ctx_(std::make_unique<SHA256state_st>()) {
  if (SHA256_Init(ctx_.get()) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
  }
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (SHA256_Update(ctx_.get(), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL could not update a SHA-256 digest");
  }
}

void Sha256::update_length(std::uint64_t n) {
  std::array<char, 8> be{};
  for (int i = 7; i >= 0; --i, n >>= 8) be[static_cast<std::size_t>(i)] = static_cast<char>(n);
  update(std::string_view(be.data(), be.size()));
}

std::string Sha256::hex() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  if (SHA256_Final(digest.data(), ctx_.get()) != 1) {
    throw std::runtime_error("OpenSSL could not finish a SHA-256 digest");
  }
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * digest.size());
  for (unsigned char byte : digest) {
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 15];
  }
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
