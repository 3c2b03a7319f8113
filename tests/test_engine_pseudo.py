"""Pseudo-localisation: deterministic, longer, bracketed, and protected text untouched."""

from __future__ import annotations

import re

from l10n.engines import create
from l10n.engines.pseudo import PseudoEngine

SENTENCE = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."


def test_deterministic_and_accented():
    assert PseudoEngine().translate(["Sauvons Azat !"], "fr", "de").results[0].text == "[Šáúṽóñš Ážáţ ! ~~]"
    first = PseudoEngine().translate([SENTENCE], "fr", "de").results[0]
    assert first == PseudoEngine().translate([SENTENCE], "fr", "de").results[0]
    assert first.text.startswith("[Ñóúš éẋíĝéóñš ĺ'") and first.text.endswith("]")
    assert not re.search(r"[a-zA-Z]", first.text)  # every ASCII letter accented
    assert first.engine == "pseudo" and first.chain == ("fr", "de")


def test_expansion_about_thirty_percent():
    text = "Le comité de soutien dénonce fermement ces agissements criminels."
    out = PseudoEngine().translate([text], "fr", "en").results[0].text
    assert 1.25 <= len(out) / len(text) <= 1.4


def test_keep_terms_numbers_placeholders_untouched():
    text = ("Depuis 2019, Azat Miftakhov est à -50°C (IK-18), voir https://freeazat.org/appel, "
            "écrire à contact@freeazat.org, %(count)d signataires, {name}, <b>gras</b> &amp; #FREE120 2.0")
    out = PseudoEngine().translate([text], "fr", "en", ["Azat Miftakhov", "IK-18"]).results[0].text
    for kept in ("2019", "Azat Miftakhov", "-50°C", "IK-18", "https://freeazat.org/appel", "contact@freeazat.org",
                 "%(count)d", "{name}", "<b>", "</b>", "&amp;", "#FREE120", "2.0"):
        assert kept in out, kept
    assert "Depuis" not in out and "voir" not in out


def test_whitespace_kept_outside_brackets_and_empty_is_no_result():
    result = PseudoEngine().translate(["  Oui\n", "   "], "fr", "en")
    assert result.results[0].text.startswith("  [Óúí") and result.results[0].text.endswith("]\n")
    assert result.results[1] is None and "empty" in result.errors[1]


def test_any_pair_routes():
    engine = create("pseudo")
    assert engine.route("fr", "qya") == ("fr", "qya") and engine.unavailable_reason("fr", "qya") == ""
    assert engine.cache_key().startswith("pseudo:")
