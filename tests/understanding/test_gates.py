"""The gate in front of the cues: a pattern it leaves out can never match."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.text import fold, split
from bot.understanding.cues import CUE_WORDS, CUES
from bot.understanding.gates import Gate, openings
from bot.understanding.references import GATED, read_reference

ROOT = Path(__file__).parents[2]


@cache
def _cue_gate() -> Gate:
    return Gate(CUES)


def _joined(text: str) -> str:
    return " ".join(split(fold(text)))


def _members_texts() -> list[str]:
    texts = [
        line.strip()
        for line in (ROOT / "bench/data/core_questions.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in sorted((ROOT / "bench/data/understanding/dev").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            texts += [entry["text"]] if "text" in entry else []
            texts += [turn["text"] for turn in entry.get("turns", [])]
    return texts


def _assert_gate_keeps_every_match(gate: Gate, joined: str) -> None:
    matching = {name for name, cue in CUES.items() if cue.search(joined)}
    assert matching <= gate.candidates(joined), joined


def test_openings_of_a_word_anchored_alternation():
    pattern = re.compile(r"\b(?:dejar? de seguir|stop (?:\w+ )?updates|no more|x\w*)\b")
    # Up to six characters; an optional part opens both ways, a word class ends the opening.
    assert openings(pattern) == {"dejar", "deja d", "stop u", "stop ", "no mor", "x"}


def test_patterns_not_anchored_at_a_word_or_opening_with_any_word_are_always_searched():
    assert openings(re.compile(r"(?:stop|quit) it")) is None  # may start inside a word
    assert openings(re.compile(r"\b(?:\w+ updates|stop)")) is None  # any word first
    assert openings(re.compile(r"\bstop", re.IGNORECASE)) is None
    gate = Gate({"any": re.compile(r"\b\w+ updates"), "stop": re.compile(r"\bstop\b")})
    assert gate.always == {"any"} and gate.candidates("hello there") == {"any"}


def test_every_cue_can_be_gated():
    assert Gate(CUES).always == frozenset()


def test_the_gate_keeps_every_cue_that_matches_what_members_wrote():
    gate = _cue_gate()
    texts = _members_texts()
    assert len(texts) > 500
    for text in texts:
        joined = _joined(text)
        _assert_gate_keeps_every_match(gate, joined)
        words = joined.split()
        for start in range(len(words)):  # and every tail of it
            _assert_gate_keeps_every_match(gate, " ".join(words[start:]))


def test_references_read_through_the_gate_are_read_as_without_it():
    gate = Gate({**CUES, **GATED})
    texts = [*_members_texts(), "and those", "y en junio eso", "abonne moi le", "the one in june"]
    for text in texts:
        tokens = _joined(text).split()
        for rest in (tokens, [t for t in tokens if t not in ("june", "junio", "juin")]):
            gated = read_reference(tokens, rest, gate.candidates(" ".join(tokens)))
            assert gated == read_reference(tokens, rest), text


_WORDS = sorted(CUE_WORDS | {"me", "my", "the", "de", "no", "a", "en", "le", "i", "y", "t"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=7))
def test_the_gate_keeps_every_cue_that_matches_cue_words_in_any_order(words: list[str]):
    _assert_gate_keeps_every_match(_cue_gate(), " ".join(words))


def test_look_arounds_take_no_room_in_an_opening():
    pattern = re.compile(r"\b(?:(?<!je )suis (?:les|tout)|(?=s)stop)\b")
    assert openings(pattern) == {"suis l", "suis t", "stop"}
