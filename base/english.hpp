// Plain-English phrasing shared by every message: a list read aloud ("`a`, `b` and `c`"), so
// each message that names several things says it the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace catengine {

// The items joined with ", ", the last two by " and " or " or " (the `conjunction`):
// {"a"} -> "a", {"a", "b"} -> "a or b", {"a", "b", "c"} -> "a, b or c".
std::string list_in_words(const std::vector<std::string>& items, std::string_view conjunction);
std::string list_in_words(const std::vector<std::string_view>& items, std::string_view conjunction);

}  // namespace catengine
