// The parse tree's node: PEGTL's own, allocated from a per-thread free list. PEGTL allocates a
// node for every kept rule it tries and frees most of them at once (an alternative that fails,
// a precedence level with no operator folded away): about 25,000 for the Peterborough policy
// and its imports, where malloc and free were a third of the instructions of compiling it.
// Internal to lang/syntax (parser.cpp and ast_builder.cpp).
#pragma once

#include <cstddef>

#include <tao/pegtl/contrib/parse_tree.hpp>

namespace catengine::lang {

// A tree must be freed on the thread that made it (Parser::run makes and frees each
// declaration's tree in one call).
struct ParseNode : tao::pegtl::parse_tree::basic_node<ParseNode> {
  static void* operator new(std::size_t size);
  static void operator delete(void* node, std::size_t size) noexcept;
};

}  // namespace catengine::lang
