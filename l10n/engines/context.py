"""What an engine that reads context (the `llm` engine) is told about a batch besides the texts: the document,
each segment's role and neighbours, the glossary for the target, its typography, and reviewed translations.

Built by pre-translation from the catalogs and the glossary; engines only read it. `digest()` is part of the
cache key, so a cached draft is reused only under the same context.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .validate import Expect
from ..digest import sha256


@dataclass(frozen=True)
class SegmentContext:
    role: str = "paragraph"  # title, paragraph, dateline, country, organisation, heading
    document: str = ""  # the document's title
    before: str = ""  # the source paragraph before this one
    after: str = ""  # and the one after
    siblings: tuple[tuple[str, str], ...] = ()  # (language, reviewed translation of this very segment)
    expect: Expect = Expect()  # keep terms with their target forms, glossary translations: what validation checks


@dataclass(frozen=True)
class DraftContext:
    purpose: str = ""  # what the document is for, in a sentence
    glossary: tuple[tuple[str, str], ...] = ()  # (source expression, preferred target translation)
    keep: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (term, accepted forms in the target language)
    typography: str = ""  # the target language's conventions, in words
    examples: tuple[tuple[str, str], ...] = ()  # reviewed (source, translation) pairs of the target language
    segments: tuple[SegmentContext, ...] = field(default=())  # one per text, in the batch's order

    def shared_digest(self) -> str:
        """Everything but the segments: the part that is the same for every text of the batch."""
        blob = json.dumps([self.purpose, self.glossary, self.keep, self.typography, self.examples],
                          ensure_ascii=False)
        return sha256(blob, 16)

    def digest(self, index: int) -> str:
        """The context one text is translated in: the shared part and its own segment's."""
        segment = self.segments[index] if index < len(self.segments) else SegmentContext()
        blob = json.dumps([self.shared_digest(), asdict(segment)], ensure_ascii=False, default=list)
        return sha256(blob, 16)

    def subset(self, indices: list[int]) -> DraftContext:
        """The same context for some of the texts only (the ones the cache did not have)."""
        return DraftContext(self.purpose, self.glossary, self.keep, self.typography, self.examples,
                            tuple(self.segments[i] if i < len(self.segments) else SegmentContext() for i in indices))
