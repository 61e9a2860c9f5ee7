// libFuzzer harness: any bytes as a Peterborough data file go through the CSV reader and the
// binder, then (when the data is valid) evaluation and every writer. Nothing may crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "report/result_writers.hpp"

namespace {
const catengine::engine::CompiledPolicy& policy() {
  static std::unique_ptr<catengine::engine::CompiledPolicy> compiled = [] {
    auto r = catengine::engine::compile_policy(std::string(CATENGINE_SOURCE_DIR) +
                                               "/policies/peterborough");
    if (!r.compiled) std::abort();
    return std::move(r.compiled);
  }();
  return *compiled;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catengine::engine;
  const auto& c = policy();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  BindResult bound = bind_records("fuzz.csv", bytes, c.schema);
  for (const auto& e : bound.errors) (void)to_string(e);
  if (!bound.errors.empty()) return 0;
  Results results = evaluate(c.program, bound.data, {17791, 1});
  if (!results.errors.empty()) return 0;
  (void)write_csv(c, bound.data, results);
  return 0;
}
