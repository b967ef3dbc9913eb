"""What a message leaves open for the conversation to fill, in es/en/fr.

- "it", "that one", "this project", "ça", "celui-là", "ce projet", "eso", "ese proyecto":
  the item in focus;
- "all of those", "them", "todos esos", "tous ceux-là": the whole last list;
- "the second one", "number 3", "le deuxième", "la troisième", "el segundo", "el 3", "#2",
  a bare "3": a position in the last list;
- "and in August?", "et pour septembre ?", "¿y dónde?", "what about September": a fragment
  of the last question (an ellipsis);
- "no, the one in November", "non, plutôt en mars", "no, el de movilidad", "I meant": a
  correction of the last question or action;
- "yes", "sí", "oui", "no", "non": an answer to the bot's own question.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.understanding.reading import Reference
from bot.understanding.words import NO, YES

__all__ = [
    "GATED",
    "answer",
    "corrects",
    "is_ordinal",
    "ordinal",
    "ordinals",
    "read_reference",
]

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
    "primero": 1, "primer": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3,
    "tercer": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6,
    "sexta": 6, "septimo": 7, "septima": 7, "octavo": 8, "octava": 8, "noveno": 9,
    "novena": 9, "decimo": 10, "decima": 10, "ultimo": -1, "ultima": -1,
    "premier": 1, "premiere": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3,
    "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8,
    "neuvieme": 9, "dixieme": 10, "dernier": -1, "derniere": -1,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "un": 1, "deux": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "huit": 8, "neuf": 9, "dix": 10,
}  # fmt: skip
# "2nd", "3rd", "4th", "4e", "4eme", "2o", "1er", "1re", "3a".
_NUMBERED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|e|eme|er|re|o|a|ere)?$")
# Words that say "a position" before a number: "number 3", "el 3", "le n 2", "#2" (→ "2").
_BEFORE_NUMBER = frozenset(
    "number num no nr n numero the el la le item option opcion choix line linea ligne del "
    "al du au and et".split()
)
# What may come with a reference without being a question of its own.
_SMALL = frozenset(
    """
    one ones the el la le lo los las les un una une de del des du of a al y and et e
    please pls por favor s il te vous plait porfa one uno una
    hmm hm mmm um uh eh ah oh euh bof bueno pues well
    """.split()
)
_THANKS = frozenset({"thanks", "thank", "thx", "gracias", "merci", "obrigado"})
_PRAISE = frozenset(
    "great genial super perfect perfecto parfait excellent excelente cool nice top bien".split()
)
_RATHER = frozenset(
    {"mejor", "thanks", "plutot", "rather", "better", "finalmente", "finally", "finalement",
     "actually", "fait", "en"}
)  # fmt: skip
# Ways of saying "no" to the bot's question in more than one word.
_NO_PHRASES = frozenset(
    {"laisse tomber", "forget it", "never mind", "nevermind", "no importa", "olvidalo",
     "dejalo", "deja", "ca va", "pas la peine", "no gracias", "no thanks", "non merci",
     "dejalo asi", "deja asi", "laisse comme ca", "leave it"}
)  # fmt: skip

_IT = re.compile(
    r"\b(?:it|that|this|that one|this one|the one|that project|this project|that event|"
    r"this event|that thing|eso|esto|ese|esa|ello|ese proyecto|este proyecto|esa actividad|"
    r"ese evento|este evento|esa reunion|ca|cela|celui ci|celui la|celle ci|celle la|celui|"
    r"celle|ce projet|cet evenement|ce truc|cette action|ce forum|ce rapport|cette reunion|"
    r"that theme|this theme|that topic|this topic|ese tema|este tema|ce theme|cette thematique|"
    r"seguilo|seguila|siguelo|siguela|agregalo|anotalo|sumalo)\b"
)
_THOSE = re.compile(
    r"\b(?:them|those|these|all of (?:them|those|these)|all (?:those|these|of it)|"
    r"esos|esas|estos|estas|todos esos|todas esas|todos estos|todos ellos|ellos|"
    r"eux|ceux ci|ceux la|celles ci|celles la|tous ceux|toutes celles|tout ca|todo eso|"
    r"todo esto)\b"
)
# "Both", "les deux": the two lines of a two-line list, or the last two items looked at.
_BOTH = re.compile(
    r"\b(?:both|both of them|the two|those two|these two|ambos|ambas|los dos|las dos|"
    r"a los dos|esos dos|les deux|aux deux|tous les deux|toutes les deux|ces deux)\b(?! \w)"
)
_EXCEPT = re.compile(
    r"\b(?:all|todos|todas|tous|toutes)(?: \w+)? (?:except|but|but not|menos|excepto|salvo|sauf"
    r"|sauf pour|a part) ((?:the |el |la |le |l )?\w+)"
)
# "And the other one?", "¿y el otro?", "et l'autre ?": the other of two.
_OTHER = re.compile(r"\b(?:the other(?: one)?|el otro|la otra|l autre|lautre)\b")
_EXCEPT_WORDS = frozenset("except but menos excepto salvo sauf part".split())
_OTHER_WORDS = frozenset("other otro otra autre lautre".split())
_BOTH_WORDS = frozenset("both two dos deux ambos ambas".split())
# "Which ones?" after "how many…": the list counted.
_WHICH = re.compile(
    r"^(?:which ones|which are they|what are they|which|cuales|cuales son|y cuales son|"
    r"cuales serian|lesquels|lesquelles|c est lesquels|c est lesquelles|quels sont ils|"
    r"quelles sont elles|et lesquels)$"
)
_ELLIPSIS = re.compile(
    r"^(?:and|y(?! a\b)|e|et|also|what about|how about|and what about|and for|and in|"
    r"y que tal|y que hay (?:de|en|para)|y para|y en|y el|y la|y los|y las|"
    r"et pour|et en|et le|et la|et les|et du|et de|et pour le|et pour la|et sinon)\b"
)
_CORRECTION = re.compile(
    r"^(?:(?:no|non|nope|nah)(?= (?:sorry|perdon|pardon|i meant|i mean|i was|me referia|pas|"
    r"me refiero|quise|queria|je voulais|je parlais|je pensais|mejor|plutot|el|la|los|las|"
    r"al|a la|the|le|les|du|de la|en|in|that|not|ce|c est|celui|celle|ese|esa|eso)\b)|not|"
    r"sorry|perdon|pardon|oups|oops|i mean|i meant|actually|rather|"
    r"quise decir|queria decir|me referia|me refiero|mejor|en fait|plutot|je voulais dire|"
    r"je veux dire|je parlais d|je pensais a|i was referring to|no wait|"
    r"wrong|incorrect|that s wrong|c est pas ca|ce n est pas ca|no era eso)\b"
)
# "the one in November", "el de movilidad", "celui de mars", "la de septiembre".
_THE_ONE = re.compile(
    r"\b(?:the one|the ones|el de|la de|los de|las de|al de|a la de|el que|la que|"
    r"celui de|celle de|celui en|celle en|celui du|celle du|celui qui|celle qui|le de|la du)\b"
)


def corrects(joined: str) -> bool:
    """Whether the words ``joined`` start by correcting what was said ("no, I meant…")."""
    return _CORRECTION.match(joined) is not None


# French imperatives end with their object: "suis-le", "montre-la", "ajoute-les".
_FR_OBJECT = re.compile(
    r"\b(?:suis|suivez|ajoute|ajoutez|montre|montrez|garde|gardez|envoie|envoyez|donne|"
    r"donnez|abonne|abonnez) (le|la|les)(?: pour moi| stp| svp| s il te plait| merci)?$"
)


def is_ordinal(token: str) -> bool:
    """Whether ``token`` says a position ("second", "2nd", "4e", "deuxieme", "3")."""
    return token in _ORDINALS or _NUMBERED.match(token) is not None


# "Tell me more" with nothing named: more about the item in focus.
_MORE = re.compile(
    r"^(?:tell me more|more info|more information|more details|and more|go on|dime mas|"
    r"cuentame mas|mas info|mas informacion|mas detalles|plus d infos?|plus d informations?|"
    r"en savoir plus|dis m en plus|dites m en plus|dis moi en plus)(?: please| por favor| "
    r"s il (?:te|vous) plait)?$"
)


def ordinal(tokens: list[str]) -> int | None:
    """The list position ``tokens`` point to ("the second one", "el 3", "#2"), or ``None``."""
    for i in range(len(tokens)):
        found = _position(tokens, i)
        if found is not None:
            return found or None
    return None


def ordinals(tokens: list[str]) -> tuple[int, ...]:
    """Every list position ``tokens`` point to: "the first two" (1, 2), "au premier et au
    troisième" (1, 3), "el 1 y el 3" (1, 3); one position alone, or none, gives ``()``."""
    counted = _counted_lines(tokens)
    if counted:
        return counted
    found: list[int] = []
    for i in range(len(tokens)):
        number = _position(tokens, i)
        if number is None and i and tokens[i - 1] in _AND and _NUMBERED.fullmatch(tokens[i]):
            number = int(tokens[i])  # "1 and 3", "el 1 y 3"
        if number and number not in found:
            found.append(number)
    return tuple(found) if len(found) > 1 else ()


def _position(tokens: list[str], i: int) -> int | None:
    # The position token ``i`` says, 0 for a number out of range, None for none.
    token = tokens[i]
    if token in _ORDINALS:
        return _ORDINALS[token]
    number = _NUMBERED.match(token)
    if number and (
        (i == 0 and len(tokens) <= 3)
        or (i and tokens[i - 1] in _BEFORE_NUMBER)
        or token != number.group(1)  # "2nd", "4e"
    ):
        value = int(number.group(1))
        return value if 1 <= value <= 99 else 0
    if token in _NUMBER_WORDS and i and tokens[i - 1] in ("number", "numero", "no"):
        return _NUMBER_WORDS[token]
    return None


def _counted_lines(tokens: list[str]) -> tuple[int, ...]:
    # "the first two", "los 3 primeros" (1, 2…); "the last two", "les 2 derniers" (…-2, -1):
    # "first" or "last" with a count of 2 to 10 next to it.
    for i, token in enumerate(tokens):
        if token in _FIRST or token in _LAST:
            for near in (tokens[i + 1] if i + 1 < len(tokens) else "", tokens[i - 1] if i else ""):
                count = _NUMBER_WORDS.get(near) or (int(near) if near.isdigit() else 0)
                if 2 <= count <= 10:
                    return tuple(range(1, count + 1) if token in _FIRST else range(-count, 0))
    return ()


_FIRST = frozenset("first premiers premieres primeros primeras".split())
_LAST = frozenset("last ultimos ultimas derniers dernieres".split())
_AND = frozenset("and y et e".split())


def answer(tokens: list[str]) -> str | None:
    """``"yes"`` or ``"no"`` when the message is only an answer ("sí", "oui", "yes pls",
    "no, mejor no", "non merci"), else ``None``."""
    if not tokens or len(tokens) > 5:
        return None
    rest = [t for t in tokens if t not in _SMALL and t not in _THANKS]
    if not rest:
        return None
    if len(rest) < len(tokens) and not _THANKS.isdisjoint(tokens) and set(rest) <= _PRAISE:
        return None  # "great, thanks", "genial gracias": thanks, not yes
    if all(t in YES for t in rest) or " ".join(rest) in ("go ahead", "do it", "of course"):
        return "yes"
    if any(t in NO for t in rest) and all(t in NO or t in _RATHER for t in rest):
        return "no"  # "no", "non merci", "mmm mejor no"
    if rest[0] in NO and all(t in NO or t in YES or t in _RATHER for t in rest):
        return "no"
    if " ".join(t for t in rest if t not in NO) in _NO_PHRASES:
        return "no"  # "non, laisse tomber", "forget it"
    if " ".join(t for t in rest if t not in _RATHER) in _NO_PHRASES or (
        rest[0] in NO and " ".join(t for t in rest[1:] if t not in _RATHER) in _NO_PHRASES
    ):
        return "no"  # "no actually never mind"
    return None


def read_reference(
    tokens: list[str], rest: list[str], maybe: Collection[str] | None = None
) -> Reference | None:
    """What ``tokens`` (all the message's words) leave to the conversation.

    Args:
        tokens: Every folded word of the message.
        rest: The words not used to name a period ("this month" is no "this").
        maybe: The names of :data:`GATED` that a :class:`~bot.understanding.gates.Gate` over
            ``tokens`` let through (the others cannot match); ``None`` searches them all.
    """
    said = answer(tokens)
    if said is not None:
        return Reference(said)
    joined = " ".join(tokens)
    rest_joined = " ".join(rest)
    # Most messages hold no position, "except", "other" or "both": look for their words first.
    said_words = _REFERENCE_WORDS.intersection(tokens)
    but = _EXCEPT.search(joined) if said_words & _EXCEPT_WORDS else None
    if but is not None:  # "all except the first", "todos menos el primero"
        skipped = ordinal(but.group(1).split())
        if skipped is not None:
            return Reference("except", skipped, (skipped,))
    if said_words & _POSITION_WORDS or any(t[:1].isdigit() for t in rest):
        several = ordinals(rest)
        if several:
            return Reference("nth", several[0], several)
        number = ordinal(rest)
        if number is not None:
            return Reference("nth", number)
    # The gate looked at the whole message: what it says of words searched without the
    # period's ("rest") holds only when there was no period.
    whole = maybe if maybe is None or len(rest) == len(tokens) else None
    if _CORRECTION.match(joined) and len(tokens) > 1:
        return Reference("correction")
    if _may("the one", maybe) and _THE_ONE.search(joined):
        return Reference("correction")
    if _MORE.match(joined):
        return Reference("it")
    if _WHICH.match(joined):
        return Reference("which")
    if said_words & _OTHER_WORDS and _OTHER.search(joined):
        return Reference("other")
    if said_words & _BOTH_WORDS and _BOTH.search(rest_joined):
        return Reference("both")
    if _may("those", whole) and _THOSE.search(rest_joined):
        return Reference("those")
    if _may("it", whole) and _IT.search(rest_joined):
        return Reference("it")
    french = _FR_OBJECT.search(joined) if _may("fr object", maybe) else None
    if french is not None:
        return Reference("those" if french.group(1) == "les" else "it")
    if _ELLIPSIS.match(joined) and len(tokens) <= 8:
        return Reference("ellipsis")
    return None


def _may(name: str, maybe: Collection[str] | None) -> bool:
    return maybe is None or GATE_PREFIX + name in maybe


# Patterns searched only when a gate lets them through (see ``maybe``), by name.
GATE_PREFIX = "reference: "
GATED = {
    GATE_PREFIX + "the one": _THE_ONE,
    GATE_PREFIX + "those": _THOSE,
    GATE_PREFIX + "it": _IT,
    GATE_PREFIX + "fr object": _FR_OBJECT,
}

# Words one of which a position says ("second", "2nd" aside: digits are checked apart).
_POSITION_WORDS = frozenset(_ORDINALS) | frozenset(_NUMBER_WORDS) | _FIRST | _LAST
_REFERENCE_WORDS = _POSITION_WORDS | _EXCEPT_WORDS | _OTHER_WORDS | _BOTH_WORDS
