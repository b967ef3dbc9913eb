"""Text normalisation shared by understanding, matching and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "split", "words"]

_WORD = re.compile(r"[a-z0-9]+")


class _CharFolds(dict[int, str]):
    """Each character's folded form, worked out the first time the character is met.

    Folding is character by character: case folding has no context, NFKD decomposes each
    character on its own, and its reordering only moves the combining marks, which go.
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).casefold())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if len(self) < _MAX_CHARS:  # text can hold any character: keep the table small
            self[code] = folded
        return folded


_MAX_CHARS = 20_000
_CHAR_FOLDS = _CharFolds()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Congrès" and "congres" compare equal."""
    if text.isascii():
        # ASCII is its own NFKD form and has no combining marks: lower-casing is all it takes.
        return text.lower()
    return text.translate(_CHAR_FOLDS)


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))


def split(folded: str) -> list[str]:
    """The words of text already folded by :func:`fold`."""
    return _WORD.findall(folded)
