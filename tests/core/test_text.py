"""Text folding: the per-character table gives what whole-text NFKD folding gives."""

from __future__ import annotations

import random
import unicodedata

import pytest

from bot.core.text import fold, split, words


def _reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize(
    "text",
    [
        "Congrès MONDIAL",
        "¿Qué hay en JUNIO?",
        "Ação — ﬁn ǅ ΑΣ ΣΑ İstanbul Straße",
        "한국어 e\u0301\u0327 a\u0323\u0302 \u1e09",
        "plain ascii, 2019!",
        "",
    ],
)
def test_fold_matches_whole_text_normalisation(text: str) -> None:
    assert fold(text) == _reference(text)


def test_fold_matches_on_every_basic_plane_character() -> None:
    for code in range(0x10000):
        char = chr(code)
        assert fold.__wrapped__(char) == _reference(char), hex(code)


def test_fold_matches_on_mixed_strings() -> None:
    # Runs of combining marks (reordered by NFKD), Hangul, ligatures, final sigma.
    pool = [
        chr(c)
        for c in [
            *range(0x20, 0x250),
            *range(0x300, 0x370),
            *range(0x1100, 0x1200),
            *range(0xAC00, 0xAC40),
            *range(0x1E00, 0x1F00),
            *range(0xFB00, 0xFB10),
            0x3A3,
            0x345,
            0x1DC0,
            0xFF21,
            0x2460,
        ]
    ]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert fold.__wrapped__(text) == _reference(text), ascii(text)


def test_split_is_words_of_folded_text() -> None:
    text = "¿Qué hay en l'été 2019?"
    assert split(fold(text)) == words(text) == ["que", "hay", "en", "l", "ete", "2019"]
