// Text interning for bound records, and the one-line rendering of a data error.
#include "data/dataset.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "base/vector_clones.hpp"
#include "data/text_hash.hpp"

namespace catengine::engine {

namespace {
constexpr std::size_t kBlock = std::size_t{1} << 16;

// A four-byte column's values widened: `missing32` becomes kMissing, anything else is
// multiplied by `Scale` (1 for Narrow, decimal::kScale for Whole). Out of line and compiled
// for each vector width: the batch machine widens 64 values of every field for each batch, and
// the plain x86-64 loop (no 64-bit compare or multiply in SSE2) did it one value at a time.
// The scale is a template argument so the compiler multiplies by a constant (a widening
// 32 × 32 multiply for the decimal scale).
template <Value Scale>
CATENGINE_VECTOR_CLONES void widen_column(const std::int32_t* __restrict in, std::size_t count,
                                          std::int32_t missing32, Value* __restrict out) {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = in[i] == missing32 ? kMissing : Value{in[i]} * Scale;
}
}  // namespace

TextPool::TextPool(const TextPool& other) {
  for (std::string_view t : other.strings_) intern(t);
}

TextPool::TextPool(TextPool&& other) noexcept
    : blocks_(std::move(other.blocks_)),
      free_(std::exchange(other.free_, nullptr)),
      left_(std::exchange(other.left_, 0)),
      strings_(std::move(other.strings_)),
      index_(std::move(other.index_)) {}

TextPool& TextPool::operator=(TextPool&& other) noexcept {
  blocks_ = std::move(other.blocks_);
  free_ = std::exchange(other.free_, nullptr);  // a moved-from pool must not write here
  left_ = std::exchange(other.left_, 0);
  strings_ = std::move(other.strings_);
  index_ = std::move(other.index_);
  return *this;
}

TextPool& TextPool::operator=(const TextPool& other) {
  if (this != &other) *this = TextPool(other);
  return *this;
}

std::string_view TextPool::store(std::string_view text) {
  if (text.size() > kBlock / 4) {  // a long text gets a block of its own
    blocks_.push_back(std::make_unique<char[]>(text.size()));
    std::copy(text.begin(), text.end(), blocks_.back().get());
    return {blocks_.back().get(), text.size()};
  }
  if (text.size() > left_) {
    blocks_.push_back(std::make_unique<char[]>(kBlock));
    free_ = blocks_.back().get();
    left_ = kBlock;
  }
  std::copy(text.begin(), text.end(), free_);
  const std::string_view stored(free_, text.size());
  free_ += text.size();
  left_ -= text.size();
  return stored;
}

void TextPool::grow_index() {
  index_.assign(std::max<std::size_t>(64, index_.size() * 2), 0);
  const std::size_t mask = index_.size() - 1;
  for (std::size_t id = 0; id < strings_.size(); ++id) {
    std::size_t i = text_hash(strings_[id]) & mask;
    while (index_[i] != 0) i = (i + 1) & mask;
    index_[i] = static_cast<std::uint32_t>(id + 1);
  }
}

Value TextPool::find_or_add(std::string_view text, bool copy) {
  if ((strings_.size() + 1) * 2 > index_.size()) grow_index();
  const std::size_t mask = index_.size() - 1;
  for (std::size_t i = text_hash(text) & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = index_[i];
    if (slot == 0) {
      const auto id = static_cast<std::uint32_t>(strings_.size());
      strings_.push_back(copy ? store(text) : text);
      index_[i] = id + 1;
      return id;
    }
    if (strings_[slot - 1] == text) return slot - 1;
  }
}

Value TextPool::intern(std::string_view text) {
  return find_or_add(text, true);
}

std::vector<Value> TextPool::absorb(TextPool&& other) {
  other.index_ = {};  // freed before this pool grows
  std::vector<Value> ids;
  ids.reserve(other.strings_.size());
  // New text stays in the other pool's blocks, which move here below.
  for (std::string_view text : other.strings_) ids.push_back(find_or_add(text, false));
  // The other's blocks are kept, never written again: this pool goes on filling its own.
  for (auto& block : other.blocks_) blocks_.push_back(std::move(block));
  other.blocks_.clear();
  other.strings_.clear();
  other.free_ = nullptr;
  other.left_ = 0;
  return ids;
}

DataSet::DataSet(std::size_t fields, std::vector<Width> widths) : field_count(fields) {
  columns_.resize(fields);
  for (std::size_t f = 0; f < fields && f < widths.size(); ++f) columns_[f].width = widths[f];
}

DataSet::DataSet(const DataSet& other)
    : field_count(other.field_count),
      source_row(other.source_row),
      text(other.text),
      columns_(other.columns_),
      capacity_(other.capacity_) {
  // The copy's columns point into the other's block until laid out in a block of its own.
  lay_out(size(), widths());
}

DataSet& DataSet::operator=(const DataSet& other) {
  if (this != &other) *this = DataSet(other);
  return *this;
}

DataSet::DataSet(DataSet&& other) noexcept
    : field_count(other.field_count),
      source_row(std::move(other.source_row)),
      text(std::move(other.text)),
      columns_(std::move(other.columns_)),
      capacity_(std::exchange(other.capacity_, 0)),
      storage_(std::move(other.storage_)) {
  other.columns_.clear();
}

DataSet& DataSet::operator=(DataSet&& other) noexcept {
  if (this != &other) {
    field_count = other.field_count;
    source_row = std::move(other.source_row);
    text = std::move(other.text);
    columns_ = std::move(other.columns_);
    other.columns_.clear();
    capacity_ = std::exchange(other.capacity_, 0);
    storage_ = std::move(other.storage_);  // the block the columns point into moves with them
  }
  return *this;
}

std::vector<DataSet::Width> DataSet::widths() const {
  std::vector<Width> out;
  out.reserve(columns_.size());
  for (const Column& c : columns_) out.push_back(c.width);
  return out;
}

void DataSet::lay_out(std::size_t capacity, const std::vector<Width>& widths) {
  // Each column starts on a cache line of its own.
  auto bytes_for = [&](Width w) {
    const std::size_t b = capacity * (w == Width::Wide ? sizeof(Value) : sizeof(std::int32_t));
    return (b + 63) / 64 * 64;
  };
  std::size_t total = 0;
  for (Width w : widths) total += bytes_for(w);
  TableMemory block(total, false);
  std::vector<Column> laid(columns_.size());
  std::byte* at = block.data();
  const std::size_t rows = size();
  for (std::size_t f = 0; f < columns_.size(); ++f) {
    Column& c = laid[f];
    c.width = widths[f];
    if (c.width == Width::Wide) {
      c.wide = reinterpret_cast<Value*>(at);
    } else {
      c.narrow = reinterpret_cast<std::int32_t*>(at);
    }
    at += bytes_for(c.width);
    if (capacity_ == 0 || rows == 0) continue;  // nothing to keep
    const Column& old = columns_[f];
    if (c.width == old.width) {
      if (c.width == Width::Wide) {
        std::copy_n(old.wide, rows, c.wide);
      } else {
        std::copy_n(old.narrow, rows, c.narrow);
      }
    } else {
      column_into(f, 0, rows, c.wide);  // only ever four bytes to eight
    }
  }
  columns_ = std::move(laid);
  storage_ = std::move(block);
  capacity_ = capacity;
}

std::vector<Value> DataSet::row(std::size_t r) const {
  std::vector<Value> out(field_count);
  row_into(r, out.data());
  return out;
}

void DataSet::row_into(std::size_t r, Value* out) const {
  for (std::size_t f = 0; f < field_count; ++f) out[f] = at(r, f);
}

void DataSet::column_into(std::size_t field, std::size_t first, std::size_t count,
                          Value* out) const {
  const Column& c = columns_[field];
  if (c.width == Width::Wide) {
    std::copy_n(c.wide + first, count, out);
    return;
  }
  const std::int32_t* in = c.narrow + first;
  // The next run of this column, asked for now: the batch machine reads every field's column a
  // few cache lines at a time, more streams than the processor's prefetcher follows.
  if (first + 2 * count <= size())
    for (std::size_t at = count; at < 2 * count; at += 64 / sizeof(std::int32_t))
      __builtin_prefetch(in + at);
  if (c.width == Width::Whole) {
    widen_column<decimal::kScale>(in, count, kNarrowMissing, out);
  } else {
    widen_column<1>(in, count, kNarrowMissing, out);
  }
}

std::size_t DataSet::add_row() {
  const std::size_t r = size();
  if (r == capacity_) lay_out(std::max<std::size_t>(16, 2 * capacity_), widths());
  for (Column& c : columns_) {
    if (c.width == Width::Wide) {
      c.wide[r] = kMissing;
    } else {
      c.narrow[r] = kNarrowMissing;
    }
  }
  source_row.push_back(0);
  return r;
}

void DataSet::resize(std::size_t rows) {
  const std::size_t old = size();
  if (rows > capacity_) lay_out(rows, widths());
  if (rows > old) {
    for (Column& c : columns_) {
      if (c.width == Width::Wide) {
        std::fill(c.wide + old, c.wide + rows, kMissing);
      } else {
        std::fill(c.narrow + old, c.narrow + rows, kNarrowMissing);
      }
    }
  }
  source_row.resize(rows);
}

void DataSet::move_rows(std::size_t from, std::size_t count, std::size_t to) {
  for (Column& c : columns_) {
    if (c.width == Width::Wide) {
      std::copy_n(c.wide + from, count, c.wide + to);
    } else {
      std::copy_n(c.narrow + from, count, c.narrow + to);
    }
  }
  std::copy_n(source_row.data() + from, count, source_row.data() + to);
}

void DataSet::release_values() {
  storage_ = TableMemory();
  capacity_ = 0;
  for (Column& c : columns_) c.narrow = nullptr, c.wide = nullptr;
}

std::size_t DataSet::value_bytes() const {
  if (capacity_ == 0) return 0;
  std::size_t bytes = 0;
  for (const Column& c : columns_)
    bytes += size() * (c.width == Width::Wide ? sizeof(Value) : sizeof(std::int32_t));
  return bytes;
}

void DataSet::widen(std::size_t field) {
  if (columns_[field].width == Width::Wide) return;
  std::vector<Width> w = widths();
  w[field] = Width::Wide;
  lay_out(capacity_, w);
}

std::string to_string(const DataError& e) {
  std::string out = e.file;
  out += ':';
  out += e.row == 0 ? std::string("-") : std::to_string(e.row);
  out += ':';
  out += e.column.empty() ? std::string("-") : e.column;
  out += ": ";
  if (!e.source.empty()) out += "[" + e.source + "] ";
  out += e.message;
  return out;
}

}  // namespace catengine::engine
