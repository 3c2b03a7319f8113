"""Sentence segmentation: where a sentence ends, where it does not, and exact reassembly."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.document import read_lines
from l10n.segment import join_sentences, split_sentences

APPEAL = Path(__file__).resolve().parent.parent / "source" / "appeal.fr.txt"


def sentences(text):
    return [s for s, _ in split_sentences(text)]


@pytest.mark.parametrize("text", [
    "Dialog und Solidarität e.V. organise une réunion.",
    "Le collectif Procès de Nuremberg 2.0 signe l'appel.",
    "Il fait -50°C. en hiver",
    "Selon A. Miftakhov et J.-P. Dupont, tout va mal.",
    "Le 1. Mai est férié.",
    "Il a reçu 3.5 millions et 1.000 signatures.",
    "Voir M. Dupont et Mme Durand.",
])
def test_no_split_inside_abbreviations_numbers_initials_dates(text):
    assert sentences(text) == [text]


def test_splits_at_real_sentence_ends_including_french_spacing():
    text = "La vie d'Azat est en danger immédiat. Sauvons Azat avant qu'il ne soit trop tard ! Oui ? Non."
    assert sentences(text) == ["La vie d'Azat est en danger immédiat.",
                               "Sauvons Azat avant qu'il ne soit trop tard !", "Oui ?", "Non."]


def test_appeal_paragraphs_split_and_restore_exactly():
    paragraphs = [p for p in "\n".join(read_lines(APPEAL)).split("\n\n") if p.strip()]
    counts = [len(split_sentences(p.strip())) for p in paragraphs[:10]]
    assert counts == [1, 2, 2, 3, 2, 1, 1, 1, 2, 1]
    for p in paragraphs:
        assert join_sentences(split_sentences(p)) == p


@given(st.text())
def test_reassembly_is_exact_for_any_text(text):
    assert join_sentences(split_sentences(text)) == text
