// The base protocol of the Language Server Protocol: messages framed by a `Content-Length`
// header, read from a file descriptor (the server's standard input) without blocking the
// caller's decision to wait: `pending()` says whether a message can be read now, so the server
// checks a policy only when no message is waiting.
#pragma once

#include <optional>
#include <string>

namespace catengine::lsp {

// One framed message as it arrived, or what was wrong with its framing.
struct Frame {
  enum class Kind { Message, BadHeader, ShortBody } kind = Kind::Message;
  std::string body;
};

class Transport {
 public:
  Transport(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}

  // Whether a whole message (or input to read) is there without waiting.
  bool pending();
  // Waits at most `timeout_ms` (-1: forever) for input; true when some is there.
  bool wait(int timeout_ms);
  // The next message, waiting for it; nullopt at the end of the input. A body cut short by the
  // end of the input is a ShortBody frame (then the end).
  std::optional<Frame> read();
  // Puts bytes back in front of the input: a body that held the start of the next message (its
  // Content-Length was too long) gives that message back to be read again.
  void unread(std::string bytes) { buffer_.insert(0, bytes); }
  // Writes one message with its header; false when the output is gone.
  bool write(const std::string& body);

 private:
  bool fill(int timeout_ms);  // reads what is there into buffer_; false at the end of input
  int in_, out_;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace catengine::lsp
