"""Text normalisation shared by understanding, matching and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "words"]

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Congrès" and "congres" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))
