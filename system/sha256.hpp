// Fingerprints of the inputs to a run (policy sources, data files), so a result can say exactly
// which sources produced it and two runs can be shown to have used the same ones.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct SHA256state_st;

namespace catengine {

// A SHA-256 digest fed piece by piece (a results file as it is streamed out). Throws
// std::runtime_error only if OpenSSL itself fails (out of memory).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  void update(std::string_view bytes);
  void update_length(std::uint64_t n);  // eight bytes, big-endian
  std::string hex();                    // 64 lower-case hex digits; call once

 private:
  std::unique_ptr<SHA256state_st> ctx_;
};

// SHA-256 of `bytes` as 64 lower-case hex digits. Throws std::runtime_error only if OpenSSL
// itself fails (out of memory), which no input can cause.
std::string sha256_hex(std::string_view bytes);

// One SHA-256 over a set of (path, contents) files, independent of the order they are given in.
// The files are sorted by path, then contents (bytewise), and hashed as
//   "catengine-sources-v1\n" u64(count) { u64(len path) path u64(len contents) contents }...
// with every u64 big-endian. The length prefixes make the framing unambiguous: no two different
// file sets produce the same byte stream (moving a byte between a path and its contents, or
// between files, changes a length). Change the tag if the framing ever changes.
std::string sha256_of_files(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace catengine
