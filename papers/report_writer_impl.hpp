// Private to papers/report_writer*.cpp and papers/report_*_pages.cpp: what the files of
// `catengine report` share. The policy as the pages see it (the key, the level scale, the
// clinic), the small lookups into a record's explanation, the temporary-file Spill the overview's
// rows wait in, and the Writer that walks the schools; its pages are defined in
// report_writer.cpp (the school-by-school loop), report_school_pages.cpp (profile sheets and
// notices) and report_overview_pages.cpp (the overview and the clinic pack).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "papers/html.hpp"
#include "papers/report_writer.hpp"
#include "report/explanation.hpp"
#include "report/schedule.hpp"
#include "report/value_format.hpp"

namespace catengine::engine::report_detail {

// How far ahead the sheets list visits: one term.
constexpr std::int64_t kScheduleDays = 122;
inline std::string esc(std::string_view s) {
  return html_escape(s);
}

struct Policy {
  const lang::CheckedPolicy& p;
  std::size_t key = 0;                    // the key field
  std::optional<std::size_t> name_field;  // `name`
  std::optional<std::size_t> level_out;   // the first output column on a scale
  std::vector<std::string> levels;        // its members, best first
  std::vector<std::string> level_titles;  // their descriptions
  std::optional<std::uint32_t> clinic;    // the cadence `on dates of` a parameter
};

Policy study(const lang::CheckedPolicy& p);

std::optional<std::size_t> level_index(const Policy& pol, std::string_view level);
std::string level_badge(const Policy& pol, std::string_view level);
const std::string* output_value(const RecordExplanation& e, std::string_view column);
const DefinitionExplanation* definition(const RecordExplanation& e, std::string_view name);

void reads_table(std::string& out, const std::vector<ValueRead>& reads);

// A definition's reasoning as HTML: the fired rule with what it read, the rules before it that
// did not apply and which part failed; a formula with what it read; a notice's or cadence's lines.
void definition_html(std::string& out, const DefinitionExplanation& d);

// The figures behind a ground: what its condition read, and, for each definition among them,
// what that definition read in turn (its formula's, or its deciding rule's), a few levels down,
// so that a letter shows the school's own numbers and not only `below_floor = yes`.
void underlying_figures(const RecordExplanation& e, const std::vector<ValueRead>& reads,
                        std::vector<ValueRead>& out, std::set<std::string>& seen, int depth);

// The overview's tables grow with the number of schools; their rows wait in an anonymous
// temporary file (std::tmpfile: removed when closed, even after a crash) rather than in memory,
// and are copied into index.html once every sheet is written. Held in memory only if no
// temporary file can be made.
class Spill {
 public:
  Spill() : file_(std::tmpfile()) {}
  Spill(const Spill&) = delete;
  Spill& operator=(const Spill&) = delete;
  ~Spill() {
    if (file_) std::fclose(file_);
  }
  Spill& operator+=(std::string_view text) {
    buffer_ += text;
    any_ = any_ || !text.empty();
    if (file_ && buffer_.size() >= (64u << 10)) flush();
    return *this;
  }
  bool empty() const { return !any_; }
  bool copy_to(PageSink& sink, std::string& error) {
    if (!file_) return sink.write(buffer_, error);
    if (!flush() || std::fseek(file_, 0, SEEK_SET) != 0) {
      error = "cannot read back the overview's rows from a temporary file";
      return false;
    }
    std::string chunk(64u << 10, '\0');
    for (;;) {
      const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file_);
      if (n > 0 && !sink.write(std::string_view(chunk.data(), n), error)) return false;
      if (n < chunk.size()) break;
    }
    if (std::ferror(file_)) {
      error = "cannot read back the overview's rows from a temporary file";
      return false;
    }
    return true;
  }

 private:
  bool flush() {
    ok_ = ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    return ok_;
  }
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool any_ = false;
  bool ok_ = true;
};

// How many schools' schedule is worked out at once.
constexpr std::size_t kBlock = 512;

// A school on the clinic agenda: kept for the pack, which comes after every sheet.
struct AgendaItem {
  std::size_t level = 0;  // 1 + the level's index (best first), 0 for none
  std::size_t record = 0;
  std::string focus;  // what the clinic discusses, from the policy
};

struct School {
  std::string key;
  std::string name;
  std::string level;
  std::string rule;
  std::vector<std::string> cells;  // identity fields shown in the overview
};

std::string field_text(const lang::CheckedPolicy& p, const DataSet& data, const ValueFormatter& f,
                       std::size_t record, std::size_t field);

// The identity fields a sheet names when the record has them.
constexpr std::array<std::string_view, 6> kIdentity = {"phase", "governance", "type_group",
                                                       "trust", "la",         "local_authority"};

class Writer {
 public:
  Writer(const ReportInputs& in, PageSink& sink)
      : in_(in),
        p_(in.compiled->policy),
        pol_(study(p_)),
        sink_(sink),
        format_(p_, in.data->text) {}

  std::optional<ReportSummary> run(std::string& error);

 private:
  bool load_history(std::string& error);
  std::string previous_level(const std::string& key) const;
  School identify(const RecordExplanation& e, std::size_t r);
  std::vector<std::string> identity_headings() const;
  // The value of a field or a definition for the sheet, with where it came from.
  std::pair<std::string, std::string> figure(const RecordExplanation& e, std::size_t r,
                                             const std::string& name);

  bool put(const std::string& path, const std::string& html, std::string& error) {
    return sink_.begin(path, error) && sink_.write(html, error) && sink_.end(error);
  }
  bool sheet(const RecordExplanation& e, std::size_t r, const School& s, bool on_agenda,
             std::string& error);
  bool notice_page(const std::string& file, const RecordExplanation& e,
                   const DefinitionExplanation& d, const School& s, std::string& error);
  bool clinic_pack(const std::vector<AgendaItem>& agenda, Value date, std::string& error);
  bool index(Spill& rows, Spill& notices, Spill& overdue, const std::vector<std::size_t>& counts,
             const std::vector<AgendaItem>& agenda, Value clinic_date, std::string& error);

  const ReportInputs& in_;
  const lang::CheckedPolicy& p_;
  Policy pol_;
  PageSink& sink_;
  ValueFormatter format_;
  std::string footer_;
  // The schedule of the coming term for one block of records at a time, so that its events
  // (a few strings a visit) are held for kBlock schools, not all of them.
  void load_block(std::size_t first);
  const std::vector<std::size_t>& events_of(std::size_t r) {
    if (by_record_.empty() || r < block_first_ || r >= block_first_ + by_record_.size())
      load_block(r - r % kBlock);
    return by_record_[r - block_first_];
  }

  Schedule schedule_;
  std::size_t block_first_ = 0;
  std::vector<std::vector<std::size_t>> by_record_;  // event indices by record - block_first_
  std::map<std::string, std::string> previous_;      // key -> level in the previous run
  std::string previous_as_of_;
  std::map<std::pair<std::string, std::string>, std::size_t> moves_;
  std::size_t criterion_count_ = 0;
};

}  // namespace catengine::engine::report_detail
