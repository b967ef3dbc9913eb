"""Reply → Block Kit: escaping, Slack's limits, buttons; Slack text → plain text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.slack.adapter import split_share
from bot.adapters.slack.convert import (
    MAX_BLOCKS,
    MAX_SECTION,
    escape,
    from_slack,
    to_messages,
)
from bot.core.messages import Button, Reply

DANGEROUS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U024BE7LH>",
    "<#C024BE7LR>",
    "<https://evil.example|click>",
    "<!subteam^S123>",
]


def _mrkdwn_texts(reply: Reply) -> list[str]:
    """Every text Slack parses for mentions: mrkdwn objects and the fallback text.

    (Button labels are ``plain_text``, which Slack shows literally and never parses.)
    """
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for message in to_messages(reply):
        found.append(message.text)
        walk(message.blocks)
    return found


@pytest.mark.parametrize("attack", DANGEROUS)
def test_nothing_can_mention_or_link(attack: str):
    reply = Reply(
        text=f"a {attack} b", language="en", title=attack, buttons=((Button(attack, "cmd:help"),),)
    )
    texts = _mrkdwn_texts(reply)
    assert len(texts) >= 2
    for text in texts:
        assert "<" not in text and ">" not in text
        assert attack.replace("<", "&lt;").replace(">", "&gt;") in text


def test_bare_broadcast_words_are_defused():
    out = escape("ping @channel and @here and @Everyone")
    assert "@channel" not in out and "@here" not in out and "@Everyone" not in out
    assert out.replace("\u2060", "") == "ping @channel and @here and @Everyone"


def test_ampersand_is_escaped_once():
    assert escape("R&D <b>") == "R&amp;D &lt;b&gt;"


@given(st.text(alphabet=st.sampled_from("<>&!@#abc \n•é"), max_size=9000))
def test_any_text_fits_and_stays_inert(text: str):
    reply = Reply(text=text or " ", language="es", title="T<>")
    messages = to_messages(reply)
    assert messages
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        for block in message.blocks:
            if block["type"] == "section":
                body = block["text"]["text"]
                assert 0 < len(body) <= MAX_SECTION
                assert "<" not in body and ">" not in body
                # no entity cut in half at either end
                assert not body.rstrip().endswith(("&", "&a", "&am", "&l", "&g", "&amp"))


def test_long_reply_is_split_in_sections_and_messages():
    lines = [f"• item {n} " + "x" * 150 for n in range(1200)]  # ~190,000 characters
    messages = to_messages(Reply(text="\n".join(lines), language="en", title="Long"))
    assert len(messages) > 1
    assert all(len(m.blocks) <= MAX_BLOCKS for m in messages)
    sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
    assert all(len(s) <= MAX_SECTION for s in sections)
    joined = "\n".join(sections)
    assert "item 0 " in joined and "item 1199 " in joined
    assert sections[0].startswith("*Long*")
    assert all(len(m.text) <= 3001 for m in messages)


def test_a_single_huge_line_is_cut():
    messages = to_messages(Reply(text="&" * 10_000, language="en"))
    sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
    assert "".join(sections) == "&amp;" * 10_000
    assert all(len(s) <= MAX_SECTION for s in sections)


def test_buttons_become_actions_blocks():
    reply = Reply(
        text="Pick",
        language="fr",
        buttons=(
            (Button("M'abonner", "sub:mega"), Button("Plus", "cmd:next")),
            (Button("Encore", "sub:mega"), Button("Encore", "sub:mega")),
        ),
    )
    (message,) = to_messages(reply)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert len(actions) == 2
    first = actions[0]["elements"]
    assert [(e["action_id"], e["value"]) for e in first] == [
        ("sub:mega", "sub:mega"),
        ("cmd:next", "cmd:next"),
    ]
    second = actions[1]["elements"]
    assert len({e["action_id"] for e in second}) == 2  # unique within the block
    assert {e["value"] for e in second} == {"sub:mega"}
    assert len({b["block_id"] for b in actions}) == 2


def test_many_buttons_and_long_labels_fit():
    row = tuple(Button("L" * 200, f"sub:item{n}") for n in range(30))
    (message,) = to_messages(Reply(text="x", language="en", buttons=(row,)))
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert all(len(e["text"]["text"]) <= 75 for a in actions for e in a["elements"])


def test_document_is_named():
    (message,) = to_messages(Reply(text="x", language="en", document=("<plan>.ics", b"")))
    assert "&lt;plan&gt;.ics" in json.dumps(message.blocks)


@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        ("<@UBOT0001> ¿qué hay en junio?", "¿qué hay en junio?"),
        ("<@UBOT0001|metropolis> hola", "hola"),
        ("hi <@U0OTHER|ana> &amp; <@U0THIRD>", "hi @ana & @U0THIRD"),
        ("<!channel> next events", "@channel next events"),
        ("&lt;!channel&gt; typed", "<!channel> typed"),
        (
            "see <https://metropolis.org|our site> or <https://x.org>",
            "see our site or https://x.org",
        ),
        ("in <#C0000GEN|general>", "in #general"),
        ("a  b\n c", "a b\n c"),
    ],
)
def test_from_slack(slack_text: str, plain: str):
    assert from_slack(slack_text, bot_user_id="UBOT0001") == plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eventos de junio", ("eventos de junio", False)),
        ("compartir eventos de junio", ("eventos de junio", True)),
        ("events in June share", ("events in June", True)),
        ("événements en novembre partager", ("événements en novembre", True)),
        ("Partager! événements", ("événements", True)),
        ("how do I share data?", ("how do I share data?", False)),
        ("", ("", False)),
    ],
)
def test_split_share(text: str, expected: tuple[str, bool]):
    assert split_share(text) == expected


def test_link_buttons_open_their_address() -> None:
    reply = Reply(
        "x",
        "en",
        buttons=((Button("Site", url="https://example.org/a"), Button("More", "~more:nx::10")),),
    )
    (message,) = to_messages(reply)
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    link, more = actions["elements"]
    assert link["url"] == "https://example.org/a" and link["action_id"].startswith("link:")
    assert "value" not in link
    assert more["value"] == "~more:nx::10" and "url" not in more
