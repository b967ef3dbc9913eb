"""Turning an outbox row into a message, in the recipient's language and time zone.

Rendering happens when the row is sent, not when it is planned: a reminder sent late after
downtime says "tomorrow" rather than "in 7 days", and shows the item's current title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.messages import Button, Reply
from bot.db.outbox import Claimed
from bot.i18n import dates
from bot.i18n.catalog import Catalog
from content.index import ContentIndex, ContentItem
from content.schema import When, parse_when

__all__ = ["Renderer"]

LANGUAGES = ("es", "en", "fr")


def _month(first: date, language: str) -> str:
    return dates.format_month(first.year, first.month, language)


def _when(raw: str | None) -> When | None:
    try:
        return parse_when(raw)
    except ValueError:
        return None


class Renderer:
    """Renders outbox rows with the live content and the interface texts.

    Args:
        catalog: The interface texts.
        content: Returns the current content index (it is swapped on reload).
        default_timezone: Used when a row carries no time zone.
    """

    def __init__(
        self, catalog: Catalog, content: Callable[[], ContentIndex], default_timezone: str
    ) -> None:
        self.catalog = catalog
        self._content = content
        self.default_timezone = default_timezone

    def render(self, row: Claimed, now: datetime) -> Reply | None:
        """The message for ``row``, or ``None`` when there is nothing left to say (the item
        is gone, a list became empty): the sender records such rows as skipped."""
        language = row.language if row.language in LANGUAGES else "en"
        method = getattr(self, f"_render_{row.kind}", None)
        if method is None:
            return None
        return method(row, row.payload, language, now)

    # -- helpers ----------------------------------------------------------------------------

    def t(self, key: str, language: str, **fields: object) -> str:
        return self.catalog.get(key, language, **fields)

    def _item(self, slug: str | None) -> ContentItem | None:
        return self._content().get(slug) if slug else None

    def _name(self, slug: str | None, payload: Mapping[str, Any], language: str) -> str | None:
        item = self._item(slug)
        if item is not None:
            return item.title.get(language) or item.title.get("en")
        title = payload.get("title") or {}
        return title.get(language) or title.get("en") or slug

    def _local_today(self, payload: Mapping[str, Any], now: datetime) -> date:
        return now.astimezone(ZoneInfo(payload.get("tz") or self.default_timezone)).date()

    def _stop(self, payload: Mapping[str, Any], key: str, language: str) -> tuple:
        action = payload.get("unsub")
        if not action:
            return ()
        return ((Button(self.t(key, language), action),),)

    def _details(self, item: ContentItem, language: str) -> list[str]:
        lines = []
        if item.place:
            lines.append(self.t("reminders.reminder.place", language, place=item.place))
        if item.organiser:
            lines.append(self.t("reminders.reminder.organiser", language, organiser=item.organiser))
        if item.link:
            lines.append(self.t("reminders.reminder.link", language, link=item.link))
        return lines

    def _relative(self, start: date, today: date, language: str) -> str:
        days = (start - today).days
        if days <= 0:
            return self.t("reminders.relative.today", language)
        if days == 1:
            return self.t("reminders.relative.tomorrow", language)
        return self.t("reminders.relative.days", language, days=days)

    def _bullets(self, slugs: list[str], language: str, *, dated: bool) -> list[str]:
        lines = []
        for slug in slugs:
            item = self._item(slug)
            if item is None or item.status == "cancelled":
                continue
            name = item.title.get(language, slug)
            if dated and item.start is not None:
                # With the year, word for word as chat and the calendar feeds say it.
                when = dates.format_when(item.precision, item.start, item.end, language)
                lines.append(self.t("reminders.line.dated", language, date=when, name=name))
            else:
                lines.append(f"• {name}")
        return lines

    # -- kinds --------------------------------------------------------------------------------

    def _reminder(
        self,
        row: Claimed,
        payload: Mapping[str, Any],
        language: str,
        now: datetime,
        title_key: str,
        stop: bool,
    ) -> Reply | None:
        item = self._item(row.item_slug)
        if item is None or item.start is None or item.status in ("cancelled", "postponed"):
            return None
        today = self._local_today(payload, now)
        if item.end is not None and item.end < today:
            return None
        lines = [
            self.t(
                "reminders.reminder.body",
                language,
                name=item.title.get(language, item.slug),
                when=self._relative(item.start, today, language),
                date=dates.format_when(
                    item.precision, item.start, item.end, language, weekday=True
                ),
            ),
            *self._details(item, language),
        ]
        return Reply(
            text="\n".join(lines),
            language=language,
            title=self.t(title_key, language),
            buttons=self._stop(payload, "reminders.reminder.stop", language) if stop else (),
        )

    def _render_reminder(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        return self._reminder(row, payload, language, now, "reminders.reminder.title", stop=True)

    def _render_staff_reminder(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        return self._reminder(row, payload, language, now, "reminders.staff.title", stop=False)

    def _render_month(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        first = date.fromisoformat(payload["month"] + "-01")
        lines = self._bullets(list(payload.get("slugs", ())), language, dated=False)
        if not lines:
            return None
        month = _month(first, language)
        return Reply(
            text="\n".join([self.t("reminders.month.body", language, month=month), *lines]),
            language=language,
            title=self.t("reminders.month.title", language),
            buttons=self._stop(payload, "reminders.reminder.stop", language),
        )

    def _render_staff_month(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        first = date.fromisoformat(payload["month"] + "-01")
        month = _month(first, language)
        lines = self._bullets(list(payload.get("slugs", ())), language, dated=True)
        text = (
            "\n".join([self.t("reminders.staff.month_body", language, month=month), *lines])
            if lines
            else self.t("reminders.staff.month_nothing", language, month=month)
        )
        return Reply(
            text=text, language=language, title=self.t("reminders.staff.month_title", language)
        )

    def _render_digest(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        lines = self._bullets(list(payload.get("slugs", ())), language, dated=True)
        parts = (
            ["\n".join([self.t("reminders.digest.coming", language), *lines])]
            if lines
            else [self.t("reminders.digest.nothing", language)]
        )
        news = [self._news_line(entry, language) for entry in payload.get("news", ())]
        news = [line for line in news if line]
        if news:
            parts.append("\n".join([self.t("reminders.digest.news", language), *news]))
        return Reply(
            text="\n\n".join(parts),
            language=language,
            title=self.t("reminders.digest.title", language),
            buttons=self._stop(payload, "reminders.digest.stop", language),
        )

    def _news_line(self, entry: Mapping[str, Any], language: str) -> str | None:
        if entry.get("type") == "update":
            texts = entry.get("texts") or {}
            text = texts.get(language) or texts.get("en")
            name = self._name(entry.get("slug"), entry, language)
            return self.t("reminders.line.news", language, name=name, text=text) if text else None
        line = self._change_line(entry.get("slug"), entry, language)
        return f"• {line}" if line else None

    def _change_line(
        self, slug: str | None, change: Mapping[str, Any], language: str
    ) -> str | None:
        name = self._name(slug, change, language) or ""
        if change.get("change") == "removed":
            return self.t("reminders.change.removed", language, name=name)
        fields = list(change.get("fields", ()))
        before = change.get("before") or {}
        after = change.get("after") or {}
        lines = []
        if "status" in fields:
            status = after.get("status")
            if status == "cancelled":
                lines.append(self.t("reminders.change.cancelled", language, name=name))
            else:
                lines.append(
                    self.t(
                        "reminders.change.status",
                        language,
                        name=name,
                        before=self._status(before.get("status"), language),
                        after=self._status(status, language),
                    )
                )
        if "when" in fields:
            old, new = _when(before.get("when")), _when(after.get("when"))
            if new is None or new.start is None:
                lines.append(self.t("reminders.change.undated", language, name=name))
            else:
                text = dates.format_when(new.precision, new.start, new.end, language, weekday=True)
                sharper = (
                    old is None
                    or old.start is None
                    or (new.precision == "day" and old.precision != "day")
                )
                key = "reminders.change.dated" if sharper else "reminders.change.when"
                lines.append(self.t(key, language, name=name, date=text))
        if "place" in fields and after.get("place"):
            lines.append(
                self.t("reminders.change.place", language, name=name, place=after["place"])
            )
        return "\n".join(lines) or None

    def _status(self, status: str | None, language: str) -> str:
        if not status:
            return "—"
        try:
            return self.t(f"reminders.status.{status}", language)
        except KeyError:
            return status

    def _render_change(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        line = self._change_line(row.item_slug, payload, language)
        if line is None:
            return None
        return Reply(
            text=line,
            language=language,
            title=self.t("reminders.change.title", language),
            buttons=self._stop(payload, "reminders.reminder.stop", language),
        )

    def _render_update(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        texts = payload.get("texts") or {}
        text = texts.get(language) or texts.get("en") or next(iter(texts.values()), None)
        if not text:
            return None
        name = self._name(row.item_slug, payload, language) or ""
        return Reply(
            text=text,
            language=language,
            title=self.t("reminders.update.title", language, name=name),
            buttons=self._stop(payload, "reminders.reminder.stop", language),
        )

    def _render_broadcast(
        self, row: Claimed, payload: Mapping[str, Any], language: str, now: datetime
    ) -> Reply | None:
        texts = payload.get("texts") or {}
        text = texts.get(language) or payload.get("text") or next(iter(texts.values()), None)
        return Reply(text=text, language=language, title=payload.get("title")) if text else None
