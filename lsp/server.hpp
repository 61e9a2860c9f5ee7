// `catengine lsp`: a Language Server Protocol server over a pair of file descriptors. One
// thread and one message loop: every message that is waiting is read (so a cancellation reaches
// the request it cancels while that is still queued), answered in order, and the open policies
// are checked again only when no message is waiting, so typing is never held up by a check.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"
#include "lsp/text_position.hpp"
#include "lsp/transport.hpp"

namespace catengine::lsp {

using Json = nlohmann::json;

// The protocol's error codes (JSON-RPC's and the LSP's own).
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
  RequestCancelled = -32800,
};

// A failed request: its code and words, sent as the response's `error`.
struct RequestError {
  ErrorCode code;
  std::string message;
};

struct Document {
  std::string uri;
  std::string path;  // weakly canonical
  std::string text;
  std::int64_t version = 0;
};

std::string uri_to_path(const std::string& uri);
std::string path_to_uri(const std::string& path);

class Server {
 public:
  Server(int in_fd, int out_fd) : transport_(in_fd, out_fd) {}
  // Runs until `exit` or the end of the input; the process's exit status (0 after `shutdown`).
  int run();

  // For features: the analysis covering an open document (checked now if it changed).
  const Analysis& analysis_for(const std::string& path);
  const Document* document(const std::string& uri) const;
  const Json& init_options() const { return init_options_; }
  const std::string& root() const { return root_; }

 private:
  struct Queued {
    Json message;
    bool cancelled = false;
  };

  bool read_message();  // false at the end of the input
  void enqueue(Json message);
  void handle(Queued& q);
  Json dispatch(const std::string& method, const Json& params);
  void notification(const std::string& method, const Json& params);
  void respond(const Json& id, Json result);
  void respond_error(const Json& id, ErrorCode code, const std::string& message);
  void send(const Json& message);

  void did_open(const Json& params);
  void did_change(const Json& params);
  void did_close(const Json& params);
  void changed(const std::string& path);
  void publish_dirty();
  void publish(const Analysis& a);
  std::string main_of(const std::string& path);
  const Analysis& analysis_for_main(const std::string& main);
  lang::SourceOverlay overlay() const;

  Transport transport_;
  std::deque<Queued> queue_;
  bool initialized_ = false;
  bool shutdown_ = false;
  std::optional<int> exit_code_;
  Json init_options_ = Json::object();
  std::string root_;
  std::map<std::string, Document> documents_;                  // by path
  std::map<std::string, std::shared_ptr<Analysis>> analyses_;  // by main path
  std::set<std::string> dirty_;                                // main paths to check again
  std::map<std::string, std::string> main_of_;                 // file path -> main path
  std::set<std::string> published_;                            // URIs with diagnostics shown
  bool escaped_ = false;  // the message being handled held bytes that are not UTF-8
};

}  // namespace catengine::lsp
