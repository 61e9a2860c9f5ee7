// Lints about what nothing uses (W0104 to W0107): definitions, parameters, record fields, and
// `use` lines none of whose declarations are used.
#include "lang/lint/lint_model.hpp"

#include <filesystem>
#include <functional>

namespace catengine::lang::lint_detail {

void Linter::check_unused() {
  const FileId main = p_.modules.at(p_.main_module).file;
  std::vector<char> field_used(p_.record.fields.size(), 0), def_used(p_.definitions.size(), 0),
      param_used(p_.parameters.size(), 0);
  for (ModuleId m = 0; m < p_.modules.size(); ++m) {
    const auto& res = p_.tables[m].resolutions;
    for (const auto& r : res) {
      if (r.kind == RKind::Field && r.index < field_used.size()) field_used[r.index] = 1;
      if (r.kind == RKind::Definition && r.index < def_used.size()) def_used[r.index] = 1;
      if (r.kind == RKind::Parameter && r.index < param_used.size()) param_used[r.index] = 1;
    }
  }
  for (const auto& c : p_.cadences) {
    if (c.dates_param) param_used[*c.dates_param] = 1;
  }
  for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
    const auto& d = p_.definitions[i];
    const bool named =
        d.kind == DefinitionInfo::Kind::Define || d.kind == DefinitionInfo::Kind::Decision;
    if (!named || def_used[i] || d.span.file != main) continue;
    report(DiagnosticKind::W0104, d.span,
           fmt::format("`{}` is {} but nothing reads it", d.name,
                       d.is_decision ? "decided" : "defined"),
           "unused", "use it in a rule or an output column, or remove it");
  }
  for (std::uint32_t i = 0; i < p_.parameters.size(); ++i) {
    const auto& pr = p_.parameters[i];
    if (param_used[i] || pr.span.file != main) continue;
    report(DiagnosticKind::W0105, pr.span,
           fmt::format("the parameter `{}` is never looked up", pr.name), "unused",
           fmt::format("look it up (`{} of ...`) or remove it", pr.name));
  }
  if (p_.record.span.file == main && record_decl_ != nullptr) {
    for (std::uint32_t i = 0; i < p_.record.fields.size(); ++i) {
      const FieldInfo& f = p_.record.fields[i];
      // A hidden `previous X` field is made by what reads it (or fills a field whose column is
      // absent): it is never read from the data.
      if (field_used[i] || f.key || !f.previous_of.empty()) continue;
      bool shown = false;
      for (const auto& fd : record_decl_->fields) {
        if (fd.name.name == f.name) shown = fd.shown;
      }
      if (shown) continue;
      report(DiagnosticKind::W0107, f.span,
             fmt::format("the field `{}` of `{}` is read from the data, but no rule or output "
                         "column uses it",
                         f.name, p_.record.name),
             "unused field",
             "remove it, or add `, shown` to the field if it is kept for people reading the data");
    }
  }
}

std::optional<ModuleId> Linter::used_module(const UseDecl& use, ModuleId importer) const {
  namespace fs = std::filesystem;
  if (use.is_path) {
    const std::string want = (fs::path(p_.module_paths[importer]).parent_path() / use.target)
                                 .lexically_normal()
                                 .string();
    for (ModuleId m = 0; m < p_.module_paths.size(); ++m) {
      if (fs::path(p_.module_paths[m]).lexically_normal().string() == want) return m;
    }
    return std::nullopt;
  }
  std::string rest = use.target.rfind("stdlib.", 0) == 0 ? use.target.substr(7) : use.target;
  std::replace(rest.begin(), rest.end(), '.', '/');
  const std::string suffix = "/" + rest + ".policy";
  for (ModuleId m = 0; m < p_.module_paths.size(); ++m) {
    const std::string path = fs::path(p_.module_paths[m]).lexically_normal().generic_string();
    if (path.size() >= suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return m;
    }
    if (path == suffix.substr(1)) return m;
  }
  return std::nullopt;
}

std::set<FileId> Linter::files_used_by(ModuleId m) const {
  std::set<FileId> out;
  auto enum_file = [&](const std::string& type_name) {
    for (const auto& e : p_.enums) {
      if (e.name == type_name) out.insert(e.span.file);
    }
  };
  const Module& mod = p_.modules[m];
  const auto& tables = p_.tables[m];
  bool working_days = false;
  bool terms = false;  // counts in terms, so it uses the term calendar
  for (std::size_t e = 0; e < tables.resolutions.size(); ++e) {
    const Resolution& r = tables.resolutions[e];
    switch (r.kind) {
      case RKind::Field:
        out.insert(p_.record.fields[r.index].span.file);
        break;
      case RKind::Definition:
        out.insert(p_.definitions[r.index].span.file);
        break;
      case RKind::Parameter:
        out.insert(p_.parameters[r.index].span.file);
        break;
      case RKind::Builtin:
        // The row's calendar column: it counts working days, so it uses a holiday calendar.
        if (info(static_cast<Builtin>(r.index)).calendar) working_days = true;
        break;
      default:
        break;
    }
    const Type& t = tables.types[e];
    if (t.base == BaseType::Enum && t.enum_id < p_.enums.size())
      out.insert(p_.enums[t.enum_id].span.file);
  }
  for (const Decl& d : mod.decls) {
    if (const auto* r = std::get_if<RecordDecl>(&d)) {
      for (const auto& f : r->fields) enum_file(f.type.name);
    } else if (const auto* pd = std::get_if<ParamDecl>(&d)) {
      enum_file(pd->type.name);
    } else if (const auto* dd = std::get_if<DefineDecl>(&d)) {
      if (dd->type) enum_file(dd->type->name);
    } else if (const auto* dc = std::get_if<DecisionDecl>(&d)) {
      enum_file(dc->type.name);
    } else if (const auto* n = std::get_if<NoticeDecl>(&d)) {
      if (n->respond_within != kNoExpr) working_days = true;
      if (n->respond_by_term_end) terms = true;
    } else if (const auto* c = std::get_if<CadenceDecl>(&d)) {
      for (const auto& iv : c->intervals) {
        if (iv.unit == Interval::Unit::Terms || iv.unit == Interval::Unit::HalfTerms) terms = true;
      }
      if (c->dates_of) {
        for (const auto& pr : p_.parameters) {
          if (pr.name == c->dates_of->name) out.insert(pr.span.file);
        }
      }
    }
  }
  if (working_days && !p_.calendars.empty()) out.insert(p_.calendars.back().span.file);
  if (terms && !p_.term_calendars.empty()) out.insert(p_.term_calendars.back().span.file);
  return out;
}

void Linter::check_imports() {
  for (ModuleId m = 0; m < p_.modules.size(); ++m) {
    std::optional<std::set<FileId>> used;
    for (const Decl& d : p_.modules[m].decls) {
      const auto* use = std::get_if<UseDecl>(&d);
      if (use == nullptr) continue;
      auto target = used_module(*use, m);
      if (!target || *target == m) continue;
      if (!used) used = files_used_by(m);
      if (used->count(p_.modules[*target].file) != 0) continue;
      report(DiagnosticKind::W0106, use->span,
             fmt::format("nothing from `{}` is used", use->target), "unused import",
             "remove this line");
    }
  }
}

}  // namespace catengine::lang::lint_detail
