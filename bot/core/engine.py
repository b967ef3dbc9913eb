"""The core: one message in, replies out, whatever the platform.

Language first (resolved once, at the front); then the understanding stage reads the message
and resolves it against the conversation; the handler of its act answers; the conversation
and the user's inferred facts are saved a moment after the reply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from bot.config import Settings
from bot.conversation.state import ConversationState
from bot.conversation.store import ConversationStore
from bot.core.content_store import ContentStore
from bot.core.context import Context, UserState
from bot.core.messages import IN_PLACE, Incoming, Reply
from bot.core.ports import Clock, PlatformHooks
from bot.core.text import fold
from bot.core.user_cache import KnownUser, UserCache
from bot.core.user_facts import new_user, pending_changes
from bot.db.engine import Database
from bot.db.unanswered import UnansweredLog
from bot.db.user_writes import UserWriter
from bot.db.users import create_user, find_user
from bot.i18n.catalog import Catalog
from bot.understanding.commands import COMMANDS, STAFF_COMMANDS
from bot.understanding.reading import Reading
from bot.understanding.stage import route, understand

__all__ = ["MAX_INPUT", "Core", "Handler", "LanguagePort"]

Handler = Callable[[Context, Reading], Awaitable[list[Reply]]]

log = logging.getLogger(__name__)

# Changes the user or the settings decided are saved before the answer (a new user's row is
# created with its language), and so is a time zone taken from the platform (once: a batched
# write could land after the member's own choice and undo it); later changes of what is
# inferred (language last seen, locale, chat, last seen at) are saved a moment after it, many
# users per transaction.
_DECISIONS = frozenset({"language_choice", "role", "timezone"})

COMMANDS_KNOWN = frozenset(COMMANDS) | STAFF_COMMANDS
# Longer messages are cut before understanding: nobody asks a question in 4,000 characters,
# and it keeps every step's cost bounded.
MAX_INPUT = 4000
# Control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


class _Resolution(Protocol):
    language: str
    source: str
    explicit_choice: str | None


class LanguagePort(Protocol):
    """The language resolver, as the core uses it."""

    def resolve(
        self, text: str, *, chosen: str | None, hint: str | None, previous: str | None
    ) -> _Resolution: ...


class Core:
    """Resolves the language, understands the message in its conversation, runs the handler
    of its act, remembers the user and the conversation.

    Args:
        db: The database.
        catalog: The interface texts.
        resolver: The language resolver.
        content: The plan, kept current by its store.
        handlers: The handler of every act.
        clock: Tells the time.
        settings: The settings.
        conversations: Where conversations are kept (built from ``db`` if not given).
        unanswered: The unanswered log (built from ``db`` if not given).
    """

    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        resolver: LanguagePort,
        content: ContentStore,
        handlers: Mapping[str, Handler],
        clock: Clock,
        settings: Settings,
        conversations: ConversationStore | None = None,
        unanswered: UnansweredLog | None = None,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.resolver = resolver
        self.content = content
        self.handlers = dict(handlers)
        self.clock = clock
        self.settings = settings
        self.users = UserCache()
        self.writes = UserWriter(db)
        self.conversations = conversations or ConversationStore(
            db, idle_seconds=settings.conversation_idle_minutes * 60
        )
        self.unanswered = unanswered or UnansweredLog(db)
        self.platforms: dict[str, PlatformHooks] = {}

    def attach(self, platform: str, **hooks: Any) -> PlatformHooks:
        """Lend the core what an adapter knows of its platform (see :class:`PlatformHooks`):
        ``core.attach("telegram", group_roles=…, deep_link=…)``; later calls add to it."""
        attached = self.platforms.setdefault(platform, PlatformHooks())
        for name, value in hooks.items():
            if not hasattr(attached, name):
                raise TypeError(f"PlatformHooks has no {name!r}")
            setattr(attached, name, value)
        return attached

    @property
    def commands(self) -> frozenset[str]:
        """Every command the core answers (members' and staff's), without the slash."""
        return COMMANDS_KNOWN

    async def close(self) -> None:
        """Write the users' changes, the conversations and the unanswered log still queued."""
        try:
            await self.writes.close()
        finally:
            try:
                await self.conversations.close()
            finally:
                await self.unanswered.close()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message or button press; never raises for bad input."""
        text = _clean(incoming.text)
        row = self.users.get(incoming.platform, incoming.user_id)
        if row is None:
            found = await find_user(self.db, incoming.platform, incoming.user_id)
            row = None if found is None else KnownUser.from_row(found)
        resolution = self.resolver.resolve(
            text,
            chosen=None if row is None else row.language_choice,
            hint=incoming.locale_hint,
            previous=None if row is None else row.language,
        )
        language = resolution.language
        choice = resolution.explicit_choice
        created = row is None
        if row is None:  # first contact: the row is born with its language, one transaction
            found = await create_user(
                self.db,
                new_user(incoming, self.settings),
                language=language,
                language_choice=choice,
            )
            row = KnownUser.from_row(found)
        changes = pending_changes(row, incoming, self.settings)
        if row.language != language:
            changes["language"] = language
        if choice and row.language_choice != choice:
            changes["language_choice"] = choice
        # A language the message chose ("/language fr", "en français") is a change of the
        # member's settings, like one a handler makes (a new member's row is born with it).
        chose = bool(choice) and (created or "language_choice" in changes)
        if changes:
            if not _DECISIONS.isdisjoint(changes):
                await self.writes.now(row.id, changes)
            else:
                self.writes.later(row.id, changes)
            row = row.with_(**changes)
        user = UserState(
            id=row.id,
            platform=row.platform,
            platform_user_id=row.platform_user_id,
            chat_id=row.chat_id,
            language=language,
            language_choice=row.language_choice,
            timezone=row.timezone,
            role=row.role,
            is_new=created,
        )
        now = self.clock.now()
        key = (incoming.platform, incoming.chat_id, incoming.user_id)
        try:
            state = await self.conversations.get(key, now, new=created)
        except Exception:
            # Without its conversation the message is still answered, read alone.
            log.warning("conversation unavailable (platform=%s)", incoming.platform, exc_info=True)
            state = ConversationState()
        ctx = Context(
            incoming=incoming,
            user=user,
            language=language,
            clock=self.clock,
            content=self.content.index,
            db=self.db,
            catalog=self.catalog,
            settings=self.settings,
            store=self.content,
            unanswered=self.unanswered,
            conversation=state,
            language_source=resolution.source,
            explicit_choice=choice,
            choice_saved=chose,
            platforms=self.platforms,
        )
        try:
            reading = understand(
                ctx.content,
                text=text,
                action=incoming.action,
                language=language,
                today=ctx.today,
                chosen=choice,
                state=state,
                fields=incoming.fields,
            )
            replies = await self.handlers[route(reading)](ctx, reading)
        except Exception:
            log.exception("handler failed (platform=%s, user=%s)", incoming.platform, user.id)
            self.users.drop(incoming.platform, incoming.user_id)
            replies = [ctx.reply(ctx.t("core.error"))]
        else:
            # Handlers that change the user (language, time zone) change ctx.user too.
            after = ctx.user
            changed = chose or _changed_subscriptions(ctx)
            if (after.language, after.language_choice, after.timezone) != (
                row.language,
                row.language_choice,
                row.timezone,
            ):
                changed = True
                row = row.with_(
                    language=after.language,
                    language_choice=after.language_choice,
                    timezone=after.timezone,
                )
            self.users.put(row)
            self._remember(key, state, reading, ctx, text)
            if replies and incoming.action and incoming.action.startswith(IN_PLACE):
                replies[0] = replace(replies[0], edit=True)
            if changed:
                self._tell_changed(incoming)
        return replies or [ctx.reply(ctx.t("core.error"))]

    def _tell_changed(self, incoming: Incoming) -> None:
        hooks = self.platforms.get(incoming.platform)
        if hooks is None or hooks.changed is None:
            return
        try:
            hooks.changed(incoming.user_id)
        except Exception:  # the answer matters more than the refresh
            log.warning("core: change hook failed (platform=%s)", incoming.platform, exc_info=True)

    def _remember(
        self,
        key: tuple[str, str, str],
        state: ConversationState,
        reading: Reading,
        ctx: Context,
        text: str,
    ) -> None:
        """Fold this turn into the conversation, and note what was not understood."""
        turn = ctx.turn
        now = ctx.now
        _remember_pick(state, reading, self.unanswered)
        if turn.unanswered and text:
            token = self.unanswered.record(
                text,
                key=fold(text),
                language=ctx.language,
                platform=ctx.incoming.platform,
                kind=turn.unanswered,
                at=now,
            )
            if turn.pending is not None:
                turn.pending = replace(turn.pending, token=token)
        self.conversations.put(key, state.after(reading, turn, language=ctx.language, now=now))


def _changed_subscriptions(ctx: Context) -> bool:
    # What a handler reports having done to the member's subscriptions: a change made, or
    # the last one taken back ("undo").
    turn = ctx.turn
    done = turn.undo if not turn.cleared else ctx.conversation.undo
    return done is not None and bool(done.items or done.targets)


def _remember_pick(state: ConversationState, reading: Reading, log: UnansweredLog) -> None:
    # A "did you mean" the member answered by picking a name was understood after all.
    pending = state.pending
    if pending is not None and pending.token and reading.detail == "picked":
        log.forget(pending.token)


def _clean(text: str) -> str:
    # Control characters (other than newlines and tabs) carry no meaning and can break
    # platform formatting; very long input is cut.
    return _CONTROL.sub("", text[:MAX_INPUT]).strip()
