"""How far a machine draft can be trusted, as a number from 0 to 1 that each engine can justify.

* Apertium (engines that report the words they did not know): the share of the draft's words it knew, at
  every stage of the chain — an unknown word is left in the draft as it was, in the language it came from.
* The `llm` engine: the validation score (l10n.engines.validate.score), times its agreement with a second
  engine when `engine_settings.llm.confirm_with` names one (0.5 + 0.5 × similarity of the two drafts).
* Other online engines: the validation score alone.
* A draft made from a sibling language's machine draft: the product of both confidences.

Written in the provenance comment as `conf:0.82`; `pretranslate.min_confidence` (0.9 by default) is the line
below which status, the dashboard and the review sheet count a draft as doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+")  # letters only: "Jamalo-Nénétsie" is two words, as Apertium sees it


def known_share(draft: str, unknown: Iterable[str]) -> float:
    """Share of the draft's words that are not among the engine's unknown words (counting every occurrence)."""
    words = [w.casefold() for w in _WORD.findall(draft)]
    if not words:
        return 1.0
    missing = {w.casefold() for w in unknown}
    return round(1.0 - sum(w in missing for w in words) / len(words), 2)


def agreement(draft: str, other: str) -> float:
    """Similarity of two drafts of the same text, 0–1 (rapidfuzz's normalised indel similarity)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(draft, other) / 100.0


def confirmed(score: float, similarity: float | None) -> float:
    """A validation score weighed by a second engine's agreement, when there is one."""
    return round(score if similarity is None else score * (0.5 + 0.5 * similarity), 2)


def below(value: float | None, threshold: float) -> bool:
    """Whether a draft's confidence is under the threshold (a draft without one is not judged)."""
    return value is not None and value < threshold - 1e-9
