// Reading and writing whole files. Writes go through a temporary file and a rename, so a reader
// (or a crash) sees either the old file or the complete new one, never a half-written result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "system/file_bytes.hpp"

namespace catengine {

// Replaces (or creates) `target` with `contents`: writes a uniquely named temporary file in the
// same folder, flushes it to disk, then renames it over `target`. On failure the temporary file
// is removed, `target` is left as it was, and `error` says in plain English what went wrong,
// naming the path. What `target` names decides the rest, as for AtomicFile::create.
bool write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                           std::string& error);

// The same, for output written piece by piece (large results files are streamed, not held in
// memory). Nothing appears at `target` until commit() succeeds; destroying an uncommitted file,
// or any failed call, removes the temporary file and leaves `target` as it was.
//
// What `target` names decides how it is written:
// - a new path, or a regular file: atomically, as above. A symbolic link is followed: the file
//   it points to is replaced and the link stays a link (a dangling link is refused).
// - a FIFO or a character device (a terminal, /dev/null, /dev/stdout, /proc/self/fd/1 on a
//   pipe): straight into it, since a stream is what the user asked for; there is nothing to
//   replace, so nothing is atomic and commit() only closes it.
// - anything else (a folder, a block device, a socket): refused, and nothing is touched.
class AtomicFile {
 public:
  static std::optional<AtomicFile> create(const std::filesystem::path& target, std::string& error);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  bool write(std::string_view bytes, std::string& error);
  bool commit(std::string& error);  // flush to disk, then rename over the target

  // False when `target` is a stream written straight into (a FIFO, a terminal, /dev/null).
  bool replaces_file() const { return !stream_; }

  // Whether create(target) would write straight into `target` (a FIFO or a character device)
  // rather than replace it, asked without opening it (opening a FIFO has effects of its own).
  static bool names_stream(const std::filesystem::path& target);

  // The temporary file, for a writer that can only be given a path (libxlsxwriter writes a
  // workbook to a file name): it writes the whole file there instead of calling write(), and
  // commit() then flushes and renames it as usual. Empty for a stream.
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path temp, int fd, bool stream);
  bool fail(int err, std::string_view what, std::string& error);

  std::filesystem::path target_;  // symbolic links resolved
  std::filesystem::path temp_;    // empty once renamed or removed, and for a stream
  int fd_ = -1;
  bool stream_ = false;
  std::uint64_t written_ = 0;     // bytes written so far
  std::uint64_t write_back_ = 0;  // bytes whose write-back to disk has been started
};

// What read_file accepts. Inputs are untrusted (CI reads pull requests' files), so a read never
// grows without bound and never touches a device.
struct ReadOptions {
  // Pipes and FIFOs as well as regular files (`--data <(zcat schools.csv.gz)`, `/dev/stdin`);
  // devices and sockets never. False for files that must be regular (calendars).
  bool allow_pipes = true;
  // The most bytes read; 0: max_input_bytes(), from CATENGINE_MAX_INPUT_BYTES.
  std::uint64_t max_bytes = 0;
};

// The size limit on input files: $CATENGINE_MAX_INPUT_BYTES (a whole number of bytes), else
// 2 GiB, which holds a national file many times over. nullopt, with `error` set, when the
// variable is set but not a number above 0.
std::optional<std::uint64_t> max_input_bytes(std::string& error);

// The whole file, byte for byte. On failure returns nullopt and sets `error` (missing file,
// folder, device, larger than the limit, no permission, ...), naming the path. Reading stops as
// soon as the limit is passed.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error,
                                     const ReadOptions& options = {});

// The same, for a data file: a regular file is mapped rather than copied (system/file_bytes.hpp,
// which says what happens should another program shorten it meanwhile); a pipe, an empty file,
// or a file that cannot be mapped is read as above.
std::optional<FileBytes> read_file_bytes(const std::filesystem::path& path, std::string& error,
                                         const ReadOptions& options = {});

}  // namespace catengine
