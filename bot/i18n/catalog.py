"""Interface texts in es/en/fr, one TOML file per feature under ``bot/i18n/texts/``.

Each file maps a key to a table of the three languages::

    [next.none]
    es = "No hay nada previsto."
    en = "Nothing is planned."
    fr = "Rien n'est prévu."

Keys are prefixed by the file's name (``events.toml`` → ``events.next.none``), so features
never collide. Texts use ``str.format`` fields.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["LANGUAGES", "Catalog", "MissingText"]

LANGUAGES = ("es", "en", "fr")
_TEXTS_DIR = Path(__file__).with_name("texts")


class MissingText(KeyError):
    """A text key is not in the catalog."""


class Catalog:
    """All interface texts, loaded once."""

    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        self._texts = texts
        # The same texts by language first: one lookup per text on the reply path.
        self._tables: dict[str, dict[str, str]] = {}
        for key, value in texts.items():
            for language, text in value.items():
                self._tables.setdefault(language, {})[key] = text

    @classmethod
    def load(cls, directory: Path = _TEXTS_DIR) -> Catalog:
        """Load every ``*.toml`` file of ``directory``.

        Raises:
            ValueError: A file is not valid TOML or a text lacks a language; the message
                names the file and the key.
        """
        texts: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path.name}: not valid TOML: {exc}") from None
            for key, value in _flatten(path.stem, data):
                texts[key] = value
        for key, value in texts.items():
            missing = [lang for lang in LANGUAGES if not value.get(lang)]
            if missing:
                raise ValueError(f"text {key!r} lacks {', '.join(missing)}")
        return cls(texts)

    def keys(self) -> Iterable[str]:
        """Every key of the catalog."""
        return self._texts.keys()

    def get(self, key: str, language: str, /, **fields: object) -> str:
        """The text ``key`` in ``language``, with ``fields`` filled in."""
        try:
            text = self._tables[language][key]
        except KeyError:
            raise MissingText(f"{key}/{language}") from None
        return text.format(**fields) if fields else text

    def all_languages(self, key: str) -> dict[str, str]:
        """The text ``key`` in every language (used to recognise button words)."""
        return dict(self._texts[key])


def _flatten(prefix: str, table: dict[str, object]) -> Iterable[tuple[str, dict[str, str]]]:
    if any(lang in table for lang in LANGUAGES):
        yield prefix, {k: str(v) for k, v in table.items()}
        return
    for key, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"text {prefix}.{key} must be a table of es/en/fr")
        yield from _flatten(f"{prefix}.{key}", value)
