// Text interning for bound records, and the one-line rendering of a data error.
#include "engine/dataset.hpp"

namespace catengine::engine {

Value TextPool::intern(std::string_view text) {
  if (auto it = index_.find(text); it != index_.end()) return it->second;
  const Value id = static_cast<Value>(strings_.size());
  // The key views the deque's copy, which never moves.
  const std::string& stored = strings_.emplace_back(text);
  index_.emplace(std::string_view(stored), id);
  return id;
}

std::string to_string(const DataError& e) {
  std::string out = e.file;
  out += ':';
  out += e.row == 0 ? std::string("-") : std::to_string(e.row);
  out += ':';
  out += e.column.empty() ? std::string("-") : e.column;
  out += ": ";
  out += e.message;
  return out;
}

}  // namespace catengine::engine
