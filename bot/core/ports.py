"""Ports of the core: what it needs from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.messages import Address, Reply

__all__ = [
    "Clock",
    "FixedClock",
    "GroupRoles",
    "OffsetClock",
    "PlatformHooks",
    "SendResult",
    "Sender",
    "SystemClock",
]


class Clock(Protocol):
    """Tells the time; tests and ``--today`` substitute their own."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...

    def today(self) -> date:
        """Today's date in the bot's time zone."""
        ...


class SystemClock:
    """The real clock, with "today" taken in the bot's time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz

    def now(self) -> datetime:
        return datetime.now(self._tz)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still at a set instant; tests move it with :meth:`set`."""

    def __init__(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._when = when

    def set(self, when: datetime) -> None:
        """Move the clock to ``when``."""
        self._when = when

    def now(self) -> datetime:
        return self._when

    def today(self) -> date:
        return self._when.date()


class OffsetClock:
    """The real clock moved to another day (``BOT_TODAY``, ``--today``): time keeps running,
    so retries, leases and ticks still come due."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("OffsetClock needs a timezone-aware datetime")
        self._tz = start.tzinfo
        self._offset = start - datetime.now(start.tzinfo)

    def now(self) -> datetime:
        return datetime.now(self._tz) + self._offset

    def today(self) -> date:
        return self.now().date()


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a sender reports about one delivery attempt.

    Attributes:
        ok: The platform accepted the message.
        retry_after: Seconds the platform asked us to wait (rate limit), if any.
        permanent: The address is gone (blocked, channel not found): stop sending there.
        error: A short description of the failure, never containing a secret.
    """

    ok: bool
    retry_after: float | None = None
    permanent: bool = False
    error: str | None = None


class Sender(Protocol):
    """Delivers replies to an address on one platform."""

    platform: str

    async def send(self, address: Address, reply: Reply) -> SendResult:
        """Send ``reply`` to ``address`` once; never raises for platform errors."""
        ...


class GroupRoles(Protocol):
    """Who runs a group, as the platform says (Telegram's ``getChatMember``)."""

    async def is_admin(self, chat_id: str, user_id: str) -> bool:
        """Whether ``user_id`` administers the group ``chat_id``; raises if it cannot tell."""
        ...


@dataclass(slots=True)
class PlatformHooks:
    """What an adapter lends the core about its platform, attached once it has started.

    Attributes:
        group_roles: Tells group administrators from members; without it anyone in a
            group may change the group's subscriptions.
        deep_link: A link that opens a chat with the bot and sends it ``/start <payload>``,
            with ``{payload}`` in it (``https://t.me/<bot>?start={payload}``).
        changed: Called with a user's platform id after a message changed their settings
            or subscriptions (the Slack App Home is published again).
    """

    group_roles: GroupRoles | None = None
    deep_link: str | None = None
    changed: Callable[[str], None] | None = None
