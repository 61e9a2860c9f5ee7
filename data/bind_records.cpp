// The binder's entry points: a CSV file read whole, or in pieces (one per core) when it is large
// and plain, and a workbook's sheet. Each runs Binder (binder_impl.hpp) over the file's rows.
#include <emmintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/binder.hpp"
#include "data/binder_impl.hpp"
#include "data/csv_reader.hpp"
#include "data/xlsx_reader.hpp"
#include "system/parallel.hpp"

namespace catengine::engine {
namespace binder_detail {
namespace {

// How many times `c` occurs, sixteen bytes at a time (SSE2, which every x86-64 has): each
// compare adds one to a byte counter per match, and the counters are summed (psadbw) before any
// can pass 255. memchr from one line feed to the next took a call per line: 7.5 ms for a 40 MB
// file of 240,000 lines, against about 2 ms here.
std::size_t count_of(std::string_view bytes, char c) {
  std::size_t n = 0;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  const __m128i wanted = _mm_set1_epi8(c);
  while (end - p >= 16) {
    __m128i counters = _mm_setzero_si128();
    for (int i = 0; i < 255 && end - p >= 16; ++i, p += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(x, wanted));  // a match is -1
    }
    const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    n += static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
  for (; p != end; ++p) n += *p == c;
  return n;
}

// About how many rows a file has, to make its records ahead (a file with more grows its table as
// it goes; finish() drops records no row used): its line ends counted in the first 64 KiB and
// scaled to the whole, with an eighth more for longer lines further on. Counting the whole file
// was a pass of its own over bytes binding then reads again, and the first read of a mapped
// file is from memory: 5% of a 240,000-record run, 14% of a run on all of England's files.
std::size_t rows_estimate(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, std::size_t{1} << 16);
  std::size_t ends = count_of(head, '\n');
  if (ends == 0) ends = count_of(head, '\r');  // a file with old Mac line ends
  if (head.size() == bytes.size()) return ends + 1;
  const std::size_t scaled =
      static_cast<std::size_t>(static_cast<double>(bytes.size()) /
                               static_cast<double>(head.size()) * static_cast<double>(ends + 1));
  return scaled + scaled / 8 + 16;
}

BindResult bind_whole(std::string_view file_name, std::string_view bytes,
                      const RecordSchema& schema, const BindOptions& options) {
  BindResult result;
  Binder binder(file_name, schema, result, options.keep_keys);
  binder.check_utf8(schema.encoding == TextEncoding::Utf8);
  if (options.window) {
    binder.stream_to(&options.window, options.window_rows, rows_estimate(bytes), bytes.data());
  } else {
    binder.reserve_rows(rows_estimate(bytes));
  }
  try {
    read_csv(file_name, bytes, binder);
  } catch (const std::bad_alloc&) {
    result.data = DataSet(schema.fields.size(), column_widths(schema));
    if (binder.wants_error()) {
      result.errors.push_back(
          DataError{std::string(file_name), 0, "-", "not enough memory to bind the file"});
    }
  }
  binder.finish();
  hand_over_whole(result, options);
  return result;
}

// Reading a large file in pieces, one per core. Every piece but the first starts just after a
// line feed near its share of the bytes, and is read as if that were the start of a line. That
// holds exactly when the first piece up to there reads without error (a line feed inside quotes
// leaves a quote open at the piece's end, which is an error). Only clean files take this path:
// any error, anywhere, and the caller reads the file whole, so messages and their order are
// exactly those of one reader. Rows go straight into one shared table, each piece into its own
// stretch of it, and are closed up afterwards, so no piece's rows are ever copied to a second
// table.
std::optional<BindResult> bind_in_pieces(std::string_view file_name, std::string_view bytes,
                                         const RecordSchema& schema, std::size_t pieces) {
  const std::size_t nf = schema.fields.size();
  for (const FieldSpec& f : schema.fields) {
    // Text read by another piece is re-interned below; a text default would not be.
    if (f.kind == ValueKind::Text && f.missing_means != kMissing) return std::nullopt;
  }
  // The header: the first line, when it is plain (no quotes, not blank).
  const std::size_t header_end = bytes.find('\n');
  if (header_end == std::string_view::npos) return std::nullopt;
  const std::string_view first_line = bytes.substr(0, header_end + 1);
  if (first_line.find('"') != std::string_view::npos) return std::nullopt;
  const CsvResult head = read_csv(file_name, first_line, 1);
  if (!head.errors.empty() || head.table.header_row != 1) return std::nullopt;
  std::vector<std::string_view> header(head.table.header.begin(), head.table.header.end());

  std::vector<std::size_t> starts{0};
  for (std::size_t k = 1; k < pieces; ++k) {
    const std::size_t from = std::max(bytes.size() / pieces * k, header_end + 1);
    const std::size_t lf = bytes.find('\n', from);
    if (lf == std::string_view::npos || lf + 1 >= bytes.size()) break;
    if (lf + 1 > starts.back()) starts.push_back(lf + 1);
  }
  if (starts.size() < 2) return std::nullopt;
  starts.push_back(bytes.size());
  const std::size_t n = starts.size() - 1;

  // Each piece's stretch: room for as many rows as it has line feeds, and one more.
  std::vector<std::string_view> text(n);
  std::vector<std::size_t> first_row(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    text[k] = bytes.substr(starts[k], starts[k + 1] - starts[k]);
    first_row[k + 1] = first_row[k] + count_of(text[k], '\n') + 1;
  }
  BindResult result;

  std::vector<BindResult> side(n);  // pieces after the first: their errors and text
  std::vector<Binder::Region> regions(n);
  std::vector<std::unique_ptr<Binder>> binders;
  for (std::size_t k = 0; k < n; ++k) {
    regions[k] = {&result.data, first_row[k], first_row[k + 1] - first_row[k]};
    binders.push_back(std::make_unique<Binder>(file_name, schema, k == 0 ? result : side[k]));
    binders[k]->write_into(&regions[k], k == 0 ? first_row[n] : regions[k].capacity, k == 0);
    binders[k]->check_utf8(true);  // text that is not UTF-8 is an error: the file is read whole
    if (k > 0) binders[k]->on_header(head.table.header_row, header);
  }
  // Set up after the binders, whose constructor gives their result an empty table.
  result.data = DataSet(nf, column_widths(schema));
  result.data.resize(first_row[n]);
  std::vector<std::uint32_t> next_row(n, 0);
  auto read = [&](std::size_t k) {
    try {
      next_row[k] = read_csv_part(file_name, text[k], *binders[k], k > 0);
    } catch (const std::bad_alloc&) {
      regions[k].overflow = true;  // give up on pieces; the whole-file reader reports it
    }
  };
  run_in_parallel(n, read);
  for (std::size_t k = 0; k < n; ++k) {
    if (regions[k].overflow || !(k == 0 ? result : side[k]).errors.empty()) return std::nullopt;
  }

  // Close up the stretches, renumber rows, move text into the one pool, and check keys across
  // pieces.
  std::size_t rows = regions[0].count;
  std::uint32_t row_offset = next_row[0] - 1;
  std::vector<std::size_t> text_fields;
  for (std::size_t fi = 0; fi < nf; ++fi) {
    if (schema.fields[fi].kind == ValueKind::Text) text_fields.push_back(fi);
  }
  DataSet& table = result.data;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t count = regions[k].count;
    table.move_rows(regions[k].first, count, rows);
    const std::vector<Value> ids = table.text.absorb(std::move(side[k].data.text));
    for (std::size_t r = rows; r < rows + count; ++r) {
      table.source_row[r] += row_offset;
      for (std::size_t fi : text_fields) {
        const Value v = table.at(r, fi);
        if (v != kMissing) table.set(r, fi, ids[static_cast<std::size_t>(v)]);
      }
    }
    if (!binders[0]->add_keys(table, rows, count)) return std::nullopt;
    binders[0]->add_percents_seen(*binders[k]);
    rows += count;
    row_offset += next_row[k] - 1;
  }
  table.resize(rows);
  binders[0]->finish();  // the whole file's warnings (header ones were given by the first piece)
  return result;
}

}  // namespace

}  // namespace binder_detail

BindResult bind_workbook(std::string_view file_name, std::string_view bytes,
                         const RecordSchema& schema, const std::string& sheet,
                         const BindOptions& options) {
  RecordSchema unicode = schema;  // a workbook's text is Unicode whatever the CSV's encoding
  unicode.encoding = TextEncoding::Utf8;
  BindResult result;
  binder_detail::Binder binder(file_name, unicode, result, options.keep_keys);
  XlsxOptions xlsx;
  xlsx.sheet = sheet;
  try {
    read_xlsx(file_name, bytes, binder, xlsx);
  } catch (const std::bad_alloc&) {
    result.data = DataSet(schema.fields.size(), column_widths(schema));
    result.errors.push_back(
        DataError{std::string(file_name), 0, "-", "not enough memory to read the workbook"});
  }
  binder.finish();
  hand_over_whole(result, options);
  return result;
}

BindResult bind_records(std::string_view file_name, std::string_view bytes,
                        const RecordSchema& schema, const BindOptions& options) {
  const std::size_t cores = thread_count(options.threads);
  const std::size_t pieces = std::min<std::size_t>(
      {cores, 8, bytes.size() / std::max<std::size_t>(1, options.min_piece_bytes)});
  // Row tests, joins and other encodings are for the smaller files of a multi-source policy:
  // those are read whole.
  const bool plain = schema.row_tests.empty() && options.keep_keys == nullptr &&
                     schema.encoding == TextEncoding::Utf8;
  if (pieces >= 2 && plain && !options.window) {
    if (auto result = binder_detail::bind_in_pieces(file_name, bytes, schema, pieces))
      return std::move(*result);
  }
  return binder_detail::bind_whole(file_name, bytes, schema, options);
}

void hand_over_whole(BindResult& result, const BindOptions& options) {
  if (!options.window || result.windowed != 0) return;
  const std::size_t rows = result.data.size();
  const std::size_t step = std::max<std::size_t>(options.window_rows, 1);
  for (std::size_t first = 0; first < rows; first += step)
    options.window(
        BoundWindow{result.data, first, std::min(step, rows - first), result.errors.empty(), 0});
  result.windowed = rows;
}

}  // namespace catengine::engine
