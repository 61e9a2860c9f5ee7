// Lists read aloud; see english.hpp.
#include "base/english.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace catengine {

namespace {

template <class Items>
std::string list(const Items& items, std::string_view conjunction) {
  if (items.size() < 2) return items.empty() ? std::string() : std::string(items.front());
  return fmt::format("{} {} {}", fmt::join(items.begin(), items.end() - 1, ", "), conjunction,
                     items.back());
}

}  // namespace

std::string list_in_words(const std::vector<std::string>& items, std::string_view conjunction) {
  return list(items, conjunction);
}

std::string list_in_words(const std::vector<std::string_view>& items,
                          std::string_view conjunction) {
  return list(items, conjunction);
}

}  // namespace catengine
