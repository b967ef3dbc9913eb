"""What a message leaves open: positions in a list, "it", "those", fragments, corrections and
answers, in es/en/fr."""

from __future__ import annotations

import pytest

from bot.understanding.reading import Reference
from bot.understanding.references import answer, ordinal, ordinals, read_reference


def _ref(text: str) -> Reference | None:
    tokens = text.split()
    return read_reference(tokens, tokens)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("the second one", 2), ("number 3", 3), ("no 4", 4), ("2", 2), ("the 2nd", 2),
        ("le deuxieme", 2), ("la troisieme", 3), ("et le 4e", 4), ("le dernier", -1),
        ("el segundo", 2), ("el 3", 3), ("y el 5", 5), ("la ultima", -1), ("number three", 3),
    ],
)  # fmt: skip
def test_positions(text: str, number: int) -> None:
    assert ordinal(text.split()) == number
    assert _ref(text) == Reference("nth", number)


@pytest.mark.parametrize("text", ["urban 20 summit", "in 2019", "we are 20 cities", "hola"])
def test_numbers_that_are_no_positions(text: str) -> None:
    assert ordinal(text.split()) is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("yes", "yes"), ("yes please", "yes"), ("si", "yes"), ("oui", "yes"), ("ok", "yes"),
        ("dale", "yes"), ("d accord", "yes"), ("no", "no"), ("non merci", "no"),
        ("no mejor no", "no"), ("nope", "no"), ("no quiero recibir mas mensajes", None),
        ("yes but when is the congress", None),
    ],
)  # fmt: skip
def test_answers(text: str, said: str | None) -> None:
    assert answer(text.split()) == said


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("subscribe me to it", "it"), ("follow that one", "it"), ("abonne moi a ca", "it"),
        ("je veux suivre ce projet", "it"), ("suscribeme a eso", "it"),
        ("ese proyecto sigue en marcha", "it"), ("follow all of those for me", "those"),
        ("suscribeme a todos esos", "those"), ("and in august", "ellipsis"),
        ("et pour septembre", "ellipsis"), ("y donde", "ellipsis"),
        ("what about september", "ellipsis"), ("no sorry i meant november", "correction"),
        ("non plutot en mars", "correction"), ("no el de movilidad", "correction"),
        ("the one in november", "correction"), ("y a quoi demain", None),
        ("no quiero recibir mas mensajes", None), ("what s next in june", None),
    ],
)  # fmt: skip
def test_references(text: str, kind: str | None) -> None:
    found = _ref(text)
    assert (found.kind if found else None) == kind


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("subscribe me to the first two", (1, 2)), ("les deux premiers", (1, 2)),
        ("los 3 primeros", (1, 2, 3)), ("abonne moi au premier et au troisieme", (1, 3)),
        ("suscribeme al 1 y al 3", (1, 3)), ("the second and the fourth", (2, 4)),
        ("el segundo", ()), ("urban 20 summit in 2019", ()),
    ],
)  # fmt: skip
def test_several_positions(text: str, numbers: tuple[int, ...]) -> None:
    assert ordinals(text.split()) == numbers
    if numbers:
        assert _ref(text) == Reference("nth", numbers[0], numbers)


@pytest.mark.parametrize(
    "text", ["subscribe me to both", "abonne moi aux deux", "suscribeme a los dos", "ambos"]
)
def test_both(text: str) -> None:
    assert _ref(text) == Reference("both")


@pytest.mark.parametrize(("text", "said"), [("non finalement", "no"), ("en fait non", "no")])
def test_no_said_on_second_thoughts(text: str, said: str) -> None:
    assert answer(text.split()) == said
