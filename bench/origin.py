#!/usr/bin/env python3
"""The origin of the Varnish comparison: GET /obj/<bytes>[/<anything>] answers that many bytes,
cacheable for an hour, with a Content-Length. Bodies are made once per size and kept."""
import http.server
import socketserver
import sys

BODIES = {}


def body(n):
    b = BODIES.get(n)
    if b is None:
        b = bytes((i * 31 + 7) % 251 for i in range(n))
        BODIES[n] = b
    return b


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        parts = self.path.split("?")[0].split("/")
        if len(parts) < 3 or parts[1] != "obj" or not parts[2].isdigit():
            self.send_error(404)
            return
        b = body(int(parts[2]))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(b)))
        self.send_header("Cache-Control", "public, max-age=3600")
        self.end_headers()
        self.wfile.write(b)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
