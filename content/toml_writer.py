"""Writing the content files back, changing only what changed.

The content files are the canonical store, read and reviewed by people: when the spreadsheet
import (or the translators' CSV) rewrites one, every line whose value did not change is kept
byte for byte, with its comments, blank lines and key order. A changed value is written again
on its own line; a new key goes where the documented order puts it (after the keys that come
before it); a new item is written in that order at its place in the file; a removed item
goes with the comment lines just above it.

The files use a small part of TOML: ``[plan]`` and ``[[item]]`` tables of ``key = value``
lines, with dotted keys (``title.en``), strings, integers and arrays of strings. The writer
reads any TOML the loader accepts (a value may span lines), but writes that part only.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ITEM_ORDER", "PLAN_ORDER", "Table", "flatten", "render_file", "toml_value"]

# The order keys are written in when the file says nothing else.
ITEM_ORDER = (
    "slug", "kind", "section", "when", "status", "themes", "organiser", "place", "link",
    "aliases", "keywords", "lists", "title.es", "title.en", "title.fr", "description.es",
    "description.en", "description.fr",
)  # fmt: skip
PLAN_ORDER = ("year", "source_language", "title.es", "title.en", "title.fr")

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+?)\s*=")
# Characters a basic string cannot hold as they are (TOML 1.0, section "String").
_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
}  # fmt: skip


@dataclass(frozen=True)
class Table:
    """One table to write: its header name (``plan`` or ``item``), its identity (an item's
    slug; ``""`` for the plan table), and its values by dotted key, in order."""

    name: str
    ident: str
    values: Mapping[str, Any]


@dataclass
class _Entry:
    key: str
    lines: list[str]  # the line(s) of ``key = value`` as written
    value: Any
    before: list[str] = field(default_factory=list)  # comment and blank lines above it


@dataclass
class _Block:
    header: str
    name: str
    leading: list[str] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)

    @property
    def ident(self) -> str:
        slug = next((e.value for e in self.entries if e.key == "slug"), "")
        return slug if isinstance(slug, str) else ""


@dataclass
class _Layout:
    preamble: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    epilogue: list[str] = field(default_factory=list)


def toml_value(value: Any) -> str:
    """``value`` as the content files write it: ``"text"``, ``2019``, ``["a", "b"]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        out = []
        for char in value:
            if char in _ESCAPES:
                out.append(_ESCAPES[char])
            elif ord(char) < 0x20 or ord(char) == 0x7F:
                out.append(f"\\u{ord(char):04X}")
            else:
                out.append(char)
        return '"' + "".join(out) + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a content file")


def flatten(table: Mapping[str, Any]) -> dict[str, Any]:
    """A table's values by dotted key: ``{"title": {"en": "…"}}`` → ``{"title.en": "…"}``."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            for sub, inner in flatten(value).items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _value_of(lines: list[str]) -> tuple[str, Any] | None:
    # The key and value of ``key = value`` (over one line or several), or None if incomplete.
    try:
        parsed = flatten(tomllib.loads("".join(lines)))
    except tomllib.TOMLDecodeError:
        return None
    if len(parsed) != 1:
        return None
    return next(iter(parsed.items()))


def _layout(text: str) -> _Layout:
    layout = _Layout()
    gap: list[str] = []
    block: _Block | None = None
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines):
        line = lines[n]
        stripped = line.strip()
        header = _HEADER.match(line)
        if not stripped or stripped.startswith("#"):
            gap.append(line)
        elif header is not None and not _KEY.match(line):
            if block is None:
                layout.preamble, gap = gap, []
            block = _Block(line, header.group(2), leading=gap)
            layout.blocks.append(block)
            gap = []
        else:
            taken = [line]
            found = _value_of(taken)
            while found is None and n + 1 < len(lines):
                n += 1
                taken.append(lines[n])
                found = _value_of(taken)
            if found is None or block is None:
                raise ValueError(f"cannot read line {n + 1}: {line.strip()[:60]}")
            block.entries.append(_Entry(found[0], taken, found[1], before=gap))
            gap = []
        n += 1
    if block is None:
        layout.preamble, gap = gap, []
    layout.epilogue = gap
    return layout


def _same(old: Any, new: Any) -> bool:
    # Values compare as TOML reads them (a tuple and a list of the same strings are equal).
    return json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)


def _line(key: str, value: Any) -> str:
    return f"{key} = {toml_value(value)}\n"


def _entries(old: _Block | None, values: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    kept: list[tuple[str, list[str]]] = []  # (key, lines including those above it)
    if old is not None:
        for entry in old.entries:
            if entry.key not in values:
                continue
            new = values[entry.key]
            lines = entry.lines if _same(entry.value, new) else [_line(entry.key, new)]
            kept.append((entry.key, entry.before + lines))
    present = {key for key, _ in kept}
    rank = {key: n for n, key in enumerate(order)}
    for key, value in values.items():
        if key in present:
            continue
        # After the last key the documented order puts before it (or first).
        mine = rank.get(key, len(order))
        at = 0
        for n, (other, _) in enumerate(kept):
            if rank.get(other, len(order)) <= mine:
                at = n + 1
        kept.insert(at, (key, [_line(key, value)]))
        present.add(key)
    return [line for _, lines in kept for line in lines]


def render_file(old_text: str | None, tables: Sequence[Table], preamble: str = "") -> str:
    """The text of a content file holding ``tables``, laid out as ``old_text`` was.

    Args:
        old_text: The file as it is (``None`` for a new file).
        tables: What the file must hold, in order.
        preamble: The comment lines that open a new file (kept as they are in an old one).

    Raises:
        ValueError: ``old_text`` holds something the writer cannot keep (not TOML).
    """
    layout = _layout(old_text) if old_text is not None else _Layout(preamble.splitlines(True))
    if old_text is None and layout.preamble and layout.preamble[-1].strip():
        layout.preamble.append("\n")
    old_blocks = {(b.name, b.ident): b for b in layout.blocks}
    out = list(layout.preamble)
    for n, table in enumerate(tables):
        old = old_blocks.get((table.name, table.ident))
        order = PLAN_ORDER if table.name == "plan" else ITEM_ORDER
        header = old.header if old is not None else f"[[{table.name}]]\n"
        if table.name == "plan" and old is None:
            header = "[plan]\n"
        leading = old.leading if old is not None else []
        if n and not leading:
            leading = ["\n"]
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        out += [*leading, header, *_entries(old, table.values, order)]
    out += layout.epilogue
    text = "".join(out)
    if text and not text.endswith("\n"):
        text += "\n"
    return text
