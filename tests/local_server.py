"""An HTTP server on 127.0.0.1 for download tests (never the internet), with scripted misbehaviour."""

from __future__ import annotations

import http.server
import threading


class Server:
    """HTTP server on 127.0.0.1 serving files with scripted misbehaviour, counting requests."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.fail_first = 0  # answer 503 to this many requests first
        self.truncate = False  # promise the full length, send half
        self.requests = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                if server.requests <= server.fail_first:
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if server.truncate else body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"
