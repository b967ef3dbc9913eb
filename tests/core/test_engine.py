"""The core end to end: every intent reaches its answer, in the question's language, and odd
input gets a reply, never an exception. Real core, real plan, real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.conversation.state import ConversationState
from bot.core.messages import Incoming, Reply
from bot.understanding.stage import route, understand

PLAN_DIR = Path(__file__).resolve().parents[2] / "content" / "plan"


@pytest.fixture
def app(plan_app: App) -> App:
    """The real app on the real plan (tests/conftest.py), clock at noon on 20 May 2019."""
    return plan_app


async def _ask(app: App, text: str = "", *, action: str | None = None, user: str = "e1",
               hint: str | None = None) -> list[Reply]:  # fmt: skip
    replies = await app.core.handle(
        Incoming("telegram", user, user, text=text, action=action, locale_hint=hint)
    )
    assert replies, text
    for reply in replies:
        assert isinstance(reply, Reply)
        assert reply.text.strip()
        assert reply.language in ("es", "en", "fr")
        assert len(reply.text) <= 4096
        for row in reply.buttons:
            for button in row:
                assert len(button.action.encode()) <= 64
    return replies


def _route(app: App, text: str, language: str = "en") -> str:
    # The act the understanding stage reads, for a new member (no conversation).
    reading = understand(
        app.content.index,
        text=text,
        action=None,
        language=language,
        today=app.clock.today(),
        chosen=None,
        state=ConversationState(),
    )
    return route(reading)


@pytest.mark.parametrize(
    ("text", "act"),
    [
        # events: what's next, and periods
        ("what's next", "events"),
        ("what's next in June", "events"),
        ("próximos eventos", "events"),
        ("à venir", "events"),
        ("quoi de prévu ?", "events"),
        ("eventos de noviembre", "events"),
        ("what happens in June", "events"),
        ("¿qué hay en junio?", "events"),
        ("quoi de prévu en juin ?", "events"),
        ("next week", "events"),
        ("la semaine prochaine", "events"),
        ("mañana", "events"),
        ("Q3", "events"),
        ("tercer trimestre", "events"),
        ("de junio a septiembre", "events"),
        ("events in 2020", "events"),
        ("junio", "events"),
        ("when is the next event?", "events"),
        ("upcoming events about gender", "events"),
        # about: one item by name
        ("tell me about MEGA", "item"),
        ("háblame de MEGA", "item"),
        ("parle-moi de MEGA", "item"),
        ("quand a lieu le Congrès mondial de CGLU ?", "item"),
        ("¿cuándo es el Congreso Mundial?", "choose"),  # several world congresses
        ("where is the Global Forum?", "item"),
        ("tell me about Women4Climate 2019", "item"),
        ("mega", "item"),
        ("metro airports", "item"),
        ("women 4 climate", "item"),
        ("what about MEGA?", "item"),
        # projects
        ("¿qué proyectos piloto empiezan?", "projects"),
        ("pilot projects", "projects"),
        ("projects closing", "projects"),
        ("proyectos en marcha", "projects"),
        ("projets qui se terminent", "projects"),
        ("projects about water", "projects"),
        ("proyectos de agua", "projects"),
        ("projets sur l'eau", "projects"),
        ("LGBTI projects", "projects"),
        ("proyectos de energía", "projects"),
        # themes and sections (one of them is an item: its overview)
        ("themes", "themes"),
        ("temas", "themes"),
        ("thèmes", "themes"),
        ("what about gender?", "item"),
        ("¿qué hay sobre movilidad?", "item"),
        ("tout sur le climat", "item"),
        ("knowledge hub", "item"),
        ("observatory", "item"),
        ("statutory meetings", "item"),
        ("governance section", "item"),
        # the others' topics stay theirs
        ("hola", "greet"),
        ("help", "help"),
        ("merci", "thanks"),
        ("subscribe me to MEGA", "subscribe"),
        ("calendar", "calendar"),
        # nothing
        ("blah blah", "unknown"),
        ("", "unknown"),
    ],
)
async def test_every_intent_is_routed(app, text, act) -> None:
    assert _route(app, text) == act


@pytest.mark.parametrize(
    ("text", "language", "needle"),
    [
        ("what's next in June", "en", "June 2019"),
        ("¿qué proyectos piloto empiezan?", "es", "disponibilidad presupuestaria"),
        ("quand a lieu le Congrès mondial de CGLU ?", "fr", "novembre 2019"),
        ("tell me about MEGA", "en", "closing in 2019"),
        ("eventos de noviembre", "es", "noviembre de 2019"),
        ("thèmes", "fr", "Positionnement mondial"),
        ("hola", "es", "2019"),
        ("help", "en", "/next"),
    ],
)
async def test_answers_in_the_question_language(app, text, language, needle) -> None:
    replies = await _ask(app, text)
    assert replies[0].language == language
    assert needle in "\n".join((r.title or "") + "\n" + r.text for r in replies)


async def test_fallback_is_kind_and_suggests(app) -> None:
    (reply,) = await _ask(app, "blah blah blah")
    assert "I didn't understand" in reply.text
    assert reply.buttons
    (several,) = await _ask(app, "the guangzhou thing, you know", user="e2")
    assert "Which one?" in several.text
    assert any(b.action.startswith("about:guangzhou") for row in several.buttons for b in row)
    (near,) = await _ask(app, "any conference in tokyo?", user="e4")
    assert "Did you mean" in near.text
    assert any(b.action.startswith("about:") for row in near.buttons for b in row)
    (command,) = await _ask(app, "/nosuchcommand", user="e3")
    assert "/nosuchcommand" in command.text


ODD = [
    "",
    "   ",
    "😀",
    "🎉🎉🎉👍",
    "?",
    "¿?",
    "...",
    "/",
    "////",
    "/ ",
    "/events ////",
    "/next 😀",
    "/projects ¿?",
    "/themes " + "x" * 500,
    "/about",
    "a" * 10_000,
    "junio " * 2_000,
    "what's next " * 900,
    "tell me about " + "MEGA " * 2_000,
    "Wann findet der Kongress statt?",
    "Was ist MEGA?",
    "会议什么时候举行？",
    "告诉我关于 MEGA 的信息",
    "متى المؤتمر؟",
    "Когда конгресс?",
    "'; DROP TABLE users; --",
    "<b>bold</b> & <script>alert(1)</script>",
    "\x00\x01\x02 hola \x7f",
    "line one\nline two\n\n\tjunio",
    "2019-13",
    "2019-02-30",
    "99999999999999999999",
    "Q9",
    "may may may may",
    "mar",
    "🇪🇸 🇬🇧 🇫🇷",
]


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
async def test_odd_input_gets_a_reply(app, text) -> None:
    replies = await _ask(app, text)
    assert all(r.text for r in replies)


@pytest.mark.parametrize(
    "action",
    [
        "more:", "more:nx", "more:nx::", "more:nx::-1", "more:nx::999999", "more:ev:::",
        "more:ev:2019-Q9:10", "more:th::10", "more:se:x:x", "about:", "about:../../etc",
        "cmd:events 1800", "cmd:events 2019-13", "cmd:projects ???", "cmd:themes 😀",
        "cmd:", "zzz:1", "",
    ],
)  # fmt: skip
async def test_odd_buttons_get_a_reply(app, action) -> None:
    replies = await _ask(app, action=action or None)
    assert replies


async def test_many_users_and_languages_in_turn(app) -> None:
    questions = [
        ("what's next", "en"), ("próximos eventos", "es"), ("à venir", "fr"),
        ("tell me about MEGA", "en"), ("háblame de MEGA", "es"), ("parle-moi de MEGA", "fr"),
    ]  # fmt: skip
    for n, (text, language) in enumerate(questions * 3):
        replies = await _ask(app, text, user=f"user-{n % 4}")
        assert replies[0].language == language


def _multiplied(index, factor: int):
    import dataclasses

    from content.index import ContentIndex

    items = dict(index.items)
    for n in range(1, factor):
        for item in index.items.values():
            copy = dataclasses.replace(
                item,
                slug=f"{item.slug[:33]}-x{n}",
                title={lang: f"{text} ({n})" for lang, text in item.title.items()},
                order=item.order + n * len(index.items),
            )
            items[copy.slug] = copy
    return ContentIndex(items=items, plans=dict(index.plans))


@pytest.mark.parametrize(
    "text",
    ["/projects", "projects closing", "climate projects", "themes", "/sections", "what's next",
     "events in 2019", "what about gender?", "knowledge hub", "/events", "MEGA",
     "congreso mundial"],
)  # fmt: skip
async def test_replies_stay_within_platform_limits_on_a_big_plan(app, text) -> None:
    app.content._index = _multiplied(app.content.index, 30)
    replies = await _ask(app, text)  # checks 4,096 characters and 64-byte actions
    assert sum(len(row) for r in replies for row in r.buttons) <= 30
