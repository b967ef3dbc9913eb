"""What a delivery is: the row the planner asks for, the row a sender leases, its key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["STATUSES", "Claimed", "Planned", "delivery_key"]

STATUSES = ("pending", "sent", "failed", "skipped")


def delivery_key(kind: str, item: str | None, occurrence: str, platform: str, chat_id: str) -> str:
    """The unique key of a delivery: what, which occurrence, to whom."""
    return f"{kind}|{item or '-'}|{occurrence}|{platform}|{chat_id}"[:255]


@dataclass(frozen=True)
class Planned:
    """A delivery the planner wants in the outbox.

    Attributes:
        due_at: When it may be sent (``next_attempt_at``).
        expires_at: After this instant it is no longer useful and is skipped, not sent.
        status: ``"pending"``, or ``"skipped"`` to record an occurrence that fell due while
            the bot was down and is no longer useful (``reason`` says why).
    """

    kind: str
    item_slug: str | None
    occurrence: str
    platform: str
    chat_id: str
    language: str
    due_at: datetime
    expires_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None
    subscription_id: int | None = None
    status: str = "pending"
    reason: str | None = None

    @property
    def key(self) -> str:
        """The unique key (see :func:`delivery_key`)."""
        return delivery_key(self.kind, self.item_slug, self.occurrence, self.platform, self.chat_id)


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to one sender."""

    id: int
    key: str
    kind: str
    item_slug: str | None
    occurrence: str
    platform: str
    chat_id: str
    user_id: int | None
    subscription_id: int | None
    language: str
    payload: dict[str, Any]
    attempts: int
    due_at: datetime
    expires_at: datetime | None
    lease_owner: str
    lease_until: datetime
