// Reading a policy as it was at a git revision (`main:policies/peterborough`), so `diff` can
// compare a branch with main without a second checkout. git runs as a child process with an
// argument array (posix_spawnp), never through a shell, so no user text is ever interpreted.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace catengine::engine {

struct GitOutput {
  bool started = false;  // false: git could not be run at all
  int status = -1;       // exit status when it ran
  std::string out;
  std::string err;
};

// Runs `git -C repo_dir ARGS...` and collects its output.
GitOutput run_git(const std::string& repo_dir, const std::vector<std::string>& args);

// `REV:PATH` split at its first colon; nullopt unless both sides are non-empty and REV does not
// start with `-` (which git would take for an option).
std::optional<std::pair<std::string, std::string>> split_revision(const std::string& spec);

// A policy file or folder at a revision, written out to a private temporary folder (removed
// again when this is destroyed). For a folder, every file under it is written (except its
// tests), so relative imports and calendars beside the policy resolve within the same revision;
// `use stdlib.x` still reads the working stdlib.
class GitSnapshot {
 public:
  GitSnapshot() = default;
  GitSnapshot(GitSnapshot&& other) noexcept;
  GitSnapshot& operator=(GitSnapshot&& other) noexcept;
  GitSnapshot(const GitSnapshot&) = delete;
  GitSnapshot& operator=(const GitSnapshot&) = delete;
  ~GitSnapshot();

  // Where the policy was written: pass this to compile_policy.
  const std::string& path() const { return path_; }
  // Rewrites temporary paths in a message back to `REV:PATH` form.
  std::string relabel(std::string text) const;

  // On failure returns nullopt and sets `error` (no git, not a repository, unknown revision,
  // no such path at that revision).
  static std::optional<GitSnapshot> take(const std::string& repo_dir, const std::string& revision,
                                         const std::string& path, std::string& error);

 private:
  std::filesystem::path root_;  // the temporary folder
  std::string path_;
  std::string revision_;
};

}  // namespace catengine::engine
