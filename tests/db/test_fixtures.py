"""The shared fixtures themselves: PostgreSQL unreachable skips here, fails in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_probe(tmp_path: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(
        "def test_probe(database_url):\n    assert database_url\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env |= {
        "PYTHONPATH": str(ROOT),
        # Nothing listens on port 1: connection refused at once.
        "TEST_POSTGRES_URL": "postgresql://postgres@127.0.0.1:1/test",
    }
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rs",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_probe.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("ci", [False, True], ids=["local", "ci"])
def test_unreachable_postgres_skips_locally_and_fails_in_ci(tmp_path: Path, ci: bool) -> None:
    result = _run_probe(tmp_path, ci=ci)
    out = result.stdout + result.stderr
    if ci:
        assert result.returncode != 0, out
        assert "1 passed" in out and "1 error" in out, out
        assert "CI=true: the PostgreSQL tests must run" in out, out
    else:
        assert result.returncode == 0, out
        assert "1 passed, 1 skipped" in out, out
        assert "unreachable" in out, out
