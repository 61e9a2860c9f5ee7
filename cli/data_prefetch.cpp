// Reading the data files beside compiling the policy; see data_prefetch.hpp.
#include "cli/data_prefetch.hpp"

#include <filesystem>
#include <system_error>

#include "system/atomic_file.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

std::pair<std::string, std::string> data_path_and_sheet(const std::string& arg) {
  std::error_code ec;
  if (const auto hash = arg.rfind('#'); hash != std::string::npos &&
                                        !std::filesystem::exists(arg, ec) &&
                                        std::filesystem::exists(arg.substr(0, hash), ec)) {
    return {arg.substr(0, hash), arg.substr(hash + 1)};
  }
  return {arg, ""};
}

namespace {

// Every path an argument may name: the whole argument (a policy without sources takes it as
// the path) and, after a `NAME=`, the rest (see assign_sources).
std::vector<std::string> candidate_paths(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    out.push_back(data_path_and_sheet(arg).first);
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      out.push_back(data_path_and_sheet(arg.substr(eq + 1)).first);
    }
  }
  return out;
}

std::map<std::string, DataPrefetch::File> read_ahead(std::vector<std::string> paths) {
  std::map<std::string, DataPrefetch::File> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (files.count(path) != 0 || !std::filesystem::is_regular_file(path, ec)) continue;
    std::string error;
    auto bytes = read_file(path, error);
    if (!bytes) continue;  // read again in its turn, which reports the error
    std::string sha = sha256_hex(*bytes);
    files.emplace(path, DataPrefetch::File{std::move(*bytes), std::move(sha)});
  }
  return files;
}

}  // namespace

DataPrefetch::DataPrefetch(const std::vector<std::string>& args, unsigned threads) {
  if (threads == 1) return;
  reading_ = std::async(std::launch::async, read_ahead, candidate_paths(args));
}

DataPrefetch::~DataPrefetch() {
  if (reading_.valid()) reading_.wait();
}

std::optional<DataPrefetch::File> DataPrefetch::take(const std::string& path) {
  if (reading_.valid()) {
    try {
      files_ = reading_.get();
    } catch (const std::exception&) {
      files_.emplace();  // out of memory reading ahead: the usual reading will say so
    }
  }
  if (!files_) return std::nullopt;
  const auto it = files_->find(path);
  if (it == files_->end()) return std::nullopt;
  File out = std::move(it->second);
  files_->erase(it);
  return out;
}

}  // namespace catengine::engine
