"""The tables the language resolver weighs text with, built once per resolver: the weighted
word lists (and their accent-less spellings and plurals), the plan's names, the phrases of
an explicit choice, the word endings and langdetect's n-gram profiles for es, en and fr.
The data itself is in :mod:`bot.core.language_data`; the scoring in
:mod:`bot.core.language_scoring`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

from bot.core.language_data import (
    CHOICE_PATTERNS,
    ENDINGS,
    LANGUAGE_CODES,
    LANGUAGE_NAMES,
    PLAN_NAMES,
    POLITE,
    VOCABULARY,
)
from bot.core.text import fold as _fold  # the shared folding: lower case, no accents

__all__ = ["APOSTROPHES", "INDEX", "LANGUAGES", "Tables", "lookup", "plain_apostrophes"]

LANGUAGES: tuple[str, ...] = ("es", "en", "fr")
"""The languages the bot answers in, in a fixed order (also the order of score vectors)."""

INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u0092": "'"})

# langdetect's smoothing: alpha / BASE_FREQ with alpha = 0.5.
_NGRAM_SMOOTHING = 0.5 / 10000
# An accent-less spelling of an accented word ("proximos") counts this much of the word.
_FOLDED_FACTOR = 0.8
# ... and only this much when the accent-less spelling is itself a listed word ("themes").
_SHADOWED_FACTOR = 0.4
# A plural found through its singular ("problems" -> "problem") counts this much.
_PLURAL_FACTOR = 0.8


def _has_marks(word: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


class Tables:
    """The word lists, endings and n-gram profiles, built once per resolver."""

    def __init__(self, extra_names: Iterable[str]) -> None:
        exact: dict[str, list[float]] = {}
        plain: dict[str, list[float]] = {}
        for lang, tiers in VOCABULARY.items():
            index = INDEX[lang]
            for weight, block in tiers.items():
                for raw in block.split():
                    word = raw.translate(APOSTROPHES).lower()
                    _raise(exact, word, index, weight)
                    folded = _fold(word)
                    if folded != word and len(folded) >= 4:
                        _raise(plain, folded, index, weight)
        self.exact = {w: tuple(v) for w, v in exact.items()}
        # Accent-less spellings of accented words: "proximos", "evenements", "aout".
        self.plain = {w: tuple(v) for w, v in plain.items()}
        given = [n.strip().lower() for n in (*PLAN_NAMES, *extra_names) if n.strip()]
        names = sorted({*given, *(_fold(n) for n in given)}, key=len)
        alternatives = "|".join(
            r"\s*".join(re.escape(part) for part in name.split()) for name in reversed(names)
        )
        self.names = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if names else None
        )
        choices: list[tuple[re.Pattern[str], str]] = []
        for lang, spelled in LANGUAGE_NAMES.items():
            name = "(?:" + "|".join(spelled) + ")"
            code = "(?:" + "|".join((*spelled, *LANGUAGE_CODES[lang])) + ")"
            body = "|".join(p.format(name=name, code=code) for p in CHOICE_PATTERNS)
            polite = rf"(?:{POLITE})"
            choices.append((re.compile(rf"(?:{polite} )*/?(?:{body})(?: {polite})*"), lang))
        self.choices = tuple(choices)
        self.ngrams = _load_ngram_profiles()
        self.endings = _parse_endings(ENDINGS)
        # _lookup's answer for every word it can find without folding (the listed words,
        # their accent-less spellings and their plurals): one dict look-up per word.
        self.known = {
            word: found
            for stem in (*self.exact, *self.plain)
            for word in (stem, stem + "s", stem + "x", stem + "es")
            if (found := lookup(word, self)) is not None
        }
        self.windows = _ngram_windows(self.ngrams)


def _ngram_windows(
    table: dict[str, tuple[float, float, float]],
) -> dict[str, tuple[tuple[float, float, float], ...]]:
    """Gram -> the scores of the grams of a text that end where it ends, in the order
    _ngram_scores adds them: the 1-gram, the 2-gram, then the 3-gram (a lone space does
    not count). One look-up per position of a word instead of three."""
    windows: dict[str, tuple[tuple[float, float, float], ...]] = {}
    for gram in table:
        suffixes = (gram[-1:], gram[-2:], gram)[: len(gram)]
        found = tuple(table[g] for g in suffixes if g != " " and g in table)
        if found:
            windows[gram] = found
    return windows


def _parse_endings(text: str) -> dict[str, tuple[int, tuple[tuple[int, float], ...]]]:
    """Read the ``ENDINGS`` table: ending -> (shortest word, ((language index, weight), ...))."""
    endings: dict[str, tuple[int, tuple[tuple[int, float], ...]]] = {}
    for entry in re.findall(r"(\S+) (\d+)((?: (?:es|en|fr) [\d.]+)+)", text):
        ending, shortest, pairs = entry
        items = pairs.split()
        weights = tuple((INDEX[items[i]], float(items[i + 1])) for i in range(0, len(items), 2))
        endings[ending] = (int(shortest), weights)
    return endings


def _raise(table: dict[str, list[float]], word: str, index: int, weight: float) -> None:
    scores = table.setdefault(word, [0.0, 0.0, 0.0])
    scores[index] = max(scores[index], weight)


def _load_ngram_profiles() -> dict[str, tuple[float, float, float]]:
    """langdetect's n-gram profiles for es, en and fr, as smoothed log-probabilities.

    A private, seeded ``DetectorFactory`` holding only the three profiles computes the
    per-language probability of each 1-3-gram exactly as langdetect does; the global
    factory that ``langdetect.detect`` uses is left alone.
    """
    from langdetect.detector_factory import DetectorFactory

    profiles = resources.files("langdetect") / "profiles"
    factory = DetectorFactory()
    factory.seed = 0
    factory.load_json_profile([(profiles / lang).read_text(encoding="utf-8") for lang in LANGUAGES])
    order = [factory.langlist.index(lang) for lang in LANGUAGES]
    table: dict[str, tuple[float, float, float]] = {}
    for gram, probs in factory.word_lang_prob_map.items():
        # Text is lower-cased before scoring, so the capitalised n-grams never match.
        if gram == gram.lower():
            es, en, fr = (math.log(probs[i] + _NGRAM_SMOOTHING) for i in order)
            table[gram] = (es, en, fr)
    return table


def lookup(word: str, tables: Tables) -> tuple[float, ...] | None:
    """The vocabulary's scores for one lower-cased word, or ``None`` if it is unknown.

    An exact spelling counts in full. A word typed without accents also counts, less, for
    the accented words it could stand for ("proximos" for "próximos"), and less still when
    it is itself a word of some language ("themes" is English; "thèmes" French). A word
    typed with accents counts only for words with the same letters and some accents
    ("évènements" for "événements"). Finally a plural is tried as its singular.
    """
    found = _lookup_form(word, tables)
    if found is None and len(word) >= 5 and word.endswith(("s", "x")):
        for stem in (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],):
            singular = _lookup_form(stem, tables)
            if singular is not None:
                return tuple(w * _PLURAL_FACTOR for w in singular)
    return found


def _lookup_form(word: str, tables: Tables) -> tuple[float, ...] | None:
    exact = tables.exact.get(word)
    if _has_marks(word):
        if exact is not None:
            return exact
        folded = tables.plain.get(_fold(word))
        return None if folded is None else tuple(w * _FOLDED_FACTOR for w in folded)
    folded = tables.plain.get(word)
    if folded is None:
        return exact
    if exact is None:
        return tuple(w * _FOLDED_FACTOR for w in folded)
    return tuple(max(a, b * _SHADOWED_FACTOR) for a, b in zip(exact, folded, strict=True))


def plain_apostrophes(text: str) -> str:
    """``text`` with its apostrophes made plain (translating is slow; most have none)."""
    if "’" in text or "`" in text or "‘" in text or "´" in text or "\u0092" in text:
        return text.translate(APOSTROPHES)
    return text
