// Building PEGTL's parse tree without a scratch node for every rule tried: the same tree as
// tao::pegtl::parse_tree::parse, for the parser (parser.cpp) only.
//
// PEGTL gives every unselected rule that has selected rules below it a node of its own while it
// is tried, collects the children there, and moves them into the parent when the rule succeeds
// (or frees the node, children and all, when it fails). Nearly every rule of the expression
// grammar is such a rule, so parsing Peterborough and its imports made and freed about a node
// and a children vector per rule tried. Here an unselected rule only remembers how many children
// the open selected node had when it started; its selected children go straight to that node,
// and when it fails the ones it added are dropped. The children, their order and the transforms
// the selected nodes see are the same, and, as in PEGTL, the control's hooks are not called for
// such a rule.
#pragma once

#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <tao/pegtl/contrib/remove_first_state.hpp>
#include <tao/pegtl/contrib/shuffle_states.hpp>

namespace catengine::lang::tree_control {

namespace pt = tao::pegtl::parse_tree::internal;

template <typename Node>
struct State {
  std::vector<std::unique_ptr<Node>> stack;  // the open selected nodes, the root first
  std::vector<std::size_t> marks;  // each open unselected rule's parent's child count at its start

  State() { stack.push_back(std::make_unique<Node>()); }
  Node& top() noexcept { return *stack.back(); }
};

template <typename Node, template <typename...> class Selector,
          template <typename...> class Control>
struct make_control {
  // Selected: the rule's own node, as PEGTL makes it.
  template <typename Rule, bool Selected, bool Leaf>
  struct handler : tao::pegtl::remove_first_state<Control<Rule>> {
    template <typename ParseInput, typename... States>
    static void start(const ParseInput& in, State<Node>& state, States&&... st) {
      Control<Rule>::start(in, st...);
      state.stack.push_back(std::make_unique<Node>());
      state.top().template start<Rule>(in, st...);
    }

    template <typename ParseInput, typename... States>
    static void success(const ParseInput& in, State<Node>& state, States&&... st) {
      auto n = std::move(state.stack.back());
      state.stack.pop_back();
      n->template success<Rule>(in, st...);
      pt::transform<Selector<Rule>>(in, n, st...);
      if (n) state.top().emplace_back(std::move(n), st...);
      Control<Rule>::success(in, st...);
    }

    template <typename ParseInput, typename... States>
    static void failure(const ParseInput& in, State<Node>& state, States&&... st) {
      state.top().template failure<Rule>(in, st...);
      state.stack.pop_back();
      Control<Rule>::failure(in, st...);
    }

    template <typename ParseInput, typename... States>
    static void unwind(const ParseInput& in, State<Node>& state, States&&... st) {
      if constexpr (pt::node_has_unwind<Node, Rule, void, const ParseInput&, States...>) {
        state.top().template unwind<Rule>(in, st...);
      }
      state.stack.pop_back();
      if constexpr (pt::control_has_unwind<Control<Rule>, const ParseInput&, States...>) {
        Control<Rule>::unwind(in, st...);
      }
    }
  };

  // Unselected, with nothing selected below: the control alone.
  template <typename Rule>
  struct handler<Rule, false, true> : tao::pegtl::remove_first_state<Control<Rule>> {};

  // Unselected, with selected rules below: a mark rather than a node.
  template <typename Rule>
  struct handler<Rule, false, false> : tao::pegtl::remove_first_state<Control<Rule>> {
    static constexpr bool enable = true;

    template <typename ParseInput, typename... States>
    static void start(const ParseInput& /*in*/, State<Node>& state, States&&... /*st*/) {
      state.marks.push_back(state.top().children.size());
    }

    template <typename ParseInput, typename... States>
    static void success(const ParseInput& /*in*/, State<Node>& state, States&&... /*st*/) {
      state.marks.pop_back();
    }

    template <typename ParseInput, typename... States>
    static void failure(const ParseInput& /*in*/, State<Node>& state, States&&... /*st*/) {
      drop(state);
    }

    template <typename ParseInput, typename... States>
    static void unwind(const ParseInput& /*in*/, State<Node>& state, States&&... /*st*/) {
      drop(state);
    }

   private:
    static void drop(State<Node>& state) {
      auto& children = state.top().children;
      assert(!state.marks.empty() && state.marks.back() <= children.size());
      children.erase(children.begin() + static_cast<std::ptrdiff_t>(state.marks.back()),
                     children.end());
      state.marks.pop_back();
    }
  };

  template <typename Rule>
  using type =
      tao::pegtl::rotate_states_right<handler<Rule, pt::is_selected_node<Rule, Selector>,
                                              pt::is_leaf<8, typename Rule::subs_t, Selector>>>;
};

// tao::pegtl::parse_tree::parse with the control above.
template <typename Rule, typename Node, template <typename...> class Selector,
          template <typename...> class Action, template <typename...> class Control,
          typename ParseInput, typename... States>
[[nodiscard]] std::unique_ptr<Node> parse(ParseInput&& in, States&&... st) {
  State<Node> state;
  if (!tao::pegtl::parse<Rule, Action, make_control<Node, Selector, Control>::template type>(
          in, st..., state)) {
    return nullptr;
  }
  assert(state.stack.size() == 1 && state.marks.empty());
  return std::move(state.stack.back());
}

}  // namespace catengine::lang::tree_control
