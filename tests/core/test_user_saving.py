"""What the core saves about a user, and when: decisions before the answer, inferences after."""

from __future__ import annotations

from sqlalchemy import event, select

from bot.app import App
from bot.core.messages import Incoming
from bot.db.models import User


async def _row(app: App, user: str) -> User:
    async with app.db.read() as session:
        row = await session.scalar(select(User).where(User.platform_user_id == user))
    assert row is not None
    return row


async def _say(app: App, text: str, user: str = "s1", hint: str | None = None) -> str:
    (reply, *_) = await app.core.handle(
        Incoming("telegram", user, user, text=text, locale_hint=hint)
    )
    return reply.language


async def test_a_new_user_is_saved_with_the_language_before_the_answer(plan_app: App) -> None:
    assert await _say(plan_app, "¿qué hay en junio?") == "es"
    assert (await _row(plan_app, "s1")).language == "es"


async def test_an_ordinary_message_writes_nothing_before_the_answer(plan_app: App) -> None:
    await _say(plan_app, "hola")
    begins: list[int] = []
    event.listen(plan_app.db.engine.sync_engine, "begin", lambda conn: begins.append(1))
    assert await _say(plan_app, "what's on in June?") == "en"  # the language changed
    assert await _say(plan_app, "upcoming events") == "en"
    assert begins == []
    assert (await _row(plan_app, "s1")).language == "es"  # not yet
    await plan_app.core.writes.flush()
    assert (await _row(plan_app, "s1")).language == "en"


async def test_an_explicit_choice_is_saved_before_the_answer(plan_app: App) -> None:
    await _say(plan_app, "hola")
    assert await _say(plan_app, "en français s'il te plaît") == "fr"
    row = await _row(plan_app, "s1")
    assert (row.language, row.language_choice) == ("fr", "fr")


async def test_a_choice_in_words_is_written_once_and_a_repeated_one_again(
    plan_app: App,
) -> None:
    await _say(plan_app, "hola")
    begins: list[int] = []
    event.listen(plan_app.db.engine.sync_engine, "begin", lambda conn: begins.append(1))
    assert await _say(plan_app, "en français s'il te plaît") == "fr"
    assert len(begins) == 1  # the core's write; the handler does not write it again
    async with plan_app.db.write() as session:  # another process changes the row meanwhile
        row = await session.scalar(select(User).where(User.platform_user_id == "s1"))
        assert row is not None
        row.language_choice = row.language = "es"
    begins.clear()
    assert await _say(plan_app, "en français s'il te plaît") == "fr"  # cached row: fr already
    assert len(begins) == 1  # the handler writes it, so the row says fr again
    row = await _row(plan_app, "s1")
    assert (row.language, row.language_choice) == ("fr", "fr")


async def test_closing_the_app_saves_what_is_queued(plan_app: App) -> None:
    await _say(plan_app, "hola")
    await _say(plan_app, "bonjour, quoi de prévu en juin ?")
    assert plan_app.core.writes.pending == 1
    await plan_app.core.close()
    assert (await _row(plan_app, "s1")).language == "fr"
