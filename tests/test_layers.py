"""The dependencies point the way DESIGN.md says: the import contracts of pyproject.toml
(``[tool.importlinter]``) hold. Run by hand: ``.venv/bin/lint-imports``."""

from __future__ import annotations

import logging
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
    # Import Linter configures logging with dictConfig, which disables every logger that
    # exists already: the tests after this one would capture nothing (and assertions that
    # nothing was logged would hold vacuously). Their state is put back.
    existing = list(logging.root.manager.loggerDict.values())
    loggers = [logging.getLogger(), *(x for x in existing if isinstance(x, logging.Logger))]
    disabled = {logger: logger.disabled for logger in loggers}
    try:
        code = cli.lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        for logger, was in disabled.items():
            logger.disabled = was
    out = capsys.readouterr().out
    assert code == 0, out
    assert "4 kept, 0 broken" in out
