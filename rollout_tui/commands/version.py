"""``version [--short]``: the plugin's format (pkg/kubectl-argo-rollouts/cmd/version/version.go)
with rollout-tui's own version and build facts; ``--short`` prints the first line only.

The version is ``v<package version>``, with ``+<commit>`` (and ``.dirty``) when run from a git
checkout, as utils/version/version.go formats a build that is not a clean tagged release.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

from rollout_tui import __version__
from rollout_tui.commands._command import Command, Flag

_ARCH = {
    "x86_64": "amd64",
    "aarch64": "arm64",
    "armv7l": "arm",
    "i686": "386",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
}
UNKNOWN_BUILD_DATE = "1970-01-01T00:00:00Z"  # the plugin's value when the build does not set one


def _git(*args: str) -> str:
    checkout = Path(__file__).resolve().parents[2]
    if not (checkout / ".git").exists():
        return ""
    try:
        result = subprocess.run(
            ["git", "-C", str(checkout), *args], capture_output=True, text=True, timeout=2, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _commit_date() -> str:
    from datetime import UTC, datetime

    seconds = _git("show", "-s", "--format=%ct", "HEAD")
    return (
        datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if seconds.isdigit() else ""
    )


def version_facts() -> dict[str, str]:
    commit = _git("rev-parse", "HEAD")
    state = ("dirty" if _git("status", "--porcelain", "--untracked-files=no") else "clean") if commit else ""
    version = f"v{__version__}"
    if commit:
        version += f"+{commit[:7]}" + (".dirty" if state != "clean" else "")
    machine = platform.machine().lower()
    return {
        "version": version,
        "BuildDate": _commit_date() or UNKNOWN_BUILD_DATE,
        "GitCommit": commit,
        "GitTreeState": state,
        "PythonVersion": platform.python_version(),
        "Compiler": platform.python_implementation(),
        "Platform": f"{sys.platform}/{_ARCH.get(machine, machine)}",
    }


def run(args: argparse.Namespace) -> int:
    facts = version_facts()
    print(f"rollout-tui: {facts.pop('version')}")
    if not args.short:
        for key, value in facts.items():
            print(f"  {key}: {value}")
    return 0


COMMAND = Command(
    "version",
    help="print version",
    description="Show the version and build information of rollout-tui, in the plugin's format.",
    flags=(Flag("--short", action="store_true", help="print just the version number"),),
    run=run,
)
