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


def test_placeholders_agree_across_languages() -> None:
    catalog = Catalog.load()
    for key in catalog.keys():
        fields = {
            lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
            for lang, text in catalog.all_languages(key).items()
        }
        assert fields["es"] == fields["en"] == fields["fr"], (key, fields)


def test_missing_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text('[hello]\nes = "hola"\nen = "hello"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"demo\.hello.*fr"):
        Catalog.load(tmp_path)


def _dummy_fields(catalog: Catalog, key: str) -> dict[str, str]:
    text = catalog.all_languages(key)["en"]
    return {f: "x" for _, f, _, _ in string.Formatter().parse(text) if f}
