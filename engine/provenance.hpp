// Fingerprints of the inputs to a run (policy sources, data files), so a result can say exactly
// which sources produced it and two runs can be shown to have used the same ones.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace catengine {

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
