// Loading, checking and linting one policy for the editor, and the index of every name in it.
#include "lsp/analysis.hpp"

#include <algorithm>

#include "lang/check/checker.hpp"
#include "lang/lint/lints.hpp"

namespace catengine::lsp {

namespace fs = std::filesystem;
using namespace lang;

std::string canonical_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

int Analysis::module_of(const std::string& canonical) const {
  for (std::size_t m = 0; m < paths.size(); ++m) {
    if (canonical_path(paths[m]) == canonical) return static_cast<int>(m);
  }
  return -1;
}

const Occurrence* Analysis::occurrence_at(FileId file, std::uint32_t offset) const {
  const Occurrence* best = nullptr;
  for (const auto& o : occurrences) {
    if (o.span.file != file || o.span.begin > offset || offset > o.span.end) continue;
    if (best == nullptr || o.span.end - o.span.begin < best->span.end - best->span.begin) best = &o;
  }
  return best;
}

std::vector<const Occurrence*> Analysis::occurrences_of(std::uint32_t symbol) const {
  std::vector<const Occurrence*> out;
  for (const auto& o : occurrences) {
    if (o.symbol == symbol) out.push_back(&o);
  }
  return out;
}

namespace {

std::string symbol_key(SymbolKind kind, std::string_view container, std::string_view name) {
  std::string key(1, static_cast<char>('A' + static_cast<int>(kind)));
  key += container;
  key += '\0';
  key += name;
  return key;
}

}  // namespace

int Analysis::find(SymbolKind kind, std::string_view name) const {
  const auto it = first_of.find(symbol_key(kind, {}, name));
  return it == first_of.end() ? -1 : static_cast<int>(it->second);
}

namespace {

// The module a `use` names, resolved as the loader resolves it.
std::string use_target(const UseDecl& use, const std::string& importer) {
  if (use.is_path) return canonical_path((fs::path(importer).parent_path() / use.target).string());
  std::string rest = use.target;
  if (rest.rfind("stdlib.", 0) == 0) rest = rest.substr(7);
  std::replace(rest.begin(), rest.end(), '.', '/');
  return canonical_path((default_stdlib_dir() / (rest + ".policy")).string());
}

class Indexer {
 public:
  explicit Indexer(Analysis& a) : a_(a) {}

  void run() {
    for (std::uint32_t m = 0; m < a_.modules.size(); ++m) declare_module(m);
    for (std::uint32_t m = 0; m < a_.modules.size(); ++m) reference_module(m);
    std::sort(a_.occurrences.begin(), a_.occurrences.end(),
              [](const Occurrence& x, const Occurrence& y) {
                return std::tie(x.span.file, x.span.begin, x.span.end) <
                       std::tie(y.span.file, y.span.begin, y.span.end);
              });
  }

 private:
  std::uint32_t add(Symbol s) {
    const auto id = static_cast<std::uint32_t>(a_.symbols.size());
    a_.occurrences.push_back({s.name_span, id, true});
    a_.first_of.emplace(symbol_key(s.kind, {}, s.name), id);
    if (!s.container.empty()) a_.first_of.emplace(symbol_key(s.kind, s.container, s.name), id);
    a_.symbols.push_back(std::move(s));
    return id;
  }
  void refer(SourceSpan span, int symbol) {
    if (symbol >= 0) a_.occurrences.push_back({span, static_cast<std::uint32_t>(symbol), false});
  }

  // The member's key as written (`3b` in `"3b" "Requires improvement"`), quotes included.
  SourceSpan key_span(const EnumMember& member) const {
    const std::string& text = a_.sources.file(member.span.file).text();
    SourceSpan s = member.span;
    if (s.begin >= text.size()) return s;
    const std::size_t end =
        text[s.begin] == '"' ? text.find('"', s.begin + 1) + 1 : s.begin + member.key.size();
    if (end > s.begin && end <= s.end) s.end = static_cast<std::uint32_t>(end);
    return s;
  }

  void declare_module(std::uint32_t m) {
    const Module& mod = a_.modules[m];
    // The module itself: its whole file, named by its path (a `use` refers to it).
    const auto file_size = static_cast<std::uint32_t>(a_.sources.file(mod.file).text().size());
    a_.first_of.emplace(symbol_key(SymbolKind::Module, {}, canonical_path(a_.paths[m])),
                        static_cast<std::uint32_t>(a_.symbols.size()));
    a_.symbols.push_back({SymbolKind::Module,
                          canonical_path(a_.paths[m]),
                          {},
                          {mod.file, 0, 0},
                          {mod.file, 0, file_size},
                          m,
                          0,
                          0});
    for (std::uint32_t d = 0; d < mod.decls.size(); ++d) {
      std::visit([&](const auto& decl) { declare(decl, m, d); }, mod.decls[d]);
    }
  }

  template <typename T>
  void declare(const T& decl, std::uint32_t m, std::uint32_t d) {
    if constexpr (std::is_same_v<T, EnumDecl>) {
      add({SymbolKind::Enum, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
      for (std::uint32_t k = 0; k < decl.members.size(); ++k) {
        add({SymbolKind::EnumMember, decl.members[k].key, decl.name.name, key_span(decl.members[k]),
             decl.members[k].span, m, d, k});
      }
    } else if constexpr (std::is_same_v<T, RecordDecl>) {
      for (std::uint32_t k = 0; k < decl.fields.size(); ++k) {
        const FieldDecl& f = decl.fields[k];
        add({SymbolKind::Field, f.name.name, decl.name.name, f.name.span, f.span, m, d, k});
      }
    } else if constexpr (std::is_same_v<T, ParamDecl>) {
      add({SymbolKind::Parameter, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    } else if constexpr (std::is_same_v<T, DefineDecl>) {
      add({SymbolKind::Define, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    } else if constexpr (std::is_same_v<T, DecisionDecl>) {
      add({SymbolKind::Decision, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
      for (std::uint32_t k = 0; k < decl.rules.size(); ++k) {
        add({SymbolKind::Rule, decl.rules[k].id.name, decl.name.name, decl.rules[k].id.span,
             decl.rules[k].span, m, d, k});
      }
    } else if constexpr (std::is_same_v<T, NoticeDecl>) {
      add({SymbolKind::Notice, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
      for (std::uint32_t k = 0; k < decl.grounds.size(); ++k) {
        add({SymbolKind::Ground, decl.grounds[k].id.name, decl.name.name, decl.grounds[k].id.span,
             decl.grounds[k].span, m, d, k});
      }
    } else if constexpr (std::is_same_v<T, CadenceDecl>) {
      add({SymbolKind::Cadence, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    } else if constexpr (std::is_same_v<T, CalendarDecl>) {
      add({SymbolKind::Calendar, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    } else if constexpr (std::is_same_v<T, SourceDecl>) {
      add({SymbolKind::Source, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    } else if constexpr (std::is_same_v<T, WarnDecl>) {
      add({SymbolKind::Warning, decl.name.name, {}, decl.name.span, decl.span, m, d, 0});
    }
  }

  // The symbol a name in an expression means: by the checker's resolution when there is one,
  // else by what it spells (a definition first, as the checker's scopes do).
  int resolve(std::uint32_t m, ExprId id, const Expr& e) {
    if (a_.checked) {
      const ModuleTables& t = a_.checked->tables.at(m);
      if (id < t.resolutions.size()) {
        const Resolution& r = t.resolutions[id];
        const CheckedPolicy& p = *a_.checked;
        switch (r.kind) {
          case Resolution::Kind::Field:
            return a_.find(SymbolKind::Field, p.record.fields.at(r.index).name);
          case Resolution::Kind::Parameter:
            return a_.find(SymbolKind::Parameter, p.parameters.at(r.index).name);
          case Resolution::Kind::Definition:
            return by_name(p.definitions.at(r.index).name, false);
          case Resolution::Kind::EnumMember: {
            const Type& ty = t.types.at(id);
            if (ty.base != BaseType::Enum || ty.enum_id >= p.enums.size()) return -1;
            const EnumInfo& en = p.enums[ty.enum_id];
            if (r.value < 0 || static_cast<std::size_t>(r.value) >= en.members.size()) return -1;
            return member(en.name, en.members[static_cast<std::size_t>(r.value)].key);
          }
          case Resolution::Kind::Builtin:
          case Resolution::Kind::AsOf:
          case Resolution::Kind::Literal:
            return -1;
          case Resolution::Kind::None:
            break;
        }
      }
    }
    if (e.kind == ExprKind::String) return -1;  // a member only when the checker says so
    return by_name(e.text, e.kind == ExprKind::Name);
  }

  int by_name(std::string_view name, bool members_too) {
    for (SymbolKind k : {SymbolKind::Define, SymbolKind::Decision, SymbolKind::Notice,
                         SymbolKind::Cadence, SymbolKind::Field, SymbolKind::Parameter}) {
      if (int s = a_.find(k, name); s >= 0) return s;
    }
    return members_too ? a_.find(SymbolKind::EnumMember, name) : -1;
  }
  int member(std::string_view en, std::string_view key) {
    const auto it = a_.first_of.find(symbol_key(SymbolKind::EnumMember, en, key));
    return it == a_.first_of.end() ? -1 : static_cast<int>(it->second);
  }

  void type_ref(const TypeRef& t) {
    if (int s = a_.find(SymbolKind::Enum, t.name); s >= 0) {
      refer({t.span.file, t.span.begin,
             std::min<std::uint32_t>(t.span.end,
                                     t.span.begin + static_cast<std::uint32_t>(t.name.size()))},
            s);
    }
  }

  void reference_module(std::uint32_t m) {
    const Module& mod = a_.modules[m];
    for (ExprId id = 0; id < mod.exprs.size(); ++id) {
      const Expr& e = mod.exprs[id];
      if (e.kind == ExprKind::Name || e.kind == ExprKind::String) {
        refer(e.span, resolve(m, id, e));
      } else if (e.kind == ExprKind::Call) {
        refer(e.name_span, resolve(m, id, e));
      }
    }
    for (const Decl& decl : mod.decls) {
      if (const auto* use = std::get_if<UseDecl>(&decl)) {
        refer(use->span, a_.find(SymbolKind::Module, use_target(*use, a_.paths[m])));
      } else if (const auto* r = std::get_if<RecordDecl>(&decl)) {
        for (const FieldDecl& f : r->fields) {
          type_ref(f.type);
          if (f.source) refer(f.source->span, a_.find(SymbolKind::Source, f.source->name));
        }
      } else if (const auto* p = std::get_if<ParamDecl>(&decl)) {
        type_ref(p->type);
      } else if (const auto* d = std::get_if<DefineDecl>(&decl)) {
        if (d->type) type_ref(*d->type);
      } else if (const auto* dec = std::get_if<DecisionDecl>(&decl)) {
        type_ref(dec->type);
      } else if (const auto* c = std::get_if<CadenceDecl>(&decl)) {
        if (c->dates_of)
          refer(c->dates_of->span, a_.find(SymbolKind::Parameter, c->dates_of->name));
      }
    }
  }

  Analysis& a_;
};

bool has_header(const Module& m) {
  return std::any_of(m.decls.begin(), m.decls.end(),
                     [](const Decl& d) { return std::holds_alternative<PolicyHeader>(d); });
}

}  // namespace

Analysis analyse(const std::string& main_path, std::string main_text, const SourceOverlay& overlay,
                 bool module_only) {
  Analysis a;
  a.main_path = main_path;
  a.module_only = module_only;
  LoadResult loaded =
      load_policy_text(main_path, std::move(main_text), a.sources, default_stdlib_dir(), overlay);
  a.paths = loaded.policy.paths;
  a.modules = loaded.policy.modules;
  a.diagnostics = std::move(loaded.diagnostics);
  // A policy that did not load is not checked: every message would follow from the first.
  if (!has_errors(a.diagnostics) && !a.modules.empty()) {
    const bool as_module = module_only || !has_header(a.modules.back());
    CheckResult checked = check(std::move(loaded.policy), {.module = as_module});
    for (auto& d : checked.diagnostics) a.diagnostics.push_back(std::move(d));
    if (checked.policy) {
      for (auto& d : lint(*checked.policy, {.module = as_module}))
        a.diagnostics.push_back(std::move(d));
      a.checked = std::move(checked.policy);
    }
  }
  Indexer(a).run();
  return a;
}

}  // namespace catengine::lsp
