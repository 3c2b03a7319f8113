"""l10n.yaml validation: precise messages, language tags known to CLDR, paths inside the project."""

from pathlib import Path

import pytest

from l10n.config import parse_config
from l10n.errors import ConfigError

BASE = {"source_language": "fr", "documents": ["source/appeal.fr.txt"], "languages": ["en", "pt-br", "sr-Latn"]}


def parse(raw, tmp_path):
    return parse_config(raw, tmp_path / "l10n.yaml")


def test_defaults_and_canonical_tags(tmp_path):
    config = parse(BASE, tmp_path)
    assert config.languages == ("en", "pt-BR", "sr-Latn")
    assert config.segmentation == "paragraph"
    assert config.publish.min_reviewed == 100 and config.publish.unreviewed == "banner"
    assert config.engines == ("apertium",)
    assert config.documents == (Path("source/appeal.fr.txt"),)


@pytest.mark.parametrize("raw, message", [
    ({**BASE, "languages": ["en", "klingon"]}, "languages: 'klingon' is not a BCP 47 language tag"),
    ({**BASE, "languages": ["fr"]}, "languages must not include the source language fr"),
    ({**BASE, "segmentation": "word"}, "segmentation must be one of paragraph, sentence, not 'word'"),
    ({**BASE, "langauges": []}, "unknown key 'langauges' in l10n.yaml (did you mean 'languages'?)"),
    ({**BASE, "publish": {"min_reviewd": 50}}, "unknown key 'min_reviewd' in publish (did you mean 'min_reviewed'?)"),
    ({**BASE, "publish": {"min_reviewed": 150}}, "publish.min_reviewed must be a percentage from 0 to 100"),
    ({**BASE, "documents": ["/etc/passwd"]}, "documents '/etc/passwd' points outside the project"),
    ({**BASE, "glossary": "../g.yaml"}, "glossary '../g.yaml' points outside the project"),
    ({k: v for k, v in BASE.items() if k != "languages"}, "missing required key 'languages'"),
    ([1, 2], "config must be a mapping of keys to values"),
])
def test_invalid_configs_are_named_precisely(tmp_path, raw, message):
    with pytest.raises(ConfigError) as err:
        parse(raw, tmp_path)
    assert str(err.value) == f"{tmp_path / 'l10n.yaml'}: {message}"


def test_lang_selection_must_be_configured(tmp_path):
    config = parse(BASE, tmp_path)
    assert config.select_languages(("pt-BR",)) == ("pt-BR",)
    with pytest.raises(ConfigError, match="language de is not in the project"):
        config.select_languages(("de",))


def test_invalid_glossary_yaml_names_the_line(tmp_path):
    from l10n.glossary import load_glossary

    bad = tmp_path / "glossary.yaml"
    bad.write_text("keep:\n  - Azat Miftakhov\n  - [Kharp\nterms: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_glossary(bad)
    assert str(err.value) == f"{bad}:4: invalid glossary YAML: did not find expected ',' or ']'"
