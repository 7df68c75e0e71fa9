"""The codebase's own rules, checked where CI runs them: mypy (strict for model/ and kube/, see
pyproject.toml), ruff's lint and format, and the size limits of the developers' guide (no module
over 400 lines, no function over 60 outside sim/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rollout_tui"
CHECKED = ["rollout_tui", "tests", "benchmarks", "screenshots"]
MODULE_LINES = 400
FUNCTION_LINES = 60


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=280, check=False)


@pytest.mark.long
def test_mypy_reports_no_error() -> None:
    result = run(sys.executable, "-m", "mypy", "rollout_tui")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_lint_and_format_are_clean() -> None:
    lint = run(sys.executable, "-m", "ruff", "check", *CHECKED)
    assert lint.returncode == 0, lint.stdout[-4000:]
    formatted = run(sys.executable, "-m", "ruff", "format", "--check", *CHECKED)
    assert formatted.returncode == 0, formatted.stdout[-4000:]


def oversized(path: Path) -> list[str]:
    """What in one module breaks the size limits, as `path:line what (n lines)`."""
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(ROOT)
    found = []
    if (lines := len(source.splitlines())) > MODULE_LINES:
        found.append(f"{where} ({lines} lines)")
    if "sim" in path.relative_to(PACKAGE).parts:
        return found  # the simulator's controller loops may be long; its modules may not
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_over_400_lines_and_no_function_over_60_outside_sim() -> None:
    offenders = [entry for path in sorted(PACKAGE.rglob("*.py")) for entry in oversized(path)]
    assert offenders == [], "\n".join(offenders)
