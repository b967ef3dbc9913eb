"""The language resolver: explicit choices, text evidence, hints and their order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.language import LANGUAGES, Evidence, LanguageResolver, Resolution

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def resolver() -> LanguageResolver:
    return LanguageResolver(default="en")


# --- text evidence --------------------------------------------------------------------

EXAMPLES = [
    ("hola", "es"),
    ("merci", "fr"),
    ("junio", "es"),
    ("juin", "fr"),
    ("June", "en"),
    ("projets pilotes", "fr"),
    ("subscribe MEGA", "en"),
    ("próximos eventos", "es"),
    ("proximos eventos", "es"),
    ("quoi de prévu en juin ?", "fr"),
    ("quoi de prevu en juin", "fr"),
    ("¿qué hay en junio?", "es"),
    ("que hay en junio", "es"),
    ("what's next in June", "en"),
    ("tell me about MEGA", "en"),
    ("eventos de noviembre", "es"),
    ("quand a lieu le Congrès mondial ?", "fr"),
    ("abonne-moi à tous les événements", "fr"),
    ("suscríbeme a los proyectos sobre agua", "es"),
    ("stop MEGA updates", "en"),
    ("gracias", "es"),
    ("thanks", "en"),
    ("bonjour", "fr"),
    ("¿cuándo es el Congreso?", "es"),
    ("cuando es el congreso", "es"),
    ("prochains evenements", "fr"),
    ("événements en août", "fr"),
    ("evenements en aout", "fr"),
    ("upcoming events", "en"),
    ("thèmes", "fr"),
    ("temas", "es"),
    ("ayuda", "es"),
    ("aide", "fr"),
    ("help", "en"),
    ("este mes", "es"),
    ("ce mois", "fr"),
    ("this month", "en"),
    ("I don't understand", "en"),
    ("j'ai besoin d'aide", "fr"),
    ("niño", "es"),
]


# Right, but not as text that overrules a hint: "themes" may be "thèmes" typed without
# its accent, "movilidad" is a single ordinary word; "anglais" and "inglés" are French and
# Spanish words, but as whole messages they are explicit choices of English.
DETECT_ONLY = [
    ("themes", "en"),
    ("movilidad", "es"),
    ("informations", "fr"),
    ("anglais", "fr"),
    ("inglés", "es"),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES + DETECT_ONLY)
def test_detect_examples(resolver: LanguageResolver, text: str, expected: str) -> None:
    assert resolver.detect(text) == expected


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_examples_beat_a_disagreeing_hint(
    resolver: LanguageResolver, text: str, expected: str
) -> None:
    # Every example is clear enough to overrule a platform hint in another language.
    other = next(lang for lang in LANGUAGES if lang != expected)
    result = resolver.resolve(text, hint=other, previous=other)
    assert result == Resolution(expected, "text")


@pytest.mark.parametrize(
    "text",
    [
        "MEGA",
        "METROAirports",
        "2019",
        "👍",
        "Local2030",
        "GOLD V",
        "/start",
        "Women4Climate",
        "Urban 20",
        "https://www.metropolis.org/events",
        "!!!",
        "...",
        "?",
        "2019-06-12",
        "@metropolis_bot",
        "🎉🎉",
        "",
        "   ",
        "UCLG C40",
        "women4climate-2019",
    ],
)
def test_names_numbers_emoji_carry_no_evidence(resolver: LanguageResolver, text: str) -> None:
    assert resolver.detect(text) is None
    assert resolver.evidence(text) is None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", ["MEGA", "2019", "👍", "Local2030", "GOLD V", "/start"])
def test_no_evidence_keeps_the_language_in_force(
    resolver: LanguageResolver, text: str, language: str
) -> None:
    assert resolver.resolve(text, previous=language) == Resolution(language, "previous")
    assert resolver.resolve(text, hint=language) == Resolution(language, "hint")
    assert resolver.resolve(text, chosen=language) == Resolution(language, "explicit")


@pytest.mark.parametrize("text", ["information", "no", "a", "de", "hotel", "general", "mobility"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_ambiguous_words_do_not_override_the_hint_or_previous_language(
    resolver: LanguageResolver, text: str, language: str
) -> None:
    found = resolver.evidence(text)
    assert found is None or not found.confident
    assert resolver.resolve(text, hint=language).language == language
    assert resolver.resolve(text, previous=language).language == language


def test_weak_evidence_still_beats_the_default(resolver: LanguageResolver) -> None:
    # "movilidad" alone is not confident enough to overrule a hint, but it is better
    # than a blind default.
    found = resolver.evidence("movilidad")
    assert found is not None and found.language == "es"
    assert LanguageResolver(default="fr").resolve("movilidad") == Resolution("es", "text")


def test_names_inside_a_message_are_ignored(resolver: LanguageResolver) -> None:
    # The plan names would otherwise look English ("Women", "Airports", "Urban").
    assert resolver.detect("háblame de Women4Climate y METROAirports") == "es"
    assert resolver.detect("qui organise Urban 20 ?") == "fr"
    assert resolver.detect("cuéntame de GOLD V") == "es"


def test_extra_names_carry_no_evidence() -> None:
    resolver = LanguageResolver(names=["Barcelona Declaration"])
    assert resolver.detect("Barcelona Declaration") is None
    assert resolver.detect("la Barcelona Declaration") in ("es", "fr")


def test_accents_decide(resolver: LanguageResolver) -> None:
    assert resolver.detect("¿?") == "es"
    assert resolver.detect("«»") == "fr"
    assert resolver.detect("ça") == "fr"
    assert resolver.detect("mañana") == "es"


def test_longer_sentences(resolver: LanguageResolver) -> None:
    assert resolver.detect("The assembly will vote on the new strategic plan") == "en"
    assert resolver.detect("La asamblea votará el nuevo plan estratégico") == "es"
    assert resolver.detect("L'assemblée votera le nouveau plan stratégique") == "fr"
    # Spanish typed without any accent, about the plan.
    assert resolver.detect("me gustaria saber cuando empieza la formacion") == "es"


def test_evidence_reports_scores_and_confidence(resolver: LanguageResolver) -> None:
    found = resolver.evidence("hola")
    assert isinstance(found, Evidence)
    assert found.language == "es"
    assert found.confident
    assert found.margin > 0
    assert len(found.scores) == 3
    assert found.scores[LANGUAGES.index("es")] == max(found.scores)


# --- explicit choices -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en español por favor", "es"),
        ("en espanol por favor", "es"),
        ("habla español", "es"),
        ("háblame en español", "es"),
        ("Español", "es"),
        ("in Spanish please", "es"),
        ("language: es", "es"),
        ("/idioma es", "es"),
        ("prefiero español", "es"),
        ("in English please", "en"),
        ("english please", "en"),
        ("speak english", "en"),
        ("English", "en"),
        ("en inglés", "en"),
        ("switch to English", "en"),
        ("/language en", "en"),
        ("can you answer in english?", "en"),
        ("en français", "fr"),
        ("en francais", "fr"),
        ("parle français", "fr"),
        ("français svp", "fr"),
        ("Français", "fr"),
        ("parlez-vous français ?", "fr"),
        ("je préfère le français", "fr"),
        ("/language fr", "fr"),
        ("/langue fr", "fr"),
        ("langue = fr", "fr"),
        ("in French", "fr"),
        ("hola, en francés por favor", "fr"),
    ],
)
def test_explicit_choices(resolver: LanguageResolver, text: str, expected: str) -> None:
    assert resolver.explicit_choice(text) == expected
    # An explicit choice beats everything, even a remembered choice, and is reported.
    other = next(lang for lang in LANGUAGES if lang != expected)
    result = resolver.resolve(text, chosen=other, hint=other, previous=other)
    assert result == Resolution(expected, "explicit", expected)


@pytest.mark.parametrize(
    "text",
    [
        "what is MEGA in French?",
        "the french congress",
        "english speaking cities",
        "no english",
        "es el congreso",
        "hola",
        "/language",
        "/start",
        "",
        "events in Spanish cities next June",
    ],
)
def test_not_explicit_choices(resolver: LanguageResolver, text: str) -> None:
    assert resolver.explicit_choice(text) is None
    assert resolver.resolve(text).explicit_choice is None


# --- the order of the signals ---------------------------------------------------------


def test_sticky_choice_beats_text(resolver: LanguageResolver) -> None:
    result = resolver.resolve("¿qué hay en junio?", chosen="fr", hint="es", previous="es")
    assert result == Resolution("fr", "explicit")
    assert result.explicit_choice is None


def test_text_beats_a_disagreeing_hint(resolver: LanguageResolver) -> None:
    # A French speaker with an English phone.
    assert resolver.resolve("quoi de prévu en juin ?", hint="en-US") == Resolution("fr", "text")
    assert resolver.resolve("bonjour", hint="en", previous="en") == Resolution("fr", "text")


def test_text_beats_previous(resolver: LanguageResolver) -> None:
    assert resolver.resolve("thanks", previous="es") == Resolution("en", "text")


def test_hint_beats_previous(resolver: LanguageResolver) -> None:
    assert resolver.resolve("👍", hint="fr_FR", previous="es") == Resolution("fr", "hint")


def test_previous_beats_default(resolver: LanguageResolver) -> None:
    assert resolver.resolve("2019", previous="es") == Resolution("es", "previous")


def test_default_when_nothing_is_known() -> None:
    assert LanguageResolver(default="fr").resolve("👍") == Resolution("fr", "default")
    assert LanguageResolver().resolve("") == Resolution("en", "default")


def test_unusable_hint_falls_through(resolver: LanguageResolver) -> None:
    assert resolver.resolve("MEGA", hint="pt-BR", previous="es") == Resolution("es", "previous")
    assert resolver.resolve("MEGA", hint="de") == Resolution("en", "default")


def test_invalid_stored_languages_are_ignored(resolver: LanguageResolver) -> None:
    assert resolver.resolve("MEGA", chosen="de", previous="pt") == Resolution("en", "default")


def test_button_press_without_text(resolver: LanguageResolver) -> None:
    assert resolver.resolve("", hint="es-419") == Resolution("es", "hint")


def test_invalid_default() -> None:
    with pytest.raises(ValueError, match="default"):
        LanguageResolver(default="de")


# --- normalise_hint -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("fr_FR", "fr"),
        ("fr-CA", "fr"),
        ("fr_FR.UTF-8", "fr"),
        ("es-419", "es"),
        ("es", "es"),
        ("es_MX", "es"),
        ("pt-BR", None),
        ("de", None),
        ("ca-ES", None),
        ("", None),
        (None, None),
        ("  ", None),
    ],
)
def test_normalise_hint(locale: str | None, expected: str | None) -> None:
    assert LanguageResolver.normalise_hint(locale) == expected


# --- determinism and laziness ---------------------------------------------------------

DETERMINISM_TEXTS = [
    "hola",
    "information",
    "hotel",
    "de",
    "a",
    "mobility",
    "water parks",
    "quise enemistarme",
    "selon école",
    "reposaba",
    "nations",
    "Culture size: 250 ml.",
    "Si, ya est bien de pagar..",
    "MEGA",
    "quoi de prévu en juin ?",
]


def _fields(result: Resolution) -> list[str | None]:
    return [result.language, result.source, result.explicit_choice]


def _answers(resolver: LanguageResolver) -> list[list[object]]:
    answers: list[list[object]] = []
    for text in DETERMINISM_TEXTS:
        found = resolver.evidence(text)
        answers.append(
            [
                resolver.detect(text),
                None if found is None else [round(s, 9) for s in found.scores],
                _fields(resolver.resolve(text, hint="fr", previous="es")),
            ]
        )
    return answers


@pytest.mark.slow
def test_same_answers_in_another_process(resolver: LanguageResolver) -> None:
    code = (
        "import json, sys\n"
        "from bot.core.language import LanguageResolver\n"
        "from tests.core.test_language import _answers\n"
        "print(json.dumps(_answers(LanguageResolver())))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        for seed in ("1", "2")
    ]
    here = json.loads(json.dumps(_answers(resolver)))
    assert [json.loads(run.stdout) for run in runs] == [here, here]


def test_same_answers_twice_and_across_instances(resolver: LanguageResolver) -> None:
    assert _answers(resolver) == _answers(resolver) == _answers(LanguageResolver())


def test_nothing_is_built_before_first_use() -> None:
    resolver = LanguageResolver()
    assert resolver._tables is None
    resolver.detect("hola")
    assert resolver._tables is not None


def test_global_langdetect_factory_is_left_alone() -> None:
    from langdetect.detector_factory import DetectorFactory

    before = DetectorFactory.seed
    LanguageResolver().detect("hola")
    assert DetectorFactory.seed == before
