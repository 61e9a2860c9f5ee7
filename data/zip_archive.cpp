// libzip over a buffer in memory; see zip_archive.hpp.
#include "data/zip_archive.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>

namespace catengine::engine {

void ZipArchive::Close::operator()(zip* z) const {
  zip_discard(z);  // read-only: nothing to write back
}

std::optional<ZipArchive> ZipArchive::open(std::string_view bytes, std::uint64_t max_unpacked_bytes,
                                           std::string& error) {
  if (bytes.empty()) {  // libzip would take it for a new, empty archive
    error = "the file is empty";
    return std::nullopt;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &ze);
  if (source == nullptr) {
    error = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return std::nullopt;
  }
  zip_t* z = zip_open_from_source(source, ZIP_RDONLY, &ze);
  if (z == nullptr) {
    zip_source_free(source);  // still ours when the open fails
    error = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return std::nullopt;
  }
  zip_error_fini(&ze);
  return ZipArchive(z, max_unpacked_bytes);
}

bool ZipArchive::has(std::string_view name) const {
  return zip_name_locate(zip_.get(), std::string(name).c_str(), ZIP_FL_NOCASE) >= 0;
}

std::optional<std::string> ZipArchive::read(std::string_view name, std::string& error) {
  const zip_int64_t index = zip_name_locate(zip_.get(), std::string(name).c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    error = fmt::format("it has no part {}", name);
    return std::nullopt;
  }
  const auto i = static_cast<zip_uint64_t>(index);
  zip_file_t* file = zip_fopen_index(zip_.get(), i, 0);
  if (file == nullptr) {
    error = fmt::format("its part {} cannot be read ({})", name, zip_strerror(zip_.get()));
    return std::nullopt;
  }
  std::string out;
  // The size the archive declares is only a hint (it may lie), so it never reserves more than
  // the limit.
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) != 0) {
    out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(st.size, left_)));
  }
  char chunk[1 << 16];
  for (;;) {
    const zip_int64_t n = zip_fread(file, chunk, sizeof chunk);
    if (n < 0) {
      error = fmt::format("its part {} is damaged ({})", name, zip_file_strerror(file));
      zip_fclose(file);
      return std::nullopt;
    }
    if (n == 0) break;
    const auto got = static_cast<std::uint64_t>(n);
    if (got > left_) {
      error = fmt::format(
          "it unpacks to more than {} bytes, the limit on input (set by "
          "CATENGINE_MAX_INPUT_BYTES)",
          limit_);
      zip_fclose(file);
      return std::nullopt;
    }
    left_ -= got;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  if (zip_fclose(file) != 0) {
    error = fmt::format("its part {} is damaged", name);
    return std::nullopt;
  }
  return out;
}

}  // namespace catengine::engine
