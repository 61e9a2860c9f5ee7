// Child-process plumbing for git: posix_spawnp with pipes for stdout and stderr, drained with
// poll() so that neither pipe can fill and stall git.
#include "tools/git_source.hpp"

#include <cerrno>
#include <cstdlib>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "system/atomic_file.hpp"

extern char** environ;

namespace catengine::engine {

namespace fs = std::filesystem;

GitOutput run_git(const std::string& repo_dir, const std::vector<std::string>& args) {
  GitOutput result;
  std::vector<std::string> argv_strings{"git", "-C", repo_dir};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0) return result;
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]), close(out_pipe[1]);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(out_pipe[0]), close(err_pipe[0]);
    return result;
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.started = true;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  // posix_spawnp reports a missing program only through the child's exit status 127.
  if (result.status == 127 && result.out.empty() && result.err.empty()) result.started = false;
  return result;
}

std::optional<std::pair<std::string, std::string>> split_revision(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size() || spec[0] == '-')
    return std::nullopt;
  return std::pair{spec.substr(0, colon), spec.substr(colon + 1)};
}

GitSnapshot::GitSnapshot(GitSnapshot&& other) noexcept
    : root_(std::move(other.root_)),
      path_(std::move(other.path_)),
      revision_(std::move(other.revision_)) {
  other.root_.clear();
}

GitSnapshot& GitSnapshot::operator=(GitSnapshot&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
    root_ = std::move(other.root_);
    path_ = std::move(other.path_);
    revision_ = std::move(other.revision_);
    other.root_.clear();
  }
  return *this;
}

GitSnapshot::~GitSnapshot() {
  std::error_code ec;
  if (!root_.empty()) fs::remove_all(root_, ec);
}

std::string GitSnapshot::relabel(std::string text) const {
  if (root_.empty()) return text;
  const std::string from = root_.string() + "/";
  const std::string to = revision_ + ":";
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

namespace {

std::string git_problem(const GitOutput& g, const std::string& what) {
  if (!g.started) return "cannot run `git`: is it installed and on the PATH?";
  std::string message = g.err;
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  if (message.rfind("fatal: ", 0) == 0) message = message.substr(7);
  return fmt::format("cannot read `{}` from git: {}", what,
                     message.empty() ? "git failed" : message);
}

}  // namespace

std::optional<GitSnapshot> GitSnapshot::take(const std::string& repo_dir,
                                             const std::string& revision, const std::string& path,
                                             std::string& error) {
  const std::string spec = revision + ":" + path;
  if (revision.empty() || revision[0] == '-') {
    error = fmt::format("`{}` is not a git revision", revision);
    return std::nullopt;
  }
  GitOutput type = run_git(repo_dir, {"cat-file", "-t", spec});
  if (!type.started || type.status != 0) {
    error = git_problem(type, spec);
    return std::nullopt;
  }
  const bool is_tree = type.out.rfind("tree", 0) == 0;
  std::vector<std::string> files;  // relative to `path`
  std::vector<bool> links;         // per file: a symbolic link in git (mode 120000)
  if (is_tree) {
    GitOutput listing = run_git(repo_dir, {"ls-tree", "-r", "-z", spec});
    if (listing.status != 0) {
      error = git_problem(listing, spec);
      return std::nullopt;
    }
    // Each entry: MODE SP TYPE SP OBJECT TAB NAME NUL. Submodules (commits) are left out.
    std::size_t start = 0;
    for (std::size_t end; (end = listing.out.find('\0', start)) != std::string::npos;
         start = end + 1) {
      const std::string entry = listing.out.substr(start, end - start);
      const std::size_t tab = entry.find('\t');
      if (tab == std::string::npos || entry.compare(0, 6, "160000") == 0) continue;
      std::string name = entry.substr(tab + 1);
      if (name.rfind("tests/", 0) == 0) continue;
      links.push_back(entry.compare(0, 6, "120000") == 0);
      files.push_back(std::move(name));
    }
  } else if (type.out.rfind("blob", 0) != 0) {
    error = fmt::format("`{}` is neither a file nor a folder in git", spec);
    return std::nullopt;
  }

  GitSnapshot snap;
  std::string pattern = (fs::temp_directory_path() / "catengine-git-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    error = fmt::format("cannot make a temporary folder for `{}`", spec);
    return std::nullopt;
  }
  snap.root_ = pattern;
  snap.revision_ = revision;
  // Kept relative: git paths never climb out of the repository.
  const fs::path relative = fs::path(path).lexically_normal().relative_path();
  for (const auto& part : relative) {
    if (part == "..") {
      error = fmt::format("`{}`: paths at a revision may not contain `..`", spec);
      return std::nullopt;
    }
  }
  const fs::path target = snap.root_ / relative;
  // A symbolic link is written as one, so the loader confines what it points at exactly as it
  // would in a working tree (a link out of the policy's folder is refused, never followed).
  auto write = [&](const std::string& object, const fs::path& to, bool link) {
    GitOutput blob = run_git(repo_dir, {"cat-file", "blob", object});
    if (blob.status != 0) {
      error = git_problem(blob, object);
      return false;
    }
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (!link) return write_file_atomically(to, blob.out, error);
    fs::create_symlink(blob.out, to, ec);
    if (ec) error = fmt::format("cannot copy the link `{}` from git: {}", object, ec.message());
    return !ec;
  };
  if (is_tree) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (!write(spec + "/" + files[i], target / files[i], links[i])) return std::nullopt;
    }
  } else if (!write(spec, target, false)) {
    return std::nullopt;
  }
  snap.path_ = target.string();
  return snap;
}

}  // namespace catengine::engine
