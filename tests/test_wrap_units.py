"""Wrapping asks libunistring for the break opportunities that follow a space in one pass
(Unistring.space_break_units): the same pieces as joining its UAX #14 units up to each one that ends with a
space, the way the wrapper read them before."""

from __future__ import annotations

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10n.po import unistring


def _joined(lib: unistring.Unistring, text: str) -> list[str]:
    chunks, current = [], ""
    for unit in lib.line_break_units(text):
        current += unit
        if unit.endswith(" "):
            chunks.append(current.rstrip(" "))
            current = ""
    return chunks + ([current] if current else [])


def test_space_break_units_are_the_units_joined_at_spaces() -> None:
    lib = unistring.library()
    assert lib is not None, "libunistring (Debian: libunistring2/5, installed with gettext) is needed"
    alphabet = list("ab ,.-:!?«»é中—/()'\"") + ["\u00a0", "\u202f", "  ", "http://x.org/a-b", "\t"]
    rng = random.Random(19)
    texts = ["", " ", "   ", "Libérez Azat Miftakhov ! « Maintenant » — 2019-2026 ", "a  b", "mot :"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(1000)]
    for text in texts:
        assert lib.space_break_units(text) == _joined(lib, text), text
    assert lib.space_break_units("Libérez Azat ! « Maintenant »") == ["Libérez", "Azat !", "«", "Maintenant", "»"]


_PIECES = st.lists(st.sampled_from([" ", " ", "  ", "\t", "\r", "\n", "\r\n", "\u00a0", "\u202f", "\u3000", "\u00ad",
                                    "\u0301", "\u200b", "\u2028", "-", ":", "!", "«", "»", "(", ")", "a", "word",
                                    "é", "日本語", "Привет", "1", "%", "https://example.org/a"]), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PIECES)
@example("a \r\nb")  # libunistring's _v2 marks the CR of a CR LF with 5 (CR_BEFORE_LF), no break opportunity
@example("")
@example("  ")
def test_space_break_units_are_line_break_units_joined_at_spaces(text):
    library = unistring.library()
    assert library is not None, "libunistring (Debian: libunistring2/5, installed with gettext) is needed"
    assert library.space_break_units(text) == _joined(library, text)


def test_width_counts_columns_up_to_the_first_nul() -> None:
    """Unistring.width asks u8_strwidth of the bytes (a bytes object's buffer ends with a NUL): the columns
    msgcat counts, wide characters two, combining marks and controls none, nothing after an embedded NUL."""
    library = unistring.library()
    assert library is not None, "libunistring (Debian: libunistring2/5, installed with gettext) is needed"
    cases = {"": 0, "abc": 3, "漢字x": 5, "é\u0301": 1, "\x07a\tb": 2, "a\x00漢字": 1, "🙂🙂": 4, "Genève — Zürich": 15}
    assert {text: library.width(text.encode("utf-8")) for text in cases} == cases
