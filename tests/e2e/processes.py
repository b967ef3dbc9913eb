"""Helpers for tests that run ``python -m bot …`` as a process, as an operator would.

The process's output goes to a file (never a pipe that could fill up); Python's
ResourceWarnings are turned on, so an unclosed socket, connector or session shows in it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Words that mean something was left open or failed loudly.
UNCLEAN = ("Traceback", "Unclosed", "ResourceWarning", "unclosed", "Task was destroyed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bot_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The environment of a bot process: this one's, without any platform or bot setting,
    a SQLite database in ``tmp_path`` and a free port, then ``variables``."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "TELEGRAM_", "BOT_", "DATABASE_URL", "LOG_LEVEL"))
        and k not in ("PORT", "HOST", "PUBLIC_BASE_URL")
    }
    return {
        **keep,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(free_port()),
        "HOST": "127.0.0.1",
        **variables,
    }


@dataclass
class BotProcess:
    """A running ``python -m bot`` and its output file."""

    process: asyncio.subprocess.Process
    output: Path
    started: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return self.output.read_text(errors="replace")

    async def wait_for(self, needle: str, within: float = 60.0) -> None:
        """Until ``needle`` is in the output (fails if the process ends first)."""
        deadline = time.monotonic() + within
        while needle not in self.text:
            if self.process.returncode is not None:
                raise AssertionError(f"exited {self.process.returncode} first:\n{self.text}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not seen within {within} s:\n{self.text}")
            await asyncio.sleep(0.05)

    async def exit_code(self, within: float = 60.0) -> int:
        """Wait for the exit (killing it after ``within`` seconds, and failing)."""
        try:
            return await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"still running after {within} s:\n{self.text}") from None

    async def stop(self, within: float) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds it took (fails past ``within``)."""
        self.process.terminate()
        sent = time.monotonic()
        code = await self.exit_code(within)
        return code, time.monotonic() - sent


async def start_bot(
    tmp_path: Path, *args: str, env: Mapping[str, str], name: str = "bot"
) -> BotProcess:
    """``python -m bot ARGS`` with ``env``, its stdout and stderr in ``tmp_path/<name>.log``."""
    output = tmp_path / f"{name}.log"
    with output.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-W", "always::ResourceWarning", "-m", "bot", *args,
            cwd=str(ROOT), env=dict(env), stdout=out, stderr=out,
        )  # fmt: skip
    return BotProcess(process, output)


def assert_clean(text: str, *secrets: str) -> None:
    """Nothing left open, no traceback, no secret in a process's output."""
    for word in UNCLEAN:
        assert word not in text, f"{word!r} in the output:\n{text}"
    for secret in secrets:
        assert secret not in text, f"a secret in the output:\n{text}"


class BlackHole:
    """A TCP server on 127.0.0.1 that accepts connections and never answers: an API or a
    database that hangs. ``async with BlackHole() as hole:``; ``await hole.accepted.wait()``."""

    def __init__(self) -> None:
        self.port = 0
        self.accepted = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        self.accepted.set()
        await reader.read()  # until the client goes away

    async def __aenter__(self) -> BlackHole:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
