"""Members of SLACK_STAFF_CHANNEL are staff: the cached member list."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.staff import StaffChannel


class FakeClient:
    def __init__(self, pages: list[list[str]]) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []
        self.fail = False

    async def conversations_members(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        if self.fail:
            raise SlackApiError("no", {"ok": False, "error": "channel_not_found"})
        page = int(kwargs.get("cursor") or 0)
        more = page + 1 < len(self.pages)
        return {
            "ok": True,
            "members": self.pages[page],
            "response_metadata": {"next_cursor": str(page + 1) if more else ""},
        }


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_members_are_read_page_by_page_and_cached() -> None:
    client, clock = FakeClient([["U1", "U2"], ["U3"]]), Clock()
    staff = StaffChannel(client, "CSTAFF", ttl=300, clock=clock)  # type: ignore[arg-type]
    assert await staff.has("U3") and await staff.has("U1")
    assert not await staff.has("U9") and not await staff.has("")
    assert len(client.calls) == 2 and client.calls[0]["channel"] == "CSTAFF"
    clock.now = 301
    client.pages = [["U9"]]
    assert await staff.has("U9") and not await staff.has("U1")


async def test_no_channel_means_no_staff_and_no_call() -> None:
    client = FakeClient([["U1"]])
    staff = StaffChannel(client, None)  # type: ignore[arg-type]
    assert not await staff.has("U1")
    assert client.calls == []


async def test_a_failed_lookup_grants_nothing_new(caplog: pytest.LogCaptureFixture) -> None:
    client, clock = FakeClient([["U1"]]), Clock()
    client.fail = True
    staff = StaffChannel(client, "CSTAFF", clock=clock)  # type: ignore[arg-type]
    assert not await staff.has("U1")
    assert "staff channel members unavailable" in caplog.text
    clock.now = 61
    client.fail = False
    assert await staff.has("U1")
