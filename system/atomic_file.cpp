// Whole-file reads and crash-safe whole-file writes on POSIX (open/fsync/rename); see
// atomic_file.hpp.
#include "system/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace catengine {

namespace {

// errno in words a data analyst can act on; the system's own text for anything unusual.
std::string reason(int err, const std::filesystem::path& path) {
  switch (err) {
    case ENOENT:
      return path.has_parent_path()
                 ? fmt::format("the folder `{}` does not exist", path.parent_path().string())
                 : std::string("no such file or folder");
    case EACCES:
    case EPERM:
      return "permission denied";
    case EISDIR:
      return "it is a folder, not a file";
    case ENOTDIR:
      return "part of the path is a file, not a folder";
    case ENOSPC:
      return "the disk is full";
    case EROFS:
      return "the file system is read-only";
    default:
      return std::system_category().message(err);
  }
}

// Closes on every path (reads only; writes go through AtomicFile).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Returns 0 or the errno of the first failed write.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

// A name no other writer (another thread, process or run) will pick: pid, a per-process counter
// and random bits. O_EXCL still guards against the unlikely clash.
std::filesystem::path temporary_name(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  return target.parent_path() / fmt::format(".{}.tmp-{}-{}-{:016x}", target.filename().string(),
                                            ::getpid(), counter.fetch_add(1), random());
}

// What create() writes straight into rather than replaces.
bool is_stream(mode_t mode) {
  return S_ISFIFO(mode) || S_ISCHR(mode);
}

}  // namespace

bool AtomicFile::names_stream(const std::filesystem::path& target) {
  struct stat info {};
  return ::stat(target.c_str(), &info) == 0 && is_stream(info.st_mode);
}

std::optional<AtomicFile> AtomicFile::create(const std::filesystem::path& requested,
                                             std::string& error) {
  const std::string shown = requested.string();
  if (!requested.has_filename()) {
    error = fmt::format("cannot write `{}`: the path names a folder, not a file", shown);
    return std::nullopt;
  }
  std::filesystem::path target = requested;
  struct stat existing {};
  if (::stat(requested.c_str(), &existing) == 0) {
    if (is_stream(existing.st_mode)) {
      int fd = -1;
      do {
        fd = ::open(requested.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      } while (fd < 0 && errno == EINTR);
      if (fd < 0) {
        error = fmt::format("cannot write `{}`: {}", shown, reason(errno, requested));
        return std::nullopt;
      }
      return AtomicFile(requested, {}, fd, true);
    }
    if (S_ISDIR(existing.st_mode)) {
      error = fmt::format("cannot write `{}`: it is a folder, not a file", shown);
      return std::nullopt;
    }
    if (!S_ISREG(existing.st_mode)) {
      error = fmt::format(
          "cannot write `{}`: it is a device or a socket, not a file; name a new file, a regular "
          "file to replace, or a FIFO",
          shown);
      return std::nullopt;
    }
    // Replace the real file, so a link to it stays a link to the new contents.
    std::error_code ec;
    target = std::filesystem::canonical(requested, ec);
    if (ec) target = requested;
  } else if (errno != ENOENT) {
    error = fmt::format("cannot write `{}`: {}", shown, reason(errno, requested));
    return std::nullopt;
  } else if (struct stat link{}; ::lstat(requested.c_str(), &link) == 0) {
    error = fmt::format(
        "cannot write `{}`: it is a symbolic link to a file that does not exist; remove the link "
        "or name another file",
        shown);
    return std::nullopt;
  }
  std::filesystem::path temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = temporary_name(target);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST && errno != EINTR) break;
  }
  if (fd < 0) {
    error = fmt::format("cannot write `{}`: {}", shown, reason(errno, requested));
    return std::nullopt;
  }
  AtomicFile file(target, temp, fd, false);
  // Keep the permissions of the file being replaced, so a rewrite does not loosen or tighten
  // who may read it.
  if (S_ISREG(existing.st_mode) && ::fchmod(fd, existing.st_mode & 07777) != 0) {
    file.fail(errno, "", error);
    return std::nullopt;
  }
  return file;
}

AtomicFile::AtomicFile(std::filesystem::path target, std::filesystem::path temp, int fd,
                       bool stream)
    : target_(std::move(target)), temp_(std::move(temp)), fd_(fd), stream_(stream) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(other.fd_),
      stream_(other.stream_),
      written_(other.written_),
      write_back_(other.write_back_) {
  other.fd_ = -1;
  other.temp_.clear();
}

AtomicFile::~AtomicFile() {
  // Not committed: the target keeps its old contents and the temporary file goes.
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

bool AtomicFile::fail(int err, std::string_view what, std::string& error) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  error = fmt::format("cannot write `{}`: {}{}", target_.string(), what, reason(err, target_));
  return false;
}

bool AtomicFile::write(std::string_view bytes, std::string& error) {
  if (fd_ < 0) {
    error = fmt::format("cannot write `{}`: the file was already closed", target_.string());
    return false;
  }
  if (int err = write_all(fd_, bytes)) return fail(err, "", error);
  written_ += bytes.size();
#ifdef SYNC_FILE_RANGE_WRITE
  // Start the disk writes of each few megabytes as they are written, without waiting for them,
  // so that commit()'s fsync waits only for the last few rather than for the whole file. Only
  // advice: an error here shows up again, and is reported, at the fsync.
  constexpr std::uint64_t kWriteBackChunk = 1 << 20;
  if (!stream_ && written_ - write_back_ >= kWriteBackChunk) {
    ::sync_file_range(fd_, static_cast<off_t>(write_back_),
                      static_cast<off_t>(written_ - write_back_), SYNC_FILE_RANGE_WRITE);
    write_back_ = written_;
  }
#endif
  return true;
}

bool AtomicFile::commit(std::string& error) {
  if (fd_ < 0) {
    error = fmt::format("cannot write `{}`: the file was already closed", target_.string());
    return false;
  }
  if (stream_) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return fail(errno, "", error);
    return true;
  }
  // fsync before rename: otherwise a crash could leave the new name pointing at empty blocks.
  if (::fsync(fd_) != 0) return fail(errno, "could not flush to disk: ", error);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return fail(errno, "", error);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    temp_.clear();
    std::error_code ec;
    const bool is_dir = std::filesystem::is_directory(target_, ec);
    error = fmt::format("cannot write `{}`: {}", target_.string(),
                        is_dir ? std::string("it is a folder, not a file") : reason(err, target_));
    return false;
  }
  temp_.clear();
  // Make the rename itself durable. The new file is already in place, so a failure here is not
  // reported as a failed write.
  const std::filesystem::path folder =
      target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

bool write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                           std::string& error) {
  auto file = AtomicFile::create(target, error);
  return file && file->write(contents, error) && file->commit(error);
}

namespace {

constexpr std::uint64_t kDefaultMaxInputBytes = std::uint64_t{2} << 30;  // 2 GiB

// `n` bytes for a message: the number, and its size in GiB, MiB or KiB when it is a whole one.
std::string bytes_text(std::uint64_t n) {
  std::string out = fmt::format("{} bytes", n);
  if (n >= (std::uint64_t{1} << 30) && n % (std::uint64_t{1} << 30) == 0) {
    out += fmt::format(" ({} GiB)", n >> 30);
  } else if (n >= (std::uint64_t{1} << 20) && n % (std::uint64_t{1} << 20) == 0) {
    out += fmt::format(" ({} MiB)", n >> 20);
  } else if (n >= 1024 && n % 1024 == 0) {
    out += fmt::format(" ({} KiB)", n >> 10);
  }
  return out;
}

// What a file that is not a regular file is, in words.
std::string kind_of(mode_t mode) {
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISFIFO(mode)) return "a pipe";
  return "not a regular file";
}

std::string too_large(const std::filesystem::path& path, std::uint64_t limit) {
  return fmt::format(
      "cannot read `{}`: it is larger than the limit of {}; set CATENGINE_MAX_INPUT_BYTES to "
      "raise the limit",
      path.string(), bytes_text(limit));
}

}  // namespace

std::optional<std::uint64_t> max_input_bytes(std::string& error) {
  const char* env = std::getenv("CATENGINE_MAX_INPUT_BYTES");
  if (env == nullptr || *env == '\0') return kDefaultMaxInputBytes;
  std::uint64_t n = 0;
  const std::string_view text(env);
  bool ok = text.size() <= 19;  // no overflow below 10^19
  for (char c : text) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || n == 0) {
    error = fmt::format(
        "CATENGINE_MAX_INPUT_BYTES is `{}`; expected a whole number of bytes above 0, such as "
        "2147483648 (2 GiB, the default)",
        text.substr(0, 40));
    return std::nullopt;
  }
  return n;
}

namespace {

// `path` opened for reading, after the checks read_file promises (not a device or a socket, not
// a folder, pipes only when allowed, a regular file no larger than the limit); `info` is its
// fstat and `limit` the size limit. nullopt, with `error` set, when it is refused.
std::optional<Fd> open_to_read(const std::filesystem::path& path, std::string& error,
                               const ReadOptions& options, struct stat& info,
                               std::uint64_t& limit) {
  const std::string shown = path.string();
  limit = options.max_bytes;
  if (limit == 0) {
    auto configured = max_input_bytes(error);
    if (!configured) return std::nullopt;
    limit = *configured;
  }
  // Look before opening: opening a device can have effects of its own, and opening a pipe
  // waits for a writer.
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode) &&
      !(options.allow_pipes && S_ISFIFO(info.st_mode))) {
    error = fmt::format("cannot read `{}`: it is {}, not a {}file", shown, kind_of(info.st_mode),
                        options.allow_pipes ? "" : "regular ");
    return std::nullopt;
  }
  int fd = -1;
  do {
    // O_NONBLOCK where pipes are refused: should the path become one after the look, opening
    // it cannot hang.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (options.allow_pipes ? 0 : O_NONBLOCK));
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    error = fmt::format("cannot read `{}`: {}", shown,
                        err == ENOENT ? std::string("no such file") : reason(err, path));
    return std::nullopt;
  }
  Fd file(fd);
  if (::fstat(file.get(), &info) != 0) {
    error = fmt::format("cannot read `{}`: {}", shown, reason(errno, path));
    return std::nullopt;
  }
  if (S_ISDIR(info.st_mode)) {
    error = fmt::format("cannot read `{}`: it is a folder, not a file", shown);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode) && !(options.allow_pipes && S_ISFIFO(info.st_mode))) {
    error = fmt::format("cannot read `{}`: it is {}, not a {}file", shown, kind_of(info.st_mode),
                        options.allow_pipes ? "" : "regular ");
    return std::nullopt;
  }
  if (S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > limit) {
    error = too_large(path, limit);
    return std::nullopt;
  }
  return file;
}

// The rest of the open file `file`, read to its end.
std::optional<std::string> read_to_end(const Fd& file, const std::filesystem::path& path,
                                       const struct stat& info, std::uint64_t limit,
                                       std::string& error) {
  std::string out;
  if (S_ISREG(info.st_mode)) out.reserve(static_cast<std::size_t>(info.st_size));
  // Read to end of file rather than trusting st_size: the file may change while we read, and
  // pipes and /proc files report no size. Stop as soon as the limit is passed, and never let the
  // buffer grow past it.
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = fmt::format("cannot read `{}`: {}", path.string(), reason(errno, path));
      return std::nullopt;
    }
    const auto count = static_cast<std::size_t>(n);
    if (out.size() + count > limit) {
      error = too_large(path, limit);
      return std::nullopt;
    }
    if (out.size() + count > out.capacity()) {
      out.reserve(static_cast<std::size_t>(
          std::min<std::uint64_t>(limit, std::max(out.capacity() * 2, out.size() + count))));
    }
    out.append(buffer, count);
  }
  return out;
}

}  // namespace

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error,
                                     const ReadOptions& options) {
  struct stat info {};
  std::uint64_t limit = 0;
  const std::optional<Fd> file = open_to_read(path, error, options, info, limit);
  if (!file) return std::nullopt;
  return read_to_end(*file, path, info, limit, error);
}

std::optional<FileBytes> read_file_bytes(const std::filesystem::path& path, std::string& error,
                                         const ReadOptions& options) {
  struct stat info {};
  std::uint64_t limit = 0;
  std::optional<Fd> file = open_to_read(path, error, options, info, limit);
  if (!file) return std::nullopt;
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    if (auto mapped =
            FileBytes::map(file->get(), info, static_cast<std::size_t>(info.st_size), path)) {
      file->release();  // the mapping keeps it open
      return mapped;
    }
  }
  auto bytes = read_to_end(*file, path, info, limit, error);
  if (!bytes) return std::nullopt;
  return FileBytes(std::move(*bytes));
}

}  // namespace catengine
