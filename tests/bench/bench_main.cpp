// Benchmarks of each phase on synthetic Peterborough records (examples/generate): policy load
// and check, CSV reading and binding, evaluation alone (data already bound, one thread and all
// threads; the batch machine, with the one-record machine and the reference evaluator for
// comparison), and CSV writing. `make bench` runs them.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "report/result_writers.hpp"
#include "system/atomic_file.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

constexpr Value kAsOf = 17791;  // 2018-09-17

const std::string& source_dir() {
  static const std::string dir = CATENGINE_SOURCE_DIR;
  return dir;
}

const CompiledPolicy& peterborough() {
  static std::unique_ptr<CompiledPolicy> compiled = [] {
    auto r = compile_policy(source_dir() + "/policies/peterborough");
    if (!r.compiled) std::abort();
    return std::move(r.compiled);
  }();
  return *compiled;
}

// The generated CSV for `count` records, made once by the committed generator.
const std::string& records_csv(std::size_t count) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(count);
  if (it != cache.end()) return it->second;
  const std::string path =
      std::string(CATENGINE_BINARY_DIR) + "/bench-" + std::to_string(count) + ".csv";
  const std::string cmd = std::string(CATENGINE_BINARY_DIR) + "/generate_peterborough --count " +
                          std::to_string(count) + " --seed 1 > " + path;
  if (std::system(cmd.c_str()) != 0) std::abort();
  std::string error;
  auto text = read_file(path, error);
  if (!text) std::abort();
  return cache.emplace(count, std::move(*text)).first->second;
}

DataSet& bound(std::size_t count) {
  static std::map<std::size_t, std::unique_ptr<DataSet>> cache;
  auto& slot = cache[count];
  if (!slot) {
    BindResult r = bind_records("bench.csv", records_csv(count), peterborough().schema);
    if (!r.errors.empty()) std::abort();
    slot = std::make_unique<DataSet>(std::move(r.data));
  }
  return *slot;
}

void BM_PolicyLoadAndCheck(benchmark::State& state) {
  for (auto _ : state) {
    auto r = compile_policy(source_dir() + "/policies/peterborough");
    benchmark::DoNotOptimize(r.compiled.get());
  }
}
BENCHMARK(BM_PolicyLoadAndCheck)->Unit(benchmark::kMillisecond);

// Reading and binding; arg 1: threads (pieces of the file read at once).
void BM_ReadAndBind(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::string& csv = records_csv(n);
  const BindOptions options{static_cast<unsigned>(state.range(1))};
  for (auto _ : state) {
    BindResult r = bind_records("bench.csv", csv, peterborough().schema, options);
    benchmark::DoNotOptimize(r.data.value_bytes());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_ReadAndBind)
    ->Args({24'000, 1})
    ->Args({24'000, 2})
    ->Args({240'000, 1})
    ->Args({240'000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Evaluation alone: the compiled program over records already bound. Arg 1: threads.
void BM_Evaluate(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  DataSet& data = bound(n);
  for (auto _ : state) {
    Results r =
        evaluate(peterborough().program, data, {kAsOf, static_cast<unsigned>(state.range(1))});
    benchmark::DoNotOptimize(r.values.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Evaluate)
    ->Args({24'000, 1})
    ->Args({24'000, 2})
    ->Args({240'000, 1})
    ->Args({240'000, 2})
    ->UseRealTime()  // with threads, CPU time of the calling thread alone would flatter
    ->Unit(benchmark::kMillisecond);

// The one-record machine over every record (hoisted), as the evaluator ran before the batch
// machine: shows what evaluating 64 records at a time (eval/batch_vm.cpp) saves.
void BM_EvaluateOneRecordAtATime(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  DataSet& data = bound(n);
  const Program& program = peterborough().program;
  const LinkedProgram linked = link(program, data.text, kAsOf);
  std::vector<Value> slots = linked.slot_template;
  for (auto _ : state) {
    for (std::size_t r = 0; r < data.size(); ++r) {
      data.row_into(r, slots.data());
      benchmark::DoNotOptimize(run(linked, slots.data()));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_EvaluateOneRecordAtATime)->Arg(24'000)->Unit(benchmark::kMillisecond);

// The batch machine over the code without hoisting: every record also recomputes what depends
// only on the as-of date (working-day deadlines, profile and clinic dates). Shows what
// compile/hoist.cpp saves.
void BM_EvaluateWithoutHoisting(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  DataSet& data = bound(n);
  // The same program with nothing hoisted: an empty prologue, the whole code as the body.
  Program unhoisted = peterborough().program;
  unhoisted.hoisted = {{Instr{OpCode::Halt}}, unhoisted.code, {0}, unhoisted.code_owner};
  for (auto _ : state) {
    Results r = evaluate(unhoisted, data, {kAsOf, 1});
    benchmark::DoNotOptimize(r.values.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_EvaluateWithoutHoisting)->Arg(24'000)->Unit(benchmark::kMillisecond);

// The tree-walking reference semantics, for comparison with the compiled form.
void BM_ReferenceEvaluate(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  DataSet& data = bound(n);
  const auto& c = peterborough();
  ReferenceEvaluator ref(c.policy, c.program.calendars, data.text, kAsOf);
  std::vector<Value> fields(data.field_count);
  for (auto _ : state) {
    for (std::size_t r = 0; r < data.size(); ++r) {
      data.row_into(r, fields.data());
      ref.reset(fields.data());
      for (const auto& out : c.policy.outputs) benchmark::DoNotOptimize(ref.eval(out.value));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_ReferenceEvaluate)->Arg(24'000)->Unit(benchmark::kMillisecond);

void BM_WriteCsv(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  DataSet& data = bound(n);
  Results results = evaluate(peterborough().program, data, {kAsOf, 1});
  for (auto _ : state) {
    std::string out = write_csv(peterborough(), data, results);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_WriteCsv)->Arg(24'000)->Arg(240'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
