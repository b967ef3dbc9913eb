"""How a text scores for es, en and fr: decisive characters, elisions and contractions, the
weighted words (through :class:`~bot.core.language_tables.Tables`), the endings of unknown
words and, when those are not decisive, langdetect's n-gram model scored exhaustively.
Scores are in one unit, roughly log-odds; :mod:`bot.core.language` decides with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.core.language_data import CHAR_WEIGHTS, INFIX_STARTS, INFIXES, LONGEST_ENDING
from bot.core.language_tables import INDEX, Tables, lookup, plain_apostrophes

__all__ = [
    "CONFIDENT_MARGIN",
    "DECISIVE_MARGIN",
    "NGRAM_CAP_PER_WORD",
    "Lexical",
    "best_of",
    "conclude",
    "lexical_scores",
    "margin_of",
]

_ES, _EN, _FR = 0, 1, 2

# Margin (in the score's log-odds-like unit) from which text evidence is confident enough to
# override the platform hint or the previous language. One strong word ("hola", "merci",
# "junio", "thanks") weighs 3, an ordinary distinctive word 2, a weak one 1.
CONFIDENT_MARGIN = 2.5

# Weight of the character n-gram model: its log-likelihoods are multiplied by this and its
# margin is capped at this many points per word (an unknown word alone is never confident).
_NGRAM_SCALE = 0.15
NGRAM_CAP_PER_WORD = 1.0
# Above this margin, vocabulary and characters alone decide; the n-gram model is skipped.
DECISIVE_MARGIN = 8.0
# CHAR_WEIGHTS by score index: decisive character -> (language index, weight).
_CHAR_WEIGHTS: dict[str, tuple[int, float]] = {
    ch: (INDEX[lang], weight) for ch, (lang, weight) in CHAR_WEIGHTS.items()
}
_CHAR_CAP = 6.0  # per language, so a long accented text does not drown the rest

# French elisions (l'été, qu'il) and English contractions (what's, don't).
_ELISION = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu|quelqu|presqu)'(?=\w)")
_CONTRACTION = re.compile(r"(?<=\w)'(?:s|t|re|ve|ll|d|m)$")
_APOSTROPHE_WEIGHT = 2.0

_SENTENCE_ENDS = frozenset(".!?¿¡:;\n…•")
_CAMEL_CASE = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
# Only the start of a very long message is read: it is plenty to tell the language.
_MAX_CHARS = 1000
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+", re.IGNORECASE)
_COMMAND = re.compile(r"^/\w+(?:@\w+)?")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\S*\d\S*")
# Cheap tests that let most messages skip a regular expression that could not match: _URL
# needs "@", "#", "://" or "www."; the decisive characters are found in one C-level scan.
_WWW = re.compile(r"www\.", re.IGNORECASE)
_DECISIVE = re.compile("[" + "".join(_CHAR_WEIGHTS) + "]")

Lexical = tuple[tuple[float, float, float], int, list[str], bool]
"""What the words and characters say: scores, number of words, the words for the n-gram
model and whether anything counted at all."""


def lexical_scores(text: str, tables: Tables) -> Lexical | None:
    """Score ``text`` on its characters and words; ``None`` when it has neither."""
    cleaned = _strip_names(text, tables)
    words = _words(cleaned)
    chars = [0.0, 0.0, 0.0]
    found = False
    for ch in _DECISIVE.findall(cleaned.lower()):
        index, weight = _CHAR_WEIGHTS[ch]
        chars[index] += weight
        found = True
    if not words and not found:
        return None
    scores = [0.0, 0.0, 0.0]
    lookups: list[str] = []
    seen: set[str] = set()
    known = tables.known
    for word, caps in words:
        if "'" in word:
            elided = _ELISION.match(word)
            if elided:
                scores[_FR] += _APOSTROPHE_WEIGHT
                found = True
                word = word[elided.end() :]
            contracted = _CONTRACTION.search(word)
            if contracted:
                scores[_EN] += _APOSTROPHE_WEIGHT
                found = True
                stem, suffix = word[: contracted.start()], word[contracted.start() + 1 :]
                word = "" if suffix == "t" and stem.endswith("n") else stem
            parts: list[str] | tuple[str] = word.split("'")
        else:
            parts = (word,)
        for part in parts:
            if not part:
                continue
            if part in seen:
                # A repeated word (often a name: "Knowledge @ Wharton" four times)
                # counts once, except through the n-grams.
                if not caps:
                    lookups.append(part)
                continue
            seen.add(part)
            vector = known.get(part)
            if vector is None and not part.isascii():
                vector = lookup(part, tables)  # an accented spelling of a listed word?
            if vector is not None:
                scores[0] += vector[0]
                scores[1] += vector[1]
                scores[2] += vector[2]
                found = True
            elif not caps:
                for index, weight in _shape(part, tables.endings):
                    scores[index] += weight
                    found = True
            if not caps:
                lookups.append(part)
    es, en, fr = scores
    if chars[0] or chars[1] or chars[2]:  # (a score is never -0.0: adding 0.0 is a no-op)
        es += min(chars[0], _CHAR_CAP)
        en += min(chars[1], _CHAR_CAP)
        fr += min(chars[2], _CHAR_CAP)
    return (es, en, fr), len(words), lookups, found


def conclude(
    lexical: tuple[float, float, float],
    count: int,
    lookups: list[str],
    found: bool,
    tables: Tables,
) -> tuple[int, float, bool, tuple[float, float, float]] | None:
    """Add the n-gram model to the lexical scores when they are not decisive.

    Returns:
        The best language's index, its margin, whether it is confident and the scores,
        or ``None`` when nothing in the text counted.
    """
    es, en, fr = lexical
    lexical_margin = margin_of(lexical)
    if lexical_margin < DECISIVE_MARGIN and lookups:
        ngram = _ngram_scores(lookups, tables.windows)
        if ngram is not None:
            found = True
            es += ngram[0]
            en += ngram[1]
            fr += ngram[2]
    if not found:
        return None
    scores = (es, en, fr)
    margin = margin_of(scores)
    best = best_of(scores)
    # Confident: the known words and characters alone say so, or the text is long
    # enough (three words or more) for the n-gram statistics to count as well.
    confident = (best_of(lexical) == best and lexical_margin >= CONFIDENT_MARGIN) or (
        count >= 3 and margin >= CONFIDENT_MARGIN
    )
    return best, margin, confident, scores


def _strip_names(text: str, tables: Tables) -> str:
    """``text`` without URLs, e-mail addresses, @mentions, #tags, a leading /command and
    the plan's names, with its apostrophes made plain."""
    text = plain_apostrophes(text[:_MAX_CHARS])
    if "@" in text or "#" in text or "://" in text or ("." in text and _WWW.search(text)):
        text = _URL.sub(" ", text)
    text = text.lstrip()
    if text.startswith("/"):
        text = _COMMAND.sub(" ", text)
    if tables.names is not None:
        text = tables.names.sub(" ", text)
    return text


def _words(text: str) -> list[tuple[str, bool]]:
    """The words of ``text`` that may carry evidence, lower-cased, with a name-like flag.

    Drops anything with a digit (dates, slugs like "local2030"), CamelCase names
    ("METROAirports") and all-caps words of up to three letters ("MEGA" is a plan name;
    "UN", "AI" are acronyms). Longer all-caps words and capitalised words inside a
    sentence are kept but flagged as possible names: they count through the word lists
    only ("HOLA", "MERCI", "June"), not through endings or n-grams.
    """
    words: list[tuple[str, bool]] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        after = previous_end
        previous_end = match.end()
        token = match.group().strip("'")
        if not token:
            continue
        if not token.isalpha() and any(ch.isdigit() for ch in token):
            continue
        if token.islower():  # the common case: no capital, so no name and no CamelCase
            words.append((token.lower(), False))
        elif token.isupper() and len(token) > 1:
            if len(token) > 3:
                words.append((token.lower(), True))
        elif _CAMEL_CASE.search(token):
            continue
        elif (
            token[0].isupper()
            and after >= 0
            and _SENTENCE_ENDS.isdisjoint(text[after : match.start()])
        ):
            # Capitalised inside a sentence: most likely a name ("Toulouse", "Rick").
            words.append((token.lower(), True))
        else:
            words.append((token.lower(), False))
    return words


def _shape(
    word: str, endings: dict[str, tuple[int, tuple[tuple[int, float], ...]]]
) -> list[tuple[int, float]]:
    """Clues from the spelling of an unknown word: its ending and a telling letter group."""
    clues: list[tuple[int, float]] = []
    for cut in range(min(len(word) - 1, LONGEST_ENDING), 0, -1):
        ending = endings.get(word[-cut:])
        if ending is not None and len(word) >= ending[0]:
            clues.extend(ending[1])
            break
    for start, lang, weight in INFIX_STARTS:
        if word.startswith(start):
            clues.append((INDEX[lang], weight))
            return clues
    for letters, lang, weight in INFIXES:
        if letters in word:
            clues.append((INDEX[lang], weight))
            break
    return clues


def _ngram_scores(
    words: list[str], windows: dict[str, tuple[tuple[float, float, float], ...]]
) -> tuple[float, float, float] | None:
    """langdetect's naive-Bayes log-likelihoods over every 1-3-gram of ``words``.

    Scaled by ``_NGRAM_SCALE`` and with a spread capped at ``NGRAM_CAP_PER_WORD`` per
    word, shifted so that the best language scores 0.
    """
    # The grams are added one by one in a fixed order (word by word, then by where they
    # end, shortest first), so that the sums are the same to the last bit every time.
    es = en = fr = 0.0
    seen = False
    get = windows.get
    for word in words:
        for found in _position_grams(f" {word} ", get):
            if found is not None:
                seen = True
                for a, b, c in found:
                    es += a
                    en += b
                    fr += c
    if not seen:
        return None
    top = max(es, en, fr)
    scores = [(es - top) * _NGRAM_SCALE, (en - top) * _NGRAM_SCALE, (fr - top) * _NGRAM_SCALE]
    spread = -min(scores)
    cap = NGRAM_CAP_PER_WORD * len(words)
    if spread > cap:
        factor = cap / spread
        scores = [s * factor for s in scores]
    return scores[0], scores[1], scores[2]


def _position_grams(
    padded: str, get: Callable[[str], tuple[tuple[float, float, float], ...] | None]
) -> Iterator[tuple[tuple[float, float, float], ...] | None]:
    """The precombined grams of each position of ``padded`` (" word "), in order.

    The first position has only its 2-gram and 1-gram; every later one is the window that
    ends there: its own 3-gram if the table has it, or else its 2-gram, or its 1-gram.
    """
    yield get(padded[:2]) or get(padded[1])
    for start in range(len(padded) - 2):
        window = padded[start : start + 3]
        yield get(window) or get(window[1:]) or get(window[2])


def margin_of(scores: tuple[float, float, float]) -> float:
    """How far the best score is ahead of the second best."""
    a, b, c = scores
    if a < b:
        a, b = b, a
    if c > a:
        return c - a
    return a - (c if c > b else b)


def best_of(scores: tuple[float, float, float]) -> int:
    """The index of the best score; the first one on a tie."""
    a, b, c = scores
    if c > a and c > b:
        return 2
    return 1 if b > a else 0
