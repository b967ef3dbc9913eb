"""The process's log (``bot.logs``): secrets and SQL parameters never reach it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.logs import secrets_of

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import logging
from bot.logs import configure_logging
configure_logging("DEBUG", ["123456:ABCDEFGHIJsecret", "xoxb-1-secret"])
logging.getLogger("aiosqlite").debug("executing UPDATE users SET calendar_token=? ('tok1')")
logging.getLogger("sqlalchemy.engine.Engine").info("[generated] ('tok2',)")
log = logging.getLogger("somewhere.else")
log.debug("GET /bot123456:ABCDEFGHIJsecret/getMe and /calendar/Tok3_abc.ics")
try:
    raise RuntimeError("xoxb-1-secret at /calendar/Tok4")
except RuntimeError:
    log.exception("failed")
log.info("still here")
"""


def test_secrets_calendar_paths_and_sql_parameters_never_reach_the_output():
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    err = result.stderr
    assert "still here" in err and "Traceback" in err  # a bug's traceback stays
    for secret in ("ABCDEFGHIJsecret", "xoxb-1-secret", "tok1", "tok2", "Tok3", "Tok4"):
        assert secret not in err, err
    assert "/bot123456:***/getMe" in err or "/bot***/getMe" in err
    assert "/calendar/***" in err


def test_a_bad_log_level_is_a_configuration_error():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"LOG_LEVEL": "verbose", "PATH": ""},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "configuration error: LOG_LEVEL is not a log level: 'verbose'"


def test_the_secrets_are_every_token_and_the_database_password():
    settings = Settings(
        database_url="postgresql+asyncpg://bot:pa55word@db.example/bot",
        telegram_token="1:tg",
        telegram_webhook_secret="hook",
        slack_bot_token="xoxb-b",
        slack_app_token="xapp-a",
        slack_signing_secret="sign",
    )
    assert sorted(secrets_of(settings)) == sorted(
        ["1:tg", "hook", "xoxb-b", "xapp-a", "sign", "pa55word"]
    )
    assert secrets_of(Settings()) == []
