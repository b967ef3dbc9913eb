"""What Slack says of a user (``users.info`` with ``include_locale``), cached: their locale,
a language hint, and their time zone, a hint for reminders.

Slack locales look like ``es-ES``, ``en-US``, ``fr-FR``; the core's resolver gets the whole
locale as ``Incoming.locale_hint`` and only uses it when the text itself says nothing clear.
The time zone (``tz``: ``Europe/Paris``) becomes ``Incoming.timezone_hint``: the core keeps it
as the member's until they choose one (an explicit choice always wins). A lookup that fails
or is slow gives no hints (the answer never waits long for it), and the failure is remembered
briefly so a struggling API is not asked again for every message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

__all__ = ["NO_PROFILE", "ProfileCache", "SlackProfile"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackProfile:
    """What Slack says of a user that the bot uses.

    Attributes:
        locale: Their Slack locale (``es-ES``), if Slack says.
        timezone: Their time zone (``Europe/Paris``), if Slack says.
    """

    locale: str | None = None
    timezone: str | None = None


NO_PROFILE = SlackProfile()


class ProfileCache:
    """Looks up users' profiles once per ``ttl`` seconds, at most ``size`` users remembered.

    Concurrent lookups of the same user share one ``users.info`` call.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = 24 * 3600,
        failure_ttl: float = 300,
        size: int = 10_000,
        wait: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._size = size
        self._wait = wait
        self._clock = clock
        self._cache: OrderedDict[str, tuple[SlackProfile, float]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[SlackProfile]] = {}

    def known(self, user_id: str) -> SlackProfile | None:
        """The cached profile, without asking Slack (``None`` if unknown or expired)."""
        entry = self._cache.get(user_id)
        if entry is None or entry[1] < self._clock():
            return None
        return entry[0]

    def remember(self, user_id: str, profile: SlackProfile, *, ttl: float | None = None) -> None:
        """Store a profile (e.g. one Slack sent along with an event)."""
        self._cache[user_id] = (profile, self._clock() + (self._ttl if ttl is None else ttl))
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)

    async def get(self, user_id: str) -> SlackProfile:
        """The user's profile; empty when Slack does not say in time."""
        entry = self._cache.get(user_id)
        if entry is not None and entry[1] >= self._clock():
            self._cache.move_to_end(user_id)
            return entry[0]
        pending = self._pending.get(user_id)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup(user_id))
            self._pending[user_id] = pending
            pending.add_done_callback(lambda _f: self._pending.pop(user_id, None))
        try:
            return await asyncio.wait_for(asyncio.shield(pending), self._wait)
        except TimeoutError:
            return NO_PROFILE

    async def _lookup(self, user_id: str) -> SlackProfile:
        try:
            response = await self._client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
            code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            log.info("slack: users.info failed for %s: %s", user_id, code or type(exc).__name__)
            self.remember(user_id, NO_PROFILE, ttl=self._failure_ttl)
            return NO_PROFILE
        user = response.get("user") or {}
        if not isinstance(user, dict):
            user = {}
        profile = SlackProfile(
            locale=_short(user.get("locale"), 16), timezone=_short(user.get("tz"), 64)
        )
        self.remember(user_id, profile)
        return profile


def _short(value: object, limit: int) -> str | None:
    # Only strings count (signed answers are read defensively all the same).
    return value[:limit] if isinstance(value, str) and value else None
