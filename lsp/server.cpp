// The message loop, the lifecycle (initialize, shutdown, exit), cancellation, the open documents
// and publishing diagnostics.
#include "lsp/server.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/markup.hpp"
#include "base/utf8.hpp"
#include "base/version.hpp"
#include "lsp/features.hpp"

namespace catengine::lsp {

namespace fs = std::filesystem;

namespace {

// Bytes that are not UTF-8 cannot be JSON text. Such a byte B in a message is read as the
// private-use character U+10FF00+B (as Python's surrogateescape does with surrogates), and turned
// back into B in a document's text, so the checker reports the byte where it is.
constexpr unsigned char kEscapeLead[] = {0xF4, 0x8F};
std::string escape_invalid(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = lang::utf8_sequence_length(s.substr(i));
    if (n != 0) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const auto b = static_cast<unsigned char>(s[i]);
    out += static_cast<char>(kEscapeLead[0]);
    out += static_cast<char>(kEscapeLead[1]);
    out += static_cast<char>(0xBC | (b >> 6));
    out += static_cast<char>(0x80 | (b & 0x3F));
    ++i;
  }
  return out;
}
std::string unescape_invalid(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto* u = reinterpret_cast<const unsigned char*>(s.data());
    if (i + 3 < s.size() && u[i] == kEscapeLead[0] && u[i + 1] == kEscapeLead[1] &&
        (u[i + 2] & 0xFC) == 0xBC && (u[i + 3] & 0xC0) == 0x80) {
      out += static_cast<char>(((u[i + 2] & 0x03) << 6) | (u[i + 3] & 0x3F));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool has_policy_header(std::string_view text) {
  return text.rfind("policy \"", 0) == 0 || text.find("\npolicy \"") != std::string_view::npos;
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string uri_to_path(const std::string& uri) {
  std::string rest = uri;
  if (rest.rfind("file://", 0) == 0) rest = rest.substr(7);
  std::string out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex_digit_value(rest[i + 1]) >= 0 &&
        hex_digit_value(rest[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit_value(rest[i + 1]) * 16 + hex_digit_value(rest[i + 2]));
      i += 2;
    } else {
      out += rest[i];
    }
  }
  return canonical_path(out);
}

std::string path_to_uri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("/-._~").find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// ---- The loop ------------------------------------------------------------------------------

int Server::run() {
  bool open = true;
  while (!exit_code_) {
    if (queue_.empty()) {
      if (!open) break;
      if (!transport_.pending()) {
        // Nothing waiting: the moment to check what changed.
        if (!dirty_.empty()) {
          publish_dirty();
          continue;
        }
        transport_.wait(-1);
      }
      open = read_message();
      continue;
    }
    // Take in everything already sent, so a cancellation finds its request still queued.
    while (open && queue_.size() < 256 && transport_.pending()) open = read_message();
    Queued q = std::move(queue_.front());
    queue_.pop_front();
    handle(q);
  }
  if (exit_code_) return *exit_code_;
  return shutdown_ ? 0 : 1;  // the input ended: as `exit`
}

bool Server::read_message() {
  std::optional<Frame> frame = transport_.read();
  if (!frame) return false;
  if (frame->kind == Frame::Kind::BadHeader) {
    respond_error(nullptr, ErrorCode::ParseError,
                  "a message without a valid Content-Length header");
    return true;
  }
  std::string body = std::move(frame->body);
  escaped_ = lang::first_invalid_utf8(body) != std::string::npos;
  if (escaped_) body = escape_invalid(body);
  Json message = Json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    // A Content-Length longer than its body swallows the start of the next message: give that
    // back, so one bad length costs one message.
    const std::size_t next = body.find("Content-Length:");
    const std::string rest = next == std::string::npos ? std::string() : body.substr(next);
    respond_error(nullptr, ErrorCode::ParseError,
                  frame->kind == Frame::Kind::ShortBody
                      ? "the input ended before the message's Content-Length"
                      : "the message is not JSON");
    if (!rest.empty()) transport_.unread(rest);
    return frame->kind != Frame::Kind::ShortBody || !rest.empty();
  }
  if (escaped_ && message.is_object() && message.contains("params")) {
    // Only a document's text keeps the bytes; everything else is text for people.
    Json& params = message["params"];
    if (params.is_object() && params.contains("textDocument") &&
        params["textDocument"].is_object() && params["textDocument"].contains("text") &&
        params["textDocument"]["text"].is_string()) {
      params["textDocument"]["text"] =
          unescape_invalid(params["textDocument"]["text"].get<std::string>());
    }
    if (params.is_object() && params.contains("contentChanges") &&
        params["contentChanges"].is_array()) {
      for (Json& c : params["contentChanges"]) {
        if (c.is_object() && c.contains("text") && c["text"].is_string())
          c["text"] = unescape_invalid(c["text"].get<std::string>());
      }
    }
  }
  enqueue(std::move(message));
  return frame->kind != Frame::Kind::ShortBody;
}

void Server::enqueue(Json message) {
  if (message.is_object() && message.value("method", "") == "$/cancelRequest") {
    const Json id = message.contains("params") && message["params"].is_object()
                        ? message["params"].value("id", Json())
                        : Json();
    for (Queued& q : queue_) {
      if (q.message.contains("id") && q.message["id"] == id && q.message.contains("method"))
        q.cancelled = true;
    }
    return;
  }
  queue_.push_back({std::move(message), false});
}

void Server::handle(Queued& q) {
  const Json& m = q.message;
  if (!m.is_object()) {
    respond_error(nullptr, ErrorCode::InvalidRequest, "a message must be a JSON object");
    return;
  }
  const bool has_id = m.contains("id");
  const Json id = has_id ? m["id"] : Json();
  if (has_id && !id.is_string() && !id.is_number_integer() && !id.is_null()) {
    respond_error(nullptr, ErrorCode::InvalidRequest,
                  "a request's id must be a number or a string");
    return;
  }
  if (!m.contains("method") || !m["method"].is_string()) {
    if (has_id && (m.contains("result") || m.contains("error"))) return;  // a reply to us
    respond_error(id, ErrorCode::InvalidRequest, "a message needs a `method`");
    return;
  }
  const std::string method = m["method"];
  const Json params = m.contains("params") ? m["params"] : Json::object();
  if (!has_id) {
    notification(method, params);
    return;
  }
  if (q.cancelled) {
    respond_error(id, ErrorCode::RequestCancelled, "the request was cancelled");
    return;
  }
  if (shutdown_) {
    respond_error(id, ErrorCode::InvalidRequest, "the server is shutting down");
    return;
  }
  if (!initialized_ && method != "initialize") {
    respond_error(id, ErrorCode::ServerNotInitialized, "the server has not been initialised");
    return;
  }
  try {
    respond(id, dispatch(method, params));
  } catch (const RequestError& e) {
    respond_error(id, e.code, e.message);
  } catch (const nlohmann::json::exception& e) {
    respond_error(id, ErrorCode::InvalidParams, std::string("bad parameters: ") + e.what());
  } catch (const std::exception& e) {
    // A bug answers its own request with an error; the server and the other documents go on.
    respond_error(id, ErrorCode::InternalError, std::string("internal error: ") + e.what());
  }
}

Json Server::dispatch(const std::string& method, const Json& params) {
  if (method == "initialize") {
    if (initialized_) throw RequestError{ErrorCode::InvalidRequest, "already initialised"};
    initialized_ = true;
    if (params.contains("initializationOptions") && params["initializationOptions"].is_object())
      init_options_ = params["initializationOptions"];
    if (params.contains("rootUri") && params["rootUri"].is_string())
      root_ = uri_to_path(params["rootUri"]);
    else if (params.contains("rootPath") && params["rootPath"].is_string())
      root_ = canonical_path(params["rootPath"]);
    return {{"capabilities",
             {{"positionEncoding", "utf-16"},
              {"textDocumentSync",
               {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
              {"hoverProvider", true},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"renameProvider", {{"prepareProvider", true}}},
              {"completionProvider", {{"triggerCharacters", {" ", "\"", "["}}}},
              {"documentFormattingProvider", true},
              {"documentRangeFormattingProvider", true},
              {"foldingRangeProvider", true},
              {"documentSymbolProvider", true},
              {"codeLensProvider", {{"resolveProvider", false}}},
              {"executeCommandProvider", {{"commands", {"catengine.explain"}}}}}},
            {"serverInfo", {{"name", "catengine"}, {"version", catengine_version()}}}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(*this, params);
  if (method == "textDocument/definition") return definition(*this, params);
  if (method == "textDocument/references") return references(*this, params);
  if (method == "textDocument/prepareRename") return prepare_rename(*this, params);
  if (method == "textDocument/rename") return rename(*this, params);
  if (method == "textDocument/completion") return completion(*this, params);
  if (method == "textDocument/formatting") return formatting(*this, params);
  if (method == "textDocument/rangeFormatting") return range_formatting(*this, params);
  if (method == "textDocument/foldingRange") return folding_ranges(*this, params);
  if (method == "textDocument/documentSymbol") return document_symbols(*this, params);
  if (method == "textDocument/codeLens") return code_lenses(*this, params);
  if (method == "workspace/executeCommand") return execute_command(*this, params);
  throw RequestError{ErrorCode::MethodNotFound, "no method `" + method + "`"};
}

void Server::notification(const std::string& method, const Json& params) {
  if (method == "exit") {
    exit_code_ = shutdown_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shutdown_) return;  // dropped, as the protocol says
  try {
    if (method == "textDocument/didOpen") did_open(params);
    if (method == "textDocument/didChange") did_change(params);
    if (method == "textDocument/didClose") did_close(params);
    if (method == "textDocument/didSave" || method == "workspace/didChangeWatchedFiles") {
      // A file on disk changed: everything is checked again (there are few policies open).
      for (const auto& [main, a] : analyses_) dirty_.insert(main);
    }
    // Any other notification (`initialized`, `$/setTrace`, ...) needs nothing.
  } catch (const std::exception&) {
    // A notification gets no answer, even a malformed one (nor one a bug stopped).
  }
}

void Server::respond(const Json& id, Json result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::respond_error(const Json& id, ErrorCode code, const std::string& message) {
  send({{"jsonrpc", "2.0"},
        {"id", id},
        {"error", {{"code", static_cast<int>(code)}, {"message", message}}}});
}

void Server::send(const Json& message) {
  // Text from a policy may hold bytes that are not UTF-8: shown as U+FFFD, never a throw.
  transport_.write(message.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// ---- Documents -----------------------------------------------------------------------------

const Document* Server::document(const std::string& uri) const {
  auto it = documents_.find(uri_to_path(uri));
  return it == documents_.end() ? nullptr : &it->second;
}

void Server::did_open(const Json& params) {
  const Json& td = params.at("textDocument");
  Document d;
  d.uri = td.at("uri").get<std::string>();
  d.path = uri_to_path(d.uri);
  d.text = td.at("text").get<std::string>();
  d.version = td.value("version", 0);
  const std::string path = d.path;
  documents_[path] = std::move(d);
  changed(path);
}

void Server::did_change(const Json& params) {
  const Json& td = params.at("textDocument");
  auto it = documents_.find(uri_to_path(td.at("uri").get<std::string>()));
  if (it == documents_.end()) return;
  std::vector<TextChange> changes;
  for (const Json& c : params.at("contentChanges")) {
    TextChange t;
    t.text = c.at("text").get<std::string>();
    if (c.contains("range")) {
      const Json& r = c["range"];
      t.has_range = true;
      t.range = {{r["start"]["line"], r["start"]["character"]},
                 {r["end"]["line"], r["end"]["character"]}};
    }
    changes.push_back(std::move(t));
  }
  apply_changes(it->second.text, changes);
  it->second.version = td.value("version", it->second.version + 1);
  changed(it->first);
}

void Server::did_close(const Json& params) {
  const std::string path = uri_to_path(params.at("textDocument").at("uri").get<std::string>());
  if (documents_.erase(path) == 0) return;
  changed(path);  // its policy reads it from disk again
  // A closed file keeps no diagnostics of its own analysis when nothing else covers it.
  if (auto it = analyses_.find(path); it != analyses_.end() && it->second->module_only) {
    const std::string uri = path_to_uri(path);
    if (published_.erase(uri) != 0) {
      send({{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", uri}, {"diagnostics", Json::array()}}}});
    }
    analyses_.erase(it);
    dirty_.erase(path);
  }
}

void Server::changed(const std::string& path) {
  main_of_.erase(path);
  for (const auto& [main, a] : analyses_) {
    if (main == path || a->module_of(path) >= 0) dirty_.insert(main);
  }
  if (documents_.count(path) != 0) dirty_.insert(main_of(path));
}

lang::SourceOverlay Server::overlay() const {
  lang::SourceOverlay o;
  for (const auto& [path, d] : documents_) o[path] = d.text;
  return o;
}

// The policy a file belongs to: itself when it has a `policy` header; else a policy in its
// folder or the folder above that uses it; else none (it is checked as a module on its own).
std::string Server::main_of(const std::string& path) {
  if (auto it = main_of_.find(path); it != main_of_.end()) return it->second;
  const auto text_of = [&](const std::string& p) -> std::optional<std::string> {
    if (auto d = documents_.find(p); d != documents_.end()) return d->second.text;
    return read_text(p);
  };
  std::string main = path;
  const auto own = text_of(path);
  if (own && !has_policy_header(*own)) {
    const fs::path folder = fs::path(path).parent_path();
    bool found = false;
    for (const fs::path& dir : {folder, folder.parent_path()}) {
      std::error_code ec;
      std::vector<std::string> candidates;
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".policy") candidates.push_back(canonical_path(e.path()));
      }
      std::sort(candidates.begin(), candidates.end());
      for (const std::string& c : candidates) {
        const auto t = text_of(c);
        if (c == path || !t || !has_policy_header(*t)) continue;
        if (analysis_for_main(c).module_of(path) >= 0) {
          main = c;
          found = true;
          break;
        }
      }
      if (found) break;
    }
  }
  main_of_[path] = main;
  return main;
}

const Analysis& Server::analysis_for_main(const std::string& main) {
  auto it = analyses_.find(main);
  if (it != analyses_.end() && dirty_.count(main) == 0) return *it->second;
  std::string text;
  if (auto d = documents_.find(main); d != documents_.end()) {
    text = d->second.text;
  } else if (auto t = read_text(main)) {
    text = std::move(*t);
  }
  lang::SourceOverlay o = overlay();
  o.erase(main);
  auto a = std::make_shared<Analysis>(analyse(main, std::move(text), o, !has_policy_header(text)));
  dirty_.erase(main);
  analyses_[main] = a;
  return *a;
}

const Analysis& Server::analysis_for(const std::string& path) {
  const std::string main = main_of(path);
  const bool was_dirty = dirty_.count(main) != 0 || analyses_.count(main) == 0;
  const Analysis& a = analysis_for_main(main);
  if (was_dirty) publish(a);
  return a;
}

void Server::publish_dirty() {
  const std::set<std::string> mains = dirty_;
  for (const std::string& main : mains) {
    // A policy none of whose files is open any more is forgotten, not checked.
    bool open = documents_.count(main) != 0;
    if (auto it = analyses_.find(main); !open && it != analyses_.end()) {
      for (const auto& p : it->second->paths) open = open || documents_.count(canonical_path(p));
    }
    if (!open) {
      dirty_.erase(main);
      continue;
    }
    publish(analysis_for_main(main));
  }
}

void Server::publish(const Analysis& a) {
  std::map<std::string, Json> by_uri;
  for (std::size_t m = 0; m < a.paths.size(); ++m) {
    const std::string p = canonical_path(a.paths[m]);
    by_uri[path_to_uri(p)] = Json::array();
  }
  for (const auto& d : a.diagnostics) {
    std::string p = a.main_path;
    if (d.span.file < a.sources.size()) p = canonical_path(a.sources.file(d.span.file).path());
    by_uri[path_to_uri(p)].push_back(to_lsp_diagnostic(a, d));
  }
  for (auto& [uri, list] : by_uri) {
    // An open document always hears the result, an empty list included; another file only when
    // it has something to show, or had.
    const auto open = documents_.find(uri_to_path(uri));
    if (list.empty() && published_.count(uri) == 0 && open == documents_.end()) continue;
    if (list.empty())
      published_.erase(uri);
    else
      published_.insert(uri);
    Json params = {{"uri", uri}, {"diagnostics", std::move(list)}};
    if (open != documents_.end()) params["version"] = open->second.version;
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
  }
}

}  // namespace catengine::lsp
