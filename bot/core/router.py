"""Routes: which handler answers a command, a button or a message in plain words."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.text import fold, split

__all__ = ["Handler", "Matcher", "Query", "Route", "Router"]

Handler = Callable[[Context, Mapping[str, Any]], Awaitable[list[Reply]]]

_COMMAND = re.compile(r"^\s*/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Query:
    """A message, read once: its text folded and split, and its command if it is one.

    The folded forms are computed once, here, and shared by every matcher.

    Attributes:
        text: The text as written (trimmed).
        language: The reply language chosen for it.
        command: The command name without the slash, lower-cased (``"events"``), if any.
        args: What follows the command, or the whole text when there is no command.
        action: The button payload, for a button press.
        folded: The arguments, lower-cased without accents.
        words: The folded words of the arguments.
        word_set: The folded words, as a set.
        joined: The folded words joined by single spaces (``"what s on in june"``).
    """

    text: str
    language: str
    command: str | None = None
    args: str = ""
    action: str | None = None
    folded: str = field(init=False, repr=False, compare=False)
    words: list[str] = field(init=False, repr=False, compare=False)
    word_set: frozenset[str] = field(init=False, repr=False, compare=False)
    joined: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = fold(self.args)
        tokens = split(folded)
        set_ = object.__setattr__  # the dataclass is frozen
        set_(self, "folded", folded)
        set_(self, "words", tokens)
        set_(self, "word_set", frozenset(tokens))
        set_(self, "joined", " ".join(tokens))

    @classmethod
    def parse(cls, text: str, language: str, action: str | None = None) -> Query:
        """Read ``text``: split off a leading ``/command`` (Telegram's ``@botname`` too)."""
        text = text.strip()
        found = _COMMAND.match(text)
        if found:
            return cls(
                text, language, found.group(1).lower(), (found.group(2) or "").strip(), action
            )
        return cls(text, language, None, text, action)


Matcher = Callable[[Query, Context], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Route:
    """One thing the bot can do, and the ways people ask for it.

    Attributes:
        name: A stable name, used in logs and tests.
        handler: The async function that answers.
        commands: Command names (without ``/``) that lead here, in any language.
        actions: Button payload prefixes (the part before the first ``:``) that lead here.
        matcher: Recognises plain words; returns the handler's arguments, or ``None``.
        priority: Matchers run from the lowest priority number up; the first match wins.
    """

    name: str
    handler: Handler
    commands: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    matcher: Matcher | None = None
    priority: int = 50
    meta: Mapping[str, Any] = field(default_factory=dict)


class Router:
    """Finds the route for a query: a button, then a command, then plain words."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)
        self._commands: dict[str, Route] = {}
        self._actions: dict[str, Route] = {}
        for route in self.routes:
            for command in route.commands:
                if command in self._commands:
                    raise ValueError(f"command /{command} claimed twice")
                self._commands[command] = route
            for action in route.actions:
                if action in self._actions:
                    raise ValueError(f"action {action!r} claimed twice")
                self._actions[action] = route
        self._matchers = [
            (r, r.matcher)
            for r in sorted(self.routes, key=lambda r: r.priority)
            if r.matcher is not None
        ]

    @property
    def commands(self) -> dict[str, Route]:
        """Every command name and its route."""
        return dict(self._commands)

    def route(self, query: Query, ctx: Context) -> tuple[Route, Mapping[str, Any]] | None:
        """The route that answers ``query`` and its arguments, or ``None`` if none does."""
        if query.action:
            prefix, _, value = query.action.partition(":")
            if prefix == "cmd":
                # A button that stands for a typed command: "cmd:events 2019-07".
                name, _, rest = value.partition(" ")
                route = self._commands.get(name)
                return (route, {"command": name, "args": rest}) if route else None
            route = self._actions.get(prefix)
            return (route, {"action": prefix, "value": value}) if route else None
        if query.command is not None:
            route = self._commands.get(query.command)
            if route is not None:
                return route, {"command": query.command, "args": query.args}
        for route, matcher in self._matchers:
            found = matcher(query, ctx)
            if found is not None:
                return route, found
        return None
