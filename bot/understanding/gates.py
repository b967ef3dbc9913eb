"""Which of many word-anchored patterns can match a message at all, told from how its words
begin, so that only those are searched.

Every message is searched for every cue (:mod:`bot.understanding.cues`): a dozen large
alternations, most of which cannot match. A pattern that starts at a word boundary can only
match where a word starts, with one of the few openings (its first one to six characters)
its alternatives allow. :class:`Gate` works those openings out once, from the pattern itself
(Python's own regular-expression parser), and for a message looks up how each of its words
begins: a pattern with none of its openings there is not searched. The result is the same
set of patterns a search of each would give; a pattern whose openings cannot be told (one
that may start with any word, ``\\w+ …``) is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["Gate", "openings"]

_LONGEST = 6  # characters of an opening: most words tell their cue apart by then

try:  # CPython's parser (``sre_parse`` before 3.11); without it, every pattern is searched
    from re import _constants as _sre
    from re import _parser
except ImportError:  # pragma: no cover - another Python
    _parser = None
    _sre = None


def openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The strings (1 to 6 characters, each starting with a letter or digit) one of which
    every match of ``pattern`` starts with, at a word's start; ``None`` when the pattern does
    not start at a word boundary or its openings cannot be told.
    """
    if _parser is None or _sre is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # a syntax this walk does not know: search it always
        return None
    # Only a pattern anchored at a word boundary (or the start) is matched at word starts.
    anchors = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
    if not items or items[0][0] is not _sre.AT or items[0][1] not in anchors:
        return None
    found: set[str] = set()
    _walk(items, "", found)
    if not found or any(not s or not s[0].isalnum() for s in found):
        return None
    return frozenset(found)


def _walk(items: list[tuple[Any, Any]], prefix: str, found: set[str]) -> None:
    # Adds to ``found`` each way a match may begin. Stopping early (a shorter opening) is
    # always safe: it only lets more patterns through.
    assert _sre is not None
    if len(prefix) >= _LONGEST or not items:
        found.add(prefix)
        return
    op, arg = items[0]
    rest = items[1:]
    if op is _sre.LITERAL:
        _walk(rest, prefix + chr(arg), found)
    elif op is _sre.AT or op in (_sre.ASSERT, _sre.ASSERT_NOT):
        _walk(rest, prefix, found)  # zero width (\b, ^, look-arounds): what follows opens
    elif op is _sre.SUBPATTERN:
        _walk(list(arg[-1]) + rest, prefix, found)
    elif op is _sre.BRANCH:
        for alternative in arg[1]:
            _walk(list(alternative) + rest, prefix, found)
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, _high, body = arg
        if low == 0:
            _walk(rest, prefix, found)  # left out
        _walk(list(body), prefix, found)  # at least once: its body comes first, then stop
    elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in arg) and len(arg) <= 4:
        for _kind, char in arg:
            _walk(rest, prefix + chr(char), found)
    else:  # anything else (\w, a class, a look-ahead): the opening ends here
        found.add(prefix)


class Gate:
    """Patterns by name, each searched only when a message's words may open one of its
    matches.

    Args:
        patterns: The patterns, by name.
    """

    def __init__(self, patterns: Mapping[str, re.Pattern[str]]) -> None:
        self.always: frozenset[str] = frozenset(
            name for name, pattern in patterns.items() if openings(pattern) is None
        )
        table: dict[str, set[str]] = {}
        for name, pattern in patterns.items():
            for opening in openings(pattern) or ():
                table.setdefault(opening, set()).add(name)
        self._table = {opening: frozenset(names) for opening, names in table.items()}

    def candidates(self, joined: str) -> set[str]:
        """The names of the patterns that may match ``joined`` (words joined by single
        spaces, as :func:`bot.core.text.split` gives them)."""
        names = set(self.always)
        table = self._table
        start = 0
        while True:
            for end in range(start + 1, start + _LONGEST + 1):
                found = table.get(joined[start:end])
                if found is not None:
                    names |= found
            start = joined.find(" ", start) + 1
            if not start:
                return names
