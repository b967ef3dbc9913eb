"""The core's cache of recently seen users: LRU, time to live, written through."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.user_cache import KnownUser, UserCache


def _user(uid: str, language: str = "en") -> KnownUser:
    return KnownUser(
        id=1,
        platform="telegram",
        platform_user_id=uid,
        chat_id=uid,
        language=language,
        language_choice=None,
        timezone=None,
        role="member",
        locale_hint=None,
        last_seen_at=datetime.now(UTC),
    )


def test_put_get_and_replace() -> None:
    cache = UserCache()
    cache.put(_user("1"))
    cache.put(_user("1", "fr"))
    found = cache.get("telegram", "1")
    assert found is not None and found.language == "fr"
    assert cache.get("slack", "1") is None


def test_least_recently_used_goes_first() -> None:
    cache = UserCache(size=2)
    cache.put(_user("1"))
    cache.put(_user("2"))
    assert cache.get("telegram", "1") is not None  # 1 is now the most recent
    cache.put(_user("3"))
    assert cache.get("telegram", "2") is None
    assert cache.get("telegram", "1") is not None


def test_expired_entries_are_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("bot.core.user_cache.time.monotonic", lambda: now[0])
    cache = UserCache(ttl=30)
    cache.put(_user("1"))
    now[0] += 29
    assert cache.get("telegram", "1") is not None
    now[0] += 2
    assert cache.get("telegram", "1") is None


def test_drop_forgets() -> None:
    cache = UserCache()
    cache.put(_user("1"))
    cache.drop("telegram", "1")
    assert cache.get("telegram", "1") is None
