"""A small real HTTP server on 127.0.0.1 for tests and benchmarks of the fetch path.

Routes map a path to a ``Reply`` (or a list of them, served in turn, the last one repeating, for
"500 then success"), or to a callable taking the request headers and returning a ``Reply``. Every
request is logged (path and headers) so tests can assert what the fetcher sent.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between body chunks of 64 bytes (a slow body)
    raw: bytes | None = None  # sent verbatim instead of a response, then the connection closes


Route = Reply | list[Reply] | Callable[[dict[str, str]], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would stall the second
    server: LoopbackServer  # type: ignore[assignment]

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_GET(self):  # noqa: N802
        srv = self.server
        path = self.path
        headers = {k.lower(): v for k, v in self.headers.items()}
        with srv.lock:
            srv.log.append((path, headers))
            srv.times.setdefault(path, []).append(time.monotonic())
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
            n = srv.hits[path] = srv.hits.get(path, 0) + 1
        try:
            self._serve(srv, path, headers, n)
        finally:
            with srv.lock:
                srv.in_flight -= 1

    def _serve(self, srv, path, headers, n):
        route = srv.routes.get(path)
        if route is None:
            reply = Reply(b"<html><body>not found</body></html>", status=404)
        elif callable(route):
            reply = route(headers)
        elif isinstance(route, list):
            reply = route[min(n, len(route)) - 1]
        else:
            reply = route
        if reply.delay:
            time.sleep(reply.delay)
        if reply.raw is not None:  # malformed or truncated responses
            self.close_connection = True
            try:
                self.wfile.write(reply.raw)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.drip:
                for i in range(0, len(reply.body), 64):
                    self.wfile.write(reply.body[i:i + 64])
                    self.wfile.flush()
                    time.sleep(reply.drip)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, routes: dict[str, Route] | None = None, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scheme = "https" if tls is not None else "http"
        if tls is not None:  # HTTPS: the handshake happens on each accepted connection's first read
            self.socket = tls.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[tuple[str, dict[str, str]]] = []
        self.hits: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests_for(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.log if p == path]
