"""Text from a platform, made safe once, where it enters the bot.

JSON can carry what no encoder takes back: ``"\\ud800"`` decodes to a lone UTF-16 surrogate,
which UTF-8, UTF-16 and orjson refuse (a reply quoting the member's words then failed to
encode, and the member got no answer), and ``"\\u0000"`` to NUL, which PostgreSQL refuses
in text columns. Both adapters pass every string they take from an update (text, button
data, names, locale) through :func:`safe_text` before anything else reads it.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "safe_text"]

REPLACEMENT = "\ufffd"
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` with each lone surrogate and each NUL replaced by U+FFFD.

    One character for one, and each is one UTF-16 unit, so Telegram's entity offsets (counted
    in UTF-16 units) still point at the same words. A surrogate *pair* never reaches here as
    two characters: JSON decoding joins it into one.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(REPLACEMENT, text)
