"""Parsed YAML kept per user (usercache `yaml.json`): the same data as PyYAML gives, for the exact text only."""

import datetime
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import config, usercache
from l10n.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def read(path: Path):
    return config.read_yaml(path, "invalid YAML", "cannot read config")


def stored() -> dict:
    usercache.save_all()  # what this process leaves at its end
    path = usercache.cache_path(config.YAML_CACHE)
    assert path is not None
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_an_unchanged_file_is_read_without_pyyaml(project):
    script = ("import sys\nfrom l10n.config import load_config\nc = load_config(None)\n"
              "print(c.languages, c.signatories.groups['Europe'], 'yaml' in sys.modules)")

    def fresh() -> str:
        return subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout

    first = fresh()
    assert first.endswith(" True\n")  # nothing kept yet: PyYAML parses
    assert stored()["yaml"] == usercache.package_stamp("yaml") and "yaml" in stored()["yaml"]
    assert fresh() == first.replace(" True\n", " False\n")  # the same config, PyYAML never imported
    (project / "l10n.yaml").write_text((project / "l10n.yaml").read_text() + "\nsegmentation: sentence\n")
    assert fresh() == first  # another text: parsed again


def test_the_cached_data_is_what_pyyaml_gives_and_a_new_copy_each_time(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text('a: [1, 2.5, -0.0, true, null, "x\\U0001F600\\ty", "é"]\nb: {c: &n {d: 1}, e: *n}\n', encoding="utf-8")
    parsed = read(path)
    assert [path.as_posix()] == [k for k in stored()["files"]]
    again = read(path)  # from the cache
    assert again == parsed and json.dumps(again) == json.dumps(parsed)
    assert math.copysign(1, again["a"][2]) == -1 and again["a"][5] == "x\U0001F600\ty"
    again["a"].append("changed by a caller")
    assert read(path) == parsed


def test_a_changed_file_is_parsed_again(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert read(path) == {"a": 1}
    path.write_text("a: 2\n", encoding="utf-8")
    assert read(path) == {"a": 2}
    path.write_text("a: [2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read(path)
    assert str(err.value) == f"{path}:2: invalid YAML: did not find expected ',' or ']'"
    assert stored()["files"][str(path)][0] == "a: 2\n"  # an error is never kept


@pytest.mark.parametrize("text, check", [
    ("a: 2026-11-29\n", lambda data: data == {"a": datetime.date(2026, 11, 29)}),
    ("1: one\n", lambda data: list(data) == [1] and data[1] == "one"),
    ("yes: [.nan]\n", lambda data: list(data) == [True] and math.isnan(data[True][0])),
    ("a: !!binary aGk=\n", lambda data: data == {"a": b"hi"}),
    ("a: !!set {x}\n", lambda data: data == {"a": {"x"}}),
    ("a: &x [*x]\n", lambda data: data["a"][0] is data["a"]),  # a cycle
])
def test_data_json_would_change_is_parsed_every_time(tmp_path, text, check):
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert check(read(path)) and check(read(path))
    assert str(path) not in stored().get("files", {})


def test_a_bounded_number_of_files_is_kept(tmp_path):
    for n in range(40):
        path = tmp_path / f"{n}.yaml"
        path.write_text(f"n: {n}\n", encoding="utf-8")
        assert read(path) == {"n": n}
    kept = stored()["files"]
    assert list(kept) == [str(tmp_path / f"{n}.yaml") for n in range(40 - config._YAML_KEPT, 40)]


def test_a_large_file_is_not_kept(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: [" + ", ".join(["word"] * 20000) + "]\n", encoding="utf-8")
    assert read(path) == {"a": ["word"] * 20000}
    assert str(path) not in stored().get("files", {})


def test_an_unreadable_file_is_an_error_before_any_cache(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(ConfigError, match=r"a\.yaml: cannot read config: 'utf-8' codec can't decode byte 0xff"):
        read(path)
