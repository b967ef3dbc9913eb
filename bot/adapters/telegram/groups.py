"""What groups need: who administers them, and Telegram's 20 messages a minute per group.

:class:`GroupAdmins` answers the core's question "may this member change the group's
subscriptions?" (:class:`bot.core.ports.GroupRoles`) with ``getChatMember``, remembered a
few minutes per (group, member). :class:`GroupPace` keeps each group within 20 messages in
any 60 seconds, per process: the sender asks it before each message to a group and, when
the group's minute is full, reports how long to wait instead of calling Telegram (which
would answer 429 and, for repeated excess, hold the bot back longer).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ChatMemberStatus

__all__ = ["ANONYMOUS_ADMIN", "GROUP_PER_MINUTE", "GroupAdmins", "GroupPace", "is_group_chat"]

# Telegram's limit for messages to one group, per minute.
GROUP_PER_MINUTE = 20
# The user Telegram shows as the sender when a group administrator posts anonymously
# (GroupAnonymousBot): only administrators can do that.
ANONYMOUS_ADMIN = "1087968824"
_ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


def is_group_chat(chat_id: str | int) -> bool:
    """Whether a chat id is a group's or a channel's (Telegram gives them negative ids)."""
    return str(chat_id).startswith("-")


class GroupAdmins:
    """Who administers a group, asked with ``getChatMember`` and remembered ``ttl`` seconds.

    Args:
        bot: An initialized bot.
        ttl: How long an answer is trusted (a member made administrator is seen after it).
        size: How many (group, member) answers are kept.
        clock: Monotonic seconds (tests move it).
    """

    def __init__(
        self,
        bot: Bot,
        *,
        ttl: float = 300.0,
        size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._known: OrderedDict[tuple[str, str], tuple[float, bool]] = OrderedDict()

    async def is_admin(self, chat_id: str, user_id: str) -> bool:
        """Whether ``user_id`` administers ``chat_id``; raises when Telegram cannot say."""
        if user_id == ANONYMOUS_ADMIN:
            return True
        key = (chat_id, user_id)
        known = self._known.get(key)
        if known is not None and known[0] > self._clock():
            return known[1]
        member = await self._bot.get_chat_member(chat_id=chat_id, user_id=int(user_id))
        admin = member.status in _ADMIN_STATUSES
        self._known[key] = (self._clock() + self._ttl, admin)
        self._known.move_to_end(key)
        while len(self._known) > self._size:
            self._known.popitem(last=False)
        return admin


class GroupPace:
    """At most ``per_minute`` messages to each group in any 60 seconds (this process's).

    Args:
        per_minute: Messages a group may get per minute.
        clock: Monotonic seconds (tests move it).
    """

    def __init__(
        self,
        per_minute: int = GROUP_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = per_minute
        self._clock = clock
        self._sent: dict[str, deque[float]] = {}

    def reserve(self, chat_id: str | int) -> float:
        """Take a slot for one message to ``chat_id``: ``0`` (send now), or the seconds until
        the group's oldest message of the minute leaves the window (nothing is taken)."""
        if not is_group_chat(chat_id):
            return 0.0
        now = self._clock()
        sent = self._sent.setdefault(str(chat_id), deque())
        while sent and sent[0] <= now - 60.0:
            sent.popleft()
        if len(sent) >= self._limit:
            return max(sent[0] + 60.0 - now, 0.001)
        sent.append(now)
        if len(self._sent) > 10_000:  # forget groups quiet for a minute
            for key in [k for k, v in self._sent.items() if not v or v[-1] <= now - 60.0]:
                del self._sent[key]
        return 0.0
