"""Phone shorthand spelled out per language; misspellings put back to known words only."""

from __future__ import annotations

import pytest

from bot.understanding.spelling import Speller, expand


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "q hay d nuevo xfa", "que hay de nuevo por favor"),
        ("es", "dnd es pal mes q viene", "donde es para el mes que viene"),
        ("en", "wat r u doing pls", "what are you doing please"),
        ("en", "whats on nxt wk", "what s on next week"),
        ("fr", "c koi le prochain evt stp", "c quoi le prochain event s il te plait"),
        ("fr", "jsp qd c", "je sais pas quand c"),
    ],
)
def test_shorthand_of_each_language(language: str, text: str, expected: str) -> None:
    assert " ".join(expand(text.split(), language)) == expected


def test_shorthand_of_another_language_is_left_alone() -> None:
    # "d" is "de" to a Spanish speaker; an English message keeps it.
    assert expand(["d", "q"], "en") == ["d", "q"]


@pytest.fixture
def speller() -> Speller:
    targets = ["proyectos", "mega", "metroairports", "subscribe", "evenements", "junio"]
    return Speller(known=[*targets, "paris", "hotel"], targets=targets)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("proyctos", "proyectos"),  # a letter missing
        ("megga", "mega"),  # one too many
        ("metroairprots", "metroairports"),  # two swapped: one edit
        ("subscibe", "subscribe"),
        ("evenemnts", "evenements"),
        ("jnuio", "junio"),
    ],
)
def test_misspellings_are_put_back(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


@pytest.mark.parametrize("word", ["tokio", "bogota", "taxi", "lima", "mga", "2019"])
def test_unknown_words_far_from_everything_stay(speller: Speller, word: str) -> None:
    assert speller.correct(word) == word


def test_known_words_are_never_changed(speller: Speller) -> None:
    assert speller.correct("paris") == "paris" and speller.correct("hotel") == "hotel"
