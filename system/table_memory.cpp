// Large blocks mapped on their own and aligned to 2 MiB, so that transparent huge pages can back
// them (`madvise` mode, Debian's default, gives them only to memory that asks); see
// table_memory.hpp.
#include "system/table_memory.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

namespace catengine {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::align_val_t kAlign{64};

std::size_t round_up(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}
}  // namespace

TableMemory::TableMemory(std::size_t bytes, bool zeroed) : size_(bytes) {
  if (bytes < kMappedFrom) {
    if (bytes == 0) return;
    data_ = static_cast<std::byte*>(::operator new(bytes, kAlign));
    if (zeroed) std::memset(data_, 0, bytes);
    return;
  }
  // A huge page must start on a 2 MiB boundary: map one page more than needed and give back the
  // ends outside the aligned stretch. A fresh anonymous mapping is zero already.
  const std::size_t wanted = round_up(bytes, kHugePage);
  const std::size_t asked = wanted + kHugePage;
  void* raw = ::mmap(nullptr, asked, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = round_up(begin, kHugePage);
  if (aligned != begin) ::munmap(raw, aligned - begin);
  const std::size_t tail = begin + asked - (aligned + wanted);
  if (tail != 0) ::munmap(reinterpret_cast<void*>(aligned + wanted), tail);
  mapping_ = reinterpret_cast<void*>(aligned);
  mapping_size_ = wanted;
  // Only a request: where the kernel has no huge pages (or they are switched off) the block is
  // backed by 4 KiB pages as any other memory.
  ::madvise(mapping_, mapping_size_, MADV_HUGEPAGE);
  data_ = static_cast<std::byte*>(mapping_);
}

TableMemory::TableMemory(TableMemory&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(std::exchange(other.mapping_size_, 0)) {}

TableMemory& TableMemory::operator=(TableMemory&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_size_ = std::exchange(other.mapping_size_, 0);
  }
  return *this;
}

TableMemory::~TableMemory() {
  release();
}

void TableMemory::release() noexcept {
  if (mapping_ != nullptr) {
    ::munmap(mapping_, mapping_size_);
  } else if (data_ != nullptr) {
    ::operator delete(data_, kAlign);
  }
  data_ = nullptr;
  size_ = 0;
  mapping_ = nullptr;
  mapping_size_ = 0;
}

}  // namespace catengine
