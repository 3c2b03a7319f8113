"""An OpenAI-compatible chat-completions server on 127.0.0.1, in a thread, answering as scripted.

It reads the prompt the `llm` engine sends (the user message is JSON) and refuses, with HTTP 400, a request
whose prompt lacks what the engine promises: segments with ids, roles and text, the glossary and keep lists,
the typography. It "translates" mechanically so that tests can predict the drafts: keep terms become their
last accepted form, glossary expressions their translation, numbers, URLs and hashtags stay, and every other
word is reversed (Latin-script targets) or transliterated into Cyrillic (ru, uk).
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

CYRILLIC_TARGETS = ("ru", "uk", "be", "bg", "sr", "mk")
_LATIN_TO_CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwxyz",
                              "абцдефгхийклмнопкрстуввхыз"))
_PROTECT = re.compile(r"(?:https?://|www\.)\S+|(?<![\w&])[#@]\w+|\d+")
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass
class Script:
    """How the server answers. `mode`: ok, malformed, partial, fence, wrong-ids, 429, 500, 401, 403; drip (honest
    headers, then a body one byte every `delay` seconds, for ever). `drop`: a string removed from every translation (to provoke a refusal); `delay`: seconds per request."""

    mode: str = "ok"
    delay: float = 0.0
    fail_first: int = 1  # for 429, 500, malformed, partial: the first N requests misbehave, then all is well
    retry_after: str | None = "1"  # for 429
    drop: str | None = None
    together: int = 0  # answer only once this many requests have arrived: concurrency shown without a clock


@dataclass
class Seen:
    """One request as it arrived: the model, the system prompt and the parsed user payload."""

    model: str
    temperature: float | None
    system: str
    payload: dict
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [s["id"] for s in self.payload["segments"]]


def fake_translate(text: str, target: str, keep: list[dict], glossary: list[dict]) -> str:
    """The deterministic stand-in for a model, described in the module docstring."""
    spans: list[str] = []

    def hold(value: str) -> str:
        spans.append(value)
        return chr(0xE000 + len(spans) - 1)  # a private-use character: neither a word nor a number

    for item in sorted(glossary, key=lambda g: -len(g["source"])):
        text = re.sub(rf"(?<!\w){re.escape(item['source'])}(?!\w)", lambda m, t=item["translation"]: hold(t),
                      text, flags=re.IGNORECASE)
    for item in sorted(keep, key=lambda k: -len(k["term"])):
        form = (item.get("accepted") or [item["term"]])[-1]
        text = re.sub(rf"(?<!\w){re.escape(item['term'])}(?!\w)", lambda m, f=form: hold(f), text,
                      flags=re.IGNORECASE)
    text = _PROTECT.sub(lambda m: hold(m.group(0)), text)
    cyrillic = target.split("-")[0] in CYRILLIC_TARGETS

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if not cyrillic:
            return w[::-1]
        plain = unicodedata.normalize("NFD", w)
        out = "".join(_LATIN_TO_CYRILLIC.get(c.lower(), "" if unicodedata.combining(c) else c) for c in plain)
        return out.capitalize() if w[:1].isupper() else out

    text = _WORDS.sub(word, text)
    return re.sub("[\ue000-\uf8ff]", lambda m: spans[ord(m.group(0)) - 0xE000], text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # listen()'s backlog, set before the constructor calls it: a client opens up to
    # `concurrency` × languages connections at once, and a full backlog costs each extra one a 1 s SYN retry


class FakeOpenAI:
    """`with FakeOpenAI(Script(...)) as server:`; `server.base_url`, `server.seen` (requests as parsed)."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        self.seen: list[Seen] = []
        self.statuses: list[int] = []
        self.arrived = 0  # requests received, answered or not (a dripping answer never ends)
        self.dripped: dict[int, int] = {}  # request number → bytes of its dripping answer written so far
        self._lock = threading.Lock()
        self._arrival = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def wait_until(self, condition: Callable[[FakeOpenAI], bool], timeout: float = 30) -> bool:
        """Whether `condition(self)` became true within `timeout` seconds: woken by each arrival and each dripped
        byte, not by polling."""
        with self._arrival:
            return self._arrival.wait_for(lambda: condition(self), timeout)

    def answer(self, body: dict, number: int,
               headers: dict[str, str] | None = None) -> tuple[int, dict, dict[str, str]]:
        """(status, JSON body, headers) for the `number`th request (1-based) whose body is `body`."""
        script = self.script
        if script.delay:
            self._stop.wait(script.delay)
        if script.together:
            with self._arrival:
                self._arrival.wait_for(lambda: self.arrived >= script.together or self._stop.is_set(), 60)
        early = number <= script.fail_first
        if script.mode == "401":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}, {}
        if script.mode == "403":
            return 403, {"error": {"message": "forbidden"}}, {}
        if script.mode == "429" and early:
            headers = {"Retry-After": script.retry_after} if script.retry_after is not None else {}
            return 429, {"error": {"message": "Rate limit reached"}}, headers
        if script.mode == "500" and early:
            return 500, {"error": {"message": "model crashed"}}, {}
        messages = body.get("messages") or []
        system = next((m["content"] for m in messages if m.get("role") == "system"), "")
        user = next((m["content"] for m in messages if m.get("role") == "user"), "")
        try:
            payload = json.loads(user)
        except ValueError:
            return 400, {"error": {"message": "the user message is not JSON"}}, {}
        problem = _prompt_problem(payload)
        if problem:
            return 400, {"error": {"message": problem}}, {}
        with self._lock:
            self.seen.append(Seen(body.get("model", ""), body.get("temperature"), system, payload, dict(headers or {})))
        target = payload["target_language"].rsplit("(", 1)[-1].rstrip(")")
        items = [{"id": s["id"], "text": fake_translate(s["text"], target, payload["keep"], payload["glossary"])}
                 for s in payload["segments"]]
        if script.drop:
            items = [{"id": i["id"], "text": i["text"].replace(script.drop, "").replace("  ", " ")} for i in items]
        content = json.dumps({"translations": items}, ensure_ascii=False)
        if script.mode == "malformed" and early:
            content = "Sure! Here are the translations: " + content[: len(content) // 2]
        elif script.mode == "partial" and early and len(items) > 1:
            content = json.dumps({"translations": items[: len(items) // 2]}, ensure_ascii=False)
        elif script.mode == "wrong-ids" and early:
            content = json.dumps({"translations": [{"id": "x" + i["id"], "text": i["text"]} for i in items]})
        elif script.mode == "fence":
            content = f"```json\n{content}\n```"
        return 200, {
            "id": f"chatcmpl-{number}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": (len(user) + len(content)) // 4},
        }, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self
        counter = {"n": 0}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with fake._lock:
                    counter["n"] += 1
                    number = counter["n"]
                    fake.arrived = number
                    fake._arrival.notify_all()
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    return self._send(400, {"error": {"message": "body is not JSON"}}, {})
                if fake.script.mode == "drip":
                    return self._drip(fake.script.delay, number)
                status, answer, headers = fake.answer(body, number, {k.lower(): v for k, v in self.headers.items()})
                with fake._lock:
                    fake.statuses.append(status)
                self._send(status, answer, headers)

            def _drip(self, delay: float, number: int) -> None:
                try:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 100000\r\n\r\n")
                    while not fake._stop.wait(delay):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        with fake._arrival:
                            fake.dripped[number] = fake.dripped.get(number, 0) + 1
                            fake._arrival.notify_all()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status: int, body: dict, headers: dict[str, str]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def _prompt_problem(payload: object) -> str | None:
    """What the prompt lacks of the context the engine promises, or None."""
    if not isinstance(payload, dict):
        return "the prompt is not a JSON object"
    for key in ("document", "source_language", "target_language", "glossary", "keep", "typography",
                "reviewed_examples", "segments"):
        if key not in payload:
            return f"the prompt has no {key!r}"
    segments = payload["segments"]
    if not isinstance(segments, list) or not segments:
        return "the prompt has no segments"
    for seg in segments:
        if not isinstance(seg, dict) or not all(isinstance(seg.get(k), str) for k in ("id", "role", "text")):
            return "every segment needs an id, a role and a text"
    return None
