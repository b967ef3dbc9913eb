"""The send rates and the two leases are settings, with today's defaults, and reach the
workers the composition root builds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.adapters.console import ConsoleSender
from bot.app import App, build_senders
from bot.config import Settings, load_settings
from bot.db.leases import LeasedService
from scheduler.clock import clock_services
from scheduler.senders import DeliveryWorker, policy_for


def test_the_defaults_are_the_former_constants() -> None:
    settings = load_settings({})
    assert (
        settings.telegram_send_rate,
        settings.slack_send_rate,
        settings.delivery_lease_seconds,
        settings.sender_lease_seconds,
    ) == (25.0, 20.0, 120.0, 30.0)
    telegram, slack = policy_for("telegram"), policy_for("slack")
    assert (telegram.rate, telegram.per_chat, telegram.lease_seconds) == (25.0, 1.05, 120.0)
    assert (slack.rate, slack.per_chat, slack.lease_seconds) == (20.0, 1.05, 120.0)
    assert policy_for("telegram", settings) == telegram


def test_the_environment_sets_rates_and_leases() -> None:
    settings = load_settings(
        {
            "TELEGRAM_SEND_RATE": "250",
            "SLACK_SEND_RATE": "2.5",
            "DELIVERY_LEASE_SECONDS": "3",
            "SENDER_LEASE_SECONDS": "1.5",
        }
    )
    telegram, slack, console = (policy_for(p, settings) for p in ("telegram", "slack", "console"))
    assert (telegram.rate, telegram.lease_seconds) == (250.0, 3.0)
    assert (slack.rate, slack.per_chat, slack.lease_seconds) == (2.5, 1.05, 3.0)
    assert (console.rate, console.lease_seconds) == (1000.0, 3.0)
    assert settings.sender_lease_seconds == 1.5


@pytest.mark.parametrize("raw", ["0", "-1", "fast", "inf", "nan"])
def test_a_rate_that_cannot_be_used_is_refused_by_name(raw: str) -> None:
    with pytest.raises(ValueError, match="TELEGRAM_SEND_RATE must be a positive number"):
        load_settings({"TELEGRAM_SEND_RATE": raw})


async def test_the_clock_services_use_the_settings(plan_app: App) -> None:
    settings = replace(
        plan_app.settings,
        telegram_token="123:fake",
        telegram_send_rate=99.0,
        delivery_lease_seconds=7.0,
        sender_lease_seconds=2.0,
    )
    senders = build_senders(settings)
    try:
        assert [s.platform for s in senders] == ["telegram", "console"]
        services = clock_services(replace(plan_app, settings=settings), senders)
        leased = [s for s in services if isinstance(s, LeasedService)]
        assert [(s.lease, s.ttl) for s in leased] == [
            ("sender:telegram", 2.0),
            ("sender:console", 2.0),
        ]
        workers = [s.service for s in leased]
        assert all(isinstance(w, DeliveryWorker) for w in workers)
        telegram = workers[0]
        assert isinstance(telegram, DeliveryWorker)
        assert (telegram.policy.rate, telegram.policy.lease_seconds) == (99.0, 7.0)
        assert telegram.pacer.rate == 99.0
    finally:
        for sender in senders:
            close = getattr(sender, "close", None)
            if close is not None:
                await close()


def test_without_tokens_only_the_console_is_built() -> None:
    (only,) = build_senders(Settings())
    assert isinstance(only, ConsoleSender)
