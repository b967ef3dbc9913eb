"""Interface texts in es/en/fr, one TOML file per feature under ``bot/i18n/texts/``.

Each file maps a key to a table of the three languages::

    [next.none]
    es = "No hay nada previsto."
    en = "Nothing is planned."
    fr = "Rien n'est prévu."

Keys are prefixed by the file's name (``events.toml`` → ``events.next.none``), so features
never collide. Texts use ``str.format`` fields.

A text that says a number of things is a table of the language's plural categories (CLDR's
``zero``, ``one``, ``two``, ``few``, ``many``, ``other``; ``other`` is required), and the
field ``count`` (or ``n``) chooses the form by the language's plural rules (Babel's CLDR
data), so callers still write ``catalog.get(key, language, count=3)``::

    [retry.done]
    es.one = "De vuelta en la cola: {count} envío."
    es.other = "De vuelta en la cola: {count} envíos."
    en.one = "Back in the queue: {count} delivery."
    en.other = "Back in the queue: {count} deliveries."
    fr.one = "Remis en file : {count} envoi."
    fr.other = "Remis en file : {count} envois."

French counts 0 and 1 as ``one`` ("0 envoi"), Spanish and English only 1; a category a
text leaves out falls back to ``other``. A text with two numbers names the field its form
follows with ``by = "changes"`` beside the languages (and says the other number as a label).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

__all__ = ["LANGUAGES", "PLURAL_CATEGORIES", "Catalog", "MissingText", "Plural"]

LANGUAGES = ("es", "en", "fr")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# The fields that choose a plural form, first found wins.
_COUNT_FIELDS = ("count", "n")
_TEXTS_DIR = Path(__file__).with_name("texts")


class MissingText(KeyError):
    """A text key is not in the catalog."""


@dataclass(frozen=True, slots=True)
class Plural:
    """One text in one language, with a form per plural category.

    Attributes:
        forms: The text for each category the text gives (``other`` always among them).
        category: The language's plural rule: a number → its CLDR category.
        by: The field whose number chooses the form (``None``: ``count``, else ``n``).
    """

    forms: Mapping[str, str]
    category: Callable[[float], str]
    by: str | None = None

    def choose(self, count: object) -> str:
        """The form for ``count``."""
        if isinstance(count, bool) or not isinstance(count, int | float):
            raise TypeError(f"a plural text is chosen by a number, got {count!r}")
        return self.forms.get(self.category(count), self.forms["other"])


def _plural(language: str, forms: Mapping[str, object], key: str, by: object) -> Plural:
    unknown = sorted(set(forms) - set(PLURAL_CATEGORIES))
    if unknown or "other" not in forms or not all(isinstance(v, str) for v in forms.values()):
        raise ValueError(
            f"text {key!r} ({language}) must be a string or a table of plural forms "
            f"({', '.join(PLURAL_CATEGORIES)}; 'other' required), got {sorted(forms)}"
        )
    if by is not None and not isinstance(by, str):
        raise ValueError(f"text {key!r}: 'by' names a field, got {by!r}")
    rule = Locale.parse(language).plural_form
    return Plural({k: str(v) for k, v in forms.items()}, rule, by)


class Catalog:
    """All interface texts, loaded once."""

    def __init__(self, texts: Mapping[str, Mapping[str, str | Plural]]) -> None:
        self._texts = {key: dict(value) for key, value in texts.items()}
        # The same texts by language first: one lookup per text on the reply path.
        self._tables: dict[str, dict[str, str | Plural]] = {}
        for key, value in self._texts.items():
            for language, text in value.items():
                self._tables.setdefault(language, {})[key] = text

    @classmethod
    def load(cls, directory: Path = _TEXTS_DIR) -> Catalog:
        """Load every ``*.toml`` file of ``directory``.

        Raises:
            ValueError: A file is not valid TOML or a text lacks a language; the message
                names the file and the key.
        """
        texts: dict[str, dict[str, str | Plural]] = {}
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
        """The text ``key`` in ``language``, with ``fields`` filled in.

        A plural text takes its form from the field ``count`` (or ``n``, or the one it
        names with ``by``).

        Raises:
            MissingText: No such key or language.
            TypeError: A plural text was given no number to choose its form.
        """
        try:
            text = self._tables[language][key]
        except KeyError:
            raise MissingText(f"{key}/{language}") from None
        if isinstance(text, Plural):
            names = (text.by,) if text.by else _COUNT_FIELDS
            count = next((fields[f] for f in names if f in fields), None)
            if count is None:
                raise TypeError(f"text {key!r} is plural: give it {names[0]}=…")
            text = text.choose(count)
        return text.format(**fields) if fields else text

    def all_languages(self, key: str) -> dict[str, str]:
        """The text ``key`` in every language (a plural text's ``other`` form)."""
        return {
            language: text.forms["other"] if isinstance(text, Plural) else text
            for language, text in self._texts[key].items()
        }

    def variants(self, key: str) -> dict[str, list[str]]:
        """Every form of the text ``key`` in each language (one unless it is plural)."""
        return {
            language: list(text.forms.values()) if isinstance(text, Plural) else [text]
            for language, text in self._texts[key].items()
        }


def _flatten(
    prefix: str, table: dict[str, object]
) -> Iterable[tuple[str, dict[str, str | Plural]]]:
    if any(lang in table for lang in LANGUAGES):
        by = table.get("by")  # beside the languages: the field a plural text follows
        texts: dict[str, str | Plural] = {}
        for language, value in table.items():
            if language != "by":
                plural = isinstance(value, dict)
                texts[language] = _plural(language, value, prefix, by) if plural else str(value)
        yield prefix, texts
        return
    for key, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"text {prefix}.{key} must be a table of es/en/fr")
        yield from _flatten(f"{prefix}.{key}", value)
