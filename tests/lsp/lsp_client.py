"""A small Language Server Protocol client over a subprocess's stdio (python3 stdlib only), for
the protocol tests, the speed measurement and the soak of `catengine lsp`."""
import json
import os
import select
import subprocess
import time


def path_uri(path):
    return 'file://' + os.path.realpath(path)


class Client:
    def __init__(self, catengine, cwd=None, env=None):
        self.proc = subprocess.Popen([catengine, 'lsp'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=cwd, env=env)
        self.buffer = b''
        self.next_id = 0
        self.notifications = []  # received, not yet taken

    # ---- sending -----------------------------------------------------------------------------
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode('utf-8')
        self.send_raw(b'Content-Length: %d\r\n\r\n' % len(body) + body)

    def notify(self, method, params):
        self.send({'jsonrpc': '2.0', 'method': method, 'params': params})

    def request_async(self, method, params):
        self.next_id += 1
        self.send({'jsonrpc': '2.0', 'id': self.next_id, 'method': method, 'params': params})
        return self.next_id

    def request(self, method, params, timeout=20):
        return self.response(self.request_async(method, params), timeout)

    # ---- receiving ---------------------------------------------------------------------------
    def read(self, timeout=20):
        """The next message, or None when the server closed its output or the time ran out."""
        deadline = time.monotonic() + timeout
        while True:
            head = self.buffer.find(b'\r\n\r\n')
            if head >= 0:
                length = None
                for line in self.buffer[:head].split(b'\r\n'):
                    if line.lower().startswith(b'content-length:'):
                        length = int(line.split(b':', 1)[1])
                assert length is not None, 'a message without Content-Length'
                if len(self.buffer) >= head + 4 + length:
                    body = self.buffer[head + 4:head + 4 + length]
                    self.buffer = self.buffer[head + 4 + length:]
                    return json.loads(body)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk

    def response(self, id, timeout=20):
        while True:
            m = self.read(timeout)
            assert m is not None, f'no response to request {id}'
            if 'method' in m:
                self.notifications.append(m)
            elif m.get('id') == id:
                return m

    def next_error(self, timeout=20):
        """The next response that carries an error (id null for framing and parse errors)."""
        while True:
            m = self.read(timeout)
            assert m is not None, 'no error response'
            if 'method' in m:
                self.notifications.append(m)
            elif 'error' in m:
                return m

    def diagnostics(self, uri, timeout=20):
        """The next publishDiagnostics for `uri` (earlier ones already received count first)."""
        for i, m in enumerate(self.notifications):
            if m['method'] == 'textDocument/publishDiagnostics' and m['params']['uri'] == uri:
                del self.notifications[i]
                return m['params']
        while True:
            m = self.read(timeout)
            assert m is not None, f'no diagnostics for {uri}'
            if m.get('method') == 'textDocument/publishDiagnostics' and m['params']['uri'] == uri:
                return m['params']
            if 'method' in m:
                self.notifications.append(m)

    # ---- the lifecycle -----------------------------------------------------------------------
    def initialize(self, root, options=None):
        r = self.request('initialize', {'processId': os.getpid(), 'rootUri': path_uri(root),
                                        'capabilities': {},
                                        'initializationOptions': options or {}})
        self.notify('initialized', {})
        return r

    def open(self, path, text=None, version=1):
        if text is None:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        uri = path_uri(path)
        self.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri, 'languageId': 'catengine', 'version': version, 'text': text}})
        return uri

    def finish(self, timeout=10):
        """shutdown, exit; the exit status."""
        r = self.request('shutdown', None)
        assert r.get('result', 'x') is None, r
        self.notify('exit', None)
        self.proc.stdin.close()
        return self.proc.wait(timeout)

    def rss_kib(self):
        with open(f'/proc/{self.proc.pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0
