"""Phone spellings and typos, undone before anything is read.

Members write "q hay d nuevo", "wat r the pilots", "c koi le prochain evenement", "proyctos
piloto", "subscibe me": :func:`expand` turns the shorthand of each language into the words it
stands for, and :class:`Speller` puts a misspelt word back to the nearest word the bot knows
(its own vocabulary and the plan's names), with a maintained fuzzy-matching library
(rapidfuzz's optimal string alignment distance, where swapping two letters is one edit).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

__all__ = ["Speller", "expand"]

# Shorthand that means the same in every language it appears in.
_COMMON = {
    "pls": "please", "plz": "please", "plse": "please", "pliz": "please", "plis": "please",
    "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "tks": "thanks",
    "proj": "project", "projs": "projects", "pilots": "pilot projects", "evt": "event",
    "evts": "events",
    "evnt": "event", "evnts": "events", "info": "information", "infos": "information",
    "cal": "calendar", "mtg": "meeting", "mtng": "meeting",
    "subs": "subscriptions", "unsub": "unsubscribe", "sub": "subscribe",
    "notifs": "notifications", "notif": "notification", "labo": "laboratoire",
    "labos": "laboratoires",
}  # fmt: skip
_BY_LANGUAGE = {
    "en": {
        "u": "you", "ur": "your", "r": "are", "wat": "what", "wot": "what", "wut": "what",
        "whats": "what s", "wats": "what s", "wen": "when", "wer": "where", "whr": "where",
        "wheres": "where s", "whens": "when s", "abt": "about", "bout": "about", "w": "with",
        "b4": "before", "tmrw": "tomorrow", "tmr": "tomorrow", "nxt": "next", "yr": "year",
        "yrs": "years", "mo": "month", "wk": "week", "ty": "thanks", "k": "ok", "kk": "ok",
        "wanna": "want to", "gimme": "give me", "lemme": "let me", "dont": "don t",
        "cant": "can t", "im": "i m", "ppl": "people", "gonna": "going to", "bc": "because",
        "cuz": "because", "coz": "because", "msgs": "messages", "msg": "message",
        "n": "and", "hlp": "help", "whos": "who s", "hows": "how s", "sept": "september",
    },
    "es": {
        "q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "por que", "pq": "por que",
        "porq": "por que", "xk": "por que", "d": "de", "dl": "del", "tb": "tambien",
        "tmb": "tambien", "tbn": "tambien", "x": "por", "xa": "para", "pa": "para",
        "pal": "para el", "dnd": "donde", "dnde": "donde", "cdo": "cuando", "qndo": "cuando",
        "porfa": "por favor", "xfa": "por favor", "xfavor": "por favor", "pf": "por favor",
        "msj": "mensaje", "msjs": "mensajes", "toy": "estoy", "ta": "esta", "aki": "aqui",
        "kiero": "quiero", "kien": "quien", "bn": "bien", "grax": "gracias", "grs": "gracias",
        "grcs": "gracias", "sip": "si", "nop": "no", "xo": "pero", "salu2": "saludos",
        "hla": "hola", "ola": "hola", "tmbn": "tambien", "t": "te",
    },
    "fr": {
        "stp": "s il te plait", "svp": "s il vous plait", "stpl": "s il te plait",
        "koi": "quoi", "koa": "quoi", "kwa": "quoi", "ki": "qui", "ke": "que", "k": "que",
        "kel": "quel", "kelle": "quelle", "kan": "quand", "qd": "quand", "qnd": "quand",
        "kand": "quand", "pk": "pourquoi", "pq": "pourquoi", "ds": "dans", "tt": "tout",
        "tte": "toute", "tjrs": "toujours", "tjs": "toujours", "bcp": "beaucoup",
        "mtn": "maintenant", "mnt": "maintenant", "slt": "salut", "bjr": "bonjour",
        "jsp": "je sais pas", "g": "j ai", "chui": "je suis", "chuis": "je suis",
        "jsuis": "je suis", "rdv": "rendez vous", "msg": "message", "msgs": "messages",
        "hebdo": "hebdomadaire", "dispo": "disponible", "qqch": "quelque chose",
        "qq": "quelques", "auj": "aujourd hui", "ajd": "aujourd hui", "conf": "conference",
        "pr": "pour", "dev": "developpement", "eco": "economique",
        "del": "developpement economique local", "cb": "combien",
        "cmb": "combien", "ya": "il y a", "yaura": "il y aura",
        "tkt": "t inquiete",
    },
}  # fmt: skip


def expand(tokens: Iterable[str], language: str) -> list[str]:
    """``tokens`` (folded words) with the shorthand of ``language`` written out in full."""
    table = _BY_LANGUAGE.get(language, {})
    out: list[str] = []
    for token in tokens:
        full = table.get(token) or _COMMON.get(token)
        if full is None:
            out.append(token)
        else:
            out.extend(full.split())
    return out


class Speller:
    """Puts misspelt words back to the nearest word the bot knows.

    Only words of four letters or more that the bot does not know are changed, to a known
    word with the same first letter, at one edit (two from eight letters up): "proyctos" →
    "proyectos", "megga" → "mega", "metroairprots" → "metroairports". Unknown words farther
    from everything (a city, a person) are left as they are.

    Args:
        known: Every word the bot knows (folded).
        targets: The words a misspelling may be put back to (folded, four letters or more).
    """

    def __init__(self, known: Iterable[str], targets: Iterable[str]) -> None:
        self._known = frozenset(known)
        by_letter: dict[str, list[str]] = {}
        for word in sorted(set(targets)):
            if len(word) >= 4:
                by_letter.setdefault(word[0], []).append(word)
        self._by_letter = by_letter
        self._memo: dict[str, str] = {}

    def knows(self, word: str) -> bool:
        """Whether ``word`` is a word of the bot's vocabulary."""
        return word in self._known

    def correct(self, word: str) -> str:
        """The known word ``word`` stands for (``word`` itself when known or too far)."""
        if len(word) < 4 or word in self._known or word.isdigit():
            return word
        found = self._memo.get(word)
        if found is None:
            found = self._nearest(word)
            if len(self._memo) < 10_000:
                self._memo[word] = found
        return found

    def _nearest(self, word: str) -> str:
        choices = self._by_letter.get(word[0])
        if not choices:
            return word
        limit = 2 if len(word) >= 8 else 1
        best = extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        return word if best is None else best[0]

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        """Every token put back to the word it stands for."""
        return [self.correct(t) for t in tokens]
