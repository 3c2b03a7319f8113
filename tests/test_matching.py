"""l10n.matching, the one whole-word rule every part of l10n finds glossary terms (and engines' unknown words) by."""

from __future__ import annotations

from l10n.glossary import Glossary, KeepTerm, Term
from l10n.matching import any_of, contains, keep_terms_in, replace, translations_in, with_variants

GLOSSARY = Glossary(keep=(KeepTerm("FreeAzat"), KeepTerm("Solidarité FreeAzat"),
                          KeepTerm("Alexei Navalny", {"es": ("Alekséi Navalni",)})),
                    terms=(Term("procès politique", {"es": "juicio político"}),))


def test_a_term_is_a_whole_word_in_any_case_unless_the_case_must_match():
    assert contains("Le PROCÈS POLITIQUE de Kharp", "procès politique")
    assert not contains("procès politiques", "procès politique")  # a longer word is another word
    assert not contains("«FreeAzatski»", "FreeAzat")
    assert contains("Kharp, IK-18.", "IK-18") and not contains("Kharp", "kharp", case=True)


def test_the_glossary_terms_of_a_text_longest_first_with_the_language_s_translation():
    text = "Solidarité FreeAzat dénonce le procès politique"
    assert [k.text for k in keep_terms_in(GLOSSARY, text)] == ["Solidarité FreeAzat", "FreeAzat"]
    assert [(t.source, tr) for t, tr in translations_in(GLOSSARY, text, "es")] == [
        ("procès politique", "juicio político")]
    assert translations_in(GLOSSARY, text, "de") == []


def test_a_replacement_is_taken_literally():
    assert replace("un procès politique", "procès politique", r"juicio \1 político") == r"un juicio \1 político"


def test_kept_names_in_the_language_s_own_form_as_written_only():
    assert with_variants(GLOSSARY, "Alexei Navalny y alexei navalny", "es") == "Alekséi Navalni y alexei navalny"
    assert with_variants(GLOSSARY, "Alexei Navalny", "de") == "Alexei Navalny"


def test_several_terms_at_once_prefer_the_longest():
    import re

    assert re.findall(any_of(["FreeAzat", "Solidarité FreeAzat"]), "Solidarité FreeAzat, FreeAzat") == [
        "Solidarité FreeAzat", "FreeAzat"]
