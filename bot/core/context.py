"""What a handler gets: message, user, language, clock, content, database, the conversation
so far, and the turn it reports what it showed, asked or did on."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.conversation.state import ConversationState, Turn
from bot.core.messages import Button, Incoming, Reply
from bot.core.ports import Clock, PlatformHooks
from bot.db.engine import Database
from bot.i18n.catalog import Catalog
from content.index import ContentIndex

if TYPE_CHECKING:
    from bot.core.content_store import ContentStore
    from bot.db.unanswered import UnansweredLog

__all__ = ["Context", "UserState"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class UserState:
    """The stored facts about the sender that handlers read or change."""

    id: int
    platform: str
    platform_user_id: str
    chat_id: str
    language: str | None
    language_choice: str | None
    timezone: str | None
    role: str
    is_new: bool = False


@dataclass
class Context:
    """Everything one handler call needs; built by the engine for each message.

    Attributes:
        incoming: The message.
        user: The sender, as stored.
        language: The reply language (a handler may change it: "en français").
        clock: Tells the time.
        content: The plans in memory (every year's).
        db: The database.
        catalog: The interface texts.
        settings: The settings.
        store: The content store (staff reloads), when the core has one.
        unanswered: The unanswered log (staff read it), when the core has one.
        conversation: The conversation before this message.
        turn: What the handler showed, asked or did (the engine keeps it for follow-ups).
        language_source: What decided the language (``explicit``, ``text``, ``hint``…).
        explicit_choice: The language this message asked for, if it did.
        choice_saved: The core already saved ``explicit_choice`` as the member's choice,
            before the handler (a handler need not write it again).
        platforms: What the adapters lent the core about their platforms (group roles,
            deep links), by platform.
    """

    incoming: Incoming
    user: UserState
    language: str
    clock: Clock
    content: ContentIndex
    db: Database
    catalog: Catalog
    settings: Settings
    store: ContentStore | None = None
    unanswered: UnansweredLog | None = None
    conversation: ConversationState = field(default_factory=ConversationState)
    turn: Turn = field(default_factory=Turn)
    language_source: str = "default"
    explicit_choice: str | None = None
    choice_saved: bool = False
    platforms: Mapping[str, PlatformHooks] = field(default_factory=dict)
    # Read once per message: handlers ask for "today" several times, and one answer should
    # not straddle midnight.
    _today: date | None = field(default=None, init=False, repr=False, compare=False)

    def t(self, key: str, /, **fields: object) -> str:
        """The interface text ``key`` in the reply language."""
        return self.catalog.get(key, self.language, **fields)

    @property
    def today(self) -> date:
        """Today, in the bot's time zone (or as set with ``BOT_TODAY``/``--today``)."""
        if self._today is None:
            self._today = self.clock.today()
        return self._today

    @property
    def plan_year(self) -> int:
        """The year of the plan in force today: this year's, else the next one published,
        else the latest (what a question without a year is about)."""
        return self.content.in_force(self.today)

    @property
    def now(self) -> datetime:
        """The current instant."""
        return self.clock.now()

    @property
    def user_tz(self) -> ZoneInfo:
        """The user's time zone, or the bot's."""
        return ZoneInfo(self.user.timezone or self.settings.timezone)

    @property
    def is_staff(self) -> bool:
        """Whether the sender holds the staff role."""
        return self.user.role == "staff"

    async def may_change_group(self) -> bool:
        """Whether the sender may change what the chat follows: always in a private chat; in
        a group, if the platform says they administer it (or cannot tell admins apart)."""
        if not self.incoming.is_group:
            return True
        hooks = self.platforms.get(self.incoming.platform)
        if hooks is None or hooks.group_roles is None:
            return True
        try:
            return await hooks.group_roles.is_admin(self.incoming.chat_id, self.incoming.user_id)
        except Exception:
            # Unknown is a no: a member must not change the group's subscriptions by luck.
            log.warning("group roles unavailable (platform=%s)", self.incoming.platform)
            return False

    def reply(
        self,
        text: str,
        *,
        title: str | None = None,
        buttons: tuple[tuple[Button, ...], ...] = (),
        document: tuple[str, bytes] | None = None,
        notice: str | None = None,
        form: str | None = None,
        fields: tuple[tuple[str, str], ...] = (),
        errors: tuple[tuple[str, str], ...] = (),
    ) -> Reply:
        """A reply in the context's language."""
        return Reply(
            text=text,
            language=self.language,
            title=title,
            buttons=buttons,
            document=document,
            notice=notice,
            form=form,
            fields=fields,
            errors=errors,
        )
