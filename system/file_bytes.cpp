// Mapped input files, and the SIGBUS guard that turns a file shortened under a mapping into an
// error message rather than a crash; see file_bytes.hpp.
#include "system/file_bytes.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

namespace catengine {

namespace {

// The mappings the guard knows. A slot is published by its `begin` (release) after its size and
// message are in place, and the signal handler reads `begin` (acquire) first. A run maps one
// file per named source, so a few slots are plenty; when every slot is taken the file is read
// into memory instead of mapped, never mapped unguarded.
struct GuardSlot {
  std::atomic<const char*> begin{nullptr};
  std::size_t size = 0;
  std::array<char, 512> message{};  // written out as it is by the handler
  std::size_t message_size = 0;
};
std::array<GuardSlot, 16> guard_slots;
std::mutex guard_mutex;  // taking and giving back slots (not the handler)
struct sigaction previous_handler {};

void on_sigbus(int signal, siginfo_t* info, void* context) {
  const auto* address = static_cast<const char*>(info->si_addr);
  for (const GuardSlot& slot : guard_slots) {
    const char* begin = slot.begin.load(std::memory_order_acquire);
    if (begin != nullptr && address >= begin && address < begin + slot.size) {
      // Only async-signal-safe calls: write(2) and _exit(2).
      [[maybe_unused]] const ssize_t n = ::write(2, slot.message.data(), slot.message_size);
      ::_exit(2);
    }
  }
  // Not a mapped input file: whatever handled SIGBUS before (a sanitizer, or the default, which
  // ends the process when the faulting instruction runs again).
  if ((previous_handler.sa_flags & SA_SIGINFO) != 0 && previous_handler.sa_sigaction != nullptr) {
    previous_handler.sa_sigaction(signal, info, context);
    return;
  }
  if (previous_handler.sa_handler != SIG_DFL && previous_handler.sa_handler != SIG_IGN &&
      previous_handler.sa_handler != nullptr) {
    previous_handler.sa_handler(signal);
    return;
  }
  ::signal(SIGBUS, SIG_DFL);
}

// The slot now guarding [begin, begin + size), or -1 when none is free or the handler could not
// be installed.
int guard(const char* begin, std::size_t size, const std::string& path) {
  const std::lock_guard lock(guard_mutex);
  // Installed at every mapping, not once: whatever set a handler since (a test framework does,
  // for each test) is then kept as the one to pass other faults on to.
  struct sigaction current {};
  if (::sigaction(SIGBUS, nullptr, &current) != 0) return -1;
  if ((current.sa_flags & SA_SIGINFO) == 0 || current.sa_sigaction != on_sigbus) {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (::sigaction(SIGBUS, &action, nullptr) != 0) return -1;
    previous_handler = current;
  }
  for (std::size_t i = 0; i < guard_slots.size(); ++i) {
    GuardSlot& slot = guard_slots[i];
    if (slot.begin.load(std::memory_order_relaxed) != nullptr) continue;
    const std::string text = fmt::format(
        "error: `{}` was made shorter while catengine was reading it; nothing was written\n",
        path.size() > 300 ? path.substr(0, 300) + "..." : path);
    slot.message_size = std::min(text.size(), slot.message.size());
    std::memcpy(slot.message.data(), text.data(), slot.message_size);
    slot.size = size;
    slot.begin.store(begin, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void unguard(int i) {
  if (i < 0) return;
  const std::lock_guard lock(guard_mutex);
  guard_slots[static_cast<std::size_t>(i)].begin.store(nullptr, std::memory_order_release);
}

bool same_times(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

}  // namespace

std::optional<FileBytes> FileBytes::map(int fd, const struct stat& info, std::size_t size,
                                        const std::string& path) {
  // MAP_POPULATE maps every page of the file (already in the page cache, for a file just
  // downloaded or read before) in one call, rather than one page fault per 4 KiB.
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) return std::nullopt;
  const int slot = guard(static_cast<const char*>(p), size, path);
  if (slot < 0) {
    ::munmap(p, size);
    return std::nullopt;
  }
  FileBytes bytes;
  bytes.data_ = static_cast<const char*>(p);
  bytes.size_ = size;
  bytes.fd_ = fd;
  bytes.guard_ = slot;
  bytes.seen_ = info;
  bytes.path_ = path;
  return bytes;
}

FileBytes::FileBytes(FileBytes&& other) noexcept
    : owned_(std::move(other.owned_)),
      data_(other.data_),
      size_(other.size_),
      fd_(other.fd_),
      guard_(other.guard_),
      seen_(other.seen_),
      path_(std::move(other.path_)) {
  other.data_ = nullptr;
  other.fd_ = -1;
  other.guard_ = -1;
}

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this != &other) {
    release();
    owned_ = std::move(other.owned_);
    data_ = other.data_;
    size_ = other.size_;
    fd_ = other.fd_;
    guard_ = other.guard_;
    seen_ = other.seen_;
    path_ = std::move(other.path_);
    other.data_ = nullptr;
    other.fd_ = -1;
    other.guard_ = -1;
  }
  return *this;
}

FileBytes::~FileBytes() {
  release();
}

void FileBytes::release() {
  if (data_ != nullptr) {
    unguard(guard_);
    ::munmap(const_cast<char*>(data_), size_);
    data_ = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  guard_ = -1;
}

bool FileBytes::unchanged(std::string& error) const {
  if (data_ == nullptr) return true;
  struct stat now {};
  // Size and modification time: writing to the file changes them; renaming it or changing its
  // permissions (which change its status time) leave its bytes, and so the mapping, as they were.
  if (::fstat(fd_, &now) == 0 && now.st_size == seen_.st_size &&
      same_times(now.st_mtim, seen_.st_mtim)) {
    return true;
  }
  error = fmt::format(
      "`{}` was changed while catengine was reading it, so what was read may be neither the old "
      "nor the new file; run again once it is complete",
      path_);
  return false;
}

}  // namespace catengine
