// The parse tree's nodes from a per-thread free list (see parse_node.hpp).
#include "lang/syntax/parse_node.hpp"

#include <new>
#include <vector>

namespace catengine::lang {

namespace {

// Nodes handed out from blocks of kPerBlock and taken back onto a free list; the blocks are
// given back when the thread ends. (The standard library's std::pmr::unsynchronized_pool_resource
// does the same for any size, but measured: a 10-record Peterborough run took 50.6 M
// instructions with it, against 30.9 M with this list, callgrind, 6 December 2026.) Any other size
// (a class derived from ParseNode, should one appear) goes to the ordinary allocator.
class NodePool {
 public:
  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;
  ~NodePool() {
    for (void* block : blocks_) ::operator delete(block);
  }

  void* take() {
    if (free_ != nullptr) {
      Free* node = free_;
      free_ = node->next;
      return node;
    }
    if (next_ == end_) {
      blocks_.reserve(blocks_.size() + 1);  // before the block, so a throw here leaks nothing
      auto* block = static_cast<std::byte*>(::operator new(kBlockBytes));
      blocks_.push_back(block);
      next_ = block;
      end_ = block + kBlockBytes;
    }
    void* node = next_;
    next_ += kSlot;
    return node;
  }

  void give(void* node) noexcept {
    auto* f = static_cast<Free*>(node);
    f->next = free_;
    free_ = f;
  }

 private:
  struct Free {
    Free* next;
  };
  static constexpr std::size_t kSlot =
      (sizeof(ParseNode) + alignof(ParseNode) - 1) / alignof(ParseNode) * alignof(ParseNode);
  static constexpr std::size_t kPerBlock = 1024;
  static constexpr std::size_t kBlockBytes = kSlot * kPerBlock;
  static_assert(kSlot >= sizeof(Free));
  static_assert(alignof(ParseNode) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);  // plain new suffices

  std::vector<std::byte*> blocks_;
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
  Free* free_ = nullptr;
};

// Under AddressSanitizer every node comes from the ordinary allocator, so a node used after it
// is freed is still caught (the fuzzing harnesses parse any bytes as a policy).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CATENGINE_PLAIN_NODES
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CATENGINE_PLAIN_NODES
#endif
#ifdef CATENGINE_PLAIN_NODES
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif

NodePool& pool() {
  thread_local NodePool nodes;
  return nodes;
}

}  // namespace

void* ParseNode::operator new(std::size_t size) {
  if (!kPooled || size != sizeof(ParseNode)) return ::operator new(size);
  return pool().take();
}

void ParseNode::operator delete(void* node, std::size_t size) noexcept {
  if (node == nullptr) return;
  if (!kPooled || size != sizeof(ParseNode)) {
    ::operator delete(node);
    return;
  }
  pool().give(node);
}

}  // namespace catengine::lang
