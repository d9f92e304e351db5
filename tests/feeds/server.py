"""A real HTTP server on 127.0.0.1 for the feed tests: routes with fixed answers, sequences of
answers (500 then 200), delays, redirects and gzip, and a log of every request it got.

Started in a thread by the ``server`` fixture (tests/feeds/conftest.py) and shut down after the
test; its handler threads are daemons, so a deliberately slow answer never holds the run.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """One canned answer."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gzip: bool = False
    etag: str = ""


@dataclass
class Seen:
    """A request the server got."""

    path: str
    headers: dict[str, str]


class FeedServer:
    """Routes by path; each route is a list of answers given in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[Seen] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                server._handle(self)

            def log_message(self, *_: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up (a timeout, a size cap) is what some tests do on purpose

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *answers: Answer) -> str:
        self.routes[path] = list(answers)
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Seen(handler.path, {k.lower(): v for k, v in handler.headers.items()}))
            answers = self.routes.get(handler.path)
            answer = (answers.pop(0) if len(answers) > 1 else answers[0]) if answers else Answer(b"not here", 404)
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if answer.delay:
                time.sleep(answer.delay)
            etag = answer.etag
            if etag and handler.headers.get("If-None-Match") == etag:
                handler.send_response(304)
                handler.send_header("ETag", etag)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            body = gzip.compress(answer.body) if answer.gzip else answer.body
            handler.send_response(answer.status)
            handler.send_header("Content-Type", answer.content_type)
            handler.send_header("Content-Length", str(len(body)))
            if answer.gzip:
                handler.send_header("Content-Encoding", "gzip")
            if etag:
                handler.send_header("ETag", etag)
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.active -= 1

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
