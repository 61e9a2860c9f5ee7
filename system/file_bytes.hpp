// The bytes of an input file, either mapped from the file itself or held in memory. A data file
// of a national download is tens of megabytes: mapping it (rather than reading it into a copy)
// saves the copy, and the kernel's clearing of a fresh page for every 4 KiB of it.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace catengine {

class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(std::string bytes) : owned_(std::move(bytes)) {}
  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  // The open regular file `fd` (taken over; `info` is its fstat) of `size` > 0 bytes, mapped
  // read-only; `path` names it in messages. nullopt when it cannot be mapped (then `fd` is still
  // the caller's, and the caller reads it instead): mapping is only ever a faster way to read.
  //
  // A mapped file that another program makes shorter while it is read would kill the process
  // with SIGBUS; instead, a SIGBUS inside a mapping made here prints "error: `PATH` was made
  // shorter while catengine was reading it; nothing was written" and exits with status 2, as any
  // input error does. Callers must map files only while nothing else is written.
  static std::optional<FileBytes> map(int fd, const struct stat& info, std::size_t size,
                                      const std::string& path);

  std::string_view view() const {
    return data_ != nullptr ? std::string_view(data_, size_) : std::string_view(owned_);
  }
  bool mapped() const { return data_ != nullptr; }

  // False, with `error` set, when the mapped file was written to (or replaced in place) since it
  // was mapped: its bytes may then have changed under the reader, and a hash taken of them may
  // not be of the bytes that were bound. A copy held in memory cannot change: always true.
  bool unchanged(std::string& error) const;

 private:
  void release();

  std::string owned_;
  const char* data_ = nullptr;  // the mapping, when mapped
  std::size_t size_ = 0;
  int fd_ = -1;          // kept open to ask, at the end, whether the file changed
  int guard_ = -1;       // the mapping's slot in the SIGBUS guard
  struct stat seen_ {};  // the file as it was when mapped
  std::string path_;
};

}  // namespace catengine
