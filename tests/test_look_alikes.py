"""`signatories import` warns of names that look like listed ones through an index (signatories.LookAlikes), not
by comparing every name with every other: the warnings must be those the comparison with every name gave —
same rows, same matches, same scores, same order — on a list with near-duplicates of every usual kind."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from l10n import signatories
from l10n.config import load_config
from l10n.document import DIGITS, SIMILARITY, fold

APPEAL2 = Path(__file__).resolve().parent / "data" / "appeal2"
COUNTRIES = ["Espagne", "Allemagne", "Italie", "Pologne", "France", "Belgique", "Suisse", "Royaume-Uni"]
KINDS = ["Syndicat", "Collectif", "Comité", "Association", "Union", "Réseau", "Fédération", "Ligue", "Verein",
         "Initiative", "Coordination", "Solidarity", "Observatoire", "Campaign"]
WORDS = ["de solidarité", "des travailleurs", "pour la paix", "antiguerre", "des étudiants", "libertaire",
         "für Frieden", "for Human Rights", "des enseignants", "écologiste", "des cheminots", "féministe",
         "contre la torture", "Freiheit", "Sud Santé Sociaux", "des exilés russes", "démocratique"]
CITIES = ["Paris", "Lyon", "Nantes", "Berlin", "Genève", "Liège", "Madrid", "Kraków", "Torino", "Bruxelles",
          "Saint-Étienne", "Clermont-Ferrand", "London", "Wien"]
SHORT = ["Attac", "Memorial", "Greenpeace", "Vesna", "Platforma", "Solidarnosc", "Amnesty", "Emmaüs",
         "Libre Pensée", "Exil Solidaire", "Institut Sakharov", "Russie-Libertés", "Demokrati-JA", "LDH", "CGT",
         "FSU 03", "SUD Rail", "Campagne #FREE120"]


class Everyone(signatories.LookAlikes):
    """The comparison with every listed name, as `signatories import` made it before the index (reference)."""

    def similar(self, mine: str) -> str | None:
        from rapidfuzz import fuzz, process

        for match, score, _ in process.extract(mine, list(self.orgs), scorer=fuzz.ratio, score_cutoff=SIMILARITY,
                                               limit=5):
            if DIGITS.findall(match) == DIGITS.findall(mine):
                org = self.orgs[match]
                where = f" at line {org.line}" if org.line else ""
                return f"{org.name!r}{where} ({score:.0f}% alike)"
        return None


def typo(rng: random.Random, name: str) -> str:
    """One typing error: a letter dropped, doubled, swapped with the next or replaced, a space dropped or added, a
    hyphen for a space, a case or accent slip."""
    letters = [i for i, c in enumerate(name[:-1]) if c.isalpha()]
    i = rng.choice(letters)
    kind = rng.randrange(8)
    if kind == 0:
        return name[:i] + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == 3:
        return name[:i] + rng.choice("aeiourstnl") + name[i + 1:]
    if kind == 4 and " " in name:
        return name.replace(" ", "", 1)
    if kind == 5:
        return name[:i] + " " + name[i:]
    if kind == 6 and " " in name:
        return name.replace(" ", "-", 1)
    return name.upper() if rng.random() < 0.5 else name.replace("é", "e").replace("è", "e")


def near(rng: random.Random, name: str) -> str:
    """A near-duplicate: one or two typing errors (in one word or two), a word dropped or added, a number
    changed (another organisation, which must not be reported)."""
    kind = rng.randrange(6)
    if kind <= 1:
        return typo(rng, name)
    if kind == 2:
        return typo(rng, typo(rng, name))
    words = name.split()
    if kind == 3 and len(words) > 3:
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    if kind == 4:
        words.insert(rng.randrange(1, len(words) + 1), rng.choice(["de", "la", "e.V.", "the", "France"]))
        return " ".join(words)
    return DIGITS.sub(lambda m: str(int(m.group()) + 1), name) if DIGITS.search(name) else f"{name} {rng.randint(1, 9)}"


def names(rng: random.Random, count: int) -> list[str]:
    """Organisation names, three in ten a near-duplicate of one before (of an original: a near-duplicate of a
    near-duplicate may be three words away from the original, which the index does not look for)."""
    out: list[str] = []
    originals: list[str] = []
    while len(out) < count:
        if originals and rng.random() < 0.3:
            out.append(near(rng, rng.choice(originals)))
            continue
        shape = rng.random()
        if shape < 0.25:
            name = rng.choice(SHORT) + (f" {rng.choice(CITIES)}" if rng.random() < 0.5 else "")
        elif shape < 0.85:
            name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} {rng.choice(['de', 'à', '', 'of'])} {rng.choice(CITIES)}"
        else:
            name = f"{rng.choice(KINDS)} {rng.choice(CITIES)} {rng.randint(1, 60)}"
        originals.append(" ".join(name.split()))
        out.append(originals[-1])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_warns_exactly_as_the_comparison_with_every_name(tmp_path, monkeypatch, seed):
    shutil.copytree(APPEAL2, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path / "l10n.yaml")
    rng = random.Random(seed)
    rows = [signatories.Candidate(name, rng.choice(COUNTRIES), f"form.csv:{n + 2}")
            for n, name in enumerate(names(rng, 400))]

    indexed = signatories.intake(config, rows, dry_run=True)
    monkeypatch.setattr(signatories, "LookAlikes", Everyone)
    everyone = signatories.intake(config, rows, dry_run=True)

    looks = [w for w in indexed.warnings if " looks like " in w]
    assert len(looks) > 40  # the list has near-duplicates of every kind above (a test that cannot fail is none)
    assert indexed.warnings == everyone.warnings
    assert [a.name for a in indexed.added] == [a.name for a in everyone.added]


@pytest.mark.parametrize("name, found", [
    ("Amnisty International", "'Amnesty International' at line 10 (95% alike)"),  # one word
    ("Green peace", "'Greenpeace' at line 11 (95% alike)"),  # two words for one: a short name, by length
    ("Memorial Frnace", "'Mémorial France' at line 12 (93% alike)"),  # no word in common
    ("Colectif des etudaints de Lyon", "'Collectif des étudiants de Lyon' at line 13 (95% alike)"),  # two words
    ("Collectifdes étudiants de Lyyon", "'Collectif des étudiants de Lyon' at line 13 (97% alike)"),  # three words
    ("Collectif des étudiants à Lyon", "'Collectif des étudiants de Lyon' at line 13 (95% alike)"),
    ("Syndicat FO 36", None),  # another section
    ("Platfroma", None),  # 89 % alike
])
def test_each_kind_of_look_alike_is_found(name, found):
    listed = signatories.LookAlikes([signatories.Organisation(n, k + 10) for k, n in enumerate(
        ["Amnesty International", "Greenpeace", "Mémorial France", "Collectif des étudiants de Lyon", "Syndicat FO 35",
         "Platforma"])])
    assert listed.similar(fold(name)) == found


@pytest.mark.slow  # the benchmark script, as a subprocess
def test_the_import_benchmark_runs(tmp_path):
    """bench/signatories_import.py at a tiny size, so that it keeps running as the tool changes."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "bench" / "signatories_import.py"
    proc = subprocess.run([sys.executable, str(script), "--rows", "300", "--segments", "100", "--rounds", "1",
                           "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = proc.stdout.splitlines()[0]
    assert line.startswith("signatories import, 300 rows: ") and " look-alike warnings" in line
    assert int(line.split(", ")[-1].split()[0]) > 0  # the planted near-duplicates are found
