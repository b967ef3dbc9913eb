"""Text normalisation shared by understanding, matching and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "split", "words"]

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Congrès" and "congres" compare equal."""
    if text.isascii():
        # ASCII is its own NFKD form and has no combining marks: lower-casing is all it takes.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))


def split(folded: str) -> list[str]:
    """The words of text already folded by :func:`fold`."""
    return _WORD.findall(folded)
