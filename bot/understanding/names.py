"""Which items of the plan a text names: "mega", "metro airports", "el congreso de cglu",
"the LGBTI project", and how sure that is.

The words are spelling-corrected first (:mod:`bot.understanding.spelling`); the index's own
search (:meth:`content.index.ContentIndex.find`) then scores items by the share of the words
their names explain. An exact name (an alias or a title, ignoring case, accents, spaces and
small words) wins outright; otherwise the best match must lead the next by 0.1, or the close
ones are choices. A theme (or a section, when asked) leads a tie: its overview covers the rest.

With several plans side by side, a name that fits items of several years ("the Board
meeting", a recurring section) means the one of the plan asked about (``year``: the plan in
force, or the year the message names), and the others come as close ones; a name that only
another plan knows still finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.text import words as _tokens
from content.index import STOPWORDS, ContentIndex, ContentItem, Match

__all__ = ["Names", "Pick", "names_of"]


@dataclass(frozen=True, slots=True)
class Pick:
    """What a text names.

    Attributes:
        item: The item meant, when one stands out (or a theme/section leads a tie).
        others: Close matches: the choices when ``item`` is None, "see also" otherwise.
        score: The best match's score (0..1; 1.0 for an exact name).
    """

    item: ContentItem | None
    others: tuple[ContentItem, ...]
    score: float

    @property
    def candidates(self) -> tuple[ContentItem, ...]:
        """The item meant and the close ones."""
        return (self.item, *self.others) if self.item is not None else self.others


class Names:
    """The names of one content index, ready to be looked up.

    Args:
        index: The plan in memory.
    """

    def __init__(self, index: ContentIndex) -> None:
        self.index = index
        self._exact: dict[str, set[str]] = {}
        self._words_of: dict[str, frozenset[str]] = {}
        words: set[str] = set()
        for item in index.items.values():
            own: set[str] = set()
            for name in (*item.aliases, *item.title.values(), item.plain_slug.replace("-", " ")):
                tokens = _tokens(name)
                own.update(tokens)
                compact = _compact(tokens)
                if len(compact) >= 3:
                    self._exact.setdefault(compact, set()).add(item.slug)
            for keyword in item.keywords:
                own.update(_tokens(keyword))
            self._words_of[item.slug] = frozenset(own - STOPWORDS)
            words |= own
        #: Every word of every name and keyword: what a misspelling may be put back to.
        self.words = frozenset(words)
        self._memo: dict[tuple[str, tuple[str, ...] | None, bool], Pick | None] = {}

    def words_of(self, slug: str) -> frozenset[str]:
        """The words of an item's names and keywords (no small words)."""
        return self._words_of.get(slug, frozenset())

    def exact(self, text: str, kinds: Sequence[str] | None = None) -> list[ContentItem]:
        """The items named exactly ``text`` (ignoring case, accents, spaces, small words)."""
        compact = _compact(_tokens(text))
        items = self.index.items
        return [
            items[s]
            for s in sorted(self._exact.get(compact, ()))
            if s in items and (kinds is None or items[s].kind in kinds)
        ]

    def exact_within(
        self, tokens: Sequence[str], kinds: Sequence[str] | None = None
    ) -> list[ContentItem]:
        """The items named exactly by a run of two or more words inside ``tokens`` ("no i
        meant the *mobility master plan* one"), the longest run first."""
        runs: list[list[str]] = [[]]
        for token in tokens:  # only words of names can make one
            if token in self.words or token in _SMALL:
                runs[-1].append(token)
            elif runs[-1]:
                runs.append([])
        for run in runs:
            named = [t for t in run if t not in _SMALL]
            for size in range(len(named), 1, -1):
                for start in range(len(named) - size + 1):
                    found = self.exact(" ".join(named[start : start + size]), kinds)
                    if found:
                        return found
        return []

    def find(self, text: str, kinds: Sequence[str] | None = None, limit: int = 8) -> list[Match]:
        """The items whose names best match ``text``, best first (see ContentIndex.find)."""
        return self.index.find(text, kinds=kinds, limit=limit)

    def pick(
        self,
        text: str,
        *,
        kinds: Sequence[str] | None = None,
        threshold: float = 0.6,
        prefer_sections: bool = False,
        year: int | None = None,
    ) -> Pick | None:
        """The item ``text`` names, the close candidates, or ``None`` when nothing matches well.

        Args:
            text: The words that name the thing (already spelling-corrected).
            kinds: Only items of these kinds.
            threshold: The lowest score accepted.
            prefer_sections: A section, rather than a theme, leads a tie.
            year: The plan asked about: of close items of several plans, its own leads.
        """
        key = (text, tuple(kinds) if kinds else None, prefer_sections)
        if key in self._memo:
            result = self._memo[key]
        else:
            result = self._pick(text, kinds, prefer_sections)
            if len(self._memo) > 4096:  # any text can come: keep the memo bounded
                self._memo.clear()
            self._memo[key] = result
        if result is not None and year is not None and len(self.index.years) > 1:
            result = self._in_plan(result, text, kinds, prefer_sections, year)
        if result is None or result.score < threshold:
            return None
        return result

    def _in_plan(
        self,
        found: Pick,
        text: str,
        kinds: Sequence[str] | None,
        prefer_sections: bool,
        year: int,
    ) -> Pick:
        # The plan asked about has a say only when the close ones span several plans and the
        # lead is not its own already; its pick wins unless another plan's is better named.
        candidates = found.candidates
        if (found.item is not None and found.item.year == year) or all(
            c.year != year for c in candidates
        ):
            return found
        if year not in self.index.plans:
            return found
        if found.item is not None:
            # The same slug in the plan asked about (a recurring theme or section) leads.
            twin = self.index.resolve(found.item.plain_slug, year)
            if twin is not None and twin.year == year:
                rest = [found.item, *(c for c in found.others if c.slug != twin.slug)]
                return Pick(twin, tuple(rest[:6]), found.score)
        mine = names_of(self.index.plan(year)).pick(
            text, kinds=kinds, threshold=0.0, prefer_sections=prefer_sections
        )
        if mine is None or mine.score + 1e-9 < found.score:
            return found
        if mine.item is None:
            return mine  # several of its own: the choice is among the plan's items
        taken = {c.slug for c in mine.candidates}
        others = [*mine.others, *(c for c in candidates if c.slug not in taken)]
        return Pick(mine.item, tuple(others[:6]), mine.score)

    def _pick(self, text: str, kinds: Sequence[str] | None, prefer_sections: bool) -> Pick | None:
        exact = self.exact(text, kinds)
        matches = self.find(text, kinds=kinds, limit=8)
        best = matches[0].score if matches else 0.0
        scores = {m.item.slug: m.score for m in matches}
        close = [m.item for m in matches if m.score >= best - 0.1 + 1e-9 and m.score >= 0.45]
        # One name in several plans ("board meeting" in 2019 and 2020) is still named exactly:
        # the latest leads here, and the plan asked about takes its own (see _in_plan).
        yearly = len(exact) > 1 and len({i.year for i in exact}) == len(exact)
        if len(exact) == 1 or yearly:
            lead = max(exact, key=lambda i: i.year)
            twins = tuple(i for i in exact if i is not lead)
            if lead.kind not in ("theme", "section"):
                return Pick(lead, twins, 1.0)
            close = [lead, *twins, *(i for i in close if i is not lead and i not in twins)]
            best = scores[lead.slug] = 1.0
        elif not matches:
            return None
        elif len(close) <= 1:
            return Pick(matches[0].item, (), best)
        # A theme (or, when asked, a section) leads a tie: its overview covers the others;
        # unless something else is clearly named better ("the City Managers meeting").
        order = ("section", "theme") if prefer_sections else ("theme", "section")
        top_item = max((scores[i.slug] for i in close if i.kind not in order), default=0.0)
        for kind in order:
            leaders = [i for i in close if i.kind == kind]
            if leaders and scores[leaders[0].slug] + 0.05 > top_item:
                lead = leaders[0]
                return Pick(lead, tuple(i for i in close if i is not lead)[:5], best)
        rest = [i for i in close if i.kind not in order]
        if len(rest) == 1:
            return Pick(rest[0], tuple(i for i in close if i is not rest[0])[:5], best)
        return Pick(None, tuple(rest[:6]), best)


# Years name things ("guangzhou 2020"): they stay in the names compared whole.
_SMALL = STOPWORDS - {"2019", "2020"}


def _compact(tokens: Sequence[str]) -> str:
    return "".join(t for t in tokens if t not in _SMALL)


def names_of(index: ContentIndex) -> Names:
    """The :class:`Names` of ``index``, built once and kept with it."""
    return index.derived("understanding.names", lambda: Names(index))
