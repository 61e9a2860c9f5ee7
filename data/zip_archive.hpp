// A zip archive held in memory, read part by part with libzip, under a budget of unpacked bytes
// so that a small file cannot unpack to gigabytes (a zip bomb). Used by xlsx_reader.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct zip;

namespace catengine::engine {

class ZipArchive {
 public:
  // Opens the archive in `bytes`, which must outlive it (nothing is copied); all the parts read
  // from it may unpack to `max_unpacked_bytes` in all. nullopt with `error` set (libzip's
  // reason) when the bytes are not a zip archive, or a truncated one.
  static std::optional<ZipArchive> open(std::string_view bytes, std::uint64_t max_unpacked_bytes,
                                        std::string& error);

  // Whether a part of that name exists. Part names are matched ignoring case, as Open XML says.
  bool has(std::string_view name) const;

  // The whole unpacked part. nullopt with `error` set when the part is missing, encrypted,
  // damaged (its checksum is checked) or would take the bytes unpacked so far past the limit;
  // reading stops as soon as the limit is passed, whatever size the archive declares.
  std::optional<std::string> read(std::string_view name, std::string& error);

 private:
  struct Close {
    void operator()(zip* z) const;
  };
  ZipArchive(zip* z, std::uint64_t limit) : zip_(z), limit_(limit), left_(limit) {}
  std::unique_ptr<zip, Close> zip_;
  std::uint64_t limit_;
  std::uint64_t left_;  // of the limit
};

}  // namespace catengine::engine
