"""How a question is asked: yes/no questions ("is it…", "… right?", "c'est bien…"), what a
yes/no question asks about, the language a member asks the bot to speak, the time zone named
after "my time zone is"."""

from __future__ import annotations

import re

from bot.core.text import fold
from bot.understanding.cues import LANGUAGE_NAMES
from bot.understanding.message import Message
from bot.understanding.words import YESNO_WORDS_BY_KIND

__all__ = ["YESNO", "after_timezone", "confirming", "language_asked", "strictly_confirming"]

# A yes/no question's subject by the words that ask it: "still" → running, "fini" → over.
YESNO = {word: what for what, words in YESNO_WORDS_BY_KIND.items() for word in words}
_AUX = frozenset("is are was were does did do has have will can could isn aren".split())
# Ends of a yes/no question ("…, right?", "…, non ?") and phrases that make one.
_TAILS = ("right", "correct", "isn t it", "verdad", "cierto", "no", "non", "n est ce pas", "si")
_CONFIRMING = (
    "c est bien", "c bien", "est ce que", "est ce qu", "es cierto", "c est en", " c en ",
)  # fmt: skip


def language_asked(m: Message) -> str | None:
    """The language a member asks the bot to speak ("respóndeme en inglés")."""
    # The first language named: "habla en español, no entiendo bien el inglés" asks for
    # Spanish.
    found = [LANGUAGE_NAMES[t] for t in m.tokens if t in LANGUAGE_NAMES]
    return found[0] if found else None


def after_timezone(text: str) -> str:
    """What follows "time zone" (and "is", "es", "à"…): the zone the member names."""
    folded = fold(text)
    for marker in ("zone", "horaria", "horario", "fuseau", "horaire", "hora de", "heure de"):
        at = folded.rfind(marker)
        if at >= 0:
            rest = text[at + len(marker) :].strip(" :=.!?¿¡")
            for lead in ("is ", "es ", "est ", "to ", "a ", "à "):
                if rest.lower().startswith(lead):
                    rest = rest[len(lead) :]
            return _TRAILING_POLITE.sub("", rest)
    city = _CITY_TIME.search(text)  # "please use Seoul time", "i'm on Lima time"
    return city.group(1) if city else text


_CITY_TIME = re.compile(r"\b(?:use|on|to|in) ([A-Za-zÀ-ÿ][\w .'-]{1,30}?) time\b", re.IGNORECASE)


# "Dakar stp", "Manila pls": the zone without the politeness after it.
_TRAILING_POLITE = re.compile(
    r"[\s,.!]+(?:pls|plz|please|stp|svp|porfa|xfa|por favor|merci|gracias|thanks|thx"
    r"|s'il te pla[iî]t|s'il vous pla[iî]t)[\s.!]*$",
    re.IGNORECASE,
)


def strictly_confirming(m: Message) -> bool:
    """Whether the message is a yes/no question by its form alone."""
    # "is it…", "… right?", "c'est bien…": a yes/no question whatever else it asks ("could
    # you tell me when…" is not one).
    first = m.tokens[0] if m.tokens else ""
    if first in _AUX and not (first in ("can", "could") and m.ask is not None):
        return True
    if any(m.joined.endswith(" " + tail) for tail in _TAILS):
        return True
    return any(phrase in m.joined for phrase in _CONFIRMING)


# Words that open a question asking for something else than yes or no.
_WH = frozenset(
    "what which when where who how que cual cuales cuando donde quien como quel quels quelle "
    "quelles quand ou qui comment".split()
)


def confirming(m: Message) -> bool:
    """Whether the message is a yes/no question by its form or a question mark ("¿qué eventos
    hay este año…?" is not one)."""
    if strictly_confirming(m):
        return True
    return "?" in m.text and not (m.tokens and m.tokens[0] in _WH)
