"""The deliveries outbox: planned once, claimed with a lease, marked right after sending.

Life of a delivery::

    enqueue ──> pending ──claim (lease)──> send ──> sent
                   ^  │                      ├──> pending again (retry_after / error, backoff)
                   │  │                      ├──> failed   (permanent error, or last attempt)
                   │  └──(expired / unsubscribed at claim)──> skipped
                   └── lease expired (the sender died): claimable again

- **Once**: every row has a unique ``key`` built from (kind, item, occurrence, platform,
  recipient); :func:`enqueue` is ``INSERT … ON CONFLICT (key) DO NOTHING`` in the database's own
  dialect, so planning twice, or two planners, insert one row.
- **Claims**: :func:`claim` takes due rows whose lease is free or expired and leases them to an
  owner. PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then ``UPDATE`` in one transaction, so
  any number of processes share the work. SQLite: the same inside ``BEGIN IMMEDIATE``
  (:meth:`Database.write`), which serialises claimers.
- **Marks**: :func:`mark_sent` commits right after the platform accepted the message; a process
  killed between the two re-sends at most the messages it had in flight once their lease expires.
- Nothing is silently dropped: rows end ``sent``, ``failed`` (with ``last_error``) or
  ``skipped`` (with the reason in ``last_error``).

The package's modules: :mod:`.rows` (what a delivery is), :mod:`.queue` (enqueue, claim),
:mod:`.marks` (what came of a send), :mod:`.views` (counts for staff). Everything is used as
``bot.db.outbox.<name>``.
"""

from __future__ import annotations

from bot.db.outbox.marks import (
    mark_failed,
    mark_retry,
    mark_sent,
    mark_sent_many,
    mark_skipped,
    recipient_gone,
    release,
)
from bot.db.outbox.queue import claim, enqueue
from bot.db.outbox.rows import STATUSES, Claimed, Planned, delivery_key
from bot.db.outbox.views import counts, failed_deliveries

__all__ = [
    "STATUSES",
    "Claimed",
    "Planned",
    "claim",
    "counts",
    "delivery_key",
    "enqueue",
    "failed_deliveries",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "mark_sent_many",
    "mark_skipped",
    "recipient_gone",
    "release",
]
