"""Quality of the offline drafts (Apertium) for es, ca, en, it, pt, before and after a Spanish review.

    .venv/bin/python bench/quality.py [--markdown out.md]

For each document (the appeal, and bench/data/communique.fr.txt, a municipal press release), a fresh project is
drafted with `l10n extract`, `update` and `pretranslate`, then every Spanish draft is accepted as it is (a
translator who approved it: the fuzzy flag removed) and `pretranslate` runs again, so that the languages
Apertium reaches through Spanish are redrafted from the reviewed Spanish (l10n/siblings.py). For the appeal, a
third stage replaces the Spanish with a translator's corrected text (bench/data/appeal.es-reviewed.yaml) and
runs `pretranslate` once more. Measured on the body segments (title, paragraphs, dateline):

* drafted: the share of segments with a draft;
* source words left: the share of the drafts' words that are French and not words of the target language
  (Hunspell dictionaries through pyenchant; keep terms aside);
* confidence: the drafts' `conf:` values (l10n/confidence.py) as a distribution and a mean.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import enchant
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n import provenance  # noqa: E402

from l10n import po as pofile
from l10n.state import entry_state  # noqa: E402
from l10n.glossary import load_glossary  # noqa: E402

LANGUAGES = ["es", "ca", "en", "it", "pt"]
DICTIONARIES = {"fr": "fr_FR", "es": "es_ES", "ca": "ca_ES", "en": "en_US", "it": "it_IT", "pt": "pt_PT"}
DOCUMENTS = {"appeal": ROOT / "source" / "appeal.fr.txt", "communique": ROOT / "bench" / "data" / "communique.fr.txt"}
BODY = ("title", "paragraph", "dateline")
BUCKETS = ((0.0, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def l10n(*args: str, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-c", "import sys; from l10n.cli import entry; sys.exit(entry())", *args],
                          cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"l10n {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def project(where: Path, document: Path) -> Path:
    (where / "source").mkdir(parents=True)
    shutil.copy(document, where / "source")
    shutil.copy(ROOT / "glossary.yaml", where)
    config = yaml.safe_load((ROOT / "tests" / "data" / "project" / "l10n.yaml").read_text(encoding="utf-8"))
    config.update(documents=[f"source/{document.name}"], languages=LANGUAGES, engines=["apertium"])
    (where / "l10n.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return where


class French:
    """Is a word of a draft French left behind? In the French dictionary and not in the target's."""

    def __init__(self, keep: set[str]) -> None:
        self.dicts = {lang: enchant.Dict(tag) for lang, tag in DICTIONARIES.items()}
        self.keep = keep

    def left(self, word: str, lang: str) -> bool:
        if word.casefold() in self.keep or len(word) < 3:
            return False
        for form in {word, word.lower(), word.capitalize()}:
            if self.dicts[lang].check(form):
                return False
        return any(self.dicts["fr"].check(form) for form in {word, word.lower(), word.capitalize()})


def measure(path: Path, lang: str, french: French) -> dict:
    entries = [e for e in pofile.load(path).active if any(c.split()[0] in BODY for c in e.extracted_comments)]
    drafted = [e for e in entries if e.translation]
    words = [w for e in drafted for w in _WORD.findall(e.translation)]
    left = sum(french.left(w, lang) for w in words)
    values = []
    for e in drafted:
        origin = provenance.parse(e.translator_comments)
        if entry_state(e) == "machine" and origin is not None and origin.confidence is not None:
            values.append(origin.confidence)
    redrafted = sum("(reviewed)" in (provenance.parse(e.translator_comments) or provenance.Provenance("")).detail
                    for e in drafted)
    return {"segments": len(entries), "drafted": len(drafted), "words": len(words), "left": left,
            "confidence": values, "from_reviewed": redrafted}


def review_spanish(path: Path, corrected: dict[str, str] | None = None) -> None:
    """Accept every Spanish draft; with `corrected` (French opening words → Spanish), write those texts first."""
    cat = pofile.load(path)
    for entry in cat.active:
        for opening, text in (corrected or {}).items():
            if entry.msgid.startswith(opening):
                entry.msgstr = " ".join(text.split())
        if entry.translation and entry.fuzzy:
            entry.set_fuzzy(False)
    pofile.save(cat)


def row(doc: str, lang: str, stage: str, m: dict) -> str:
    values = m["confidence"]
    buckets = " / ".join(str(sum(lo <= v < hi for v in values)) for lo, hi in BUCKETS)
    mean = f"{statistics.mean(values):.2f}" if values else "—"
    return (f"| {doc} | {lang} | {stage} | {m['drafted']}/{m['segments']} ({100 * m['drafted'] / m['segments']:.0f} %) "
            f"| {m['left']}/{m['words']} ({100 * m['left'] / max(1, m['words']):.1f} %) | {buckets} | {mean} "
            f"| {m['from_reviewed']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    glossary = load_glossary(ROOT / "glossary.yaml")
    keep = {w.casefold() for k in glossary.keep for form in k.forms("fr") for w in _WORD.findall(form)}
    french = French(keep)
    lines = ["| document | lang | stage | drafted | French words left | confidence <0.8 / 0.8–0.9 / 0.9–0.95 / ≥0.95 "
             "| mean | from reviewed es |", "|---|---|---|---:|---:|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "xdg")}
        for doc, source in DOCUMENTS.items():
            where = project(Path(tmp) / doc, source)
            for command in ("extract", "update", "pretranslate"):
                l10n(command, cwd=where, env=env)
            po = {lang: where / "locales" / lang / f"{doc}.po" for lang in LANGUAGES}
            before = {lang: measure(po[lang], lang, french) for lang in LANGUAGES}
            review_spanish(po["es"])
            l10n("pretranslate", cwd=where, env=env)
            after = {lang: measure(po[lang], lang, french) for lang in ("en", "it", "pt")}
            corrected = {}
            reviewed = ROOT / "bench" / "data" / f"{doc}.es-reviewed.yaml"
            if reviewed.exists():
                review_spanish(po["es"], yaml.safe_load(reviewed.read_text(encoding="utf-8")))
                l10n("pretranslate", cwd=where, env=env)
                corrected = {lang: measure(po[lang], lang, french) for lang in LANGUAGES}
            for lang in LANGUAGES:
                lines.append(row(doc, lang, "drafts", before[lang]))
                if lang in after:
                    lines.append(row(doc, lang, "es accepted as is", after[lang]))
                if lang in corrected and lang != "ca":
                    lines.append(row(doc, lang, "es corrected" if lang != "es" else "es corrected (human)",
                                     corrected[lang]))
    table = "\n".join(lines) + "\n"
    print(table, end="")
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
