"""Which language to answer in: Spanish, English or French.

The resolver weighs, strongest first:

1. an explicit choice in this very message ("en français", "in English please",
   "/language fr", "idioma: español");
2. a choice the user made earlier and that the caller remembers (``chosen``);
3. confident evidence in the text itself;
4. the platform's hint (Telegram ``language_code``, Slack locale);
5. the language the user was last answered in (``previous``);
6. weak evidence in the text (better than a blind guess);
7. the default.

Text evidence adds up three kinds of clues, all in the same unit (roughly log-odds):

- decisive characters: ``ñ ¿ ¡ á í ó ú`` for Spanish; ``ç œ è ê à ù û ë ï î ô â « »`` and
  elisions (``l'``, ``qu'``) for French; contractions (``'s``, ``n't``) for English;
- a weighted word list per language: the bot's own vocabulary (months, weekdays,
  greetings, question and command words, "projets pilotes"…), function words and common
  words, each also under its accent-less spelling, and a few word endings (``-ción``,
  ``-eaux``, ``-ing``…) for words that are not in the lists. Words shared by two languages
  (``de``, ``la``, ``en``, ``no``…) weigh for both or not at all;
- the character n-gram profiles of ``langdetect`` for es, en and fr only. Instead of
  langdetect's random sampling (seeded or not), every n-gram of the text is scored once
  (the same naive-Bayes model and smoothing, exhaustively), which is deterministic by
  construction and an order of magnitude faster (see docs/benchmarks.md); its weight is
  capped per word so that an unknown word or two cannot outvote the platform hint.

Names, numbers, emoji, slugs, URLs, commands and punctuation carry no evidence:
"MEGA", "METROAirports", "2019", "👍", "Local2030", "GOLD V" and "/start" leave the
language in force. Nothing is built at import time: each resolver loads its word lists
and n-gram profiles on first use.

The word lists, endings, letter groups, decisive characters, plan names and the phrases of
an explicit choice are data, kept in :mod:`bot.core.language_data`; this module holds the
tuning factors and the algorithm.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from bot.core.language_data import (
    CHAR_WEIGHTS,
    CHOICE_PATTERNS,
    ENDINGS,
    INFIX_STARTS,
    INFIXES,
    LANGUAGE_CODES,
    LANGUAGE_NAMES,
    LONGEST_ENDING,
    PLAN_NAMES,
    POLITE,
    VOCABULARY,
)
from bot.core.text import fold as _fold  # the shared folding: lower case, no accents

__all__ = ["LANGUAGES", "Evidence", "LanguageResolver", "Resolution"]

LANGUAGES: tuple[str, ...] = ("es", "en", "fr")
"""The languages the bot answers in, in a fixed order (also the order of score vectors)."""

_ES, _EN, _FR = 0, 1, 2
_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}

# Margin (in the score's log-odds-like unit) from which text evidence is confident enough to
# override the platform hint or the previous language. One strong word ("hola", "merci",
# "junio", "thanks") weighs 3, an ordinary distinctive word 2, a weak one 1.
CONFIDENT_MARGIN = 2.5

# Weight of the character n-gram model: its log-likelihoods are multiplied by this and its
# margin is capped at this many points per word (an unknown word alone is never confident).
_NGRAM_SCALE = 0.15
_NGRAM_CAP_PER_WORD = 1.0
# Above this margin, vocabulary and characters alone decide; the n-gram model is skipped.
_DECISIVE_MARGIN = 8.0
# langdetect's smoothing: alpha / BASE_FREQ with alpha = 0.5.
_NGRAM_SMOOTHING = 0.5 / 10000
# An accent-less spelling of an accented word ("proximos") counts this much of the word.
_FOLDED_FACTOR = 0.8
# ... and only this much when the accent-less spelling is itself a listed word ("themes").
_SHADOWED_FACTOR = 0.4
# A plural found through its singular ("problems" -> "problem") counts this much.
_PLURAL_FACTOR = 0.8


@dataclass(frozen=True, slots=True)
class Resolution:
    """The language to answer in and why.

    Attributes:
        language: ``"es"``, ``"en"`` or ``"fr"``.
        source: What decided it: ``"explicit"`` (a choice in this message or a remembered
            one), ``"text"``, ``"hint"`` (the platform's locale), ``"previous"`` (the last
            reply's language) or ``"default"``.
        explicit_choice: The language chosen by THIS message ("en français", "/language
            fr"), so the caller can remember it; ``None`` otherwise.
    """

    language: str
    source: str
    explicit_choice: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the text alone says about its language.

    Attributes:
        language: The best-scoring language.
        margin: How far ahead of the runner-up it is (0 means a tie).
        confident: Whether the margin is large enough to beat a platform hint.
        scores: The score of each language, in the order of :data:`LANGUAGES`.
    """

    language: str
    margin: float
    confident: bool
    scores: tuple[float, float, float]


# CHAR_WEIGHTS by score index: decisive character -> (language index, weight).
_CHAR_WEIGHTS: dict[str, tuple[int, float]] = {
    ch: (_INDEX[lang], weight) for ch, (lang, weight) in CHAR_WEIGHTS.items()
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
_LOCALE_SEPARATOR = re.compile(r"[-_.@\s]")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\S*\d\S*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u0092": "'"})
# Cheap tests that let most messages skip a regular expression that could not match: _URL
# needs "@", "#", "://" or "www."; the decisive characters are found in one C-level scan.
_WWW = re.compile(r"www\.", re.IGNORECASE)
_DECISIVE = re.compile("[" + "".join(_CHAR_WEIGHTS) + "]")

# Explicit choices ---------------------------------------------------------------------

_FOLD_WORDS = re.compile(r"[\w/]+")
# A request ends with the language's name or code, then only these words ("english please").
_POLITE_WORDS = frozenset(POLITE.replace("|", " ").split())
_CHOICE_WORDS = frozenset(
    word for lang in LANGUAGES for word in (*LANGUAGE_NAMES[lang], *LANGUAGE_CODES[lang])
)


def _has_marks(word: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


class _Tables:
    """The word lists, endings and n-gram profiles, built once per resolver."""

    def __init__(self, extra_names: Iterable[str]) -> None:
        exact: dict[str, list[float]] = {}
        plain: dict[str, list[float]] = {}
        for lang, tiers in VOCABULARY.items():
            index = _INDEX[lang]
            for weight, block in tiers.items():
                for raw in block.split():
                    word = raw.translate(_APOSTROPHES).lower()
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
            if (found := _lookup(word, self)) is not None
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
        weights = tuple((_INDEX[items[i]], float(items[i + 1])) for i in range(0, len(items), 2))
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


class LanguageResolver:
    """Decides which of es, en, fr to answer a message in.

    Thread-safe; builds its tables on first use (some 40 ms and 6 MB), not at import.

    Args:
        default: The language when nothing else says anything.
        names: Extra proper names (project names, acronyms) that carry no language
            evidence, in addition to the work plan's own ("MEGA", "GOLD V", "Urban 20"…).
    """

    def __init__(self, default: str = "en", *, names: Iterable[str] = ()) -> None:
        if default not in LANGUAGES:
            raise ValueError(f"default must be one of {LANGUAGES}, got {default!r}")
        self.default = default
        self._names = tuple(names)
        self._tables: _Tables | None = None
        self._lock = threading.Lock()

    # Public API -------------------------------------------------------------------------

    def explicit_choice(self, text: str) -> str | None:
        """The language this message explicitly asks for, if it is such a request.

        Understands "/language fr", "language: es", "en español por favor", "in English
        please", "en français", "parle français", "habla español", "speak english",
        "english please", "français svp", a bare "English" or "Español" (a button label),
        "switch to French", "je préfère le français"… in any of the three languages and
        with or without accents. The whole message must be the request: "what is MEGA in
        French?" is not one.

        Args:
            text: The message as typed.

        Returns:
            ``"es"``, ``"en"`` or ``"fr"``, or ``None``.
        """
        if len(text) > 120:  # a request for a language is short
            return None
        words = _FOLD_WORDS.findall(_fold(_plain_apostrophes(text)))
        # Most messages do not end with a language's name or code (then only polite
        # words): no need to try the patterns.
        for word in reversed(words):
            if word.lstrip("/") in _CHOICE_WORDS:
                break
            if word not in _POLITE_WORDS:
                return None
        else:
            return None
        folded = " ".join(words)
        if len(folded) > 80:
            return None
        for pattern, lang in self._get_tables().choices:
            if pattern.fullmatch(folded):
                return lang
        return None

    def evidence(self, text: str) -> Evidence | None:
        """What the text alone says about its language, with a margin.

        Args:
            text: The message as typed.

        Returns:
            The best language and its margin, or ``None`` when the text carries no
            evidence at all (only names, numbers, emoji, URLs, commands or punctuation).
        """
        tables = self._get_tables()
        lexical = _lexical(text, tables)
        if lexical is None:
            return None
        found = _conclude(*lexical, tables)
        if found is None:
            return None
        best, margin, confident, scores = found
        return Evidence(LANGUAGES[best], margin, confident, scores)

    def detect(self, text: str) -> str | None:
        """The language of ``text`` judged from the text alone.

        Args:
            text: The message as typed.

        Returns:
            ``"es"``, ``"en"`` or ``"fr"`` (the best guess, however weak), or ``None`` when
            the text carries no evidence (names, numbers, emoji, slugs, URLs, punctuation)
            or the evidence is an exact tie.
        """
        found = self.evidence(text)
        if found is None or found.margin <= 0.0:
            return None
        return found.language

    def resolve(
        self,
        text: str,
        *,
        chosen: str | None = None,
        hint: str | None = None,
        previous: str | None = None,
    ) -> Resolution:
        """Pick the language to answer ``text`` in.

        Args:
            text: The message as typed (empty for a button press).
            chosen: A language the user explicitly chose earlier, if any (sticky).
            hint: The platform's locale for the user ("fr_FR", "en-US", "es-419"…),
                normalised here; anything but es, en or fr is ignored.
            previous: The language the user was last answered in, if any.

        Returns:
            The language and what decided it. ``explicit_choice`` is set only when this
            message itself is an explicit choice.
        """
        choice = self.explicit_choice(text) if text else None
        if choice is not None:
            return Resolution(choice, "explicit", choice)
        if chosen in LANGUAGES:
            return Resolution(chosen, "explicit")
        normalised = self.normalise_hint(hint)
        tables = self._get_tables()
        found: tuple[int, float, bool, tuple[float, float, float]] | None = None
        lexical = _lexical(text, tables) if text else None
        if lexical is not None:
            scores, count, lookups, _ = lexical
            margin = _margin(scores)
            if not lookups or margin >= _DECISIVE_MARGIN:
                found = _conclude(*lexical, tables)  # no n-grams to score
            # The n-grams lower each score by at most their cap: a larger lead (with room
            # for rounding) stands ...
            elif margin >= CONFIDENT_MARGIN and margin > len(lookups) * _NGRAM_CAP_PER_WORD + 1e-6:
                return Resolution(LANGUAGES[_best(scores)], "text")
            # ... and short text without that lead is never confident: if the hint or the
            # previous language decides, the n-grams need not be scored.
            elif (
                margin >= CONFIDENT_MARGIN
                or count >= 3
                or (normalised is None and previous not in LANGUAGES)
            ):
                found = _conclude(*lexical, tables)
        if found is not None and found[2]:
            return Resolution(LANGUAGES[found[0]], "text")
        if normalised is not None:
            return Resolution(normalised, "hint")
        if previous in LANGUAGES:
            return Resolution(previous, "previous")
        if found is not None and found[1] > 0.0:
            return Resolution(LANGUAGES[found[0]], "text")
        return Resolution(self.default, "default")

    @staticmethod
    def normalise_hint(locale: str | None) -> str | None:
        """Reduce a platform locale to es, en or fr.

        Args:
            locale: "en-US", "fr_FR", "es-419", "EN", "fr_CA.UTF-8"… or ``None``.

        Returns:
            ``"es"``, ``"en"`` or ``"fr"``, or ``None`` for any other language ("pt-BR")
            or an empty or missing locale.
        """
        if not locale:
            return None
        primary = _LOCALE_SEPARATOR.split(locale.strip(), maxsplit=1)[0].lower()
        return primary if primary in LANGUAGES else None

    def warm_up(self) -> None:
        """Build the word tables and n-gram profiles now (~0.3 s), not on the first message."""
        self._get_tables()

    # Internals ----------------------------------------------------------------------------

    def _get_tables(self) -> _Tables:
        tables = self._tables
        if tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = _Tables(self._names)
                tables = self._tables
        return tables


_Lexical = tuple[tuple[float, float, float], int, list[str], bool]
"""What the words and characters say: scores, number of words, the words for the n-gram
model and whether anything counted at all."""


def _lexical(text: str, tables: _Tables) -> _Lexical | None:
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
                vector = _lookup(part, tables)  # an accented spelling of a listed word?
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


def _conclude(
    lexical: tuple[float, float, float],
    count: int,
    lookups: list[str],
    found: bool,
    tables: _Tables,
) -> tuple[int, float, bool, tuple[float, float, float]] | None:
    """Add the n-gram model to the lexical scores when they are not decisive.

    Returns:
        The best language's index, its margin, whether it is confident and the scores,
        or ``None`` when nothing in the text counted.
    """
    es, en, fr = lexical
    lexical_margin = _margin(lexical)
    if lexical_margin < _DECISIVE_MARGIN and lookups:
        ngram = _ngram_scores(lookups, tables.windows)
        if ngram is not None:
            found = True
            es += ngram[0]
            en += ngram[1]
            fr += ngram[2]
    if not found:
        return None
    scores = (es, en, fr)
    margin = _margin(scores)
    best = _best(scores)
    # Confident: the known words and characters alone say so, or the text is long
    # enough (three words or more) for the n-gram statistics to count as well.
    confident = (_best(lexical) == best and lexical_margin >= CONFIDENT_MARGIN) or (
        count >= 3 and margin >= CONFIDENT_MARGIN
    )
    return best, margin, confident, scores


def _plain_apostrophes(text: str) -> str:
    """``text`` with its apostrophes made plain (translating is slow; most have none)."""
    if "’" in text or "`" in text or "‘" in text or "´" in text or "\u0092" in text:
        return text.translate(_APOSTROPHES)
    return text


def _strip_names(text: str, tables: _Tables) -> str:
    """``text`` without URLs, e-mail addresses, @mentions, #tags, a leading /command and
    the plan's names, with its apostrophes made plain."""
    text = _plain_apostrophes(text[:_MAX_CHARS])
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


def _lookup(word: str, tables: _Tables) -> tuple[float, ...] | None:
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


def _lookup_form(word: str, tables: _Tables) -> tuple[float, ...] | None:
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
            clues.append((_INDEX[lang], weight))
            return clues
    for letters, lang, weight in INFIXES:
        if letters in word:
            clues.append((_INDEX[lang], weight))
            break
    return clues


def _ngram_scores(
    words: list[str], windows: dict[str, tuple[tuple[float, float, float], ...]]
) -> tuple[float, float, float] | None:
    """langdetect's naive-Bayes log-likelihoods over every 1-3-gram of ``words``.

    Scaled by ``_NGRAM_SCALE`` and with a spread capped at ``_NGRAM_CAP_PER_WORD`` per
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
    cap = _NGRAM_CAP_PER_WORD * len(words)
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


def _margin(scores: tuple[float, float, float]) -> float:
    """How far the best score is ahead of the second best."""
    a, b, c = scores
    if a < b:
        a, b = b, a
    if c > a:
        return c - a
    return a - (c if c > b else b)


def _best(scores: tuple[float, float, float]) -> int:
    """The index of the best score; the first one on a tie."""
    a, b, c = scores
    if c > a and c > b:
        return 2
    return 1 if b > a else 0
