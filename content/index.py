"""The plan in memory, indexed for the questions people ask: by slug, kind, date and name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from bot.core.text import words
from bot.db.models import Item

__all__ = ["STOPWORDS", "ContentIndex", "ContentItem", "Match"]

T = TypeVar("T")

# Words that say nothing about which item is meant, in the three languages.
STOPWORDS = frozenset(
    """
    a al an and are as at about de del des du e el en et for from in is it la las le les los me
    of on or por pour que qui sobre sur the to un una une y what when where which who how tell
    cuando donde quand ou es est son sont was will be el la lo mi my mon ma moi yo je i you tu
    about acerca dime dis info information informacion informations parle hablame talk more mas
    plus project projects proyecto proyectos projet projets piloto pilotos pilote pilotes pilot
    event events evento eventos evenement evenements 2019 2020 c est qu d l s
    """.split()
)


@dataclass(frozen=True, slots=True)
class ContentItem:
    """One item of the plan, with staff edits applied."""

    slug: str
    kind: str
    section: str
    precision: str
    start: date | None
    end: date | None
    status: str
    themes: tuple[str, ...]
    title: dict[str, str]
    description: dict[str, str]
    organiser: str | None = None
    place: str | None = None
    link: str | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    sequence: int = 0
    order: int = 0

    @property
    def dated(self) -> bool:
        """Whether the item has a date (day, month, period or year)."""
        return self.start is not None

    def still_to_come(self, today: date) -> bool:
        """Whether this dated item (start and end set) is not over yet on ``today``.

        An item dated only by a year counts once that year has not begun: "some time in
        2019" says nothing about what comes next within 2019.
        """
        assert self.start is not None and self.end is not None
        return self.end >= today and not (self.precision == "year" and self.start <= today)

    def overlaps(self, start: date, end: date) -> bool:
        """Whether this dated item (start and end set) overlaps ``[start, end]``; an item
        dated only by a year only when the period is itself a year or longer (it says
        nothing about a given month)."""
        assert self.start is not None and self.end is not None
        return (
            self.start <= end
            and self.end >= start
            and (self.precision != "year" or (end - start).days >= 300)
        )

    @classmethod
    def from_row(cls, row: Item, order: int = 0) -> ContentItem:
        """Build from a database row, applying the staff overrides."""
        data: dict[str, Any] = dict(row.data or {})
        over: dict[str, Any] = dict(row.overrides or {})
        start, end, precision = row.date_start, row.date_end, row.precision
        if over.get("date"):
            start = end = date.fromisoformat(over["date"])
            precision = "day"
        return cls(
            slug=row.slug,
            kind=row.kind,
            section=row.section,
            precision=precision,
            start=start,
            end=end,
            status=over.get("status") or row.status,
            themes=tuple(row.themes or ()),
            title=data.get("title", {}),
            description=data.get("description", {}),
            organiser=data.get("organiser"),
            place=over.get("place", data.get("place")),
            link=over.get("link", data.get("link")),
            aliases=tuple(data.get("aliases") or ()),
            keywords=tuple(data.get("keywords") or ()),
            lists=tuple(data.get("lists") or ()),
            sequence=row.sequence,
            order=order,
        )


@dataclass(frozen=True, slots=True)
class Match:
    """An item found by name, with how well it matched (0..1)."""

    item: ContentItem
    score: float


def _stem(token: str) -> str:
    # A crude, language-neutral stem: enough for "proyectos"/"proyecto", "airports"/"airport".
    return token[:5] if len(token) > 5 else token


@dataclass
class ContentIndex:
    """Every live item of the plan, with lookups by kind, date, name and keyword."""

    year: int
    title: dict[str, str]
    items: dict[str, ContentItem]
    source_language: str = "es"
    _by_kind: dict[str, list[ContentItem]] = field(default_factory=dict, repr=False)
    _tokens: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _stems: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _keyword_stems: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _compact: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _compact_at: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _weights: dict[str, int] = field(default_factory=dict, repr=False)
    _dated: list[ContentItem] = field(default_factory=list, repr=False)
    _last_day: date = field(default=date.min, init=False, repr=False)
    # What readers derive from the items (list lines in a language, lists by status…), kept
    # as long as the index, which is never changed once built (see derived()).
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_kind: dict[str, list[ContentItem]] = defaultdict(list)
        tokens: dict[str, set[str]] = defaultdict(set)
        stems: dict[str, set[str]] = defaultdict(set)
        keyword_stems: dict[str, set[str]] = defaultdict(set)
        for item in self.items.values():
            by_kind[item.kind].append(item)
            names = [*item.title.values(), *item.aliases, item.slug.replace("-", " ")]
            name_tokens = {t for name in names for t in words(name)} - STOPWORDS
            key_tokens = {t for kw in item.keywords for t in words(kw)} - STOPWORDS
            self._weights[item.slug] = max(1, len({t for t in words(item.title["en"])} - STOPWORDS))
            for token in name_tokens | key_tokens:
                tokens[token].add(item.slug)
                stems[_stem(token)].add(item.slug)
            for token in key_tokens:
                keyword_stems[_stem(token)].add(item.slug)
            for name in [*item.aliases, *item.title.values()]:
                compact = "".join(words(name))
                if len(compact) >= 4:
                    self._compact.append((compact, item.slug))
        # Joined names by their first four letters: a query is scanned once, not once per name.
        for n, (compact, _slug) in enumerate(self._compact):
            self._compact_at.setdefault(compact[:4], []).append((n, compact))
        for kind_items in by_kind.values():
            kind_items.sort(key=_chronological)
        self._by_kind = dict(by_kind)
        self._tokens = dict(tokens)
        self._stems = dict(stems)
        self._keyword_stems = dict(keyword_stems)
        self._dated = sorted((i for i in self.items.values() if i.dated), key=_chronological)
        ends = [i.end for i in self._dated if i.end and i.start and i.start.year == self.year]
        self._last_day = max([date(self.year, 12, 31), *ends])

    @classmethod
    def from_rows(cls, rows: Iterable[Item], plan: dict[str, Any]) -> ContentIndex:
        """Build the index from the items table and the plan's metadata."""
        items = {
            row.slug: ContentItem.from_row(row, n)
            for n, row in enumerate(sorted(rows, key=lambda r: (r.source_file, r.slug)))
            if not row.removed
        }
        return cls(
            year=int(plan.get("year", 2019)),
            title=dict(plan.get("title", {})),
            items=items,
            source_language=plan.get("source_language", "es"),
        )

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """What ``build`` returns, built on the first call for ``key`` and kept with the index.

        For values read from the items alone (and the language, the catalog…): never the
        clock, never the message. Keys start with the reader's module name."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = build()
            return value

    def of_kind(self, kind: str) -> Sequence[ContentItem]:
        """Items of one kind, in chronological order (undated last)."""
        return self._by_kind.get(kind, [])

    def get(self, slug: str) -> ContentItem | None:
        """The item with this slug, if it is live."""
        return self.items.get(slug)

    @property
    def first_day(self) -> date:
        """The plan's first day."""
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        """The last day any dated item of the plan reaches (at least the plan year's end)."""
        return self._last_day

    def dated(self, kinds: Sequence[str] = ("event", "action")) -> list[ContentItem]:
        """Dated items of the given kinds, chronologically."""
        return [i for i in self._dated if i.kind in kinds]

    def between(
        self, start: date, end: date, kinds: Sequence[str] = ("event", "action")
    ) -> list[ContentItem]:
        """Dated items overlapping ``[start, end]``, without year-long items unless the period
        is itself a year or longer (a year-long item says nothing about a given month)."""
        return [
            item
            for item in self._dated
            if item.kind in kinds
            and item.start is not None
            and item.end is not None
            and item.overlaps(start, end)
        ]

    def upcoming(
        self, today: date, kinds: Sequence[str] = ("event", "action")
    ) -> list[ContentItem]:
        """Dated items not over yet, soonest first.

        Items dated only by a year count once that year has not begun: "some time in 2019"
        says nothing about what comes next within 2019.
        """
        return [
            item
            for item in self._dated
            if item.kind in kinds
            and item.start is not None
            and item.end is not None
            and item.still_to_come(today)
        ]

    def find(self, text: str, kinds: Sequence[str] | None = None, limit: int = 5) -> list[Match]:
        """Items whose names best match ``text``, best first.

        Forgiving: accents and case are ignored, words may be spaced ("metro airports") or
        joined ("women4climate"), and word endings may differ ("airport" for "airports").
        """
        tokens = words(text)
        query = [t for t in tokens if t not in STOPWORDS]
        if not query:
            return []
        scores: dict[str, float] = defaultdict(float)
        for token in query:
            exact = self._tokens.get(token)
            if exact:
                for slug in exact:
                    scores[slug] += 1.0
            elif len(token) >= 4:
                for slug in self._stems.get(_stem(token), ()):
                    scores[slug] += 0.7
        compact_query = "".join(tokens)
        if len(compact_query) >= 4:
            for n in self._joined_names_in(compact_query):
                scores[self._compact[n][1]] += 2.0
        found = []
        for slug, score in scores.items():
            item = self.items[slug]
            if kinds is not None and item.kind not in kinds:
                continue
            # Share of the query explained, nudged by how much of the name was named.
            normalised = (
                min(1.0, score / len(query)) * 0.8 + min(1.0, score / self._weights[slug]) * 0.2
            )
            found.append(Match(item, round(normalised, 4)))
        found.sort(key=lambda m: (-m.score, m.item.order))
        return found[:limit]

    def _joined_names_in(self, compact_query: str) -> list[int]:
        """The positions in ``_compact`` of the joined names found in ``compact_query``."""
        found = set()
        at = self._compact_at
        for i in range(len(compact_query) - 3):
            for n, compact in at.get(compact_query[i : i + 4], ()):
                if compact_query.startswith(compact, i):
                    found.add(n)
        return sorted(found)  # in the names' order, so that scores add up as they always did

    def about_theme(self, theme: str) -> list[ContentItem]:
        """Items tagged with a theme, in chronological order."""
        return [i for i in self.items.values() if theme in i.themes]

    def with_keyword(
        self, text: str, kinds: Sequence[str] = ("pilot_project",)
    ) -> list[ContentItem]:
        """Items of ``kinds`` whose keywords, themes or names contain a word of ``text``."""
        query = {t for t in words(text) if t not in STOPWORDS and len(t) >= 3}
        query_stems = {_stem(t) for t in query if len(t) >= 4}
        hits = set()
        for token in query:
            hits |= self._tokens.get(token, set())
        # Stems only reach keywords: in titles they confuse "género" with "generación".
        for stem in query_stems:
            hits |= self._keyword_stems.get(stem, set())
        themes = {s for s in hits if self.items[s].kind == "theme"}
        result = [
            i
            for i in self.items.values()
            if i.kind in kinds and (i.slug in hits or themes.intersection(i.themes))
        ]
        result.sort(key=lambda i: i.order)
        return result


def _chronological(item: ContentItem) -> tuple[int, date, int]:
    if item.start is None:
        return (1, date.max, item.order)
    return (0, item.start, item.order)
