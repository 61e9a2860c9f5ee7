// Finding one school in the bound records by its key as a person types it (a URN as digits):
// the lookup behind `explain --school` and the language server's "explain school".
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "data/dataset.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

// The first record whose key field, written out (text as is, a number as its decimal), is
// `key`; nothing when none is.
std::optional<std::size_t> find_record(const lang::CheckedPolicy& policy, const DataSet& data,
                                       std::size_t key_field, std::string_view key);

}  // namespace catengine::engine
