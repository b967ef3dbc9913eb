"""Every interface text exists in es, en and fr, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.i18n.catalog import LANGUAGES, Catalog

ROOT = Path(__file__).resolve().parents[2]
_USE = re.compile(r"""(?:\bt|catalog\.get|\.get_text)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for folder in ("bot", "handlers", "scheduler", "content"):
        for path in (ROOT / folder).rglob("*.py"):
            keys.update(_USE.findall(path.read_text(encoding="utf-8")))
    return keys


def test_catalog_loads_with_every_language() -> None:
    catalog = Catalog.load()
    for key in catalog.keys():
        for language in LANGUAGES:
            assert catalog.get(key, language, **_dummy_fields(catalog, key)).strip(), (
                key,
                language,
            )


def test_every_key_used_in_code_exists() -> None:
    catalog = Catalog.load()
    missing = sorted(k for k in _used_keys() if k not in set(catalog.keys()))
    assert not missing, f"texts used in code but missing from bot/i18n/texts: {missing}"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_placeholders_agree_across_languages() -> None:
    catalog = Catalog.load()
    for key in catalog.keys():
        fields = {lang: _fields(text) for lang, text in catalog.all_languages(key).items()}
        assert fields["es"] == fields["en"] == fields["fr"], (key, fields)
        # A plural text's other forms use no field its "other" form lacks ("one" may leave
        # the number out: "your subscription").
        for lang, forms in catalog.variants(key).items():
            for form in forms:
                assert _fields(form) <= fields[lang], (key, lang, form)


def test_no_text_says_a_plural_with_brackets() -> None:
    # "message(s)": a text that counts says it with the language's plural forms instead.
    catalog = Catalog.load()
    for key in catalog.keys():
        for lang, forms in catalog.variants(key).items():
            for form in forms:
                assert not re.search(r"\w\((?:s|es|x|ies)\)", form), (key, lang, form)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("es", 0, "De vuelta en la cola: 0 envíos."),
        ("es", 1, "De vuelta en la cola: 1 envío."),
        ("es", 2, "De vuelta en la cola: 2 envíos."),
        ("en", 0, "Back in the queue: 0 deliveries."),
        ("en", 1, "Back in the queue: 1 delivery."),
        ("en", 21, "Back in the queue: 21 deliveries."),
        # French counts 0 as singular, by CLDR's rule.
        ("fr", 0, "Remis en file : 0 envoi."),
        ("fr", 1, "Remis en file : 1 envoi."),
        ("fr", 2, "Remis en file : 2 envois."),
    ],
)
def test_plural_forms_follow_each_languages_rules(language: str, count: int, expected: str) -> None:
    assert Catalog.load().get("staff.retry.done", language, count=count) == expected


def test_a_plural_text_is_chosen_by_count_or_n(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(
        "[items]\n"
        'es.one = "{n} cosa"\nes.other = "{n} cosas"\n'
        'en.one = "{n} thing"\nen.other = "{n} things"\n'
        'fr.one = "{n} chose"\nfr.many = "{n} de choses"\nfr.other = "{n} choses"\n',
        encoding="utf-8",
    )
    catalog = Catalog.load(tmp_path)
    assert catalog.get("demo.items", "en", n=1) == "1 thing"
    assert catalog.get("demo.items", "es", n=3) == "3 cosas"
    assert catalog.get("demo.items", "fr", n=1_000_000) == "1000000 de choses"
    assert catalog.all_languages("demo.items")["en"] == "{n} things"
    with pytest.raises(TypeError, match="count"):
        catalog.get("demo.items", "en")


def test_a_text_with_two_numbers_follows_the_one_it_names() -> None:
    catalog = Catalog.load()
    assert catalog.get("staff.reload.done", "en", changes=1, count=3) == (
        "Content reloaded: 1 change; notices queued: 3."
    )
    assert catalog.get("staff.reload.done", "es", changes=2, count=1) == (
        "Contenido recargado: 2 cambios; avisos en cola: 1."
    )


def test_a_plural_table_without_other_is_refused(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(
        '[items]\nes.one = "1"\nen.one = "1"\nfr.one = "1"\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"demo\.items.*'other' required"):
        Catalog.load(tmp_path)


def test_missing_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text('[hello]\nes = "hola"\nen = "hello"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"demo\.hello.*fr"):
        Catalog.load(tmp_path)


def _dummy_fields(catalog: Catalog, key: str) -> dict[str, int]:
    text = catalog.all_languages(key)["en"]
    # A number fills any field, and chooses a plural text's form whichever field it follows.
    return dict.fromkeys(_fields(text), 2)
