"""Issue 22, part B: each numbered promise of "Reliability, round two" (items 8 and 10-15) as a test named after it."""

from __future__ import annotations

import time

from l10n.segment import join_sentences, split_sentences


def test_item_12_sentence_segmentation_is_linear():
    paragraph = "Voir M. Azat " * 30_000
    started = time.perf_counter()
    parts = split_sentences(paragraph)
    assert time.perf_counter() - started < 1.0
    assert parts == [(paragraph, "")]  # "M." never ends a sentence
    runs = "Fin" + "…" * 50_000 + " Suite" + "." * 50_000
    started = time.perf_counter()
    assert join_sentences(split_sentences(runs)) == runs
    assert time.perf_counter() - started < 1.0
