"""How each platform is paced, leased and retried: :class:`SendPolicy`, from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings

__all__ = ["SendPolicy", "policy_for"]


@dataclass(frozen=True)
class SendPolicy:
    """How one platform is paced and retried.

    Attributes:
        rate: Messages per second overall (Telegram about 30/s in bulk: we keep under 25).
        per_chat: Seconds between two messages to one chat (both platforms: about 1/s; the
            margin absorbs network jitter).
        concurrency: Requests in flight at once (the pacer still spaces them).
        batch: Rows leased per claim.
        lease_seconds: How long a claim is ours; an expired lease (a killed process) lets
            another sender take the row.
        max_attempts: Attempts (rate limits excluded) before a row is marked failed.
        backoff_base: First retry delay after an error, doubled each attempt.
        backoff_max: Longest retry delay.
        poll_seconds: How often to look for due rows when not woken up.
    """

    rate: float = 25.0
    per_chat: float = 1.05
    concurrency: int = 8
    batch: int = 50
    lease_seconds: float = 120.0
    max_attempts: int = 5
    backoff_base: float = 5.0
    backoff_max: float = 900.0
    poll_seconds: float = 1.0


def policy_for(platform: str, settings: Settings | None = None) -> SendPolicy:
    """The policy of a platform, with the send rate and delivery lease of ``settings``
    (``TELEGRAM_SEND_RATE``, ``SLACK_SEND_RATE``, ``DELIVERY_LEASE_SECONDS``; the settings'
    defaults when none are given)."""
    settings = settings or Settings()
    lease = settings.delivery_lease_seconds
    if platform == "slack":
        # chat.postMessage: about 1/s per channel; the workspace tolerates short bursts.
        return SendPolicy(rate=settings.slack_send_rate, per_chat=1.05, lease_seconds=lease)
    if platform == "console":
        return SendPolicy(rate=1000.0, per_chat=0.0, concurrency=1, lease_seconds=lease)
    return SendPolicy(rate=settings.telegram_send_rate, lease_seconds=lease)
