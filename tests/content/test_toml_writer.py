"""The content files written back: unchanged lines kept byte for byte, changed values on their
own lines, new keys in the documented order, comments kept with their item."""

from __future__ import annotations

import tomllib

from content.toml_writer import Table, flatten, render_file, toml_value

OLD = """# A file.

[[item]]
slug = "one"
kind = "event"
title.en = "One"  # kept as written

# --- Later ---

[[item]]
slug = "two"
kind = "action"
aliases = ["b",
  "c"]
title.en = "Two"
"""


def _tables(text: str) -> list[Table]:
    return [Table("item", t["slug"], flatten(t)) for t in tomllib.loads(text)["item"]]


def test_values_as_the_files_write_them() -> None:
    assert toml_value('say "hi"\\n\tnow') == '"say \\"hi\\"\\\\n\\tnow"'
    assert toml_value(["a", "é"]) == '["a", "é"]' and toml_value(2020) == "2020"
    assert toml_value("\x01") == '"\\u0001"'


def test_unchanged_tables_give_the_same_bytes() -> None:
    assert render_file(OLD, _tables(OLD)) == OLD


def test_a_change_rewrites_its_line_and_a_new_key_goes_in_order() -> None:
    tables = _tables(OLD)
    one = dict(tables[0].values) | {"title.en": "Uno", "when": "2020-06", "section": "s"}
    two = dict(tables[1].values) | {"aliases": ["b"]}
    text = render_file(OLD, [Table("item", "one", one), Table("item", "two", two)])
    assert text == OLD.replace(
        'kind = "event"\ntitle.en = "One"  # kept as written',
        'kind = "event"\nsection = "s"\nwhen = "2020-06"\ntitle.en = "Uno"',
    ).replace('aliases = ["b",\n  "c"]', 'aliases = ["b"]')
    assert tomllib.loads(text)["item"][0]["when"] == "2020-06"


def test_items_removed_added_and_moved() -> None:
    tables = _tables(OLD)
    three = Table("item", "three", {"slug": "three", "kind": "theme", "title.en": "Three"})
    text = render_file(OLD, [tables[1], three])
    assert 'slug = "one"' not in text
    assert text.startswith('# A file.\n\n\n# --- Later ---\n\n[[item]]\nslug = "two"')
    assert text.endswith('[[item]]\nslug = "three"\nkind = "theme"\ntitle.en = "Three"\n')


def test_a_new_file() -> None:
    text = render_file(None, [Table("plan", "", {"year": 2020, "title.en": "Plan"})], "# New.\n")
    assert text == '# New.\n\n[plan]\nyear = 2020\ntitle.en = "Plan"\n'
