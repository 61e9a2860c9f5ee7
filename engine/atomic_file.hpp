// Reading and writing whole files. Writes go through a temporary file and a rename, so a reader
// (or a crash) sees either the old file or the complete new one, never a half-written result.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace catengine {

// Replaces (or creates) `target` with `contents`: writes a uniquely named temporary file in the
// same folder, flushes it to disk, then renames it over `target`. On failure the temporary file
// is removed, `target` is left as it was, and `error` says in plain English what went wrong,
// naming the path. If `target` is a symbolic link, the link itself is replaced.
bool write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                           std::string& error);

// The whole file, byte for byte. On failure returns nullopt and sets `error` (missing file,
// folder, no permission, ...), naming the path.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error);

}  // namespace catengine
