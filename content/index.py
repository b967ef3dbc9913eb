"""The plans in memory, indexed for the questions people ask: by key, kind, date and name.

One index holds every plan year side by side. Questions without a year are about the plan in
force (:meth:`ContentIndex.in_force`); :meth:`ContentIndex.plan` gives one year's plan as an
index of its own, with the same lookups.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from bot.core.periods import plan_in_force
from bot.core.text import words
from bot.db.models import Item
from content.item import ContentItem, Match
from content.schema import plain_slug

__all__ = ["STOPWORDS", "ContentIndex", "ContentItem", "Match", "PlanInfo"]

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
    vers towards hacia with con avec into dans par
    """.split()
)


def _stem(token: str) -> str:
    # A crude, language-neutral stem: enough for "proyectos"/"proyecto", "airports"/"airport".
    return token[:5] if len(token) > 5 else token


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """One plan year's own facts (its items are in the index)."""

    year: int
    title: Mapping[str, str]
    source_language: str = "es"


@dataclass
class ContentIndex:
    """Every live item of every plan, with lookups by kind, date, name and keyword.

    Attributes:
        items: The items by key.
        plans: The plans by year; an index built without them has the plans its items name.
    """

    items: dict[str, ContentItem]
    plans: dict[int, PlanInfo] = field(default_factory=dict)
    _by_kind: dict[str, list[ContentItem]] = field(default_factory=dict, repr=False)
    _tokens: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _stems: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _keyword_stems: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _compact: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _compact_at: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _weights: dict[str, int] = field(default_factory=dict, repr=False)
    _by_plain: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _dated: list[ContentItem] = field(default_factory=list, repr=False)
    _last_day: date = field(default=date.min, init=False, repr=False)
    # What readers derive from the items (list lines in a language, lists by status…), kept
    # as long as the index, which is never changed once built (see derived()).
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._settle_years()
        by_kind: dict[str, list[ContentItem]] = defaultdict(list)
        tokens: dict[str, set[str]] = defaultdict(set)
        stems: dict[str, set[str]] = defaultdict(set)
        keyword_stems: dict[str, set[str]] = defaultdict(set)
        for item in self.items.values():
            by_kind[item.kind].append(item)
            names = [*item.title.values(), *item.aliases, item.plain_slug.replace("-", " ")]
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
        years = set(self.plans)
        ends = [i.end for i in self._dated if i.end and i.start and i.start.year in years]
        self._last_day = max([date(max(years, default=date.min.year), 12, 31), *ends])

    def _settle_years(self) -> None:
        # Every item knows its plan's year, and every year with items has a plan. Items built
        # without a year (small test plans) belong to the only plan, or the earliest year
        # they are dated in.
        years = set(self.plans) | {i.year for i in self.items.values() if i.year}
        if not years:
            years = set(sorted(i.start.year for i in self.items.values() if i.start)[:1])
        latest = max(years, default=0)
        if any(not i.year for i in self.items.values()):
            self.items = {
                key: i if i.year else dataclasses.replace(i, year=latest)
                for key, i in self.items.items()
            }
        self.plans = {y: self.plans.get(y) or PlanInfo(y, {}) for y in sorted(years)}
        by_plain: dict[str, list[str]] = defaultdict(list)
        for item in sorted(self.items.values(), key=lambda i: i.year):
            by_plain[item.plain_slug].append(item.slug)
        self._by_plain = {plain: tuple(keys) for plain, keys in by_plain.items()}

    @classmethod
    def single(
        cls,
        year: int,
        title: Mapping[str, str],
        items: dict[str, ContentItem],
        source_language: str = "es",
    ) -> ContentIndex:
        """An index of one plan (its items' years are set to ``year``)."""
        return cls(
            items={k: dataclasses.replace(i, year=year) for k, i in items.items()},
            plans={year: PlanInfo(year, dict(title), source_language)},
        )

    @classmethod
    def from_rows(cls, rows: Iterable[Item], meta: Mapping[str, Any]) -> ContentIndex:
        """Build the index from the items table and the plans' facts (the ``plan`` heartbeat:
        ``{"plans": [{year, title, source_language}, …]}``, or one plan's before plans by
        year)."""
        listed = meta.get("plans") if "plans" in meta else [meta] if "year" in meta else []
        plans = {
            int(p["year"]): PlanInfo(
                int(p["year"]), dict(p.get("title") or {}), p.get("source_language", "es")
            )
            for p in listed
        }
        # Rows loaded before plans had years belong to the only plan there was.
        fallback = max(plans, default=0)

        def order(row: Item) -> tuple[int, str, str]:
            return (row.plan_year or fallback, row.source_file, row.slug)

        items = {
            row.slug: ContentItem.from_row(row, n, fallback)
            for n, row in enumerate(sorted(rows, key=order))
            if not row.removed
        }
        return cls(items=items, plans=plans)

    # --- Plans ------------------------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        """The plans' years, oldest first."""
        return tuple(self.plans)

    @property
    def latest_year(self) -> int:
        """The latest plan's year."""
        return self.years[-1] if self.plans else date.today().year

    def in_force(self, today: date) -> int:
        """The year of the plan in force on ``today``: this year's, else the next one
        published, else the latest."""
        return plan_in_force(self.years, today)

    def plan(self, year: int) -> ContentIndex:
        """One plan year's items as an index of their own (the same items, shared)."""
        if self.years == (year,):
            return self

        def build() -> ContentIndex:
            info = self.plans.get(year) or PlanInfo(year, {})
            items = {k: i for k, i in self.items.items() if i.year == year}
            return ContentIndex(items=items, plans={year: info})

        return self.derived(("index.plan", year), build)

    def info(self, year: int) -> PlanInfo:
        """The facts of the plan of ``year`` (an empty title if there is no such plan)."""
        return self.plans.get(year) or PlanInfo(year, {})

    @property
    def source_language(self) -> str:
        """The language the latest plan was written in."""
        return self.info(self.latest_year).source_language

    def resolve(self, slug: str, year: int) -> ContentItem | None:
        """What a plan's own item names by ``slug`` (its section, a theme): the item of that
        slug in the plan of ``year``, else the item with that key."""
        for key in self._by_plain.get(plain_slug(slug), ()):
            if self.items[key].year == year:
                return self.items[key]
        return self.items.get(slug)

    def editions(self, item: ContentItem) -> list[ContentItem]:
        """The items of the other plans with the same slug (a recurring theme, a section),
        oldest first."""
        return [self.items[k] for k in self._by_plain.get(item.plain_slug, ()) if k != item.slug]

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
        """The first day of the earliest plan."""
        return date(self.years[0] if self.plans else date.today().year, 1, 1)

    @property
    def last_day(self) -> date:
        """The last day any dated item of the plans reaches (at least the latest plan's end)."""
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
        """Items tagged with a theme (its slug, or the key of one plan's theme), of every
        plan: a theme that recurs from year to year is one theme."""
        theme = plain_slug(theme)
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
