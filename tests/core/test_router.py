"""Routing: buttons, then commands, then plain-word matchers by priority."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from bot.core.router import Query, Route, Router


async def _noop(ctx: Any, args: Mapping[str, Any]) -> list[Any]:
    return []


def test_query_splits_commands_and_bot_names() -> None:
    query = Query.parse("/Events@MetropolisBot  junio ", "es")
    assert query.command == "events"
    assert query.args == "junio"
    plain = Query.parse("  ¿Qué hay en JUNIO? ", "es")
    assert plain.command is None
    assert plain.words == ["que", "hay", "en", "junio"]


def test_order_action_command_then_matchers() -> None:
    hits: list[str] = []

    def low(q: Query, ctx: Any) -> Mapping[str, Any] | None:
        hits.append("low")
        return {"who": "low"} if "x" in q.word_set else None

    def high(q: Query, ctx: Any) -> Mapping[str, Any] | None:
        hits.append("high")
        return {"who": "high"}

    router = Router(
        [
            Route("b", _noop, matcher=high, priority=90),
            Route("a", _noop, commands=("go",), actions=("sub",), matcher=low, priority=10),
        ]
    )
    route, args = router.route(Query.parse("", "en", action="sub:mega"), None)  # type: ignore[misc]
    assert route.name == "a" and args["value"] == "mega"
    route, args = router.route(Query.parse("/go far", "en"), None)  # type: ignore[misc]
    assert route.name == "a" and args["args"] == "far"
    route, args = router.route(Query.parse("x marks", "en"), None)  # type: ignore[misc]
    assert route.name == "a" and hits == ["low"]
    route, _ = router.route(Query.parse("anything", "en"), None)  # type: ignore[misc]
    assert route.name == "b"


def test_cmd_buttons_stand_for_commands() -> None:
    router = Router([Route("events", _noop, commands=("events",))])
    route, args = router.route(Query.parse("", "en", action="cmd:events 2019-07"), None)  # type: ignore[misc]
    assert route.name == "events" and args == {"command": "events", "args": "2019-07"}
    assert router.route(Query.parse("", "en", action="cmd:nope"), None) is None
    assert router.route(Query.parse("", "en", action="zzz:1"), None) is None


def test_a_command_claimed_twice_is_a_bug() -> None:
    with pytest.raises(ValueError, match="/go"):
        Router([Route("a", _noop, commands=("go",)), Route("b", _noop, commands=("go",))])


def test_query_folds_once_for_every_matcher() -> None:
    query = Query.parse("  What's on in JUNE, señor? ", "en")
    assert query.folded == "what's on in june, senor?"
    assert query.words == ["what", "s", "on", "in", "june", "senor"]
    assert query.word_set == frozenset(query.words)
    assert query.joined == "what s on in june senor"
    command = Query.parse("/events Août", "fr")
    assert (command.args, command.joined) == ("Août", "aout")
