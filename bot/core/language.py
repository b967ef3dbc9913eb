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
an explicit choice are data, kept in :mod:`bot.core.language_data`; the tables built from
them are :mod:`bot.core.language_tables`, the scoring of a text (and its tuning factors)
:mod:`bot.core.language_scoring`; this module decides, from the scores and the other signals.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.language_data import LANGUAGE_CODES, LANGUAGE_NAMES, POLITE
from bot.core.language_scoring import (
    CONFIDENT_MARGIN,
    DECISIVE_MARGIN,
    NGRAM_CAP_PER_WORD,
    best_of,
    conclude,
    lexical_scores,
    margin_of,
)
from bot.core.language_tables import LANGUAGES, Tables, plain_apostrophes
from bot.core.text import fold as _fold  # the shared folding: lower case, no accents

__all__ = ["CONFIDENT_MARGIN", "LANGUAGES", "Evidence", "LanguageResolver", "Resolution"]

_LOCALE_SEPARATOR = re.compile(r"[-_.@\s]")


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


# Explicit choices ---------------------------------------------------------------------

_FOLD_WORDS = re.compile(r"[\w/]+")
# A request ends with the language's name or code, then only these words ("english please").
_POLITE_WORDS = frozenset(POLITE.replace("|", " ").split())
_CHOICE_WORDS = frozenset(
    word for lang in LANGUAGES for word in (*LANGUAGE_NAMES[lang], *LANGUAGE_CODES[lang])
)


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
        self._tables: Tables | None = None
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
        words = _FOLD_WORDS.findall(_fold(plain_apostrophes(text)))
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
        lexical = lexical_scores(text, tables)
        if lexical is None:
            return None
        found = conclude(*lexical, tables)
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
        lexical = lexical_scores(text, tables) if text else None
        if lexical is not None:
            scores, count, lookups, _ = lexical
            margin = margin_of(scores)
            if not lookups or margin >= DECISIVE_MARGIN:
                found = conclude(*lexical, tables)  # no n-grams to score
            # The n-grams lower each score by at most their cap: a larger lead (with room
            # for rounding) stands ...
            elif margin >= CONFIDENT_MARGIN and margin > len(lookups) * NGRAM_CAP_PER_WORD + 1e-6:
                return Resolution(LANGUAGES[best_of(scores)], "text")
            # ... and short text without that lead is never confident: if the hint or the
            # previous language decides, the n-grams need not be scored.
            elif (
                margin >= CONFIDENT_MARGIN
                or count >= 3
                or (normalised is None and previous not in LANGUAGES)
            ):
                found = conclude(*lexical, tables)
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

    def _get_tables(self) -> Tables:
        tables = self._tables
        if tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = Tables(self._names)
                tables = self._tables
        return tables
