"""SlackSender against the fake Web API: delivered, rate-limited, permanent and other failures."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.slack.sender import SlackSender, make_client, pinned_logger
from bot.core.messages import Address, Button, Reply
from bot.core.ports import Sender
from tests.fakes.slack_api import FakeSlackAPI

REPLY = Reply(
    text="• Congress <!channel> & friends",
    language="en",
    title="Reminder",
    buttons=((Button("Unsubscribe", "unsub:mega"),),),
)
TO = Address("slack", "C0000GEN")


@pytest.fixture
async def fake():
    api = await FakeSlackAPI().start()
    yield api
    await api.stop()


@pytest.fixture
async def sender(fake):
    s = SlackSender(fake.token, fake.api_url)
    yield s
    await s.close()


async def test_is_a_sender(sender):
    typed: Sender = sender  # the Protocol the outbox uses
    assert typed.platform == "slack"
    assert "xoxb" not in repr(sender)


async def test_delivers_escaped_blocks_with_buttons(sender, fake):
    result = await sender.send(TO, REPLY)
    assert result.ok and result.retry_after is None and not result.permanent
    (call,) = fake.of("chat.postMessage")
    assert call.args["channel"] == "C0000GEN"
    assert call.token == fake.token
    text = call.all_text()
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "&amp;" in text
    actions = [b for b in call.blocks() if b["type"] == "actions"]
    assert actions[0]["elements"][0]["value"] == "unsub:mega"
    assert actions[0]["elements"][0]["action_id"] == "unsub:mega"


async def test_rate_limited_reports_retry_after_without_waiting(sender, fake):
    fake.rate_limit("chat.postMessage", retry_after=7)
    result = await sender.send(TO, REPLY)
    assert not result.ok and result.retry_after == 7 and not result.permanent
    assert len(fake.of("chat.postMessage")) == 1  # no retry inside the sender
    assert (await sender.send(TO, REPLY)).ok


@pytest.mark.parametrize(
    "error", ["channel_not_found", "not_in_channel", "account_inactive", "is_archived"]
)
async def test_gone_channels_are_permanent(sender, fake, error):
    fake.fail("chat.postMessage", error)
    result = await sender.send(TO, REPLY)
    assert not result.ok and result.permanent and result.error == error


async def test_other_errors_are_not_permanent(sender, fake):
    fake.fail("chat.postMessage", "internal_error")
    result = await sender.send(TO, REPLY)
    assert not result.ok and not result.permanent and result.retry_after is None
    assert result.error == "internal_error"


async def test_network_failure_is_reported_not_raised(fake):
    port = fake.port
    await fake.stop()
    sender = SlackSender("xoxb-test-token", f"http://127.0.0.1:{port}/api/", timeout=2)
    try:
        result = await sender.send(TO, REPLY)
    finally:
        await sender.close()
    assert not result.ok and not result.permanent
    assert result.error and result.error.startswith("network")
    assert "xoxb" not in result.error


async def test_wrong_platform_is_refused(sender, fake):
    result = await sender.send(Address("telegram", "1"), REPLY)
    assert not result.ok and result.permanent
    assert fake.calls == []


async def test_document_is_uploaded(sender, fake):
    reply = Reply(text="Your calendar", language="en", document=("plan.ics", b"BEGIN:VCALENDAR"))
    assert (await sender.send(TO, reply)).ok
    await fake.wait_for("files.completeUploadExternal")
    assert fake.of("upload")[0].args["size"] == len(b"BEGIN:VCALENDAR")


async def test_close_twice_is_fine(sender):
    await sender.close()
    await sender.close()


@pytest.fixture
def levels():
    """Set loggers' levels for a test; restored after it with setLevel (which also clears
    logging's per-logger caches, unlike assigning ``level``)."""
    saved: dict[str, int] = {}

    def set_level(name: str, level: int) -> None:
        logger = logging.getLogger(name)
        saved.setdefault(name, logger.level)
        logger.setLevel(level)

    yield set_level
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_pinned_logger_takes_the_level_in_effect(levels):
    # slack_sdk and bolt test ``logger.level <= DEBUG`` before building their debug lines:
    # a NOTSET logger would make every call format its whole request for nothing.
    levels("bot", logging.WARNING)
    levels("bot.tests.pinned.unset", logging.NOTSET)
    assert pinned_logger("bot.tests.pinned.unset").level == logging.WARNING
    levels("bot.tests.pinned.debug", logging.DEBUG)
    assert pinned_logger("bot.tests.pinned.debug").level == logging.DEBUG  # explicit: kept


async def test_client_does_not_format_debug_lines_unless_asked(fake, levels):
    levels("bot.adapters.slack.web_api", logging.NOTSET)
    levels("bot", logging.INFO)
    client = make_client(fake.token, fake.api_url)
    assert client.logger.name == "bot.adapters.slack.web_api"
    assert client.logger.level == logging.INFO
    levels("bot.adapters.slack.web_api", logging.NOTSET)
    levels("bot", logging.DEBUG)
    assert make_client(fake.token, fake.api_url).logger.level == logging.DEBUG
