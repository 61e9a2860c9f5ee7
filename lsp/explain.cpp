// The command `catengine.explain`: the policy run on the workspace's example data for one school,
// explained as `catengine explain` explains it. Which data and which date:
//   - initializationOptions.exampleData (a CSV file, relative to the workspace root) and
//     initializationOptions.asOf (YYYY-MM-DD), when the editor gives them;
//   - else the first `*.csv` of `examples/NAME/`, NAME the policy's folder, looked for in the
//     folders above the policy (the repository's layout: policies/NAME and examples/NAME);
//   - else the first test file `tests/*.csv` (not `*.expected.csv`) beside the policy;
//   - the date from `tests/as-of` beside the policy, else today.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/date.hpp"
#include "base/text.hpp"
#include "compile/compiled_policy.hpp"
#include "data/data_file.hpp"
#include "lsp/features.hpp"
#include "report/explanation.hpp"
#include "report/record_lookup.hpp"
#include "system/atomic_file.hpp"

namespace catengine::lsp {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> csv_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    if (e.path().extension() == ".csv" && !f.ends_with(".expected.csv")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path example_data(const Server& s, const fs::path& folder) {
  if (s.init_options().contains("exampleData") && s.init_options()["exampleData"].is_string()) {
    fs::path p = s.init_options()["exampleData"].get<std::string>();
    return p.is_absolute() || s.root().empty() ? p : fs::path(s.root()) / p;
  }
  const std::string name = folder.filename().string();
  for (fs::path up = folder.parent_path(); !up.empty(); up = up.parent_path()) {
    if (auto files = csv_files(up / "examples" / name); !files.empty()) return files.front();
    if (up == up.root_path()) break;
  }
  if (auto files = csv_files(folder / "tests"); !files.empty()) return files.front();
  return {};
}

}  // namespace

std::string explain_example(Server& s, const std::string& uri, const std::string& urn) {
  const Document* doc = s.document(uri);
  const std::string path = doc ? doc->path : uri_to_path(uri);
  const Analysis& a = s.analysis_for(path);
  if (a.module_only || !a.checked)
    throw RequestError{ErrorCode::RequestFailed,
                       "the policy must check without errors before it can be explained"};
  const fs::path folder = fs::path(a.main_path).parent_path();
  const fs::path data_path = example_data(s, folder);
  if (data_path.empty())
    throw RequestError{
        ErrorCode::RequestFailed,
        fmt::format("no example data for `{}`: set initializationOptions.exampleData, "
                    "or put a CSV file in examples/{}/",
                    folder.filename().string(), folder.filename().string())};
  std::string as_of_text;
  if (s.init_options().contains("asOf") && s.init_options()["asOf"].is_string()) {
    as_of_text = s.init_options()["asOf"];
  } else {
    std::string error;
    if (auto t = read_file(folder / "tests" / "as-of", error)) as_of_text = trim(*t, " \t\r\n");
  }
  Value as_of = 0;
  if (as_of_text.empty()) {
    as_of = today();
  } else if (auto d = parse_iso_date(as_of_text)) {
    as_of = *d;
  } else {
    throw RequestError{ErrorCode::RequestFailed, fmt::format("`{}` is not a date", as_of_text)};
  }
  const Document* main_doc = s.document(path_to_uri(a.main_path));
  std::string text = main_doc ? main_doc->text : a.sources.file(a.modules.back().file).text();
  engine::CompileResult compiled = engine::compile_policy_text(a.main_path, std::move(text));
  if (!compiled.compiled)
    throw RequestError{ErrorCode::RequestFailed, "the policy does not compile"};
  const engine::CompiledPolicy& policy = *compiled.compiled;
  if (!policy.schema.sources.empty())
    throw RequestError{ErrorCode::RequestFailed,
                       "explaining in the editor needs a policy that reads one data file"};
  std::string error;
  auto bytes = read_file(data_path, error);
  if (!bytes) throw RequestError{ErrorCode::RequestFailed, error};
  std::vector<engine::GivenFile> given(1);
  given[0] = {true, data_path.string(), {}, FileBytes(std::move(*bytes)), {}};
  engine::BindResult bound = engine::bind_files(policy.schema, given);
  if (!bound.errors.empty())
    throw RequestError{ErrorCode::RequestFailed,
                       fmt::format("{} problem(s) in `{}`: {}", bound.errors.size(),
                                   data_path.string(), engine::to_string(bound.errors.front()))};
  engine::DataSet& data = bound.data;
  if (data.size() == 0)
    throw RequestError{ErrorCode::RequestFailed, "`" + data_path.string() + "` has no records"};
  std::size_t record = 0;
  if (!urn.empty()) {
    const std::optional<std::size_t> key = policy.policy.record.key_field();
    if (!key) throw RequestError{ErrorCode::RequestFailed, "the record has no `key` field"};
    const std::optional<std::size_t> found = engine::find_record(policy.policy, data, *key, urn);
    if (!found)
      throw RequestError{ErrorCode::RequestFailed,
                         fmt::format("no record in `{}` has {} `{}`", data_path.string(),
                                     policy.policy.record.fields[*key].name, urn)};
    record = *found;
  }
  const engine::RecordExplanation ex = engine::explain_record(policy, data, record, as_of);
  std::string head = fmt::format("{}, row {} of {}, as of {}\n", data_path.filename().string(),
                                 ex.row, data_path.string(), format_iso(as_of));
  return head + engine::render_explanation(ex, policy);
}

}  // namespace catengine::lsp
