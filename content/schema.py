"""The shape of a content item, and its validation (see docs/content.md)."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "ITEM_FIELDS",
    "KINDS",
    "LANGUAGES",
    "YEAR_MARK",
    "ContentError",
    "ItemSpec",
    "PlanSpec",
    "When",
    "item_key",
    "parse_when",
    "plain_slug",
    "validate_item",
]

LANGUAGES = ("es", "en", "fr")
KINDS = ("event", "action", "pilot_project", "theme", "section")
PROJECT_STATUSES = ("closing", "ongoing", "starting")
ITEM_STATUSES = ("planned", "cancelled", "postponed", "done")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")
# Every field of an item, in the order the files and the spreadsheet give them.
ITEM_FIELDS = (
    "slug", "kind", "section", "when", "status", "themes", "organiser", "place", "link",
    "aliases", "keywords", "lists", "title", "description",
)  # fmt: skip
_KNOWN_FIELDS = frozenset(ITEM_FIELDS)
# What joins a slug to its plan's year when the slug is in an earlier plan too ("statutory@2020").
YEAR_MARK = "@"


def item_key(slug: str, year: int, first_year: int) -> str:
    """The key that stands for an item everywhere (database, buttons, subscriptions, feeds).

    A slug used by one plan only is its own key. A slug that several plans use (a recurring
    theme, a section, a yearly meeting) is the key of the earliest plan's item; the later
    plans' items get the year added, ``statutory@2020``: adding next year's plan never renames
    what members already follow.
    """
    return slug if year == first_year else f"{slug}{YEAR_MARK}{year}"


def plain_slug(key: str) -> str:
    """The slug as the content files write it: ``statutory@2020`` → ``statutory``."""
    return key.partition(YEAR_MARK)[0]


class ContentError(ValueError):
    """A content file is wrong; the message names the file, the item and the field."""

    def __init__(self, file: str, item: str | None, field_name: str | None, problem: str) -> None:
        self.file, self.item, self.field, self.problem = file, item, field_name, problem
        where = file
        if item:
            where += f", item {item!r}"
        if field_name:
            where += f", field {field_name!r}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class When:
    """A date with its precision: day, month, period, year, tbc or none."""

    raw: str | None
    precision: str
    start: date | None
    end: date | None


def _month_bounds(text: str) -> tuple[date, date]:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_when(raw: str | None) -> When:
    """Parse the ``when`` field.

    Raises:
        ValueError: The value is not one of the documented forms or is an impossible date.
    """
    if raw is None or raw == "":
        return When(None, "none", None, None)
    text = raw.strip()
    if text.lower() == "tbc":
        return When(text, "tbc", None, None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return When(text, "day", day, day)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        start, end = _month_bounds(text)
        return When(text, "month", start, end)
    if re.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}", text):
        first, last = text.split("/")
        start, _ = _month_bounds(first)
        _, end = _month_bounds(last)
        if end < start:
            raise ValueError("period ends before it starts")
        return When(text, "period", start, end)
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return When(text, "year", date(year, 1, 1), date(year, 12, 31))
    raise ValueError("expected YYYY-MM-DD, YYYY-MM, YYYY-MM/YYYY-MM, YYYY or tbc")


@dataclass(frozen=True)
class ItemSpec:
    """One validated item, as read from a content file."""

    slug: str
    kind: str
    section: str
    when: When
    status: str
    title: dict[str, str]
    description: dict[str, str]
    source_file: str
    themes: tuple[str, ...] = ()
    organiser: str | None = None
    place: str | None = None
    link: str | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    # Which plan the item belongs to, and its key across every plan (see item_key): set when
    # the plans are read together.
    year: int = 0
    key: str = ""

    def data(self) -> dict[str, Any]:
        """The translatable and descriptive fields, as stored in the ``data`` column."""
        return {
            "title": dict(self.title),
            "description": dict(self.description),
            "organiser": self.organiser,
            "place": self.place,
            "link": self.link,
            "aliases": list(self.aliases),
            "keywords": list(self.keywords),
            "lists": list(self.lists),
        }

    def content_hash(self) -> str:
        """A digest of everything the file says of the item (detects changes on reload)."""
        raw = asdict(self)
        # Where the item is written and which plan holds it are not what it says: moving the
        # files into a folder per year changes no item.
        for name in ("source_file", "year", "key"):
            raw.pop(name)
        blob = json.dumps(raw, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class PlanSpec:
    """One year's plan as read from its folder."""

    year: int
    source_language: str
    title: dict[str, str]
    items: tuple[ItemSpec, ...] = field(default=())

    def meta(self) -> dict[str, Any]:
        """What the index needs to know of the plan besides its items."""
        return {"year": self.year, "source_language": self.source_language, "title": self.title}


def _texts(file: str, slug: str, name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ContentError(file, slug, name, "expected es, en and fr texts")
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise ContentError(file, slug, f"{name}.{lang}", "missing translation")
    extra = set(value) - set(LANGUAGES)
    if extra:
        raise ContentError(file, slug, name, f"unknown language(s): {', '.join(sorted(extra))}")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _strings(file: str, slug: str, name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(file, slug, name, "expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _optional_str(file: str, slug: str, name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, slug, name, "expected a non-empty string")
    return value.strip()


def validate_item(file: str, index: int, raw: Any) -> ItemSpec:
    """Check one ``[[item]]`` table on its own (cross-references are checked by the loader).

    Raises:
        ContentError: naming ``file``, the item (its slug, or its position) and the field.
    """
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ContentError(file, label, None, "an item must be a table")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise ContentError(file, label, "slug", "required: 3-40 characters of a-z, 0-9 and -")
    unknown = set(raw) - _KNOWN_FIELDS
    if unknown:
        raise ContentError(file, slug, sorted(unknown)[0], "unknown field")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ContentError(file, slug, "kind", f"must be one of {', '.join(KINDS)}")
    section = raw.get("section")
    if not isinstance(section, str) or not section:
        raise ContentError(file, slug, "section", "required")
    when_raw = raw.get("when")
    if when_raw is not None and not isinstance(when_raw, str):
        raise ContentError(file, slug, "when", 'must be a string such as "2019-06"')
    try:
        when = parse_when(when_raw)
    except ValueError as exc:
        raise ContentError(file, slug, "when", str(exc)) from None
    status = raw.get("status")
    if kind == "pilot_project":
        if status not in PROJECT_STATUSES:
            raise ContentError(
                file, slug, "status", f"must be one of {', '.join(PROJECT_STATUSES)}"
            )
    else:
        status = status or "planned"
        if status not in ITEM_STATUSES:
            raise ContentError(file, slug, "status", f"must be one of {', '.join(ITEM_STATUSES)}")
    link = _optional_str(file, slug, "link", raw.get("link"))
    if link and not link.startswith(("https://", "http://")):
        raise ContentError(file, slug, "link", "must start with https://")
    return ItemSpec(
        slug=slug,
        kind=kind,
        section=section,
        when=when,
        status=status,
        title=_texts(file, slug, "title", raw.get("title")),
        description=_texts(file, slug, "description", raw.get("description")),
        source_file=file,
        themes=_strings(file, slug, "themes", raw.get("themes")),
        organiser=_optional_str(file, slug, "organiser", raw.get("organiser")),
        place=_optional_str(file, slug, "place", raw.get("place")),
        link=link,
        aliases=_strings(file, slug, "aliases", raw.get("aliases")),
        keywords=_strings(file, slug, "keywords", raw.get("keywords")),
        lists=_strings(file, slug, "lists", raw.get("lists")),
    )
