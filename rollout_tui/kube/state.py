"""Connection state of a reflector and of a context, as the UI shows it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Phase(enum.Enum):
    SYNCING = "syncing"  # first list not done yet
    LIVE = "live"  # watching, up to date
    RECONNECTING = "reconnecting"  # stream lost (timeout, broken, 5xx, 429, 401): retrying with backoff
    UNREACHABLE = "unreachable"  # cannot connect at all: retrying with backoff
    FORBIDDEN = "forbidden"  # 403: RBAC says no; retrying slowly in case it is granted
    FAILED = "failed"  # 404/400: the server does not serve this (e.g. CRD missing); retrying slowly


# worst first: a context shows the worst state of its reflectors
_SEVERITY = (Phase.UNREACHABLE, Phase.RECONNECTING, Phase.FORBIDDEN, Phase.FAILED, Phase.SYNCING, Phase.LIVE)


@dataclass(frozen=True)
class ConnectionState:
    phase: Phase
    since: datetime | None = None  # when this phase began (for "reconnecting since 12:03:04")
    detail: str = ""  # one line: the last error, or what is being watched
    loaded: int = 0  # SYNCING: objects of the first list received so far
    expected: int | None = None  # SYNCING: the list's size as the server estimates it (None: unknown)
    data_at: float | None = None  # time.monotonic() of the last data; None: nothing listed yet

    @property
    def ok(self) -> bool:
        return self.phase is Phase.LIVE

    @property
    def stale(self) -> bool:
        """Data was loaded, and none comes now: what is shown is the last known state."""
        return self.data_at is not None and self.phase in (Phase.RECONNECTING, Phase.UNREACHABLE)

    def silent_for(self, now: float) -> float | None:
        """Seconds without data while stale (``now``: time.monotonic()), never negative; None
        when not stale."""
        return max(0.0, now - self.data_at) if self.stale and self.data_at is not None else None

    def describe(self) -> str:
        text = self.phase.value
        if self.since is not None and self.phase not in (Phase.LIVE, Phase.SYNCING):
            text += f" since {self.since.strftime('%H:%M:%S')}"
        return f"{text}: {self.detail}" if self.detail and not self.ok else text


def worst(states: list[ConnectionState]) -> ConnectionState:
    if not states:
        return ConnectionState(Phase.SYNCING)
    return min(
        states, key=lambda s: (_SEVERITY.index(s.phase), s.since.timestamp() if s.since is not None else 0.0)
    )
