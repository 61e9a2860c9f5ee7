// A record read from several named files joined on its key: the first source is the school list
// (one record per row that counts, in its order); every other source is read only for the keys
// in that list, and a record absent from it has that source's fields missing (or their
// defaults). A duplicate key within one source is a data error; keys not in the list are
// ignored, so a national file can be given whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/binder.hpp"

namespace catengine::engine {

// One source's file as given on the command line, in the schema's source order.
struct SourceInput {
  bool given = false;  // false: not given (allowed only for a source that `may be absent`)
  std::string path;    // for messages
  std::string sheet;   // a workbook's sheet; empty: the first
  std::string_view bytes;
};

// `inputs` has one entry per schema source. Every error of every source is reported, each
// naming its source; nothing is joined unless all are clean. Linear in the files' sizes.
BindResult bind_sources(const RecordSchema& schema, const std::vector<SourceInput>& inputs,
                        const BindOptions& options = {});

// The schema one source's file is bound with: the key field (under the source's key column)
// first, then the fields read from that source, in record order. `fields[i]` of the result is
// record field `index[i]`.
RecordSchema source_schema(const RecordSchema& schema, std::size_t source,
                           std::vector<std::size_t>& index);

}  // namespace catengine::engine
