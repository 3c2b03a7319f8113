"""The `llm` engine: any OpenAI-compatible chat-completions server (Ollama, llama.cpp's server, vLLM, LocalAI,
OpenAI, Mistral…) through the official `openai` package, given the document's context rather than isolated
strings.

* Each request carries the document's purpose and title, every segment's role and neighbouring paragraphs, the
  glossary's translations and the keep terms with their accepted forms in the target, the target's typography,
  reviewed translations already in the catalog, and this segment's reviewed translations in sibling languages
  (l10n.brief). The prompt's wording is versioned (PROMPT_VERSION) in the cache key.
* Segments go in batches of at most `max_segments`, each with an id; the answer must be JSON mapping the same
  ids to translations. A malformed or partial answer is asked again for the missing ids only (`missing_retries`
  times); what is still missing is reported per segment.
* Every draft is validated before it is returned (l10n.engines.validate: numbers, keep terms or their variants,
  URLs and hashtags, the target's script, no source echo, length); a refused one is None with the reason.
* The guarantees of the deep-translator engines, through their own machinery (DeepTranslatorEngine): a deadline
  for each whole request (_within_deadline), `concurrency` batches at a time, exponential backoff with jitter
  honouring Retry-After (tenacity), a stop for the run on 401/403 or after `failures_to_stop` batches failed in
  a row, the key only from `api_key_env`.
  The client's own retries are turned off so that there is one retry policy.
"""

from __future__ import annotations

import json
import math
import re
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import langcodes
import tenacity

from .. import langs
from ..errors import ConfigError
from .base import BatchResult, EngineUnavailable, Translation
from .installed import KEY_VARIABLES
from ..brief import Brief, SegmentBrief
from .deep import AUTH_STATUSES, INTERRUPTED, DeepTranslatorEngine, _Failed, _Fatal, _Outcome, _retry_after, _Retryable
from .validate import refusal

PROMPT_VERSION = "1"

SYSTEM_PROMPT = """You translate segments of one document from {source} into {target}.
The user message is JSON: the document's purpose, a glossary, keep terms, typographic conventions, reviewed
translations as examples, and the segments, each with an id, its role and the source paragraphs around it.
Rules:
- Translate each segment's "text" faithfully and completely, in the document's register, for readers of {target}.
- Keep every keep term exactly as written, or use one of its accepted forms.
- Use the glossary's translations for the expressions it lists.
- Keep every number, URL, e-mail address and hashtag.
- Follow the typographic conventions given.
- "before", "after" and "other_languages" are context only: do not translate them.
- Stay consistent with the reviewed examples.
Answer with one JSON object and nothing else: {{"translations": [{{"id": "<id>", "text": "<translation>"}}]}},
one entry for every id you were given."""


class LLMEngine(DeepTranslatorEngine):
    """An OpenAI-compatible chat model; `base_url` and `model` name it (see the module docstring)."""

    name = "llm"
    key_env = KEY_VARIABLES["llm"]
    uses_context = True  # pre-translation passes a Brief and the untouched source text

    def __init__(self, base_url: str | None = None, model: str | None = None, temperature: float = 0.2,
                 max_segments: int = 20, missing_retries: int = 2, purpose: str = "", json_mode: bool = True,
                 confirm_with: str | None = None, timeout: float = 120.0, **options: Any) -> None:
        super().__init__(timeout=timeout, **options)
        if not model or not isinstance(model, str):
            raise ConfigError("engine_settings.llm.model must name the model (e.g. llama3.1:8b for Ollama)")
        self.base_url = base_url
        self.model = model
        self.temperature = float(temperature)
        self.max_segments = max(1, int(max_segments))
        self.missing_retries = max(0, int(missing_retries))
        self.purpose = purpose
        self.json_mode = bool(json_mode)
        self.confirm_with = confirm_with  # a second engine whose agreement raises the drafts' confidence
        self._client: Any = None
        self._client_lock = threading.Lock()

    # -- Engine protocol ----------------------------------------------------------------------------------------

    def _settings(self) -> str:
        where = "openai"
        if self.base_url:
            parts = urlsplit(self.base_url)
            netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
            where = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))  # no credentials
        return f"p{PROMPT_VERSION}:{self.model}:t{self.temperature:g}:{where}"

    def _code(self, tag: str, role: str) -> str | None:
        try:
            lang = langcodes.Language.get(langcodes.standardize_tag(tag))
        except ValueError:
            return None
        return str(lang) if lang.language and lang.is_valid() else None

    def translate(self, texts: list[str], source: str, target: str, keep: list[str] | None = None,
                  context: Brief | None = None) -> BatchResult:
        if self.route(source, target) is None:
            raise EngineUnavailable(self.unavailable_reason(source, target))
        context = context or Brief(purpose=self.purpose, keep=tuple((k, ()) for k in keep or ()))
        result = BatchResult(results=[None] * len(texts))
        todo = []
        for i, text in enumerate(texts):
            if text.strip():
                todo.append(i)
            else:
                result.errors[i] = "empty source text"
        # Batches small enough that all of them go at once when they can: a request's latency, not its size,
        # is what a local model makes us wait for.
        size = min(self.max_segments, max(1, math.ceil(len(todo) / self.concurrency)))
        batches = [todo[n:n + size] for n in range(0, len(todo), size)]
        state = _State(source, target, texts, context)
        for outcome in self._map(lambda b: self._batch(state, b), batches):
            for i, (text, reason) in outcome.items():
                if text is None:
                    result.errors[i] = reason
                else:
                    result.results[i] = Translation(text, f"{self.name} {self.model}", (source, target))
        result.calls = state.calls
        return result

    # -- one batch ----------------------------------------------------------------------------------------------

    def _batch(self, state: _State, indices: list[int]) -> dict[int, tuple[str | None, str]]:
        """Ask for a batch, then again for the ids still missing; every segment ends with a draft or a reason."""
        out: dict[int, tuple[str | None, str]] = {}
        missing = list(indices)
        why = "no translation for this segment in the answer"
        for _ in range(self.missing_retries + 1):
            if not missing:
                break
            if self._stopped:  # by another batch's answer, or by Ctrl-C
                why = f"not translated: {self._stopped}"
                break
            try:
                answer = self._call(state, missing)
            except _Fatal as exc:
                self._stop(exc.message)
                why = exc.message
                break
            except _Retryable as exc:
                with state.lock:
                    state.failures_in_a_row += 1
                    failures = state.failures_in_a_row
                if failures >= self.failures_to_stop:
                    self._stop(f"{self.name} stopped for this run after {failures} requests failed in a row: "
                               f"{exc.message}")
                why = f"{exc.message} (gave up after {self.retries + 1} attempts)"
                break
            except _Outcome as exc:
                why = exc.message
                break
            with state.lock:
                state.failures_in_a_row = 0
            if answer is None:
                why = "the answer was not the JSON asked for"
                continue
            why = "no translation for this segment in the answer"
            still = []
            for i in missing:
                text = answer.get(_id(i))
                if not isinstance(text, str) or not text.strip():
                    still.append(i)
                    continue
                source = state.texts[i]
                lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()):]
                draft = lead + text.strip() + trail
                reason = refusal(source, draft, state.target, state.segment(i).expect)
                out[i] = (None, f"{self.name}: draft refused: {reason}") if reason else (draft, "")
            missing = still
        for i in missing:
            out[i] = (None, why if why.startswith(f"{self.name}") else f"{self.name}: {why}")
        return out

    def _call(self, state: _State, indices: list[int]) -> dict[str, Any] | None:
        retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(self.retries + 1), wait=self._wait,
                                     retry=tenacity.retry_if_exception_type(_Retryable), sleep=self._sleep,
                                     reraise=True)
        return retrying(self._request, state, indices)

    def _request(self, state: _State, indices: list[int]) -> dict[str, Any] | None:
        """One chat completion; the answer's id → text mapping, or None when it is not the JSON asked for."""
        import openai

        if self._stopped:
            raise _Failed(f"not translated: {self._stopped}")
        with state.lock:
            state.calls += 1
        options: dict[str, Any] = {"response_format": {"type": "json_object"}} if self.json_mode else {}
        try:
            completion = self._within_deadline(
                model=self.model, temperature=self.temperature, messages=state.messages(indices, self.purpose),
                **options)
        except openai.APITimeoutError:
            raise _Retryable(f"{self.name}: no answer from {self._where()} within {self.timeout:g}s") from None
        except openai.APIConnectionError:
            raise _Retryable(f"{self.name}: cannot connect to {self._where()}") from None
        except openai.APIStatusError as exc:
            status = exc.status_code
            body = self._redact(" ".join(str(getattr(exc.response, "text", "") or "").split())[:200])
            message = f"{self.name}: HTTP {status} from {self._where()}" + (f": {body}" if body else "")
            if status in AUTH_STATUSES:
                raise _Fatal(f"{self.name} refused our requests ({message}); stopped for this run") from None
            if status in (408, 429) or status >= 500:
                raise _Retryable(message, _retry_after(exc.response.headers.get("Retry-After"))) from None
            raise _Failed(message) from None
        except openai.OpenAIError as exc:  # a body that is not a chat completion at all
            raise _Failed(self._redact(f"{self.name}: unusable response ({type(exc).__name__})")) from None
        try:
            content = completion.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):
            return None
        return _parse(content)

    def _within_deadline(self, **request: Any) -> Any:
        """One chat completion, waited for `timeout` seconds in all. The client's timeout bounds each read, which
        a server sending a byte now and then never trips, and its sockets are out of reach (the deep-translator
        engines shut theirs, deep._Deadline). So the request runs in a daemon thread and is given up when the
        deadline passes (a timer, as deep._Deadline's: tests start it when the server has the request), or at once
        when the user interrupts the run; that thread ends with the server's next silence or with the process."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def ask() -> None:
            try:
                box["answer"] = self._openai().chat.completions.create(**request)
            except BaseException as exc:  # handed to the waiting thread as it is
                box["error"] = exc
            finally:
                done.set()

        worker = threading.Thread(target=ask, name="l10n-llm-request", daemon=True)
        deadline = threading.Timer(self.timeout, done.set)
        deadline.daemon = True
        with self._interruptible(done.set):
            worker.start()
            deadline.start()
            done.wait()
        deadline.cancel()
        if self._interrupted.is_set():
            raise _Failed(INTERRUPTED)
        if not box:  # still asking
            raise _Retryable(f"{self.name}: no answer from {self._where()} within {self.timeout:g}s")
        if "error" in box:
            raise box["error"]
        return box["answer"]

    def _openai(self) -> Any:
        with self._client_lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(base_url=self.base_url, api_key=self._api_key() or "none",
                                             timeout=self.timeout, max_retries=0)
            return self._client

    def _where(self) -> str:
        parts = urlsplit(self.base_url or "https://api.openai.com/v1")
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


class _State:
    """What the threads of one translate() call share: the texts, the context, the request counter."""

    def __init__(self, source: str, target: str, texts: list[str], context: Brief) -> None:
        self.source, self.target, self.texts, self.context = source, target, texts, context
        self.lock = threading.Lock()
        self.calls = 0
        self.failures_in_a_row = 0

    def segment(self, i: int) -> SegmentBrief:
        return self.context.segments[i] if i < len(self.context.segments) else SegmentBrief()

    def messages(self, indices: list[int], purpose: str) -> list[dict[str, str]]:
        names = {tag: f"{langs.language_name(tag, 'en')} ({tag})" for tag in (self.source, self.target)}
        context = self.context
        payload = {
            "document": {"purpose": context.purpose or purpose,
                         "title": next((self.segment(i).document for i in indices if self.segment(i).document), "")},
            "source_language": names[self.source], "target_language": names[self.target],
            "glossary": [{"source": s, "translation": t} for s, t in context.glossary],
            "keep": [{"term": t, "accepted": list(forms) or [t]} for t, forms in context.keep],
            "typography": context.typography,
            "reviewed_examples": [{"source": s, "translation": t} for s, t in context.examples],
            "segments": [_segment(_id(i), self.texts[i], self.segment(i)) for i in indices],
        }
        system = SYSTEM_PROMPT.format(source=names[self.source], target=names[self.target])
        return [{"role": "system", "content": system},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False, indent=1)}]


def _segment(sid: str, text: str, seg: SegmentBrief) -> dict[str, Any]:
    item: dict[str, Any] = {"id": sid, "role": seg.role, "text": text}
    if seg.before:
        item["before"] = seg.before
    if seg.after:
        item["after"] = seg.after
    if seg.siblings:
        item["other_languages"] = {lang: translation for lang, translation in seg.siblings}
    return item


def _id(index: int) -> str:
    return f"s{index + 1}"


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def _parse(content: str) -> dict[str, Any] | None:
    """id → text from `{"translations": [{"id", "text"}]}`, also accepting `{"<id>": "<text>"}` and a Markdown
    code fence around the JSON, which small models add; None for anything else."""
    try:
        data = json.loads(_FENCE.sub("", content.strip()))
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("translations"), list):
        found = {}
        for item in data["translations"]:
            if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
                found[str(item["id"])] = item.get("text")
        return found
    if isinstance(data, dict) and data and all(isinstance(v, str) for v in data.values()):
        return data
    return None
