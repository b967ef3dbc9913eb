"""The dependencies point the way DESIGN.md says: the import contracts of pyproject.toml
(``[tool.importlinter]``) hold. Run by hand: ``.venv/bin/lint-imports``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from importlinter import cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Import Linter reads the packages of the repository, from its root.
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", [str(ROOT), *sys.path])
    code = cli.lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "4 kept, 0 broken" in out
