// Lowering: a checked policy becomes a Program of flat register code. Runs once per policy.
#pragma once

#include "compile/program.hpp"
#include "data/record_schema.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

Program lower(const lang::CheckedPolicy& policy);

// The instruction a built-in's row in lang/check/builtins.def names (Halt: none).
OpCode builtin_op(lang::Builtin b);

// The record schema the data binder reads with.
RecordSchema make_schema(const lang::CheckedPolicy& policy);

}  // namespace catengine::engine
