// The CSV grammar (PEGTL) and the actions that hand each line to a CsvVisitor. Errors are matched
// by grammar alternatives rather than raised, so a broken row costs an error message, not an
// exception, and reading carries on with the next line.
#include "data/csv_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <tao/pegtl.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/text.hpp"

namespace catengine::engine {

std::vector<std::string_view> CsvTable::cells(const CsvRow& r) const {
  std::vector<std::string_view> out;
  out.reserve(r.cell_count);
  for (std::size_t i = 0; i < r.cell_count; ++i) out.push_back(cell(r, i));
  return out;
}

void CsvTable::add_row(std::uint32_t row, std::span<const std::string_view> cells) {
  rows.push_back(CsvRow{row, static_cast<std::uint32_t>(ends_.size()),
                        static_cast<std::uint32_t>(cells.size())});
  for (std::string_view c : cells) {
    text_.append(c);
    ends_.push_back(static_cast<std::uint32_t>(text_.size()));
  }
}

namespace {

namespace pg = tao::pegtl;

namespace grammar {

bool is_line_end(char c) {
  return c == '\n' || c == '\r';
}

// The hot rules are hand-written scans: PEGTL's generic one-character-at-a-time rules would do
// several calls per byte on the common path.

// An unquoted cell's text: everything up to a comma or a line end. A quote that does not open
// the cell is kept as an ordinary character, as spreadsheets do.
struct unquoted {
  using rule_t = unquoted;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const char* p = in.current();
    const char* const e = in.end();
    while (p != e && *p != ',' && !is_line_end(*p)) ++p;
    in.bump(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};

// A run of characters inside quotes other than the quote itself (line breaks included).
struct quoted_text {
  using rule_t = quoted_text;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const std::size_t left = static_cast<std::size_t>(in.end() - in.current());
    const void* q = std::memchr(in.current(), '"', left);
    const std::size_t n =
        q == nullptr ? left : static_cast<std::size_t>(static_cast<const char*>(q) - in.current());
    if (n == 0) return false;
    in.bump(n);
    return true;
  }
};

// What follows a closing quote when it is not the end of the cell: up to the next comma or line
// end, for the message.
struct stray {
  using rule_t = stray;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const char* p = in.current();
    const char* const e = in.end();
    while (p != e && *p != ',' && !is_line_end(*p)) ++p;
    if (p == in.current()) return false;
    in.bump(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};

struct blanks : pg::star<pg::one<' ', '\t'>> {};
struct open_quote : pg::seq<blanks, pg::one<'"'>> {};
struct doubled_quote : pg::two<'"'> {};
struct close_quote : pg::one<'"'> {};
struct cell_end : pg::at<pg::sor<pg::one<',', '\r', '\n'>, pg::eof>> {};
// Recovery after a stray character: the rest of the physical line is dropped with the row.
struct rest_of_line : pg::star<pg::not_one<'\r', '\n'>> {};
struct junk : pg::seq<stray, rest_of_line> {};
struct unterminated : pg::eof {};
struct quoted
    : pg::seq<open_quote, pg::star<pg::sor<quoted_text, doubled_quote>>,
              pg::sor<pg::seq<close_quote, blanks, pg::sor<cell_end, junk>>, unterminated>> {};
struct cell : pg::sor<quoted, unquoted> {};
struct line_begin : pg::success {};
struct line_end : pg::sor<pg::string<'\r', '\n'>, pg::one<'\n'>, pg::one<'\r'>, pg::eof> {};
struct line : pg::seq<line_begin, cell, pg::star<pg::one<','>, cell>, line_end> {};
struct file : pg::until<pg::eof, line> {};

}  // namespace grammar

// The masks of one 64-byte block of the input.
struct Block {
  std::size_t index = static_cast<std::size_t>(-1);
  std::uint64_t ends = 0;     // , \n \r
  std::uint64_t special = 0;  // \n \r "
  std::uint64_t high = 0;     // bytes >= 0x80
};

// Where a cell's text is: in the input (most cells), or in the scratch buffer when a doubled
// quote had to be undone. Offsets into scratch, because scratch may grow while a line is read.
struct CellRef {
  const char* data;   // in the input; nullptr when in scratch
  std::size_t begin;  // offset in scratch
  std::size_t size;
};

struct State {
  State(std::string_view f, CsvVisitor& v) : file(f), visitor(v) {}

  std::string_view file;
  CsvVisitor& visitor;
  std::vector<std::string> header;  // trimmed, for naming the column of an error
  std::vector<CellRef> cells;       // the current line's cells
  std::vector<std::string_view> views;
  std::string scratch;
  // The plain-line splitter's input, its current block and the current line.
  const char* origin = nullptr;
  std::size_t size = 0;
  Block block;
  std::vector<std::uint32_t> starts;  // the current plain line's cell starts
  PlainLine line;
  std::uint32_t row = 1;  // spreadsheet row of the current line
  bool line_broken = false;
  bool line_quoted = false;  // a quoted cell is never a blank line, even `""`
  bool header_done = false;  // the first non-blank line has been seen (even if broken)
  // The quoted cell being read.
  const char* quote_begin = nullptr;  // just after the opening quote
  const char* quote_end = nullptr;    // at the closing quote
  bool quote_unescaped = false;       // its text is being built in scratch
  std::size_t scratch_begin = 0;

  std::string column_name() const {
    if (!header_done) return "-";
    const std::size_t i = cells.size();  // the cell being read
    return i < header.size() && !header[i].empty() ? header[i] : "-";
  }
  void error(std::uint32_t at_row, std::string_view column, std::string message) {
    visitor.on_error(DataError{std::string(file), at_row, std::string(column), std::move(message)});
  }
};

template <typename Rule>
struct action : pg::nothing<Rule> {};

template <>
struct action<grammar::line_begin> {
  static void apply0(State& s) {
    s.cells.clear();
    s.scratch.clear();
    s.line_broken = false;
    s.line_quoted = false;
  }
};

template <>
struct action<grammar::unquoted> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    s.cells.push_back(CellRef{in.begin(), 0, in.size()});
  }
};

template <>
struct action<grammar::open_quote> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    s.quote_begin = in.end();
    s.quote_unescaped = false;
  }
};

template <>
struct action<grammar::quoted_text> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    if (s.quote_unescaped) s.scratch.append(in.string_view());
  }
};

template <>
struct action<grammar::doubled_quote> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    if (!s.quote_unescaped) {  // the first one: move the text so far to scratch
      s.quote_unescaped = true;
      s.scratch_begin = s.scratch.size();
      s.scratch.append(s.quote_begin, static_cast<std::size_t>(in.begin() - s.quote_begin));
    }
    s.scratch.push_back('"');
  }
};

template <>
struct action<grammar::close_quote> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    s.quote_end = in.begin();
  }
};

template <>
struct action<grammar::quoted> {
  static void apply0(State& s) {
    s.line_quoted = true;
    if (s.line_broken) return;
    if (s.quote_unescaped) {
      s.cells.push_back(CellRef{nullptr, s.scratch_begin, s.scratch.size() - s.scratch_begin});
    } else {
      s.cells.push_back(
          CellRef{s.quote_begin, 0, static_cast<std::size_t>(s.quote_end - s.quote_begin)});
    }
  }
};

template <>
struct action<grammar::stray> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& s) {
    s.line_broken = true;
    if (!s.visitor.wants_error()) return;
    constexpr std::size_t kShown = 20;
    const std::string_view found = in.string_view();
    std::string shown(found.substr(0, kShown));
    if (found.size() > kShown) shown += "...";
    s.error(s.row, s.column_name(),
            "expected `,` or the end of the line after a closing quote, found `" + shown +
                "` (a quote inside a quoted cell must be doubled)");
  }
};

template <>
struct action<grammar::unterminated> {
  static void apply0(State& s) {
    s.line_broken = true;
    if (!s.visitor.wants_error()) return;
    s.error(s.row, s.column_name(),
            "a quoted cell starting on this row is never closed (its `\"` runs to the end of the "
            "file)");
  }
};

// A whole line's cells, in s.views, go to the visitor (or are skipped as blank).
void deliver_line(State& s, std::uint32_t row) {
  if (!s.line_quoted && s.views.size() == 1 && trim(s.views[0]).empty()) return;  // blank
  if (!s.header_done) {
    for (std::string_view h : s.views) s.header.emplace_back(trim(h));
    s.header_done = true;
    s.visitor.on_header(row, s.views);
  } else {
    s.visitor.on_row(row, s.views);
  }
}

template <>
struct action<grammar::line> {
  static void apply0(State& s) {
    const std::uint32_t row = s.row++;
    if (s.line_broken) {
      s.header_done = true;  // a broken header stays unusable
      return;
    }
    s.views.clear();
    for (const CellRef& c : s.cells) {
      s.views.emplace_back(c.data != nullptr ? c.data : s.scratch.data() + c.begin, c.size);
    }
    deliver_line(s, row);
  }
};

// ---- the fast path for plain lines ----------------------------------------------------------
//
// Nearly every line of a real file has no quote. Such a line is split here without the grammar:
// the file is looked at 64 bytes at a time (sixteen at a time with SSE2), each block giving
// masks of its cell ends (`,` `\n` `\r`), of the bytes that end a line or need the grammar
// (`\n` `\r` `"`), and of its bytes of 0x80 and above (only a line with one of those needs a
// UTF-8 check). The line is handed over as those masks (PlainLine), so a visitor that can walk
// them binds each cell straight from the input without a list of cells being built. A line with
// a quote anywhere is handed to the grammar from its first byte, so quoting, recovery and errors
// are exactly the grammar's.

// Bits set in `x` (without the POPCNT instruction, which plain x86-64 lacks; a call otherwise).
inline unsigned bit_count(std::uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<unsigned>((x * 0x0101010101010101ULL) >> 56);
}

void load_block(Block& b, const char* origin, std::size_t size, std::size_t k) {
  b.index = k;
  const char* q = origin + 64 * k;
  // This is where a mapped file's bytes are first read, from memory: ask for them four pages
  // ahead (the processor's prefetcher stops at each 4 KiB page). perf put 7-14% of a
  // 240,000-record run here waiting for them; 16 KiB ahead halves that (task-clock, 13 runs
  // interleaved: 238.9 -> 233.5 ms). A prefetch past the end is never asked for.
  if (size - 64 * k > 16384) __builtin_prefetch(q + 16384);
  alignas(16) char tail[64];
  if (size - 64 * k < 64) {  // the input's last bytes: never read past them
    std::memset(tail, 0, sizeof tail);
    std::memcpy(tail, q, size - 64 * k);
    q = tail;
  }
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  std::uint64_t ends = 0, special = 0, high = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * i));
    const __m128i line_end = _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr));
    const auto e =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, comma), line_end)));
    const auto sp =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(line_end, _mm_cmpeq_epi8(x, quote))));
    const auto h = static_cast<unsigned>(_mm_movemask_epi8(x));
    ends |= std::uint64_t{e} << (16 * i);
    special |= std::uint64_t{sp} << (16 * i);
    high |= std::uint64_t{h} << (16 * i);
  }
  b.ends = ends;
  b.special = special;
  b.high = high;
#else
  b.ends = b.special = b.high = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = q[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == ',' || c == '\n' || c == '\r') b.ends |= bit;
    if (c == '\n' || c == '\r' || c == '"') b.special |= bit;
    if (static_cast<unsigned char>(c) >= 0x80) b.high |= bit;
  }
#endif
}

// Appends the cell starts that follow the cell ends in `m` (bits of the block at `offset`) to
// s.starts, from s.starts[count + 1] on. The room is made by the caller.
[[gnu::always_inline]] inline void add_starts(std::uint32_t* out, std::uint64_t m,
                                              std::uint32_t offset) {
  for (; m != 0; m &= m - 1) *out++ = offset + 1 + static_cast<std::uint32_t>(std::countr_zero(m));
}

// Splits the line starting at `p` into s.line (its cell starts in s.starts). Returns where the
// next line starts, or nullptr when the line holds a quote. A line ends at LF, CRLF, CR or the
// end of the input, as in the grammar.
const char* split_plain_line(State& s, const char* p) {
  const char* const origin = s.origin;
  const std::size_t size = s.size;
  const auto off = static_cast<std::size_t>(p - origin);
  std::size_t k = off / 64;
  if (s.block.index != k) load_block(s.block, origin, size, k);
  std::uint64_t from = ~std::uint64_t{0} << (off % 64);  // the line's bytes in this block
  PlainLine& line = s.line;
  line.begin = p;
  if (s.starts.size() < 66) s.starts.resize(130);
  s.starts[0] = static_cast<std::uint32_t>(off);
  std::uint32_t cells = 0;
  std::uint64_t high = 0;
  for (;;) {
    const Block& b = s.block;
    if (s.starts.size() < cells + 66) s.starts.resize(2 * s.starts.size() + 64);
    const std::uint64_t e = b.ends & from;
    const auto offset = static_cast<std::uint32_t>(64 * k);
    if (const std::uint64_t sp = b.special & from; sp != 0) {
      const int i = std::countr_zero(sp);
      const char* t = origin + offset + i;
      if (*t == '"') return nullptr;
      const std::uint64_t before = (std::uint64_t{1} << i) - 1;
      const std::uint64_t m = e & (before | (std::uint64_t{1} << i));  // the terminator's bit
      add_starts(s.starts.data() + cells + 1, m, offset);
      cells += bit_count(m);
      high |= b.high & from & before;
      line.end = t;
      line.cells = cells;
      line.ascii = high == 0;
      line.starts = s.starts.data();
      return *t == '\r' && t + 1 != origin + size && t[1] == '\n' ? t + 2 : t + 1;
    }
    add_starts(s.starts.data() + cells + 1, e, offset);
    cells += bit_count(e);
    high |= b.high & from;
    if (size - offset <= 64) {  // the input's last line, without a line end
      s.starts[++cells] = static_cast<std::uint32_t>(size + 1);
      line.end = origin + size;
      line.cells = cells;
      line.ascii = high == 0;
      line.starts = s.starts.data();
      return origin + size;
    }
    from = ~std::uint64_t{0};
    load_block(s.block, origin, size, ++k);
  }
}

// s.line's cells as views, into s.views.
void plain_views(State& s) {
  s.views.clear();
  for (std::uint32_t i = 0; i < s.line.cells; ++i) s.views.push_back(s.line.cell(i));
}

// Reads lines from `bytes` to its end: plain ones by split_plain_line, others by the grammar.
void read_lines(std::string_view bytes, State& s) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  s.origin = p;
  s.size = bytes.size();
  s.line.origin = p;
  while (p != end) {
    if (const char* next = split_plain_line(s, p)) {
      s.line_quoted = false;
      const std::uint32_t row = s.row++;
      if (s.line.cells == 1 || !s.header_done || !s.visitor.on_plain_row(row, s.line)) {
        plain_views(s);
        deliver_line(s, row);
      }
      p = next;
      continue;
    }
    pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(
        p, static_cast<std::size_t>(end - p), "");
    if (!pg::parse<grammar::line, action>(in, s) || in.current() == p) {
      // Not expected (a line always matches); the grammar reads the rest as before.
      pg::parse<grammar::file, action>(in, s);
      return;
    }
    p = in.current();
  }
}

// Collects what a visitor sees into a CsvResult.
class TableBuilder final : public CsvVisitor {
 public:
  TableBuilder(CsvResult& out, std::size_t max_errors) : out_(out), max_errors_(max_errors) {}
  void on_header(std::uint32_t row, std::span<const std::string_view> cells) override {
    out_.table.header.assign(cells.begin(), cells.end());
    out_.table.header_row = row;
  }
  void on_row(std::uint32_t row, std::span<const std::string_view> cells) override {
    out_.table.add_row(row, cells);
  }
  bool wants_error() override {
    ++out_.error_count;
    return out_.errors.size() < max_errors_;
  }
  void on_error(DataError error) override { out_.errors.push_back(std::move(error)); }

 private:
  CsvResult& out_;
  std::size_t max_errors_;
};

}  // namespace

std::uint32_t read_csv_part(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor,
                            bool continuation) {
  State s(file_name, visitor);
  const auto whole_file_error = [&](std::string message) {
    if (visitor.wants_error()) s.error(0, "-", std::move(message));
  };
  // Offsets in a CsvTable are 32-bit; no school census comes near this.
  if (bytes.size() >= std::numeric_limits<std::uint32_t>::max()) {
    whole_file_error("the file is too large to read (4 GiB or more)");
    return s.row;
  }
  if (continuation) {
    s.header_done = true;  // every line is a data row; the byte-order mark is only at the start
  } else if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
  }
  try {
    read_lines(bytes, s);
  } catch (const std::bad_alloc&) {
    whole_file_error("not enough memory to read the file");
    return s.row;
  } catch (const std::exception& e) {  // not expected: the grammar never raises
    whole_file_error(std::string("the file could not be read: ") + e.what());
    return s.row;
  }
  if (!s.header_done) {
    whole_file_error(bytes.empty() ? "the file is empty; expected a header row"
                                   : "the file has only blank lines; expected a header row");
  }
  return s.row;
}

void read_csv(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor) {
  read_csv_part(file_name, bytes, visitor, false);
}

CsvResult read_csv(std::string_view file_name, std::string_view bytes, std::size_t max_errors) {
  CsvResult result;
  TableBuilder builder(result, max_errors);
  try {
    read_csv(file_name, bytes, builder);
  } catch (const std::bad_alloc&) {  // the table, not the reader, ran out
    result = CsvResult{};
    result.error_count = 1;
    result.errors.push_back(
        DataError{std::string(file_name), 0, "-", "not enough memory to read the file"});
  }
  return result;
}

}  // namespace catengine::engine
