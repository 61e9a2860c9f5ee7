// One policy as the editor sees it: its main file and every module it uses, loaded from the
// open documents where they are open and from disk otherwise, checked and linted. The symbol
// index says, for every name in every file, which declaration it means, so hover, definition,
// references and rename all read one table. When the policy has errors the checker hands back no
// checked policy; names are then resolved by what they spell, and types come from what the
// declarations write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lang/check/checked_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "lang/load/loader.hpp"
#include "lang/source/source.hpp"

namespace catengine::lsp {

enum class SymbolKind : std::uint8_t {
  Field,
  Define,
  Decision,
  Parameter,
  Enum,
  EnumMember,
  Notice,
  Cadence,
  Calendar,
  Source,
  Warning,
  Rule,
  Ground,
  Module,
};

struct Symbol {
  SymbolKind kind{};
  std::string name;       // a member's key; a module's path
  std::string container;  // an enumeration member's enumeration, a rule's decision
  lang::SourceSpan name_span;
  lang::SourceSpan decl_span;
  std::uint32_t module = 0;  // index into Analysis::modules
  std::uint32_t decl = 0;    // index into that module's decls
  std::uint32_t part = 0;    // a field, member, rule or ground within the declaration
};

// A place where a name is written: its declaration, or a use of it.
struct Occurrence {
  lang::SourceSpan span;
  std::uint32_t symbol = 0;
  bool declaration = false;
};

struct Analysis {
  std::string main_path;     // the policy's main file (or the module checked on its own)
  bool module_only = false;  // no policy uses this file: checked as a module
  lang::SourceMap sources;
  std::vector<std::string> paths;  // by module index, as loaded
  std::vector<lang::Module> modules;
  std::optional<lang::CheckedPolicy> checked;
  std::vector<lang::Diagnostic> diagnostics;  // load, check and lint
  std::vector<Symbol> symbols;
  std::vector<Occurrence> occurrences;  // sorted by file, then start
  // The first symbol of each kind and name, for find(): a 4 MiB policy has 150,000 names.
  std::unordered_map<std::string, std::uint32_t> first_of;

  // The module loaded from `path` (weakly canonical), or -1.
  int module_of(const std::string& canonical_path) const;
  // The innermost occurrence at `offset` of file `file`, or nullptr.
  const Occurrence* occurrence_at(lang::FileId file, std::uint32_t offset) const;
  std::vector<const Occurrence*> occurrences_of(std::uint32_t symbol) const;
  // A symbol by kind and name (the first declared), or -1.
  int find(SymbolKind kind, std::string_view name) const;
};

std::string canonical_path(const std::string& path);

// Loads `main_path` (its text in `main_text`) with the overlay for the other open files, checks
// and lints it. `module_only`: check it as a module (a file no policy uses).
Analysis analyse(const std::string& main_path, std::string main_text,
                 const lang::SourceOverlay& overlay, bool module_only);

}  // namespace catengine::lsp
