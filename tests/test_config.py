"""Settings from the environment: HOST and BOT_NOW, and how the clock follows them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import clock_for
from bot.config import load_settings
from bot.core.ports import OffsetClock, SystemClock

MADRID = ZoneInfo("Europe/Madrid")


def test_host_defaults_to_every_interface_and_can_be_set():
    assert load_settings({}).host == "0.0.0.0"
    assert load_settings({"HOST": "127.0.0.1"}).host == "127.0.0.1"
    assert load_settings({"HOST": "  "}).host == "0.0.0.0"


def test_bot_now_is_a_local_time_in_the_bots_time_zone():
    settings = load_settings({"BOT_NOW": "2019-06-13T09:00"})
    assert settings.now == datetime(2019, 6, 13, 9, 0, tzinfo=MADRID)
    mexico = load_settings({"BOT_NOW": "2019-06-13T09:00", "BOT_TIMEZONE": "America/Mexico_City"})
    assert mexico.now is not None and mexico.now.utcoffset() == timedelta(hours=-5)


def test_bot_now_with_an_offset_is_that_instant():
    settings = load_settings({"BOT_NOW": "2019-06-13T07:00+00:00"})
    assert settings.now == datetime(2019, 6, 13, 7, 0, tzinfo=UTC)
    assert settings.now is not None and settings.now.tzinfo == MADRID


@pytest.mark.parametrize("raw", ["2019-06-13", "13/06/2019 09:00", "tomorrow", "2019-06-13T25:00"])
def test_a_bot_now_without_a_usable_time_is_refused_naming_the_variable(raw: str):
    with pytest.raises(ValueError, match="BOT_NOW must be YYYY-MM-DDTHH:MM"):
        load_settings({"BOT_NOW": raw})


def test_bot_now_and_bot_today_together_are_refused():
    with pytest.raises(ValueError, match="BOT_NOW or BOT_TODAY"):
        load_settings({"BOT_NOW": "2019-06-13T09:00", "BOT_TODAY": "2019-06-13"})


def test_the_clock_starts_at_bot_now_and_keeps_running():
    clock = clock_for(load_settings({"BOT_NOW": "2019-06-13T09:00"}))
    assert isinstance(clock, OffsetClock)
    first = clock.now()
    assert first.date() == date(2019, 6, 13) and (first.hour, first.minute) == (9, 0)
    assert clock.now() >= first  # a moved clock, not a stopped one
    assert first - datetime(2019, 6, 13, 9, 0, tzinfo=MADRID) < timedelta(minutes=1)


def test_bot_today_keeps_the_real_time_of_day_and_no_setting_is_the_real_clock():
    moved = clock_for(load_settings({"BOT_TODAY": "2019-06-13"}))
    assert moved.today() in (date(2019, 6, 13), date(2019, 6, 14))  # near midnight it moves on
    assert isinstance(clock_for(load_settings({})), SystemClock)


def test_the_today_flag_wins_over_bot_now(monkeypatch: pytest.MonkeyPatch):
    from bot.__main__ import _parser, _settings

    monkeypatch.setenv("BOT_NOW", "2019-06-13T09:00")
    monkeypatch.delenv("BOT_TODAY", raising=False)
    settings = _settings(_parser().parse_args(["ask", "--today", "2019-03-01", "hola"]))
    assert settings.now is None and settings.today == date(2019, 3, 1)
