// The data files of a run read (and hashed) while the policy compiles. Reading a file does not
// need the compiled policy, only the path an argument names, so on more than one thread the
// reading starts first and the compiling goes on beside it (at 24,000 records, reading and
// hashing the file take about as long as compiling Peterborough). Only regular files are read
// ahead (a pipe can be read once); a file that cannot be read is not kept, so its error is
// reported by the usual reading, in the usual order, after any error in the policy.
#pragma once

#include <future>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace catengine::engine {

// The path and sheet `--data` names: `PATH#SHEET` names a workbook's sheet unless a file is
// called that (see read_data_files).
std::pair<std::string, std::string> data_path_and_sheet(const std::string& arg);

class DataPrefetch {
 public:
  struct File {
    std::string bytes;
    std::string sha256;
  };
  // Starts reading every file `args` (`--data` values, `NAME=PATH` or `PATH`) may name, unless
  // `threads` is 1.
  DataPrefetch(const std::vector<std::string>& args, unsigned threads);
  DataPrefetch(const DataPrefetch&) = delete;
  DataPrefetch& operator=(const DataPrefetch&) = delete;
  ~DataPrefetch();

  // The bytes and SHA-256 of the file at `path`, read ahead (moved out: a second call gives
  // nothing); nullopt when it was not read ahead.
  std::optional<File> take(const std::string& path);

 private:
  std::future<std::map<std::string, File>> reading_;
  std::optional<std::map<std::string, File>> files_;
};

}  // namespace catengine::engine
