"""``python -m bot run`` (and ``worker``, ``serve``) that cannot start: one line naming the
variable, the cause's exit code, nothing left open — against fake APIs on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.startup import ExitCode
from tests.e2e.processes import assert_clean, bot_env, free_port, start_bot
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.slow

WRONG_TELEGRAM = "999999:WRONG-token-ABCdefGHIjkl"
SLACK_TOKEN = "xoxb-right-token-1234"


async def failed_start(tmp_path: Path, *args: str, **variables: str) -> tuple[int, str]:
    bot = await start_bot(tmp_path, *args, env=bot_env(tmp_path, **variables))
    code = await bot.exit_code(within=60)
    return code, bot.text


async def test_a_telegram_token_refused_with_401(tmp_path: Path):
    async with FakeTelegramAPI() as api:
        code, output = await failed_start(
            tmp_path,
            "run",
            "--no-console",
            TELEGRAM_BOT_TOKEN=WRONG_TELEGRAM,
            TELEGRAM_API_URL=api.url,
        )
        assert [c.method for c in api.calls] == []  # refused before any method ran
    assert code == ExitCode.REFUSED == 5
    assert output.strip() == (
        "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token"
    )
    assert_clean(output, WRONG_TELEGRAM, "WRONG-token")


async def test_the_clock_alone_checks_the_telegram_token(tmp_path: Path):
    # The clock only sends: without its own check it met the refusal at the first delivery.
    async with FakeTelegramAPI() as api:
        code, output = await failed_start(
            tmp_path, "clock", TELEGRAM_BOT_TOKEN=WRONG_TELEGRAM, TELEGRAM_API_URL=api.url
        )
        assert [c.method for c in api.calls] == []
    assert code == ExitCode.REFUSED
    assert output.strip() == (
        "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token"
    )
    assert_clean(output, WRONG_TELEGRAM, "WRONG-token")


async def test_a_telegram_api_that_cannot_be_reached(tmp_path: Path):
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    code, output = await failed_start(
        tmp_path, "run", "--no-console", TELEGRAM_BOT_TOKEN=WRONG_TELEGRAM, TELEGRAM_API_URL=url
    )
    assert code == ExitCode.UNREACHABLE
    assert output.startswith(f"cannot reach Telegram at TELEGRAM_API_URL ({url}): NetworkError")
    assert output.strip().endswith("check the network and TELEGRAM_API_URL")
    assert len(output.strip().splitlines()) == 1
    assert_clean(output, WRONG_TELEGRAM, "WRONG-token")


@pytest.fixture
async def slack_api() -> FakeSlackAPI:
    fake = await FakeSlackAPI(token=SLACK_TOKEN, app_token="xapp-right").start()
    yield fake  # type: ignore[misc]
    await fake.stop()


async def test_a_slack_bot_token_refused_in_http_mode(tmp_path: Path, slack_api: FakeSlackAPI):
    code, output = await failed_start(
        tmp_path,
        "run",
        "--no-console",
        SLACK_BOT_TOKEN="xoxb-wrong-token",
        SLACK_SIGNING_SECRET="signing-secret-1",
        SLACK_API_URL=slack_api.api_url,
    )
    assert code == ExitCode.REFUSED
    assert output.strip() == "Slack refused SLACK_BOT_TOKEN (invalid_auth): check the token"
    assert_clean(output, "xoxb-wrong-token", "signing-secret-1")


async def test_a_slack_app_token_refused_in_socket_mode(tmp_path: Path, slack_api: FakeSlackAPI):
    code, output = await failed_start(
        tmp_path,
        "worker",
        SLACK_BOT_TOKEN=SLACK_TOKEN,
        SLACK_APP_TOKEN="xapp-wrong-token",
        SLACK_API_URL=slack_api.api_url,
    )
    assert code == ExitCode.REFUSED
    assert output.strip() == "Slack refused SLACK_APP_TOKEN (invalid_auth): check the token"
    assert len(slack_api.of("apps.connections.open")) == 1  # asked once, no retries
    assert_clean(output, "xapp-wrong-token", SLACK_TOKEN)


async def test_the_clock_alone_checks_the_slack_token(tmp_path: Path, slack_api: FakeSlackAPI):
    code, output = await failed_start(
        tmp_path, "clock", SLACK_BOT_TOKEN="xoxb-wrong-token", SLACK_API_URL=slack_api.api_url
    )
    assert code == ExitCode.REFUSED
    assert output.strip() == "Slack refused SLACK_BOT_TOKEN (invalid_auth): check the token"
    assert [c.method for c in slack_api.calls] == ["auth.test"]
    assert_clean(output, "xoxb-wrong-token")


async def test_the_clock_alone_with_tokens_that_work(tmp_path: Path, slack_api: FakeSlackAPI):
    # Both tokens accepted: the clock runs (one getMe, one auth.test), then stops on SIGTERM.
    async with FakeTelegramAPI() as telegram:
        bot = await start_bot(
            tmp_path,
            "clock",
            env=bot_env(
                tmp_path,
                TELEGRAM_BOT_TOKEN=telegram.token,
                TELEGRAM_API_URL=telegram.url,
                SLACK_BOT_TOKEN=SLACK_TOKEN,
                SLACK_API_URL=slack_api.api_url,
            ),
        )
        await telegram.wait_for(lambda: any(c.method == "getMe" for c in telegram.calls), 30)
        await slack_api.wait_for("auth.test", 1, within=30)
        code, _ = await bot.stop(within=15)
        getme = [c for c in telegram.calls if c.method == "getMe"]
    assert code == ExitCode.OK, bot.text
    assert len(getme) == 1 and len(slack_api.of("auth.test")) == 1
    assert_clean(bot.text, telegram.token, SLACK_TOKEN)


async def test_an_unreachable_database(tmp_path: Path):
    port = free_port()
    code, output = await failed_start(
        tmp_path,
        "serve",
        DATABASE_URL=f"postgresql+asyncpg://bot:pa55word@127.0.0.1:{port}/metropolis",
    )
    assert code == ExitCode.DATABASE == 4
    assert output.strip() == (
        f"cannot use the database at DATABASE_URL (postgresql+asyncpg://bot:***@127.0.0.1:{port}"
        f"/metropolis): ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', "
        f"{port}): check that the server is up and the URL, user and password are right"
    )
    assert_clean(output, "pa55word")


@pytest.mark.parametrize(
    "url",
    ["nonsense", "postgresql://bot:pa55word@127.0.0.1/metropolis", "mysql+nothere://h/db"],
    ids=["unparsable", "sync-driver", "unknown-driver"],
)
async def test_a_broken_database_url(tmp_path: Path, url: str):
    code, output = await failed_start(tmp_path, "clock", DATABASE_URL=url)
    assert code == ExitCode.CONFIG == 2
    assert output.startswith("DATABASE_URL is not usable (")
    assert output.strip().endswith(
        "use sqlite+aiosqlite:///path/to.db or postgresql+asyncpg://user@host/database"
    )
    assert len(output.strip().splitlines()) == 1
    assert_clean(output, "pa55word")


async def test_a_port_already_taken(tmp_path: Path, slack_api: FakeSlackAPI):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = await failed_start(
            tmp_path,
            "serve",
            PORT=str(port),
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_SIGNING_SECRET="signing-secret-1",
            SLACK_API_URL=slack_api.api_url,
        )
    assert code == ExitCode.ADDRESS == 7
    assert output.strip() == (
        f"cannot listen on HOST:PORT (127.0.0.1:{port}): Address already in use: "
        "check HOST and PORT"
    )
    assert_clean(output, SLACK_TOKEN)
