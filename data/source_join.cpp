// Joining named sources on the key. Each source is bound on its own (its own header, encoding,
// reading rules and row tests), the joined ones only for the school list's keys; then each
// record's cells are gathered from the sources through one hash lookup per source.
#include "data/source_join.hpp"

#include <algorithm>
#include <unordered_map>

#include "data/data_file.hpp"

namespace catengine::engine {

RecordSchema source_schema(const RecordSchema& schema, std::size_t source,
                           std::vector<std::size_t>& index) {
  const SourceSpec& src = schema.sources.at(source);
  RecordSchema out;
  out.name = schema.name;
  out.reading = src.reading;
  out.encoding = src.encoding;
  out.row_tests = src.row_tests;
  out.optional_columns_may_be_absent = src.optional_columns_may_be_absent;
  index.clear();
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    if (!schema.fields[f].key) continue;
    FieldSpec key = schema.fields[f];
    key.column = src.key_column;
    out.fields.push_back(std::move(key));
    index.push_back(f);
    break;
  }
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const FieldSpec& spec = schema.fields[f];
    if (spec.key || spec.source != source || !spec.previous_of.empty()) continue;
    out.fields.push_back(spec);
    if (spec.required_in_file) out.fields.back().required = true;
    out.fields.back().absent_previous = -1;  // an index into the whole record's fields
    index.push_back(f);
  }
  return out;
}

BindResult bind_sources(const RecordSchema& schema, const std::vector<SourceInput>& inputs,
                        const BindOptions& options) {
  const std::size_t ns = schema.sources.size();
  BindResult out;
  out.data = DataSet(schema.fields.size(), column_widths(schema));
  std::vector<BindResult> bound(ns);
  std::vector<std::vector<std::size_t>> index(ns);
  KeySet listed;
  for (std::size_t s = 0; s < ns; ++s) {
    const SourceSpec& src = schema.sources[s];
    const SourceInput& in = inputs.at(s);
    const RecordSchema sub = source_schema(schema, s, index[s]);
    if (in.given) {
      BindOptions o = options;
      o.keep_keys = s == 0 ? nullptr : &listed;
      o.window = nullptr;  // each source whole: the joined records are handed over (bind_files)
      bound[s] = bind_data_file(in.path, in.bytes, sub, o, in.sheet);
    }
    for (std::uint32_t f : bound[s].absent_fields) {
      out.absent_fields.push_back(static_cast<std::uint32_t>(index[s][f]));
    }
    for (auto* list : {&bound[s].errors, &bound[s].warnings}) {
      for (DataError& e : *list) {
        e.source = src.name;
        (list == &bound[s].errors ? out.errors : out.warnings).push_back(std::move(e));
      }
    }
    if (s == 0) {
      // The school list's keys, for reading only those rows of the other files.
      const DataSet& d = bound[0].data;
      listed.reserve(d.size());
      for (std::size_t r = 0; r < d.size(); ++r) listed.insert(d.at(r, 0));
    }
  }
  if (!out.errors.empty()) return out;

  // Each joined source's rows by key (the binder has checked keys are unique).
  std::vector<std::unordered_map<Value, std::size_t>> rows_by_key(ns);
  for (std::size_t s = 1; s < ns; ++s) {
    const DataSet& d = bound[s].data;
    rows_by_key[s].reserve(d.size());
    for (std::size_t r = 0; r < d.size(); ++r) rows_by_key[s].emplace(d.at(r, 0), r);
  }
  // One text pool: the list's, with each other source's text moved in and renumbered.
  DataSet& data = out.data;
  DataSet& list = bound[0].data;
  data.text = std::move(list.text);
  std::vector<std::vector<Value>> text_ids(ns);
  for (std::size_t s = 1; s < ns; ++s)
    text_ids[s] = data.text.absorb(std::move(bound[s].data.text));

  data.resize(list.size());
  data.source_row = list.source_row;
  for (std::size_t r = 0; r < list.size(); ++r) {
    const Value key = list.at(r, 0);
    for (std::size_t s = 0; s < ns; ++s) {
      const std::vector<std::size_t>& fields = index[s];
      const DataSet* from = nullptr;
      std::size_t at = r;
      if (s == 0) {
        from = &list;
      } else if (auto it = rows_by_key[s].find(key); it != rows_by_key[s].end()) {
        from = &bound[s].data;
        at = it->second;
      }
      for (std::size_t i = s == 0 ? 0 : 1; i < fields.size(); ++i) {
        const FieldSpec& spec = schema.fields[fields[i]];
        Value v = from != nullptr ? from->at(at, i) : spec.missing_means;
        if (s > 0 && from != nullptr && spec.kind == ValueKind::Text && v != kMissing) {
          v = text_ids[s][static_cast<std::size_t>(v)];
        }
        data.set(r, fields[i], v);
      }
    }
  }
  return out;
}

}  // namespace catengine::engine
