"""Real HTTP servers on loopback, in a thread: a webhook receiver and a fake
Slack Web API. Each records what it was sent and answers from a script."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Server:
    """`answers`: the status codes to give, in order; 200 once they run out."""

    answers: list = field(default_factory=list)
    received: list = field(default_factory=list)
    reply_body: bytes = b"ok"
    url: str = ""
    _httpd: ThreadingHTTPServer | None = None

    def start(self) -> "Server":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                server.received.append(Received(self.path, dict(self.headers), body))
                status = server.answers.pop(0) if server.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.reply_body)))
                self.end_headers()
                self.wfile.write(server.reply_body)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        host, port = self._httpd.server_address
        self.url = f"http://{host}:{port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
