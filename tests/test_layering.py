"""The layering of DEVELOPERS.md: only rollout_tui.ui may import textual.

Checked two ways: statically with import-linter's contracts in pyproject.toml, and dynamically by
importing every non-UI module in a fresh interpreter and asserting textual was never loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout and " broken" in result.stdout


def test_non_ui_layers_never_load_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import rollout_tui\n"
        "for layer in ('model', 'render', 'kube', 'sim', 'settings'):\n"
        "    pkg = importlib.import_module('rollout_tui.' + layer)\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
