// Content-Length framing over file descriptors, with poll() so the message loop can tell
// whether a message is waiting before it starts a check.
#include "lsp/transport.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "base/text.hpp"

namespace catengine::lsp {

namespace {

// The largest body accepted: a 4 MiB policy escaped as JSON may double in size, with room over.
constexpr std::size_t kMaxBody = std::size_t{64} << 20;
constexpr std::string_view kContentLength = "content-length:";

}  // namespace

bool Transport::fill(int timeout_ms) {
  if (eof_) return false;
  pollfd p{in_, POLLIN, 0};
  int r = ::poll(&p, 1, timeout_ms);
  if (r < 0 && errno == EINTR) return true;
  if (r == 0) return true;  // nothing yet
  if (r < 0) {
    eof_ = true;  // the input cannot be polled: as its end
    return false;
  }
  char chunk[65536];
  const ssize_t n = ::read(in_, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool Transport::pending() {
  if (!buffer_.empty()) return true;
  if (eof_) return false;
  pollfd p{in_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

bool Transport::wait(int timeout_ms) {
  if (!buffer_.empty()) return true;
  if (eof_) return true;  // read() reports the end at once
  pollfd p{in_, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

std::optional<Frame> Transport::read() {
  // The header: lines ending in \r\n, then an empty line.
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > 64 * 1024) {
      // No header ends within 64 KiB: not the protocol. Drop it and say so.
      buffer_.clear();
      return Frame{Frame::Kind::BadHeader, {}};
    }
    if (!fill(-1)) {
      if (eof_) {
        if (trim(buffer_, " \t\r\n").empty()) return std::nullopt;
        buffer_.clear();
        return Frame{Frame::Kind::ShortBody, {}};
      }
    }
  }
  const std::string header = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  std::optional<std::size_t> length;
  std::size_t at = 0;
  while (at <= header.size()) {
    std::size_t eol = header.find("\r\n", at);
    if (eol == std::string::npos) eol = header.size();
    std::string_view line(header.data() + at, eol - at);
    if (iequals(line.substr(0, kContentLength.size()), kContentLength)) {
      const std::string_view value = trim(line.substr(kContentLength.size()));
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec == std::errc() && end == value.data() + value.size() && n <= kMaxBody) length = n;
    }
    at = eol + 2;
  }
  if (!length) return Frame{Frame::Kind::BadHeader, {}};
  while (buffer_.size() < *length) {
    if (!fill(-1) && eof_) {
      Frame f{Frame::Kind::ShortBody, std::move(buffer_)};
      buffer_.clear();
      return f;
    }
  }
  Frame f{Frame::Kind::Message, buffer_.substr(0, *length)};
  buffer_.erase(0, *length);
  return f;
}

bool Transport::write(const std::string& body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(out_, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace catengine::lsp
