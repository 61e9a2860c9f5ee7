// Finding one school by its key (see record_lookup.hpp).
#include "report/record_lookup.hpp"

#include "base/value.hpp"

namespace catengine::engine {

std::optional<std::size_t> find_record(const lang::CheckedPolicy& policy, const DataSet& data,
                                       std::size_t key_field, std::string_view key) {
  const bool text = policy.record.fields.at(key_field).type.base == lang::BaseType::Text;
  for (std::size_t r = 0; r < data.size(); ++r) {
    const Value v = data.at(r, key_field);
    if (text ? data.text.text(v) == key : decimal::format(v) == key) return r;
  }
  return std::nullopt;
}

}  // namespace catengine::engine
