"""Online engines over deep-translator: a real LibreTranslator against a local server, the others with `responses`."""

from __future__ import annotations

import itertools
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from fakes.libre_server import FakeLibre, Script, closed_port_url
from l10n.engines import create
from l10n.engines.base import EngineUnavailable
from l10n.engines.deep import DeeplEngine, GoogleEngine, LibreEngine, MicrosoftEngine, MyMemoryEngine

GOOGLE = "https://translate.google.com/m"
MYMEMORY = "http://api.mymemory.translated.net/get"
DEEPL_FREE = "https://api-free.deepl.com/v2/translate"
DEEPL_PRO = "https://api.deepl.com/v2/translate"
MICROSOFT = "https://api.cognitive.microsofttranslator.com/translate"

TEXTS = ["Nous exigeons la libération d'Azat Miftakhov.", "Sauvons Azat avant qu'il ne soit trop tard !",
         "Paris, le 21 mai 2026"]


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    for var in ("LIBRE_API_KEY", "DEEPL_API_KEY", "MICROSOFT_API_KEY", "MY_DEEPL_KEY"):
        monkeypatch.delenv(var, raising=False)


def libre(url: str, waits: list[float] | None = None, **options) -> LibreEngine:
    """A patient engine: `timeout` is a deadline for the whole exchange, and a loaded machine can stall this
    process longer than a fraction of a second; a timed-out request is rightly retried, which would add a request
    to the counts these tests check. The tests of timeouts set their own."""
    options = {"timeout": 30, "retries": 2, "backoff": 0.01, "failures_to_stop": 10, **options}
    return LibreEngine(url=url, sleep=(waits.append if waits is not None else None), **options)


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


# -- LibreTranslate: the real deep-translator client against a local HTTP server -----------------------------------


def test_libre_normal_answers():
    with FakeLibre() as server:
        engine = libre(server.url)
        result = engine.translate(TEXTS + ["  \n"], "fr", "es")
    assert [tr.text for tr in result.results[:3]] == [f"<es> {t}" for t in TEXTS]
    assert result.results[3] is None and "empty" in result.errors[3]
    assert result.calls == 3 and len(server.requests) == 3
    assert all(r.path == "/translate" and r.params["source"] == "fr" and r.params["target"] == "es"
               for r in server.requests)
    assert all("api_key" not in r.params for r in server.requests)  # a self-hosted server needs none
    assert result.results[0].chain == ("fr", "es") and result.results[0].engine == "libre"


def test_libre_key_comes_from_the_named_variable_and_stays_secret(monkeypatch):
    monkeypatch.setenv("LIBRE_API_KEY", "s3cr3t-key")
    with FakeLibre(Script("500")) as server:
        engine = libre(server.url, retries=0)
        result = engine.translate(["Bonjour le monde"], "fr", "en")
    assert server.requests[0].params["api_key"] == "s3cr3t-key"
    assert "s3cr3t" not in result.errors[0] and "s3cr3t" not in engine.cache_key()
    assert engine.cache_key() == f"libre:v1:{server.url}"


def test_libre_429_with_retry_after_then_success():
    waits: list[float] = []
    with FakeLibre(Script("429", retry_after="2", fail_first=1)) as server:
        result = libre(server.url, waits).translate(TEXTS[:2], "fr", "en")
    assert [tr.text for tr in result.results] == [f"<en> {t}" for t in TEXTS[:2]]
    assert len(server.requests) == 4 and result.calls == 4  # each text: 429, then success
    assert waits == [2.0, 2.0]  # Retry-After honoured


def test_libre_retry_after_is_capped_and_really_waited():
    with FakeLibre(Script("429", retry_after="120", fail_first=1)) as server:
        start = time.monotonic()
        result = libre(server.url, retry_after_cap=0.3).translate(["Bonjour"], "fr", "en")
        elapsed = time.monotonic() - start
    assert result.results[0].text == "<en> Bonjour"
    assert 0.3 <= elapsed < 5


def test_libre_500_always_gives_up_after_retries_with_backoff():
    waits: list[float] = []
    with FakeLibre(Script("500")) as server:
        engine = libre(server.url, waits, retries=2, concurrency=1)
        result = engine.translate(TEXTS[:2], "fr", "en")
    assert result.results == [None, None]
    assert len(server.requests) == 6 and result.calls == 6
    assert all("HTTP 500" in e and "3 attempts" in e for e in result.errors.values())
    assert len(waits) == 4 and all(0 < w < 1 for w in waits)
    assert engine.route("fr", "en") == ("fr", "en")  # two failures: not stopped yet


def test_libre_consecutive_failures_stop_the_engine():
    with FakeLibre(Script("500")) as server:
        engine = libre(server.url, [], retries=1, concurrency=1, failures_to_stop=2)
        result = engine.translate(TEXTS, "fr", "en")
    assert result.results == [None, None, None]
    assert len(server.requests) == 4  # the third text is not sent
    assert "stopped for this run" in result.errors[2]
    assert engine.route("fr", "en") is None and "2 texts failed in a row" in engine.unavailable_reason("fr", "en")
    with pytest.raises(EngineUnavailable, match="stopped"):
        engine.translate(["Encore"], "fr", "en")


def test_libre_slow_server_times_out_and_retries(monkeypatch):
    from l10n.engines import deep

    with FakeLibre(Script("slow", delay=3600)) as server:  # answers only when the test is over
        attempts = itertools.count(1)

        class AfterArrival(threading.Timer):
            """The deadline's timer starts once the server has the attempt's request: a stalled test process
            cannot time a request out before it is even sent."""

            def run(self):
                attempt = next(attempts)
                server.wait_until(lambda s: len(s.requests) >= attempt, 30)
                if not self.finished.wait(self.interval):  # not cancelled meanwhile
                    self.function()

        monkeypatch.setattr(deep.threading, "Timer", AfterArrival)
        result = libre(server.url, [], timeout=0.3, retries=1).translate(["Bonjour"], "fr", "en")
        # translate() returned while the server still held both answers; the per-read timeout may have ended
        # the second attempt before the server's thread read what the client had sent
        server.wait_until(lambda s: len(s.requests) >= 2, 30)
        requests_seen = len(server.requests)
    assert result.results == [None] and "within 0.3s" in result.errors[0]
    assert requests_seen == 2 and result.calls == 2


def test_libre_connection_refused():
    waits: list[float] = []
    engine = libre(closed_port_url(), waits, retries=2)
    result = engine.translate(["Bonjour", "Salut"], "fr", "en")
    assert result.results == [None, None]
    assert all("cannot connect" in e and "refused" in e.lower() for e in result.errors.values())
    assert result.calls == 6 and len(waits) == 4


def test_libre_malformed_json_fails_only_that_text():
    with FakeLibre() as server:
        result = libre(server.url).translate(["Bonjour", "Texte BROKEN", "Salut"], "fr", "en")
    assert result.results[0].text == "<en> Bonjour" and result.results[2].text == "<en> Salut"
    assert result.results[1] is None and "JSONDecodeError" in result.errors[1]
    assert len(server.requests) == 3  # malformed is not retried


@pytest.mark.parametrize("mode, reason", [("echo", "unchanged"), ("empty", "empty")])
def test_libre_echo_or_empty_is_no_result(mode, reason):
    with FakeLibre(Script(mode)) as server:
        result = libre(server.url).translate(["Bonjour"], "fr", "en")
    assert result.results == [None] and reason in result.errors[0]


def test_libre_403_stops_the_engine():
    with FakeLibre(Script("403")) as server:
        engine = libre(server.url, concurrency=1)
        result = engine.translate(TEXTS, "fr", "en")
    assert result.results == [None, None, None] and len(server.requests) == 1
    assert "HTTP 403" in result.errors[0] and "stopped" in result.errors[1]
    assert engine.route("fr", "en") is None and "HTTP 403" in engine.unavailable_reason("fr", "en")
    with pytest.raises(EngineUnavailable, match="403"):
        engine.translate(["Bonjour"], "fr", "en")


def test_libre_long_text_is_split_at_sentences_and_rejoined():
    sentences = [f"Phrase numéro {n} de l'appel pour Azat." for n in range(12)]
    text = " ".join(sentences)
    with FakeLibre() as server:
        result = libre(server.url, max_chars=100).translate([text], "fr", "en")
    sent = server.texts()
    assert len(sent) > 1 and all(len(s) <= 100 for s in sent)
    assert " ".join(sent) == text and all(s.endswith("Azat.") for s in sent)  # cut at sentence boundaries only
    assert result.results[0].text == " ".join(f"<en> {s}" for s in sent)


def test_libre_public_instance_needs_a_key(monkeypatch):
    engine = LibreEngine()
    assert engine.route("fr", "en") is None
    assert "LIBRE_API_KEY" in engine.unavailable_reason("fr", "en")
    with pytest.raises(EngineUnavailable, match="LIBRE_API_KEY"):
        engine.translate(["Bonjour"], "fr", "en")
    monkeypatch.setenv("LIBRE_API_KEY", "k")
    assert engine.route("fr", "en") == ("fr", "en")
    assert LibreEngine(url="http://127.0.0.1:5000/", api_key_env="LIBRE_API_KEY").route("fr", "en") == ("fr", "en")


def test_registry_passes_options():
    engine = create("libre", {"url": "http://127.0.0.1:5000", "timeout": 3})
    assert isinstance(engine, LibreEngine) and engine.url == "http://127.0.0.1:5000/" and engine.timeout == 3


def test_deep_translator_still_works_outside_our_calls():
    from deep_translator import GoogleTranslator

    GoogleEngine()._translator("fr", "en", None)  # installs the shim in deep_translator.google
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, GOOGLE, body='<div class="result-container">Hello</div>')
        assert GoogleTranslator(source="fr", target="en").translate("Bonjour") == "Hello"


# -- Google ---------------------------------------------------------------------------------------------------------


@responses.activate
def test_google_language_codes_and_429_retry():
    responses.add(responses.GET, GOOGLE, status=429, headers={"Retry-After": "1"})
    responses.add(responses.GET, GOOGLE, body='<html><div class="result-container">Shalom</div></html>')
    waits: list[float] = []
    result = GoogleEngine(sleep=waits.append, concurrency=1).translate(["Bonjour"], "fr", "he")
    assert result.results[0].text == "Shalom" and result.calls == 2 and waits == [1.0]
    assert query(responses.calls[1]) == {"sl": "fr", "tl": "iw", "q": "Bonjour"}  # Google still says iw


def test_google_code_mapping():
    google = GoogleEngine()
    assert google._codes("fr", "zh-Hant") == ("fr", "zh-TW")
    assert google._codes("fr", "jv") == ("fr", "jw")
    assert google.route("fr", "tlh") is None and "into tlh" in google.unavailable_reason("fr", "tlh")
    assert google.cache_key() == "google:v1"


@responses.activate
def test_google_403_stops_the_engine():
    responses.add(responses.GET, GOOGLE, status=403, body="Forbidden")
    engine = GoogleEngine(concurrency=1)
    result = engine.translate(TEXTS, "fr", "en")
    assert result.results == [None, None, None] and len(responses.calls) == 1
    assert engine.route("fr", "en") is None
    with pytest.raises(EngineUnavailable):
        engine.translate(["Bonjour"], "fr", "en")


@responses.activate
def test_google_page_without_result_is_no_result():
    responses.add(responses.GET, GOOGLE, body="<html><p>captcha</p></html>")
    result = GoogleEngine().translate(["Bonjour"], "fr", "en")
    assert result.results == [None] and "TranslationNotFound" in result.errors[0]


# -- MyMemory -------------------------------------------------------------------------------------------------------


def mymemory_json(text: str, status: int = 200, **extra) -> dict:
    return {"responseData": {"translatedText": text}, "responseStatus": status, "matches": [], **extra}


@responses.activate
def test_mymemory_regional_codes():
    responses.add(responses.GET, MYMEMORY, json=mymemory_json("We demand"))
    engine = MyMemoryEngine()
    engine.translate(["Nous exigeons"], "fr", "en-GB")
    engine.translate(["Nous exigeons"], "fr", "pt-PT")
    engine.translate(["Nous exigeons"], "fr", "en")
    assert [query(c)["langpair"] for c in responses.calls] == ["fr-FR|en-GB", "fr-FR|pt-PT", "fr-FR|en-US"]
    assert MyMemoryEngine(language_map={"en": "en-GB"})._codes("fr", "en") == ("fr-FR", "en-GB")


@responses.activate
def test_mymemory_splits_over_500_bytes():
    responses.add(responses.GET, MYMEMORY, json=mymemory_json("Translated."))
    text = " ".join(f"Le comité de soutien dénonce fermement ces agissements, phrase {n}." for n in range(20))
    result = MyMemoryEngine().translate([text], "fr", "en")
    sent = [query(c)["q"] for c in responses.calls]
    assert len(sent) > 2 and all(len(q.encode()) <= 480 for q in sent)
    assert " ".join(sent) == text
    assert result.results[0].text == " ".join(["Translated."] * len(sent))


@responses.activate
def test_mymemory_quota_message_stops_the_engine():
    quota = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN 10 HOURS"
    responses.add(responses.GET, MYMEMORY, json=mymemory_json(quota, 429))
    engine = MyMemoryEngine(concurrency=1)
    result = engine.translate(TEXTS, "fr", "en")
    assert result.results == [None, None, None] and len(responses.calls) == 1
    assert "quota" in result.errors[0] and engine.route("fr", "en") is None


@responses.activate
def test_mymemory_malformed_json_is_an_error_not_a_crash():
    responses.add(responses.GET, MYMEMORY, body="<html>oops</html>", content_type="text/html")
    result = MyMemoryEngine().translate(["Bonjour"], "fr", "en")
    assert result.results == [None] and "malformed" in result.errors[0]


# -- DeepL ----------------------------------------------------------------------------------------------------------


@responses.activate
def test_deepl_codes_key_header_and_free_endpoint(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "abc:fx")
    responses.add(responses.POST, DEEPL_FREE, json={"translations": [{"text": "We demand"}]})
    engine = DeeplEngine()
    for target in ("en-GB", "en-US", "pt", "pt-PT", "de"):
        assert engine.translate(["Nous exigeons"], "fr", target).results[0].text == "We demand"
    forms = [parse_qs(c.request.body) for c in responses.calls]
    assert [f["target_lang"][0] for f in forms] == ["EN-GB", "EN-US", "PT-BR", "PT-PT", "DE"]
    assert all(f["source_lang"][0] == "FR" and "auth_key" not in f for f in forms)
    assert all(c.request.headers["Authorization"] == "DeepL-Auth-Key abc:fx" for c in responses.calls)
    assert "abc" not in urlsplit(responses.calls[0].request.url).query


@responses.activate
def test_deepl_pro_key_uses_pro_endpoint_and_custom_variable(monkeypatch):
    monkeypatch.setenv("MY_DEEPL_KEY", "pro-key")
    responses.add(responses.POST, DEEPL_PRO, json={"translations": [{"text": "Hola"}]})
    result = DeeplEngine(api_key_env="MY_DEEPL_KEY").translate(["Bonjour"], "fr", "es")
    assert result.results[0].text == "Hola"


def test_deepl_missing_key_names_the_variable():
    assert DeeplEngine().route("fr", "en") is None
    assert "DEEPL_API_KEY" in DeeplEngine().unavailable_reason("fr", "en")
    assert "MY_DEEPL_KEY" in DeeplEngine(api_key_env="MY_DEEPL_KEY").unavailable_reason("fr", "en")


@responses.activate
def test_deepl_456_quota_stops_the_engine(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "abc:fx")
    responses.add(responses.POST, DEEPL_FREE, json={"translations": [{"text": "We demand"}]})
    responses.add(responses.POST, DEEPL_FREE, status=456, json={"message": "Quota exceeded"})
    engine = DeeplEngine(concurrency=1)
    result = engine.translate(TEXTS, "fr", "en-GB")
    assert result.results[0].text == "We demand"  # what was translated before the stop is kept
    assert result.results[1:] == [None, None] and len(responses.calls) == 2
    assert "HTTP 456" in result.errors[1] and "Quota exceeded" in result.errors[1]
    assert "abc:fx" not in result.errors[1]
    assert engine.route("fr", "en-GB") is None
    with pytest.raises(EngineUnavailable, match="456"):
        engine.translate(["Bonjour"], "fr", "en-GB")


@responses.activate
def test_deepl_connection_error_is_retried(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "abc:fx")
    responses.add(responses.POST, DEEPL_FREE, body=requests.ConnectionError("reset"))
    responses.add(responses.POST, DEEPL_FREE, body=requests.ReadTimeout("slow"))
    responses.add(responses.POST, DEEPL_FREE, json={"translations": [{"text": "Hello"}]})
    waits: list[float] = []
    result = DeeplEngine(sleep=waits.append, backoff=0.5).translate(["Bonjour"], "fr", "en")
    assert result.results[0].text == "Hello" and result.calls == 3 and len(waits) == 2
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 1.5  # exponential, with jitter


# -- Microsoft ------------------------------------------------------------------------------------------------------


@responses.activate
def test_microsoft_request_and_codes(monkeypatch):
    monkeypatch.setenv("MICROSOFT_API_KEY", "ms-key")
    responses.add(responses.POST, MICROSOFT, json=[{"translations": [{"text": "你好", "to": "zh-Hant"}]}])
    result = MicrosoftEngine(region="westeurope").translate(["Bonjour"], "fr", "zh-TW")
    assert result.results[0].text == "你好" and result.calls == 1
    call = responses.calls[0]
    assert query(call) == {"api-version": "3.0", "from": "fr", "to": "zh-Hant"}
    assert call.request.headers["Ocp-Apim-Subscription-Key"] == "ms-key"
    assert call.request.headers["Ocp-Apim-Subscription-Region"] == "westeurope"
    assert json.loads(call.request.body) == [{"text": "Bonjour"}]


@responses.activate
def test_microsoft_401_stops(monkeypatch):
    monkeypatch.setenv("MICROSOFT_API_KEY", "bad")
    responses.add(responses.POST, MICROSOFT, status=401, json={"error": {"code": 401000, "message": "bad key"}})
    engine = MicrosoftEngine()
    result = engine.translate(["Bonjour"], "fr", "en")
    assert result.results == [None] and "HTTP 401" in result.errors[0]
    assert engine.route("fr", "en") is None


def test_microsoft_missing_key():
    assert MicrosoftEngine().route("fr", "en") is None
    assert "MICROSOFT_API_KEY" in MicrosoftEngine().unavailable_reason("fr", "en")
