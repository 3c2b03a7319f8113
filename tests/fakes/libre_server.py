"""A LibreTranslate look-alike on 127.0.0.1, in a thread, answering as scripted: normal, 429, 500, slow, broken."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Script:
    """How the server answers. `mode`: ok, 429, 500, slow, 403, echo, empty, malformed; drip-headers and
    drip-body (one byte every `delay` seconds, for ever: headers, or a body after honest headers); blank (only
    invisible characters); huge (an answer of `size` characters)."""

    mode: str = "ok"
    retry_after: str | None = "1"  # for 429
    fail_first: int = 1  # for 429: per distinct text, this many 429s before success
    delay: float = 2.0  # for slow
    broken: str = "BROKEN"  # any mode: a text containing this gets malformed JSON
    size: int = 100_000  # for huge
    error: bytes = b""  # for 500: the body, as it is (else a JSON error)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # listen()'s backlog (default 5): two languages × `concurrency` connections open at
    # once, and on a busy machine a full backlog costs an extra one a 1 s SYN retry, then 3 s, 7 s…: a Ctrl-C
    # test then waited for a connect no interruption can cut short


@dataclass
class Recorded:
    path: str
    params: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)


class FakeLibre:
    """Start with `with FakeLibre(Script(...)) as server:`; `server.url`, `server.requests` (what arrived),
    `server.left` (when each client gave up a dripping answer: closed or shut its connection). `wait_until` waits
    for those events rather than polling with sleeps, so a test does not depend on how fast the machine is."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        self.requests: list[Recorded] = []
        self._seen: dict[str, int] = {}
        self.left: list[float] = []  # time.monotonic() of each departure, in order
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a request arrived or a client left
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> FakeLibre:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # wakes slow handlers
        self._server.shutdown()
        self._server.server_close()

    def wait_until(self, condition: Callable[[FakeLibre], bool], timeout: float,
                   also: Callable[[], bool] = lambda: True) -> bool:
        """Whether `condition(self)` became true within `timeout` seconds (False at once when `also()` is false:
        the client process has exited, say). Woken by each arrival and departure, and every 0.1 s for `also`."""
        limit = time.monotonic() + timeout
        with self._changed:
            while not condition(self):
                left = limit - time.monotonic()
                if left <= 0 or not also():
                    return False
                self._changed.wait(min(left, 0.1))
        return True

    def _note(self, departure: bool = False) -> None:
        with self._changed:
            if departure:
                self.left.append(time.monotonic())
            self._changed.notify_all()

    def texts(self) -> list[str]:
        return [r.params.get("q", "") for r in self.requests]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()} if length else {}
                text = params.get("q", form.get("q", ""))
                with fake._changed:
                    fake.requests.append(Recorded(parts.path, params, form))
                    fake._seen[text] = fake._seen.get(text, 0) + 1
                    seen = fake._seen[text]
                    fake._changed.notify_all()
                script = fake.script
                if parts.path != "/translate":
                    return self._send(404, {"error": "Not Found"})
                if script.broken and script.broken in text:
                    return self._raw(200, b"{not json", "application/json")
                if script.mode == "429" and seen <= script.fail_first:
                    headers = {"Retry-After": script.retry_after} if script.retry_after is not None else {}
                    return self._send(429, {"error": "Slowdown: 1 per 1 second"}, headers)
                if script.mode == "500":
                    if script.error:
                        return self._raw(500, script.error, "text/plain")
                    return self._send(500, {"error": "internal error"})
                if script.mode == "403":
                    return self._send(403, {"error": "Invalid API key"})
                if script.mode.startswith("drip"):
                    return self._drip(script.mode == "drip-headers", script.delay)
                if script.mode == "blank":
                    return self._send(200, {"translatedText": "   \u200b \u2060 "})
                if script.mode == "huge":
                    return self._send(200, {"translatedText": "a" * script.size})
                if script.mode == "slow":
                    fake._stop.wait(script.delay)
                if script.mode == "echo":
                    return self._send(200, {"translatedText": text})
                if script.mode == "empty":
                    return self._send(200, {"translatedText": ""})
                return self._send(200, {"translatedText": f"<{params.get('target')}> {text}"})

            def _drip(self, headers: bool, delay: float) -> None:
                """A byte at a time, until the client leaves (noted in `left`) or the server stops."""
                head = b"HTTP/1.1 200 OK\r\n" + (b"" if headers else b"Content-Length: 100000\r\n\r\n")
                try:
                    self.wfile.write(head)
                    self.wfile.flush()
                    while not fake._stop.wait(delay):
                        if self._client_left():
                            return fake._note(departure=True)
                        self.wfile.write(b"X" if headers else b" ")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    fake._note(departure=True)

            def _client_left(self) -> bool:
                """The client shut its side of the connection (end of stream), though it may not have closed it."""
                try:
                    return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                except BlockingIOError:
                    return False

            def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
                self._raw(status, json.dumps(body).encode(), "application/json", headers)

            def _raw(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

        return Handler


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
