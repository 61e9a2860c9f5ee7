// Building and printing layout documents (see doc.hpp). The printer walks the document with an
// explicit stack, so a deep expression costs heap, not stack.
#include "lang/format/doc.hpp"

#include <utility>

#include "lang/format/formatter.hpp"

namespace catengine::lang {
namespace {

Doc wrap(Doc::Kind kind, Doc inner) {
  Doc d;
  d.kind = kind;
  d.parts.push_back(std::move(inner));
  return d;
}

int flat_width(const Doc& d);

}  // namespace

Doc text(std::string s, std::int64_t src) {
  Doc d;
  d.kind = Doc::Kind::Text;
  d.text = std::move(s);
  d.src = src;
  return d;
}
Doc line() {
  Doc d;
  d.kind = Doc::Kind::Line;
  return d;
}
Doc cat(std::vector<Doc> parts) {
  Doc d;
  d.parts = std::move(parts);
  return d;
}
Doc align(Doc inner) {
  return wrap(Doc::Kind::Align, std::move(inner));
}
Doc group(Doc inner) {
  return wrap(Doc::Kind::Group, std::move(inner));
}

int width_of(std::string_view s) {
  int w = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++w;
  }
  return w;
}

bool fits_flat(int indent, const Doc& d) {
  return indent + flat_width(d) <= kFormatWidth;
}

namespace {

int flat_width(const Doc& d) {
  switch (d.kind) {
    case Doc::Kind::Text:
      return width_of(d.text);
    case Doc::Kind::Line:
      return 1;
    default: {
      int w = 0;
      for (const Doc& p : d.parts) w += flat_width(p);
      return w;
    }
  }
}

class Printer {
 public:
  std::vector<PrintedLine> print(const Doc& doc, int indent) {
    lines_.clear();
    start_line(indent);
    std::vector<Cmd> stack{{indent, false, &doc}};
    while (!stack.empty()) {
      const Cmd cmd = stack.back();
      stack.pop_back();
      const Doc& d = *cmd.doc;
      switch (d.kind) {
        case Doc::Kind::Text:
          if (lines_.back().first_src < 0 && d.src >= 0) lines_.back().first_src = d.src;
          lines_.back().text += d.text;
          column_ += width_of(d.text);
          break;
        case Doc::Kind::Line:
          if (cmd.flat) {
            lines_.back().text += ' ';
            ++column_;
          } else {
            start_line(cmd.indent);
          }
          break;
        case Doc::Kind::Concat:
          push_parts(cmd, stack);
          break;
        case Doc::Kind::Align:
          stack.push_back({column_, cmd.flat, &d.parts.front()});
          break;
        case Doc::Kind::Group: {
          const Cmd inner{cmd.indent, true, &d.parts.front()};
          const bool flat = cmd.flat || fits(kFormatWidth - column_, inner, stack);
          stack.push_back({cmd.indent, flat, &d.parts.front()});
          break;
        }
      }
    }
    for (auto& l : lines_) {
      while (!l.text.empty() && l.text.back() == ' ') l.text.pop_back();
    }
    return std::move(lines_);
  }

 private:
  struct Cmd {
    int indent = 0;
    bool flat = false;
    const Doc* doc = nullptr;
  };

  // A Concat's parts onto the stack, first on top, laid out as the Concat is.
  static void push_parts(const Cmd& cmd, std::vector<Cmd>& stack) {
    const auto& parts = cmd.doc->parts;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      stack.push_back({cmd.indent, cmd.flat, &*it});
    }
  }

  void start_line(int indent) {
    lines_.push_back({std::string(static_cast<std::size_t>(indent), ' '), -1});
    column_ = indent;
  }

  // Whether `first` laid out flat, and what follows it up to the next line break, fit in `room`.
  static bool fits(int room, const Cmd& first, const std::vector<Cmd>& rest) {
    std::vector<Cmd> stack{first};
    std::size_t next_rest = rest.size();
    while (room >= 0) {
      if (stack.empty()) {
        if (next_rest == 0) return true;
        stack.push_back(rest[--next_rest]);
      }
      const Cmd cmd = stack.back();
      stack.pop_back();
      const Doc& d = *cmd.doc;
      switch (d.kind) {
        case Doc::Kind::Text:
          room -= width_of(d.text);
          break;
        case Doc::Kind::Line:
          if (!cmd.flat) return true;
          room -= 1;
          break;
        case Doc::Kind::Concat:
          push_parts(cmd, stack);
          break;
        case Doc::Kind::Align:
        case Doc::Kind::Group:
          stack.push_back({cmd.indent, cmd.flat, &d.parts.front()});
          break;
      }
    }
    return false;
  }

  std::vector<PrintedLine> lines_;
  int column_ = 0;
};

}  // namespace

std::vector<PrintedLine> print_doc(const Doc& doc, int indent) {
  return Printer().print(doc, indent);
}

}  // namespace catengine::lang
