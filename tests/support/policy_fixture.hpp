// Helpers for unit tests that compile a policy written in the test and bind records to it:
// compile or fail the test with the rendered diagnostics, bind or fail with the first data error.
// Include it after <boost/test/unit_test.hpp> (and BOOST_TEST_MODULE) in a test file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"

namespace catengine::test {

inline std::unique_ptr<engine::CompiledPolicy> compile_or_fail(const std::string& path,
                                                               std::string text) {
  auto r = engine::compile_policy_text(path, std::move(text));
  BOOST_REQUIRE_MESSAGE(r.compiled, "the test policy did not compile:\n"
                                        << lang::render_all(r.diagnostics, r.sources));
  return std::move(r.compiled);
}

inline engine::DataSet bind_or_fail(const engine::CompiledPolicy& compiled, std::string_view csv,
                                    std::string_view file_name = "schools.csv") {
  engine::BindResult bound = engine::bind_records(file_name, csv, compiled.schema);
  // The message is built even when the check passes, so the first error is read only when
  // there is one.
  if (!bound.errors.empty())
    BOOST_FAIL("the test data did not bind: " << engine::to_string(bound.errors[0]));
  return std::move(bound.data);
}

}  // namespace catengine::test
