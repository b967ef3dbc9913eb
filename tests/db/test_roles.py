"""The staff role follows the settings: granted when listed, withdrawn when no longer listed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.core.messages import Incoming
from bot.core.user_cache import KnownUser
from bot.core.user_facts import pending_changes


def _user(role: str) -> KnownUser:
    return KnownUser(
        id=1,
        platform="telegram",
        platform_user_id="42",
        chat_id="42",
        language="en",
        language_choice=None,
        timezone=None,
        role=role,
        locale_hint=None,
        last_seen_at=datetime.now(UTC),
    )


MESSAGE = Incoming(platform="telegram", user_id="42", chat_id="42", text="hi")


def test_listed_member_becomes_staff() -> None:
    settings = Settings(staff_telegram_ids=frozenset({"42"}))
    assert pending_changes(_user("member"), MESSAGE, settings) == {"role": "staff"}


def test_staff_no_longer_listed_becomes_member() -> None:
    assert pending_changes(_user("staff"), MESSAGE, Settings()) == {"role": "member"}


def test_unchanged_role_writes_nothing() -> None:
    assert pending_changes(_user("member"), MESSAGE, Settings()) == {}
    vouched = Incoming(platform="slack", user_id="42", chat_id="D1", text="hi", staff=True)
    staff = _user("staff")
    assert "role" not in pending_changes(staff, vouched, Settings())
