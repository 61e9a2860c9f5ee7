// Tests of lang/syntax/tree_control.hpp: on a small grammar whose alternatives keep rules and then
// fail (so kept children must be dropped again), the tree it builds is the one PEGTL's own
// parse_tree::parse builds, node for node, and a failure or a raised error is the same too.
#define BOOST_TEST_MODULE tree_control
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <string_view>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/syntax/tree_control.hpp"

namespace {

namespace toy {
using namespace tao::pegtl;
struct num : plus<digit> {};
struct word : plus<alpha> {};
struct item : sor<num, word> {};
// Keeps an item, then fails when no `=` follows: the item must not stay in the tree.
struct pair_expr : seq<item, one<'='>, item> {};
struct list_expr : seq<one<'['>, list<item, one<','>>, one<']'>> {};
struct call_expr : seq<word, one<'('>, opt<list<item, one<','>>>, one<')'>> {};
struct strict : seq<one<'!'>, must<num>> {};
struct atom : sor<strict, pair_expr, call_expr, list_expr, item> {};
struct sum : list<atom, one<'+'>> {};
struct toy_grammar : seq<sum, eof> {};

struct fold_lone : parse_tree::apply<fold_lone> {
  template <typename N, typename... States>
  static void transform(std::unique_ptr<N>& n, States&&... /*st*/) {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

template <typename Rule>
using toy_selector =
    parse_tree::selector<Rule, parse_tree::store_content::on<num, word, list_expr, call_expr>,
                         fold_lone::on<sum>>;
}  // namespace toy

using ToyNode = tao::pegtl::parse_tree::node;

// The tree as text: each node's rule (without its namespaces) and bytes, its children in brackets.
std::string toy_shape(const ToyNode& n) {
  std::string out = "root";
  if (!n.is_root()) {
    const std::string_view type = n.type;
    const auto colons = type.rfind("::");
    out = std::string(colons == std::string_view::npos ? type : type.substr(colons + 2));
  }
  if (!n.is_root() && n.has_content()) out += "'" + n.string() + "'";
  if (!n.children.empty()) {
    out += "[";
    for (const auto& c : n.children) out += toy_shape(*c) + " ";
    out += "]";
  }
  return out;
}

// "no match", "error: ..." or the tree's shape.
template <bool Ours>
std::string toy_parse(const std::string& text) {
  tao::pegtl::memory_input in(text, "toy");
  try {
    std::unique_ptr<ToyNode> root;
    if constexpr (Ours) {
      root = catengine::lang::tree_control::parse<toy::toy_grammar, ToyNode, toy::toy_selector,
                                                  tao::pegtl::nothing, tao::pegtl::normal>(in);
    } else {
      root = tao::pegtl::parse_tree::parse<toy::toy_grammar, ToyNode, toy::toy_selector>(in);
    }
    return root ? toy_shape(*root) : std::string("no match");
  } catch (const tao::pegtl::parse_error& e) {
    return "error: " + std::string(e.what());
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_tree_as_pegtl) {
  for (const std::string text :
       {"1", "a", "a+b", "a=1", "a=1+b", "f(1,b)+[1,2]", "f()", "[a]+g(x)+3", "a+b=c+d(e)",
        "f(a=1)", "a(", "[1,", "x+", "", "!1+2", "!a", "a+!", "[1,2]=3"}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(toy_parse<true>(text) == toy_parse<false>(text));
    }
  }
}

BOOST_AUTO_TEST_CASE(dropped_children_leave_the_tree) {
  // `a` is kept while pair_expr is tried, then dropped when no `=` follows; the call keeps it.
  BOOST_TEST(toy_parse<true>("a(1)") == "root[call_expr'a(1)'[word'a' num'1' ] ]");
  BOOST_TEST(toy_parse<true>("!a").starts_with("error: "));
  BOOST_TEST(toy_parse<true>("a+") == "no match");
}
