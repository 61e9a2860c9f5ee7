// HTML building blocks for the papers: escaping every piece of text that comes from data or a
// policy, and the page frame (inline stylesheet, A4 print rules) every page shares, so that each
// page is one self-contained file with nothing fetched from the network.
#pragma once

#include <string>
#include <string_view>

namespace catengine::engine {

// `text` with &, <, >, " and ' replaced by entities: safe in element content and in a quoted
// attribute value. Bytes that are not valid UTF-8 pass through unchanged (the reader checked it).
void append_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

// The start of a page up to and including `<body>`: doctype, language, character set, title,
// and the one stylesheet (screen and A4 print, page breaks). `root` is the relative path to the
// report's folder ("" or "../"), for the links in the header.
std::string page_start(std::string_view title, std::string_view root);
// The end of a page: the footer line (escaped) and the closing tags. `sortable` adds the few
// lines of plain script that sort a table with class `sortable` when a heading is clicked.
std::string page_end(std::string_view footer, bool sortable = false);

}  // namespace catengine::engine
