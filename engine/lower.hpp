// Lowering: a checked policy becomes a Program of flat register code. Runs once per policy.
#pragma once

#include "engine/program.hpp"
#include "engine/record_schema.hpp"
#include "lang/checked_policy.hpp"

namespace catengine::engine {

Program lower(const lang::CheckedPolicy& policy);

// The record schema the data binder reads with.
RecordSchema make_schema(const lang::CheckedPolicy& policy);

}  // namespace catengine::engine
