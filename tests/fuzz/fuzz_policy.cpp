// libFuzzer harness: any bytes as a policy file go through parsing, module loading, checking and
// lowering, and diagnostics are rendered. Nothing may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compile/compiled_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto result = catengine::engine::compile_policy_text("fuzz.policy", std::move(text));
  const auto& sources = result.compiled ? result.compiled->sources : result.sources;
  (void)catengine::lang::render_all(result.diagnostics, sources);
  return 0;
}
