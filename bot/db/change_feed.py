"""Which rows other processes changed, told over PostgreSQL ``LISTEN``/``NOTIFY``.

Several web processes share one PostgreSQL database, and each keeps what it last saw of a
member's conversation in memory. Without word of the others' writes a process must read the
row on every message (one round trip, most of the CPU a message costs there). With a
:class:`ChangeFeed`, a writer announces the keys it wrote inside its own transaction
(``pg_notify``: delivered on commit, never for a rolled-back write), and every other process
drops those keys from its cache. A process trusts its cache only while it listens: until the
first ``LISTEN`` and after a lost connection it reads every time, and when it listens again it
forgets everything, since notices may have been missed meanwhile.

Channels are named after the schema (``current_schema()``), so that two deployments (or
two tests) sharing a database never hear each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import CONNECT_TIMEOUT, Database

__all__ = ["MAX_PAYLOAD", "ChangeFeed"]

log = logging.getLogger(__name__)

# PostgreSQL refuses payloads of 8,000 bytes or more: longer lists of keys go in several.
MAX_PAYLOAD = 7000
# How often the listening connection is checked (a peer gone without a word is found here).
_CHECK_EVERY = 30.0

Key = tuple[str, ...]


class ChangeFeed:
    """Keys written by this process, announced; keys written by others, heard.

    Args:
        db: The PostgreSQL database (SQLite has one process: it needs no feed).
        topic: What changes (``"conversations"``); the channel is ``<topic>_<schema>``.
        retry: Seconds between attempts to listen again after a failure.
        check_every: Seconds between checks that the listening connection still answers.
    """

    def __init__(
        self,
        db: Database,
        topic: str,
        *,
        retry: float = 5.0,
        check_every: float = _CHECK_EVERY,
    ) -> None:
        if db.is_sqlite:
            raise ValueError("a change feed needs PostgreSQL (SQLite has a single process)")
        self.db = db
        self.topic = topic
        self.retry = retry
        self.check_every = check_every
        # Who wrote: a process hears its own notices too, and ignores them.
        self.origin = uuid.uuid4().hex[:16]
        self._on_change: list[Callable[[list[Key]], None]] = []
        self._on_reset: list[Callable[[], None]] = []
        self._live = False
        self._task: asyncio.Task[None] | None = None
        self._lost: asyncio.Event | None = None

    @property
    def live(self) -> bool:
        """Whether this process hears every change now (its cache may be trusted)."""
        return self._live

    def on_change(self, callback: Callable[[list[Key]], None]) -> None:
        """Call ``callback(keys)`` when another process wrote ``keys``."""
        self._on_change.append(callback)

    def on_reset(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when listening (again): what is cached may be stale."""
        self._on_reset.append(callback)

    def start(self) -> None:
        """Start listening in the background (once; later calls do nothing)."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name=f"{self.topic}-feed")

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        self._live = False
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def announce(self, session: AsyncSession, keys: Iterable[Hashable]) -> None:
        """Tell the other processes, within ``session``'s transaction, that ``keys`` changed
        (they hear it when the transaction commits)."""
        for payload in self.payloads(keys):
            await session.execute(
                text("SELECT pg_notify(:prefix || current_schema(), :payload)"),
                {"prefix": f"{self.topic}_", "payload": payload},
            )

    def payloads(self, keys: Iterable[Hashable]) -> list[str]:
        """``keys`` as notice payloads, each under :data:`MAX_PAYLOAD` bytes."""
        payloads: list[str] = []
        chunk: list[list[str]] = []
        size = 0
        for key in keys:
            item = [str(part) for part in key]  # type: ignore[attr-defined]
            length = len(json.dumps(item, ensure_ascii=False).encode()) + 1
            if chunk and size + length > MAX_PAYLOAD - 64:
                payloads.append(self._payload(chunk))
                chunk, size = [], 0
            chunk.append(item)
            size += length
        if chunk:
            payloads.append(self._payload(chunk))
        return payloads

    def _payload(self, keys: Sequence[list[str]]) -> str:
        return json.dumps({"o": self.origin, "k": keys}, ensure_ascii=False, separators=(",", ":"))

    # --- listening ---------------------------------------------------------------------------

    async def _listen(self) -> None:
        failing = False
        while True:
            try:
                await self._listen_once()
                failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:  # once per outage, not once per attempt
                    log.warning(
                        "%s feed: not listening (%s); reading the database on every message "
                        "until it listens again",
                        self.topic,
                        type(exc).__name__,
                    )
                failing = True
            finally:
                self._live = False
            await asyncio.sleep(self.retry)

    async def _listen_once(self) -> None:
        import asyncpg

        dsn = make_url(self.db.url).set(drivername="postgresql")
        connection = await asyncpg.connect(
            dsn.render_as_string(hide_password=False),
            timeout=CONNECT_TIMEOUT,
            server_settings={"application_name": f"bot-{self.topic}-feed"},
        )
        lost = asyncio.Event()
        try:
            schema = await connection.fetchval("SELECT current_schema()")
            connection.add_termination_listener(lambda _connection: self._lose(lost))
            await connection.add_listener(f"{self.topic}_{schema}", self._heard)
            # From now on no change goes unheard: forget what may have changed before.
            for callback in self._on_reset:
                callback()
            self._live = True
            log.info("%s feed: listening", self.topic)
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self.check_every)
                if not lost.is_set():
                    await connection.fetchval("SELECT 1", timeout=CONNECT_TIMEOUT)
            raise ConnectionError("the listening connection was closed")
        finally:
            self._live = False
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)

    def _lose(self, lost: asyncio.Event) -> None:
        # From the moment the connection is gone, notices may be missed.
        self._live = False
        lost.set()

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            notice = json.loads(payload)
            origin = notice["o"]
            keys = [tuple(str(part) for part in key) for key in notice["k"]]
        except (ValueError, KeyError, TypeError):
            # Which keys it meant is unknown: nothing cached can be trusted.
            log.warning("%s feed: a notice it cannot read (%d bytes)", self.topic, len(payload))
            for reset in self._on_reset:
                reset()
            return
        if origin == self.origin:
            return
        for callback in self._on_change:
            try:
                callback(keys)
            except Exception:
                log.exception("%s feed: a change callback failed", self.topic)
