// Memory for a large table that a run fills once (the bound records' columns, a key's index):
// one block, in 2 MiB pages where the kernel gives them. Every fresh 4 KiB page costs a fault
// and a clear; the bound table of 240,000 records is 44 MB, 11,000 faults, and on a virtual
// machine those took 8-17% of the run's CPU. With transparent huge pages a 2 MiB page is one
// fault. Small blocks come from operator new as before.
#pragma once

#include <cstddef>

namespace catengine {

class TableMemory {
 public:
  TableMemory() = default;
  // `bytes` of memory aligned to 64 bytes; all zero when `zeroed`. Throws std::bad_alloc.
  TableMemory(std::size_t bytes, bool zeroed);
  TableMemory(TableMemory&& other) noexcept;
  TableMemory& operator=(TableMemory&& other) noexcept;
  TableMemory(const TableMemory&) = delete;
  TableMemory& operator=(const TableMemory&) = delete;
  ~TableMemory();

  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  // Whether the block is its own mapping (asked for in huge pages), for tests.
  bool mapped() const { return mapping_ != nullptr; }

  // Blocks of at least this many bytes are mapped on their own; smaller ones are not worth a
  // 2 MiB page.
  static constexpr std::size_t kMappedFrom = std::size_t{2} << 20;

 private:
  void release() noexcept;

  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapping_ = nullptr;  // the mapping data_ lies in, or null for operator new
  std::size_t mapping_size_ = 0;
};

}  // namespace catengine
