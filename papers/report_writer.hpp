// `catengine report`: the papers people read, as a folder of self-contained HTML pages — the LA
// overview (index.html), a profile sheet per school (schools/KEY.html), the clinic pack
// (clinic.html) and a draft of every notice and letter the policy issues (notices/KEY-NAME.html).
// Pages are handed to a PageSink one piece at a time as they are made, so memory stays flat in
// the number of schools: only one line per school (for the overview's table) is kept.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "history/history_store.hpp"
#include "papers/sheet_config.hpp"
#include "report/provenance.hpp"

namespace catengine::engine {

// Where pages go. begin() opens a page at a path relative to the report's folder
// ("schools/110612.html"), write() appends to it, end() closes it. Each returns false with
// `error` set when the page cannot be written; the report stops there.
class PageSink {
 public:
  virtual ~PageSink() = default;
  virtual bool begin(const std::string& path, std::string& error) = 0;
  virtual bool write(std::string_view html, std::string& error) = 0;
  virtual bool end(std::string& error) = 0;
};

struct ReportInputs {
  const CompiledPolicy* compiled = nullptr;
  DataSet* data = nullptr;  // mutable only for explain_record's interning
  Value as_of = kMissing;
  Provenance provenance;
  HistoryStore* history = nullptr;  // earlier terms, or nullptr without --history
  PaperSettings settings;           // the policy folder's papers.csv and templates
};

// What went into the report, for the command's summary line.
struct ReportSummary {
  std::size_t schools = 0;
  std::size_t notices = 0;
  std::size_t on_agenda = 0;
};

// Writes every page. Returns nullopt with `error` set on the first failure (a record the
// policy cannot evaluate, a template that does not render, a page that cannot be written).
std::optional<ReportSummary> write_report(const ReportInputs& in, PageSink& sink,
                                          std::string& error);

}  // namespace catengine::engine
