"""Audit trail: one JSON line per action attempted, appended under $XDG_STATE_HOME/rollout-tui/.

Records who (kubeconfig user name, never a token or credential), where (context, namespace,
name), what (action and the exact patches sent), how it ended (outcome + message), and for the
writes of a wave, the wave's id.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rollout_tui.kube.errors import one_line


def default_audit_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "rollout-tui" / "audit.jsonl"


class AuditLog:
    """Thread-safe appender. A failure to write the audit line never hides the action's result."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_audit_path()
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def record(
        self,
        *,
        context: str,
        user: str,
        namespace: str,
        name: str,
        action: str,
        patches: list[dict[str, Any]],
        outcome: str,
        message: str,
        wave: str = "",
    ) -> None:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "context": context,
            "user": user,
            "namespace": namespace,
            "name": name,
            "action": action,
            "patch": patches,
            "outcome": outcome,
            "message": one_line(message, 1000),
        }
        if wave:
            entry["wave"] = wave  # every write of one wave carries its id
        line = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line.encode("utf-8"))
                finally:
                    os.close(fd)
                self.last_error = None
            except OSError as exc:
                self.last_error = f"audit log {self.path}: {exc.strerror or exc}"

    def entries(self) -> list[dict[str, Any]]:
        """Read back all entries (for tests and an audit view); unreadable lines are skipped."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return []
        out = []
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out
