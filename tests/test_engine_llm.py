"""The `llm` engine through the real `openai` client against a local OpenAI-compatible fake (tests/fakes)."""

from __future__ import annotations

import itertools
import threading
from typing import Callable

import openai
import pytest

from fakes.openai_server import FakeOpenAI, Script
from l10n.engines import create
from l10n.engines.base import EngineUnavailable
from l10n.engines.cache import Cache
from l10n.brief import Brief, SegmentBrief
from l10n.engines.llm import LLMEngine
from l10n.engines.validate import Expect
from l10n.errors import ConfigError

TEXTS = ["Azat a été transféré de force dans la prison de Kharp (IK-18).",
         "Nous appelons les citoyennes et les citoyens à diffuser notre appel.",
         "Paris, le 21 mai 2026"]
KEEP = (("IK-18", ()), ("Azat", ("Азат",)), ("Kharp", ("Харп",)))


def context(n: int = len(TEXTS), texts: list[str] = TEXTS, **segment) -> Brief:
    expects = [Expect(tuple(k for k in KEEP if k[0] in text)) for text in texts[:n]]
    return Brief("an appeal", (("procès politique", "politischer Prozess"),), KEEP, "„…“",
                 (("Liste des signataires", "Liste der Unterzeichner"),),
                 tuple(SegmentBrief(expect=x, **segment) for x in expects))


def llm(server: FakeOpenAI, waits: list[float] | None = None, **options) -> LLMEngine:
    options = {"model": "fake-7b", "backoff": 0.01, "retries": 2, "timeout": 5, **options}
    return LLMEngine(base_url=server.base_url, sleep=(waits.append if waits is not None else None), **options)


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("MY_LLM_KEY", raising=False)


def test_the_real_openai_client_talks_to_the_fake():
    with FakeOpenAI() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="none", max_retries=0)
        payload = ('{"document": {}, "source_language": "French (fr)", "target_language": "German (de)", '
                   '"glossary": [], "keep": [], "typography": "", "reviewed_examples": [], '
                   '"segments": [{"id": "s1", "role": "paragraph", "text": "Bonjour le monde"}]}')
        completion = client.chat.completions.create(model="m", messages=[{"role": "user", "content": payload}])
    assert completion.choices[0].message.content == '{"translations": [{"id": "s1", "text": "ruojnoB el ednom"}]}'


def test_batches_carry_ids_and_the_whole_context():
    with FakeOpenAI() as server:
        engine = llm(server, max_segments=2, concurrency=1)
        ctx = context(role="paragraph", document="L'APPEL", before="avant", after="après",
                      siblings=(("es", "texto revisado"),))
        result = engine.translate(TEXTS, "fr", "de", context=ctx)
    assert [s.ids for s in server.seen] == [["s1", "s2"], ["s3"]]
    assert result.calls == 2
    first = server.seen[0]
    assert first.model == "fake-7b" and first.temperature == 0.2
    assert "from French (fr) into German (de)" in first.system
    payload = first.payload
    assert payload["document"] == {"purpose": "an appeal", "title": "L'APPEL"}
    assert payload["glossary"] == [{"source": "procès politique", "translation": "politischer Prozess"}]
    assert {"term": "Azat", "accepted": ["Азат"]} in payload["keep"]
    assert {"term": "IK-18", "accepted": ["IK-18"]} in payload["keep"]
    assert payload["typography"] == "„…“"
    assert payload["reviewed_examples"] == [{"source": "Liste des signataires",
                                             "translation": "Liste der Unterzeichner"}]
    assert payload["segments"][0] == {"id": "s1", "role": "paragraph", "text": TEXTS[0], "before": "avant",
                                      "after": "après", "other_languages": {"es": "texto revisado"}}
    assert [t.text for t in result.results] == [  # keep terms in their accepted form, other words reversed
        "Азат a été éréfsnart ed ecrof snad al nosirp ed Харп (IK-18).",
        "suoN snoleppa sel senneyotic te sel sneyotic à resuffid erton leppa.",
        "siraP, el 21 iam 2026"]
    assert result.results[0].engine == "llm fake-7b" and result.results[0].chain == ("fr", "de")


def test_a_draft_that_drops_a_keep_term_is_refused_with_the_reason():
    with FakeOpenAI(Script(drop="IK-18")) as server:
        result = llm(server).translate(TEXTS, "fr", "de", context=context())
    assert result.results[0] is None
    assert result.errors[0] == "llm: draft refused: keep term IK-18 missing"
    assert result.results[1] is not None and result.results[2] is not None


@pytest.mark.parametrize("drop, reason", [("2026", "number(s) missing: 2026"), ("21", "number(s) missing: 21"),
                                          ("iam", None)])
def test_numbers_are_checked(drop, reason):
    with FakeOpenAI(Script(drop=drop)) as server:
        result = llm(server).translate(TEXTS[2:], "fr", "de", context=context(1, TEXTS[2:]))
    if reason:
        assert result.results == [None] and result.errors[0] == f"llm: draft refused: {reason}"
    else:
        assert result.results[0].text == "siraP, el 21 2026"


def test_length_and_echo_are_checked():
    from l10n.engines.validate import refusal

    source = "Nous appelons les citoyennes et les citoyens à diffuser notre appel."
    assert refusal(source, "Wir rufen auf.", "de") == "length 0.2× the source's"
    assert refusal(source, "Nous appelons les citoyens à diffuser notre appel.", "de") == \
        "answered in the source language"
    assert refusal(source, "Мы призываем граждан распространять наш призыв.", "ru") is None
    assert refusal(source, "We call on citizens to spread our appeal.", "ru") == \
        "answered in another script than ru uses"
    assert refusal("Voir https://freeazat.org #FREE120", "See #FREE120", "en") == \
        "URL, address or hashtag missing: https://freeazat.org"


def test_a_malformed_answer_is_asked_again():
    with FakeOpenAI(Script("malformed", fail_first=1)) as server:
        result = llm(server, concurrency=1).translate(TEXTS, "fr", "de", context=context())
    assert all(result.results) and result.calls == 2
    assert server.seen[0].ids == server.seen[1].ids == ["s1", "s2", "s3"]


def test_a_partial_answer_is_retried_for_the_missing_ids_only():
    with FakeOpenAI(Script("partial", fail_first=1)) as server:
        result = llm(server, concurrency=1).translate(TEXTS, "fr", "de", context=context())
    assert all(result.results)
    assert [s.ids for s in server.seen] == [["s1", "s2", "s3"], ["s2", "s3"]]


def test_ids_still_missing_after_the_retries_are_reported_per_segment():
    with FakeOpenAI(Script("wrong-ids", fail_first=99)) as server:
        result = llm(server, concurrency=1, missing_retries=1).translate(TEXTS, "fr", "de", context=context())
    assert result.results == [None, None, None] and len(server.seen) == 2
    assert set(result.errors.values()) == {"llm: no translation for this segment in the answer"}


def test_429_waits_as_retry_after_says():
    waits: list[float] = []
    with FakeOpenAI(Script("429", retry_after="2", fail_first=1)) as server:
        result = llm(server, waits, concurrency=1).translate(TEXTS, "fr", "de", context=context())
    assert all(result.results) and waits == [2.0] and server.statuses == [429, 200]


def test_500_is_retried_with_backoff_then_the_engine_stops():
    waits: list[float] = []
    with FakeOpenAI(Script("500", fail_first=99)) as server:
        engine = llm(server, waits, concurrency=1, max_segments=1, failures_to_stop=2)
        result = engine.translate(TEXTS, "fr", "de", context=context())
    assert result.results == [None, None, None]
    assert result.errors[0].startswith("llm: HTTP 500 from http://127.0.0.1:")
    assert "gave up after 3 attempts" in result.errors[0]
    assert len(waits) == 4 and all(w < 1 for w in waits)  # two texts × two backoffs, then stopped
    assert engine.route("fr", "de") is None and "stopped for this run" in engine.unavailable_reason("fr", "de")


def test_401_stops_the_engine_for_the_run():
    with FakeOpenAI(Script("401")) as server:
        engine = llm(server, concurrency=1, max_segments=1)
        result = engine.translate(TEXTS, "fr", "de", context=context())
        assert len(server.statuses) == 1  # no retry, no further batch
        with pytest.raises(EngineUnavailable):
            engine.translate(TEXTS, "fr", "de")
    assert "refused our requests" in result.errors[0] and result.results == [None, None, None]


def deadlines_after_arrival(monkeypatch: pytest.MonkeyPatch, server: FakeOpenAI,
                            also: Callable[[FakeOpenAI, int], bool] = lambda server, attempt: True
                            ) -> list[tuple[float, bool]]:
    """The engine's deadline timers (threading.Timer in LLMEngine._within_deadline) count their interval from
    when the server has their attempt's request, and then wait for `also(server, attempt)` too: a stalled test
    process cannot end a request before it is even sent. Returned: for each timer that fired, its interval and
    whether the request was still under way then (its thread had not ended with an answer or an error, such as
    a per-read timeout)."""
    fired: list[tuple[float, bool]] = []
    attempts = itertools.count(1)

    class AfterArrival(threading.Timer):
        def __init__(self, interval, function, *args, **kwargs):
            super().__init__(interval, function, *args, **kwargs)
            self.attempt = next(attempts)  # made one after the other, by the thread asking

        def run(self):
            server.wait_until(lambda s: s.arrived >= self.attempt)
            if self.finished.wait(self.interval):
                return  # cancelled: the request ended first
            server.wait_until(lambda s: also(s, self.attempt))
            if not self.finished.is_set():
                fired.append((self.interval, not self.function.__self__.is_set()))  # function: done.set
                self.function()

    monkeypatch.setattr(threading, "Timer", AfterArrival)
    return fired


def test_a_slow_server_times_out_and_is_retried(monkeypatch):
    with FakeOpenAI(Script(delay=3600)) as server:  # answers only when the test is over
        deadlines_after_arrival(monkeypatch, server)
        result = llm(server, timeout=0.2, retries=1, concurrency=1).translate(TEXTS[:1], "fr", "de")
        answered = list(server.statuses)  # translate() returned while the server still held every answer
        # the per-read timeout may have ended the second attempt before the server's thread read its request
        assert server.wait_until(lambda s: s.arrived >= 2)
        arrived = server.arrived
    assert result.results == [None] and "no answer from http://127.0.0.1" in result.errors[0]
    assert result.errors[0].endswith("within 0.2s (gave up after 2 attempts)")
    assert result.calls == 2 and arrived == 2 and answered == []


def test_a_dripping_server_is_given_up_within_timeout_times_attempts(monkeypatch):
    """A byte every 50 ms never trips the client's per-read timeout; the request's own deadline does (issue 22,
    item 11, for the llm engine). Shown without a clock: each attempt's deadline fires only once the server has
    also written more bytes of that answer than fit in the timeout at that pace (each at least 50 ms after the one
    before: the client had then been reading for longer than the timeout), and the client was still reading."""
    waits: list[float] = []
    beyond = round(0.6 / 0.05) + 1  # bytes: more than 0.6 s of dripping
    with FakeOpenAI(Script("drip", delay=0.05)) as server:
        fired = deadlines_after_arrival(monkeypatch, server, lambda s, attempt: s.dripped.get(attempt, 0) >= beyond)
        result = llm(server, waits, timeout=0.6, retries=1, concurrency=1).translate(TEXTS[:1], "fr", "de")
        arrived = server.arrived
    assert result.results == [None] and result.calls == 2 and len(waits) == 1 and arrived == 2
    assert result.errors[0] == (f"llm: no answer from {server.base_url[:-3]} within 0.6s "
                                "(gave up after 2 attempts)")
    assert fired == [(0.6, True), (0.6, True)]  # each attempt ended by its 0.6 s deadline, not before


def test_batches_run_concurrently():
    """The server answers none of the three batches before all three have arrived: one at a time, the first
    would time out (and no retry could help it)."""
    with FakeOpenAI(Script(together=3)) as server:
        result = llm(server, concurrency=3, timeout=30, retries=0).translate(TEXTS, "fr", "de", context=context())
    assert all(result.results) and len(server.seen) == 3


def test_fenced_json_is_accepted():
    with FakeOpenAI(Script("fence")) as server:
        result = llm(server).translate(TEXTS, "fr", "ru", context=context())
    assert result.results[0].text == "Азат а ете трансфере де форце данс ла присон де Харп (IK-18)."


def test_key_from_the_named_variable_never_in_cache_key_or_errors(monkeypatch):
    monkeypatch.setenv("MY_LLM_KEY", "sk-s3cr3t")
    with FakeOpenAI(Script("500", fail_first=99)) as server:
        engine = llm(server, api_key_env="MY_LLM_KEY", retries=0)
        result = engine.translate(TEXTS[:1], "fr", "de")
    assert server.seen == [] and "s3cr3t" not in result.errors[0]
    with FakeOpenAI() as server:
        llm(server, api_key_env="MY_LLM_KEY").translate(TEXTS[:1], "fr", "de")
        assert server.seen[0].headers["authorization"] == "Bearer sk-s3cr3t"
        key = llm(server, api_key_env="MY_LLM_KEY").cache_key()
    assert "s3cr3t" not in key and key.startswith("llm:v1:p1:fake-7b:t0.2:http://127.0.0.1:")


def test_the_cache_is_keyed_by_context(tmp_path):
    from l10n.config import Config
    from l10n.engines.options import EngineSettings
    from l10n.engines.pool import EnginePool

    with FakeOpenAI() as server:
        config = Config(root=tmp_path, path=tmp_path / "l10n.yaml", source_language="fr", documents=(),
                        languages=("de",), engine_settings={"llm": EngineSettings("llm", {"base_url": server.base_url,
                                                                                          "model": "fake-7b"})})
        with Cache(tmp_path / "cache.sqlite") as cache:
            items = [(t, []) for t in TEXTS]
            first = EnginePool(config, cache).translate("llm", items, "fr", "de", context=context())
            again = EnginePool(config, cache).translate("llm", items, "fr", "de", context=context())
            other = EnginePool(config, cache).translate("llm", items[:1], "fr", "de",
                                                        context=context(1, role="title"))
    assert len(first.results) == 3 and first.calls == 3  # three batches of one, at once
    assert again.from_cache == {0, 1, 2} and again.calls == 0
    assert other.calls == 1 and not other.from_cache


def test_a_missing_model_is_a_config_error():
    with pytest.raises(ConfigError, match="engine_settings.llm.model must name the model"):
        create("llm", {"base_url": "http://127.0.0.1:9/v1"})
