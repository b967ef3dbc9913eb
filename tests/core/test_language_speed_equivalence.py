"""The resolver's fast paths give exactly what the plain computation gives.

``bot.core.language`` (with ``language_tables`` and ``language_scoring``) folds text
character by character, looks words up in one precomputed dict, scores n-grams by window,
skips patterns and regular expressions that cannot match and, in ``resolve``, skips the
n-grams when they cannot change the answer. Each shortcut is checked here against a
reference written the straightforward way (the resolver as it was before them), on the
texts of the language tests and the plan's content, variants of them and random text: same
evidence to the last bit, same choices, same resolutions.
"""

from __future__ import annotations

import ast
import random
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from bot.core import language as lang
from bot.core import language_scoring as scoring
from bot.core import language_tables
from bot.core.language import LANGUAGES, Evidence, LanguageResolver, Resolution

REPO = Path(__file__).resolve().parents[2]

# --- the references -------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _has_marks(word: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


def _lookup_form(word: str, tables: language_tables.Tables) -> tuple[float, ...] | None:
    exact = tables.exact.get(word)
    if _has_marks(word):
        if exact is not None:
            return exact
        folded = tables.plain.get(_fold(word))
        return None if folded is None else tuple(w * language_tables._FOLDED_FACTOR for w in folded)
    folded = tables.plain.get(word)
    if folded is None:
        return exact
    if exact is None:
        return tuple(w * language_tables._FOLDED_FACTOR for w in folded)
    shadowed = language_tables._SHADOWED_FACTOR
    return tuple(max(a, b * shadowed) for a, b in zip(exact, folded, strict=True))


def _lookup(word: str, tables: language_tables.Tables) -> tuple[float, ...] | None:
    found = _lookup_form(word, tables)
    if found is None and len(word) >= 5 and word.endswith(("s", "x")):
        for stem in (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],):
            singular = _lookup_form(stem, tables)
            if singular is not None:
                return tuple(w * language_tables._PLURAL_FACTOR for w in singular)
    return found


def _words(text: str) -> list[tuple[str, bool]]:
    words: list[tuple[str, bool]] = []
    previous_end = -1
    for match in scoring._TOKEN.finditer(text):
        gap = text[max(previous_end, 0) : match.start()]
        starts_sentence = previous_end < 0 or any(ch in scoring._SENTENCE_ENDS for ch in gap)
        previous_end = match.end()
        token = match.group().strip("'")
        if not token or any(ch.isdigit() for ch in token):
            continue
        if token.isupper() and len(token) > 1:
            if len(token) > 3:
                words.append((token.lower(), True))
        elif scoring._CAMEL_CASE.search(token):
            continue
        elif token[0].isupper() and not starts_sentence:
            words.append((token.lower(), True))
        else:
            words.append((token.lower(), False))
    return words


def _ngram_scores(
    words: list[str], table: dict[str, tuple[float, float, float]]
) -> tuple[float, float, float] | None:
    es = en = fr = 0.0
    seen = False
    for word in words:
        padded = f" {word} "
        for end in range(2, len(padded) + 1):
            for n in (1, 2, 3):
                start = end - n
                if start < 0:
                    break
                gram = padded[start:end]
                if gram == " ":
                    continue
                probs = table.get(gram)
                if probs is not None:
                    es += probs[0]
                    en += probs[1]
                    fr += probs[2]
                    seen = True
    if not seen:
        return None
    top = max(es, en, fr)
    scale = scoring._NGRAM_SCALE
    scores = [(es - top) * scale, (en - top) * scale, (fr - top) * scale]
    spread = -min(scores)
    cap = scoring.NGRAM_CAP_PER_WORD * len(words)
    if spread > cap:
        scores = [s * (cap / spread) for s in scores]
    return scores[0], scores[1], scores[2]


def _margin(scores: list[float] | tuple[float, ...]) -> float:
    ordered = sorted(scores, reverse=True)
    return ordered[0] - ordered[1]


def _evidence(resolver: LanguageResolver, text: str) -> Evidence | None:
    tables = resolver._get_tables()
    start = text[: scoring._MAX_CHARS].translate(language_tables.APOSTROPHES)
    cleaned = scoring._URL.sub(" ", start)
    cleaned = scoring._COMMAND.sub(" ", cleaned.lstrip())
    if tables.names is not None:
        cleaned = tables.names.sub(" ", cleaned)
    words = _words(cleaned)
    scores = [0.0, 0.0, 0.0]
    chars = [0.0, 0.0, 0.0]
    found = False
    for ch in cleaned.lower():
        hit = scoring._CHAR_WEIGHTS.get(ch)
        if hit is not None:
            chars[hit[0]] += hit[1]
            found = True
    if not words and not found:
        return None
    lookups: list[str] = []
    seen: set[str] = set()
    for word, caps in words:
        word = word.translate(language_tables.APOSTROPHES)
        if "'" in word:
            elided = scoring._ELISION.match(word)
            if elided:
                scores[scoring._FR] += scoring._APOSTROPHE_WEIGHT
                found = True
                word = word[elided.end() :]
            contracted = scoring._CONTRACTION.search(word)
            if contracted:
                scores[scoring._EN] += scoring._APOSTROPHE_WEIGHT
                found = True
                stem, suffix = word[: contracted.start()], word[contracted.start() + 1 :]
                word = "" if suffix == "t" and stem.endswith("n") else stem
        for part in word.split("'"):
            if not part:
                continue
            if part in seen:
                if not caps:
                    lookups.append(part)
                continue
            seen.add(part)
            vector = _lookup(part, tables)
            if vector is not None:
                for i in range(3):
                    scores[i] += vector[i]
                found = True
            elif not caps:
                for index, weight in scoring._shape(part, tables.endings):
                    scores[index] += weight
                    found = True
            if not caps:
                lookups.append(part)
    for i in range(3):
        scores[i] += min(chars[i], scoring._CHAR_CAP)
    lexical = tuple(scores)
    if _margin(scores) < scoring.DECISIVE_MARGIN and lookups:
        ngram = _ngram_scores(lookups, tables.ngrams)
        if ngram is not None:
            found = True
            for i in range(3):
                scores[i] += ngram[i]
    if not found:
        return None
    margin = _margin(scores)
    best = max(range(3), key=lambda i: (scores[i], -i))
    lexical_best = max(range(3), key=lambda i: (lexical[i], -i))
    confident = (lexical_best == best and _margin(lexical) >= lang.CONFIDENT_MARGIN) or (
        len(words) >= 3 and margin >= lang.CONFIDENT_MARGIN
    )
    return Evidence(LANGUAGES[best], margin, confident, (scores[0], scores[1], scores[2]))


def _explicit_choice(resolver: LanguageResolver, text: str) -> str | None:
    if len(text) > 120:
        return None
    folded = re.sub(r"[^\w/]+", " ", _fold(text.translate(language_tables.APOSTROPHES))).strip()
    if not folded or len(folded) > 80:
        return None
    for pattern, language in resolver._get_tables().choices:
        if pattern.fullmatch(folded):
            return language
    return None


def _resolve(
    resolver: LanguageResolver,
    choice: str | None,
    found: Evidence | None,
    chosen: str | None,
    hint: str | None,
    previous: str | None,
) -> Resolution:
    """``resolve`` as it was, given its text's explicit choice and evidence."""
    if choice is not None:
        return Resolution(choice, "explicit", choice)
    if chosen in LANGUAGES:
        return Resolution(chosen, "explicit")
    if found is not None and found.confident:
        return Resolution(found.language, "text")
    normalised = LanguageResolver.normalise_hint(hint)
    if normalised is not None:
        return Resolution(normalised, "hint")
    if previous in LANGUAGES:
        return Resolution(previous, "previous")
    if found is not None and found.margin > 0.0:
        return Resolution(found.language, "text")
    return Resolution(resolver.default, "default")


# --- the texts ------------------------------------------------------------------------


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _texts() -> list[str]:
    base: list[str] = []
    for path in sorted((REPO / "tests" / "core").glob("test_language*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                base.append(node.value)
    for path in sorted((REPO / "content" / "plan").glob("*/*.toml")):
        for value in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            base.append(value)
            base.extend(s for s in re.split(r"(?<=[.!?])\s+", value) if s)
    base = list(dict.fromkeys(base))
    rng = random.Random(2019)
    extras = ["https://x.org/?a=1", "www.x.org", "@rick", "#MEGA", "a@b.org", "👍", "2019"]
    texts = [*base, "", " ", "'", "’s", "l’été", "n't", "x" * 1500, "merci " * 300]
    # The n-grams overturn a lead of exactly their cap; requests with a slash.
    texts += ["de d'accord felicidad", "N'Djamena fidel castro N'Djamena", "for mois a Français!"]
    texts += ["set language to espagnol - dorenavant", "/fr", "/English please", "/lang es svp"]
    for text in base[:400]:
        stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii())
        texts += [text.upper(), text.title(), stripped, unicodedata.normalize("NFD", text)]
        texts += [text.replace("'", "’"), f"{rng.choice(extras)} {text}", f"/start {text}"]
    words = [w for text in base for w in text.split()]
    polite = ["please", "por favor", "svp", "merci", "thanks", "ok", "s'il vous plaît"]
    names = ["English", "español", "Français", "fr", "es", "en", "ingles", "FRANCÉS"]
    for _ in range(600):
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randrange(1, 9))))
        phrase = rng.choice(["", "in ", "en ", "/language ", "idioma: ", "parle ", "speak "])
        texts.append(f"{phrase}{rng.choice(names)} {rng.choice(polite)}".strip())
    alphabet = "abcçdeéèfghiïjklmnñoóœpqrstuúvwxyzAÀBCÉMNÑOS  '’`´.,;:!?¿¡-/@#0123ßİ\u0301👍\n"
    for _ in range(600):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))))
    return list(dict.fromkeys(texts))


TEXTS = _texts()
RESOLVE_ARGS = [
    (None, None, None),
    (None, "fr-FR", "en"),
    (None, None, "es"),
    (None, "pt-BR", None),
    ("fr", "en-US", "es"),
]


@pytest.fixture(scope="module")
def resolvers() -> list[LanguageResolver]:
    return [LanguageResolver("en"), LanguageResolver("es", names=["Knowledge @ Wharton", "Rick"])]


# --- the checks -----------------------------------------------------------------------


def test_fold_character_by_character_is_folding_the_whole_text() -> None:
    for code in [*range(0x20, 0x3000), *range(0xFB00, 0xFB50), *range(0xFF00, 0xFF60)]:
        assert lang._fold(chr(code)) == _fold(chr(code)), hex(code)
    for text in TEXTS:
        assert lang._fold(text) == _fold(text), text


def test_known_words_are_what_the_lookup_finds(resolvers: list[LanguageResolver]) -> None:
    tables = resolvers[0]._get_tables()
    for word in {w for text in TEXTS for w, _ in _words(text)} | set(tables.known):
        found = tables.known.get(word)
        if found is None and not word.isascii():
            found = language_tables.lookup(word, tables)
        assert found == _lookup(word, tables), word


def test_ngram_windows_add_the_same_grams_in_the_same_order(
    resolvers: list[LanguageResolver],
) -> None:
    tables = resolvers[0]._get_tables()
    for text in TEXTS:
        words = [w for w, caps in _words(text) if not caps] or [text.lower() or "a"]
        assert scoring._ngram_scores(words, tables.windows) == _ngram_scores(words, tables.ngrams)


def test_margin_and_best() -> None:
    for scores in [(1.0, 2.0, 3.0), (3.0, 3.0, 1.0), (0.0, 0.0, 0.0), (2.0, 5.0, 5.0)]:
        for ordered in (scores, scores[::-1], scores[1:] + scores[:1]):
            assert scoring.margin_of(ordered) == _margin(ordered)
            assert scoring.best_of(ordered) == max(range(3), key=lambda i: (ordered[i], -i))


def test_evidence_explicit_choice_and_resolve_are_the_same(
    resolvers: list[LanguageResolver],
) -> None:
    for resolver in resolvers:
        for text in TEXTS:
            choice = _explicit_choice(resolver, text)
            assert resolver.explicit_choice(text) == choice, text
            found = _evidence(resolver, text)
            assert resolver.evidence(text) == found, text
            for chosen, hint, previous in RESOLVE_ARGS:
                expected = _resolve(
                    resolver, choice if text else None, found, chosen, hint, previous
                )
                got = resolver.resolve(text, chosen=chosen, hint=hint, previous=previous)
                assert got == expected, (text, chosen, hint, previous)
