"""Follow-ups in es/en/fr, through the real core on the real 2019 plan: references, ordinals,
ellipses, answers to the bot's own questions, corrections and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.conversation.state import ConversationState
from bot.core.messages import Incoming, Reply
from bot.db.models import Subscription, User
from tests.conftest import TODAY, at


class Chat:
    """One member talking to the bot on Telegram, in one language."""

    def __init__(self, app: App, language: str, user: str = "m1") -> None:
        self.app = app
        self.language = language
        self.user = user

    async def say(self, text: str = "", *, action: str | None = None) -> list[Reply]:
        replies = await self.app.core.handle(
            Incoming(
                "telegram", self.user, self.user, text=text, action=action,
                locale_hint=self.language,
            )
        )  # fmt: skip
        assert replies and all(r.text.strip() for r in replies), text
        assert {r.language for r in replies} == {self.language}, text
        return replies

    @property
    def state(self) -> ConversationState:
        found = self.app.core.conversations.peek(("telegram", self.user, self.user))
        assert found is not None
        return found

    async def follows(self) -> set[str]:
        async with self.app.db.read() as session:
            rows = await session.execute(
                select(Subscription.target)
                .join(User, User.id == Subscription.user_id)
                .where(User.platform_user_id == self.user, Subscription.active.is_(True))
            )
        return set(rows.scalars())


def _title(app: App, slug: str, language: str) -> str:
    item = app.content.index.get(slug)
    assert item is not None
    return item.title[language]


# --- References: "it", "ça", "eso", "this project" --------------------------------------------


@pytest.mark.parametrize(
    ("language", "first", "then"),
    [
        ("en", "tell me about METROAirports", "follow that one for me"),
        ("en", "tell me about METROAirports", "subscribe me to it"),
        ("fr", "parle-moi de METROAirports", "abonne-moi à ça"),
        ("fr", "parle-moi de METROAirports", "je veux suivre ce projet"),
        ("es", "háblame de METROAirports", "suscríbeme a eso"),
        ("es", "háblame de METROAirports", "avísame de ese proyecto"),
    ],
)
async def test_it_is_the_item_in_focus(plan_app: App, language: str, first: str, then: str) -> None:
    chat = Chat(plan_app, language)
    (card,) = await chat.say(first)
    assert card.title == _title(plan_app, "metroairports", language)
    await chat.say(then)
    assert await chat.follows() == {"metroairports"}
    assert chat.state.done == "subscribe"


@pytest.mark.parametrize(
    ("language", "question", "word"),
    [
        ("en", "is this project still running?", "Yes"),
        ("fr", "ce projet est toujours en cours ?", "Oui"),
        ("es", "¿y ese proyecto sigue en marcha?", "Sí"),
    ],
)
async def test_a_yes_no_question_about_it(
    plan_app: App, language: str, question: str, word: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say("metropolis in motion")
    answer, card = await chat.say(question)
    assert answer.text.startswith(word)
    assert card.title == _title(plan_app, "metropolis-in-motion", language)


# --- Ordinals after a numbered list -----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "listing", "second", "third"),
    [
        ("en", "which pilot projects are closing?", "the second one", "number 3"),
        ("fr", "quels projets se terminent ?", "le deuxième", "la troisième"),
        ("es", "¿qué proyectos piloto se cierran?", "el segundo", "el 3"),
    ],
)
async def test_ordinals_mean_the_lines_the_member_sees(
    plan_app: App, language: str, listing: str, second: str, third: str
) -> None:
    chat = Chat(plan_app, language)
    (reply,) = await chat.say(listing)
    lines = [line for line in reply.text.splitlines() if line[:1].isdigit()]
    assert lines[0].startswith("1. ") and lines[1].startswith("2. ")
    listed = chat.state.listed
    (card,) = await chat.say(second)
    assert card.title == _title(plan_app, listed[1], language)
    assert lines[1].endswith(card.title)  # the second line shown is the second one
    (card,) = await chat.say(third)
    assert card.title == _title(plan_app, listed[2], language)


async def test_numbers_run_on_across_pages(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    (first,) = await chat.say("the full 2019 calendar")
    more = next(b.action for row in first.buttons for b in row if b.action.startswith("~more:"))
    (page,) = await chat.say(action=more)
    assert "\n11. " in "\n" + page.text
    listed = chat.state.listed
    (card,) = await chat.say("number 12")
    assert card.title == _title(plan_app, listed[11], "en")


async def test_an_ordinal_with_no_list_gets_a_question_not_a_guess(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    (reply,) = await chat.say("the second one")
    assert "no list" in reply.text
    (reply,) = await chat.say("what's on in June?")
    (reply,) = await chat.say("number 40")
    assert "pick a number from 1 to 5" in reply.text


# --- Ellipsis: "and in August?", "et pour septembre ?", "¿y dónde?" ---------------------------


@pytest.mark.parametrize(
    ("language", "first", "then", "title"),
    [
        ("en", "events in June", "and in August?", "August 2019"),
        ("en", "what's on this month", "and next month?", "June 2019"),
        ("fr", "quoi de prévu en juin ?", "et pour septembre ?", "septembre 2019"),
        ("es", "eventos en junio", "¿y agosto?", "agosto de 2019"),
    ],
)
async def test_a_period_alone_continues_the_question(
    plan_app: App, language: str, first: str, then: str, title: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(first)
    (reply,) = await chat.say(then)
    assert reply.title is not None and title in reply.title
    assert chat.state.done == "events"


async def test_a_period_continues_a_count_too(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    (june,) = await chat.say("how many events in June?")
    assert june.text.startswith("5 ")
    (october,) = await chat.say("and in October?")
    assert october.text.startswith("2 ") and chat.state.done == "count"


@pytest.mark.parametrize(
    ("language", "first", "then", "place"),
    [
        ("en", "when is Metropolitan Day?", "and where?", "Place:"),
        ("fr", "c quand le forum EMA", "et c'est où ?", "Lieu :"),
        ("es", "cuándo es el foro de Chicago", "¿y dónde?", "Lugar:"),
    ],
)
async def test_where_after_when(
    plan_app: App, language: str, first: str, then: str, place: str
) -> None:
    chat = Chat(plan_app, language)
    (card,) = await chat.say(first)
    (again,) = await chat.say(then)
    assert again.title == card.title
    assert again.text.splitlines()[1].startswith(place)  # a "where" gets the place first


# --- Answers to the bot's own questions -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "ask", "name"),
    [
        ("en", "subscribe me", "MEGA"),
        ("fr", "je veux m'abonner", "MEGA"),
        ("es", "quiero suscribirme", "a metroairports"),
    ],
)
async def test_a_bare_name_answers_what_to_subscribe_to(
    plan_app: App, language: str, ask: str, name: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(ask)
    assert chat.state.pending is not None and chat.state.pending.kind == "target"
    await chat.say(name)
    assert await chat.follows() == {"mega" if name == "MEGA" else "metroairports"}


@pytest.mark.parametrize(
    ("language", "asking", "yes", "no"),
    [
        ("en", "follow the mobility projects for me", "yes please", "no"),
        ("fr", "abonne-moi aux projets sur la mobilité", "oui", "non merci"),
        ("es", "avísame de lo que pase en noviembre", "sí", "no, mejor no"),
    ],
)
async def test_several_items_are_confirmed_first(
    plan_app: App, language: str, asking: str, yes: str, no: str
) -> None:
    chat = Chat(plan_app, language)
    (asked,) = await chat.say(asking)
    pending = chat.state.pending
    assert pending is not None and pending.kind == "confirm" and len(pending.items) > 1
    assert [b.action for row in asked.buttons for b in row] == ["ok:yes", "ok:no"]
    assert await chat.follows() == set()
    await chat.say(no)
    assert await chat.follows() == set() and chat.state.done == "cancel"
    await chat.say(asking)
    await chat.say(yes)
    assert await chat.follows() == set(pending.items)


async def test_the_confirmation_buttons_answer_too(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("follow the mobility projects for me")
    await chat.say(action="ok:yes")
    assert await chat.follows() == {"metroairports", "metropolis-in-motion"}


async def test_the_one_in_a_period_picks_among_the_choices(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("when is the world congress?")
    pending = chat.state.pending
    assert pending is not None and pending.kind == "choose" and len(pending.items) == 3
    (fewer,) = await chat.say("the one in november")  # two of them: asked again, narrowed
    assert chat.state.pending is not None and len(chat.state.pending.items) == 2
    assert fewer.text.count("\n") == 2
    (card,) = await chat.say("the second one")
    assert card.title == _title(plan_app, "uclg-congress-2019", "en")
    await chat.say("when is the world congress?")
    (card,) = await chat.say("the one in 2020")
    assert card.title == _title(plan_app, "world-congress-2020-preparation", "en")


async def test_a_did_you_mean_is_answered_by_a_number(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("guangzhou ?")
    options = chat.state.pending.items if chat.state.pending else ()
    (card,) = await chat.say("le premier")
    assert card.title == _title(plan_app, options[0], "fr")


# --- Corrections ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "first", "correction", "title"),
    [
        ("en", "events in October?", "no sorry, I meant November", "November 2019"),
        ("fr", "qu'est-ce qu'il y a en février", "non, plutôt en mars", "mars 2019"),
    ],
)
async def test_a_correction_replaces_the_period(
    plan_app: App, language: str, first: str, correction: str, title: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(first)
    (reply,) = await chat.say(correction)
    assert reply.title is not None and title in reply.title


async def test_a_correction_replaces_the_theme(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("proyectos de clima")
    (reply,) = await chat.say("no, el de movilidad")
    assert reply.title == "Proyectos piloto: Movilidad"


async def test_a_correction_replaces_the_subscription(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("suscríbeme al foro de la onu de julio")
    assert await chat.follows() == {"hlpf-2019"}
    await chat.say("no, al de septiembre")
    assert await chat.follows() == {"hlpf-unga-local2030-2019"}  # the first one undone


# --- Undo -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "undo"), [("en", "undo"), ("fr", "annule ça"), ("es", "deshaz eso")]
)
async def test_undo_takes_back_a_subscription(plan_app: App, language: str, undo: str) -> None:
    chat = Chat(plan_app, language)
    await chat.say("/subscribe MEGA")
    assert await chat.follows() == {"mega"}
    await chat.say(undo)
    assert await chat.follows() == set()
    (again,) = await chat.say(undo)
    assert chat.state.done == "undo" and await chat.follows() == set()  # nothing left to undo
    assert again.text


async def test_undo_takes_back_an_unsubscription(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("/subscribe MEGA")
    await chat.say("/subscribe all events")
    await chat.say("quit sending me messages")
    assert await chat.follows() == set()
    await chat.say("undo")
    assert await chat.follows() == {"mega", "*"}


# --- Expiry -----------------------------------------------------------------------------------


async def test_an_idle_conversation_starts_afresh(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("tell me about MEGA")
    plan_app.clock.set(at(TODAY) + timedelta(minutes=31))  # type: ignore[attr-defined]
    (reply,) = await chat.say("subscribe me to it")
    assert await chat.follows() == set()  # no guess: "it" no longer refers to anything
    assert chat.state.pending is not None and chat.state.pending.kind == "target"
    assert reply.text


async def test_within_the_idle_time_it_still_refers(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("tell me about MEGA")
    plan_app.clock.set(at(TODAY) + timedelta(minutes=29))  # type: ignore[attr-defined]
    await chat.say("subscribe me to it")
    assert await chat.follows() == {"mega"}


async def test_two_members_of_one_group_have_two_conversations(plan_app: App) -> None:
    async def say(user: str, text: str) -> None:
        await plan_app.core.handle(Incoming("telegram", user, "group-1", text=text, is_group=True))

    await say("a", "tell me about MEGA")
    await say("b", "tell me about METROAirports")
    await say("a", "subscribe me to it")
    async with plan_app.db.read() as session:
        rows = await session.execute(
            select(User.platform_user_id, Subscription.target).join(
                User, User.id == Subscription.user_id
            )
        )
    assert set(rows) == {("a", "mega")}


# --- Follow-ups as the spent held-out set showed them (other wordings) -----------------------


async def test_a_bare_month_after_sorry_corrects_the_period(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("events in march")
    (reply,) = await chat.say("sorry, june")
    assert reply.title is not None and "June 2019" in reply.title


async def test_the_one_named_by_its_city_replaces_a_subscription(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("abonne-moi au forum de chicago")
    assert "chicago-forum-2019" in await chat.follows()
    await chat.say("non, celui de guangzhou")
    follows = await chat.follows()
    assert "guangzhou-global-forum" in follows and "chicago-forum-2019" not in follows


async def test_an_ordinal_after_del(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("proyectos piloto que terminan")
    second = chat.state.listed[1]
    (card,) = await chat.say("háblame del 2")
    assert card.title == _title(plan_app, second, "es")


async def test_when_does_it_end_asks_about_the_one_in_focus(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("parle-moi de metroairports")
    await chat.say("ça se termine quand")
    last = chat.state.last
    assert last is not None and (last.act, last.items) == ("item", ("metroairports",))


@pytest.mark.parametrize(("language", "answer"), [("en", "hmm no"), ("fr", "non laisse tomber")])
async def test_no_in_more_words_declines_a_confirmation(
    plan_app: App, language: str, answer: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(
        "follow the mobility projects" if language == "en" else "abonne-moi aux projets de mobilité"
    )
    assert chat.state.pending is not None and chat.state.pending.kind == "confirm"
    await chat.say(answer)
    assert await chat.follows() == set() and chat.state.done == "cancel"


async def test_add_it_to_my_subscriptions_follows_the_one_in_focus(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("tell me about MEGA")
    await chat.say("add it to my subscriptions")
    assert await chat.follows() == {"mega"}


async def test_follow_it_in_french_imperative(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("parle-moi de metroairports")
    await chat.say("ok suis-le")
    assert await chat.follows() == {"metroairports"}


async def test_no_wait_i_meant_a_month(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("events in march")
    (reply,) = await chat.say("no wait, i meant june")
    assert reply.title is not None and "June 2019" in reply.title


@pytest.mark.parametrize(
    ("language", "ask", "answer", "follows"),
    [
        ("es", "sígueme los proyectos de movilidad", "mmm mejor no", set()),
        ("fr", "abonne-moi aux projets de mobilité", "oui vas-y",
         {"metroairports", "metropolis-in-motion"}),
    ],
)  # fmt: skip
async def test_yes_and_no_said_loosely(
    plan_app: App, language: str, ask: str, answer: str, follows: set[str]
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(ask)
    assert chat.state.pending is not None and chat.state.pending.kind == "confirm"
    await chat.say(answer)
    assert await chat.follows() == follows


async def test_how_many_are_those_counts_the_last_list(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("proyectos piloto de movilidad")
    shown = len(chat.state.listed)
    (reply,) = await chat.say("cuantos son esos?")
    assert reply.text.lstrip().startswith(str(shown))


async def test_events_on_the_theme_in_focus(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("tell me about the mobility theme")
    await chat.say("any upcoming events on that?")
    last = chat.state.last
    assert last is not None and (last.act, last.theme) == ("events", "mobility")


async def test_the_same_question_of_another_line(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("q viene ahora?")
    await chat.say("el 3 donde es")
    await chat.say("y el primero?")
    last = chat.state.last
    assert last is not None and last.ask == "where" and last.items == chat.state.listed[:1]


@pytest.mark.parametrize(("language", "text"), [("en", "great thanks"), ("es", "genial gracias")])
async def test_thanks_after_an_offer_is_no_yes(plan_app: App, language: str, text: str) -> None:
    chat = Chat(plan_app, language)
    await chat.say(
        "follow the mobility projects" if language == "en" else "sígueme los proyectos de movilidad"
    )
    await chat.say(text)
    assert await chat.follows() == set()


# --- Follow-ups as heldout-5, -6 and -7 showed them ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "first", "answer", "slug"),
    [
        ("en", "guangzhou", "the forum", "guangzhou-global-forum"),
        ("fr", "le webinaire", "celui sur l'innovation urbaine", "urban-innovation-webinar"),
        ("fr", "le forum mondial", "celui de guangzhou", "guangzhou-global-forum"),
    ],
)
async def test_a_choice_is_answered_by_the_words_that_name_one_option(
    plan_app: App, language: str, first: str, answer: str, slug: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(first)
    assert chat.state.pending is not None and chat.state.pending.kind == "choose"
    (card,) = await chat.say(answer)
    assert card.title == _title(plan_app, slug, language)


@pytest.mark.parametrize(
    ("language", "first", "after", "month"),
    [
        ("en", "anything next month?", "and the month after?", "November 2019"),
        ("es", "eventos de octubre", "¿y el mes siguiente?", "noviembre de 2019"),
        ("fr", "événements en octobre", "et le mois d'avant ?", "septembre 2019"),
    ],
)
async def test_the_month_after_counts_from_the_month_asked_about(
    plan_app: App, language: str, first: str, after: str, month: str
) -> None:
    chat = Chat(plan_app, language)
    plan_app.clock.set(at(TODAY.replace(month=9, day=12)))
    await chat.say(first)
    (reply,) = await chat.say(after)
    assert reply.title is not None and month in reply.title


@pytest.mark.parametrize(
    ("language", "listing", "several", "count"),
    [
        ("en", "what's coming up", "subscribe me to the first two", 2),
        ("fr", "les projets pilotes qui démarrent", "abonne moi au premier et au troisième", 2),
        ("es", "proyectos piloto que cierran", "suscríbeme a los 3 primeros", 3),
        ("fr", "projets pilotes sur l'innovation urbaine", "abonne moi à tous", 4),
        ("es", "hay pilotos relacionados con transporte o movilidad?", "suscribeme a los dos", 2),
    ],
)
async def test_several_lines_are_followed_after_a_confirmation(
    plan_app: App, language: str, listing: str, several: str, count: int
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(listing)
    listed = chat.state.listed
    await chat.say(several)
    pending = chat.state.pending
    assert pending is not None and pending.kind == "confirm" and len(pending.items) == count
    assert set(pending.items) <= set(listed)
    assert await chat.follows() == set()


async def test_both_are_the_last_two_items_looked_at(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("c'est quoi mega")
    await chat.say("et metroairports ?")
    await chat.say("abonne moi aux deux")
    pending = chat.state.pending
    assert pending is not None and pending.items == ("mega", "metroairports")
    await chat.say("oui")
    assert await chat.follows() == {"mega", "metroairports"}


@pytest.mark.parametrize(
    ("language", "several", "no", "one", "slug"),
    [
        ("en", "follow all the climate change pilot projects", "no", "just mega then", "mega"),
        ("es", "sigue todo lo de noviembre", "no", "solo la smart city expo entonces",
         "smart-city-expo-2019"),
        ("fr", "projets pilotes sur l'innovation urbaine\nabonne moi à tous", "non finalement",
         "juste le 2e", None),
    ],
)  # fmt: skip
async def test_just_one_of_those_declined(
    plan_app: App, language: str, several: str, no: str, one: str, slug: str | None
) -> None:
    chat = Chat(plan_app, language)
    for text in several.split("\n"):
        await chat.say(text)
    offered = chat.state.listed
    await chat.say(no)
    assert chat.state.done == "cancel"
    await chat.say(one)
    assert await chat.follows() == {slug or offered[1]}


async def test_one_line_named_while_a_confirmation_waits(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("hay pilotos relacionados con transporte o movilidad?")
    await chat.say("suscribeme a los dos")
    await chat.say("no, solo al primero")
    assert await chat.follows() == {chat.state.listed[0]}


async def test_a_theme_in_focus_after_its_events(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("what's planned on housing")
    await chat.say("any upcoming events on that?")
    assert chat.state.last is not None and chat.state.last.theme == "adequate-housing"
    await chat.say("ok keep me posted on it")
    assert await chat.follows() == {"adequate-housing"}


@pytest.mark.parametrize(
    ("language", "first", "correction", "slug"),
    [
        ("en", "tell me about the airports project", "no i meant the mobility master plan one",
         "metropolis-in-motion"),
        ("es", "info del proyecto de energia", "no, el del plan de movilidad",
         "metropolis-in-motion"),
        ("es", "cuando es la coalicion de malaga", "no, me referia a la cumbre urban 20",
         "urban20-summit-2019"),
    ],
)  # fmt: skip
async def test_corrections_to_another_item(
    plan_app: App, language: str, first: str, correction: str, slug: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(first)
    (card,) = await chat.say(correction)
    assert card.title == _title(plan_app, slug, language)
    assert chat.state.focus == (slug,)


async def test_the_pilot_projects_of_this_theme(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("innovation urbaine")
    await chat.say("les projets pilotes de ce thème")
    assert chat.state.last is not None and chat.state.last.theme == "urban-innovation"


async def test_the_two_congresses_of_a_month(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("abonne moi aux deux congrès de novembre")
    pending = chat.state.pending
    assert pending is not None and set(pending.items) == {
        "smart-city-expo-2019",
        "uclg-congress-2019",
    }


@pytest.mark.parametrize(
    ("language", "count", "which"),
    [
        ("en", "how many projects are starting this year", "which ones?"),
        ("es", "cuantos pilotos nuevos empiezan este año", "cuales son"),
        ("fr", "combien de projets pilotes démarrent", "lesquels ?"),
    ],
)
async def test_which_ones_after_a_count_lists_them(
    plan_app: App, language: str, count: str, which: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(count)
    await chat.say(which)
    last = chat.state.last
    assert last is not None and (last.act, last.status) == ("projects", "starting")
    assert len(chat.state.listed) == 4


async def test_a_subscription_corrected_to_another_theme(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("keep me posted on housing")
    assert await chat.follows() == {"adequate-housing"}
    await chat.say("no wait, migration i meant")
    assert await chat.follows() == {"migration"}


async def test_all_of_that_after_a_corrected_period(plan_app: App) -> None:
    chat = Chat(plan_app, "es")
    await chat.say("eventos de octubre")
    await chat.say("no perdon, noviembre")
    await chat.say("suscribeme a todo eso")
    pending = chat.state.pending
    assert pending is not None and pending.kind == "confirm" and len(pending.items) == 3
    await chat.say("mmm no, mejor no")
    assert chat.state.done == "cancel" and await chat.follows() == set()


@pytest.mark.parametrize(
    ("language", "text", "lines"),
    [
        ("en", "subscribe me to the last two", (-2, -1)),
        ("es", "suscríbeme a todos menos el primero", (2, 3, 4)),
        ("fr", "abonne moi à tous sauf le premier", (2, 3, 4)),
    ],
)
async def test_the_last_lines_and_all_but_one(
    plan_app: App, language: str, text: str, lines: tuple[int, ...]
) -> None:
    chat = Chat(plan_app, language)
    await chat.say({"en": "starting pilots", "es": "proyectos que empiezan",
                    "fr": "projets pilotes qui démarrent"}[language])  # fmt: skip
    listed = chat.state.listed
    assert len(listed) == 4
    await chat.say(text)
    pending = chat.state.pending
    assert pending is not None and pending.kind == "confirm"
    assert pending.items == tuple(listed[n] if n < 0 else listed[n - 1] for n in lines)


@pytest.mark.parametrize(
    ("language", "first", "pick", "other"),
    [
        ("en", "hlpf?", "the july one", "and the other one, when is it"),
        ("fr", "hlpf ?", "celui de juillet", "et l'autre ?"),
        ("es", "hlpf?", "el de julio", "¿y el otro?"),
    ],
)
async def test_the_other_one_is_the_option_not_picked(
    plan_app: App, language: str, first: str, pick: str, other: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(first)
    await chat.say(pick)
    assert chat.state.focus == ("hlpf-2019",)
    (card,) = await chat.say(other)
    assert card.title == _title(plan_app, "hlpf-unga-local2030-2019", language)


@pytest.mark.parametrize(
    ("language", "vague", "name"),
    [("es", "y eso cuándo es", "mega"), ("fr", "ça a lieu où ?", "metroairports"),
     ("en", "when is it", "the urban 20 summit")],
)  # fmt: skip
async def test_which_one_is_answered_by_a_name_and_keeps_the_question(
    plan_app: App, language: str, vague: str, name: str
) -> None:
    chat = Chat(plan_app, language)
    await chat.say(vague)
    pending = chat.state.pending
    assert pending is not None and (pending.kind, pending.act) == ("target", "item")
    await chat.say(name)
    last = chat.state.last
    assert last is not None and last.act == "item" and last.ask == pending.ask


async def test_ok_subscribe_under_a_card_and_another_theme_too(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("tactical urbanism")
    await chat.say("ok subscribe")
    assert await chat.follows() == {"tactical-urbanism-dialogue"}
    await chat.say("keep me posted on gender equality")
    await chat.say("and on climate too")
    assert await chat.follows() == {
        "tactical-urbanism-dialogue",
        "gender-equality",
        "climate-change",
    }
    await chat.say("undo")
    assert "climate-change" not in await chat.follows()


async def test_the_sept_one_and_the_european_authorities(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    await chat.say("hlpf?")
    (card,) = await chat.say("the sept one")
    assert card.title == _title(plan_app, "hlpf-unga-local2030-2019", "en")
    chat = Chat(plan_app, "es", user="m2")
    await chat.say("cuando es el foro de desarrollo economico local")
    await chat.say("no perdon, el de autoridades metropolitanas europeas")
    assert chat.state.focus == ("ema-forum-2019",)
    assert chat.state.last is not None and chat.state.last.ask == "when"


async def test_the_month_after_that_and_the_september_one(plan_app: App) -> None:
    chat = Chat(plan_app, "en")
    plan_app.clock.set(at(TODAY.replace(month=8, day=26)))
    await chat.say("anything in september")
    await chat.say("and october?")
    (reply,) = await chat.say("and the month after that")
    assert reply.title is not None and "November 2019" in reply.title
    chat = Chat(plan_app, "en", user="m2")
    await chat.say("the hlpf")
    await chat.say("the july one")
    (card,) = await chat.say("and the september one?")
    assert card.title == _title(plan_app, "hlpf-unga-local2030-2019", "en")


async def test_a_bare_subscribe_me_under_a_card_still_asks_what(plan_app: App) -> None:
    chat = Chat(plan_app, "fr")
    await chat.say("quand a lieu le congres mondial")
    await chat.say("le 2e")
    await chat.say("abonne moi")
    pending = chat.state.pending
    assert pending is not None and (pending.kind, pending.act) == ("target", "subscribe")
    await chat.say("mega")
    assert await chat.follows() == {"mega"}
