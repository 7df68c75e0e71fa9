"""Fault injection: the failures a client must survive, switchable at run time.

The same controls are reachable in Python (``Simulator.faults``) and over HTTP (``POST
/sim/faults/<action>``, documented in ``rollout_tui.sim.server``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.store import Store

_REASONS = {429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable"}
_MESSAGES = {
    429: "the server has received too many requests and has asked us to try again later",
    500: 'an error on the server ("injected fault") has prevented the request from succeeding',
    503: "the server is currently unable to handle the request",
}


@dataclass
class _ErrorBudget:
    code: int
    remaining: int
    retry_after: int


class Faults:
    """Switches consulted by the HTTP server on every request and every watch step."""

    def __init__(self, store: Store, restart: Callable[[float], None] | None = None) -> None:
        self._store = store
        self._restart = restart
        self._lock = threading.Condition()
        self._errors: _ErrorBudget | None = None
        self._stalled_until = 0.0
        self.latency = 0.0
        self.drop_generation = 0  # bumped by drop_watches(); streams compare it to end abruptly

    def restart_with(self, restart: Callable[[float], None]) -> None:
        self._restart = restart

    # --- controls -----------------------------------------------------------
    def fail_next(self, count: int, code: int = 503, retry_after: int = 1) -> None:
        """Answer the next ``count`` API requests with ``code`` (429, 500 or 503)."""
        if code not in _REASONS:
            raise ValueError(f"code must be one of {sorted(_REASONS)}")
        with self._lock:
            self._errors = _ErrorBudget(code, max(0, int(count)), retry_after) if count > 0 else None

    def set_latency(self, seconds: float) -> None:
        """Delay every API request (not the fault endpoints) by ``seconds``."""
        self.latency = max(0.0, float(seconds))

    def stall(self, seconds: float | None = None) -> None:
        """Watch streams stop sending anything (events wait, no bookmarks) until ``unstall`` or
        ``seconds`` pass: what a silent network partition looks like to a client."""
        with self._lock:
            self._stalled_until = float("inf") if seconds is None else time.monotonic() + seconds
            self._lock.notify_all()

    def unstall(self) -> None:
        with self._lock:
            self._stalled_until = 0.0
            self._lock.notify_all()

    def drop_watches(self) -> int:
        """Cut every open watch connection without a final chunk; returns how many."""
        watches = self._store.watches()
        with self._lock:
            self.drop_generation += 1
        for watch in watches:
            watch.close()
        return len(watches)

    def expire(self) -> None:
        """Forget the watch history: open watches get a 410 ERROR event, and any later watch or
        continue from an older resourceVersion is refused with 410 Expired."""
        self._store.expire_history(terminate_watches=True)

    def restart(self, down_seconds: float = 1.0) -> None:
        """Stop serving (connections refused, watches cut) for ``down_seconds``, then serve the
        same store on the same port again."""
        if self._restart is None:
            raise RuntimeError("this simulator cannot restart")
        self._restart(down_seconds)

    def reset(self) -> None:
        with self._lock:
            self._errors = None
            self._stalled_until = 0.0
            self.latency = 0.0
            self._lock.notify_all()

    # --- used by the server -------------------------------------------------
    def take_error(self) -> tuple[ApiError, int] | None:
        """The injected error for this request, if any: (error, Retry-After seconds)."""
        with self._lock:
            budget = self._errors
            if budget is None:
                return None
            budget.remaining -= 1
            if budget.remaining <= 0:
                self._errors = None
        error = ApiError(budget.code, _REASONS[budget.code], _MESSAGES[budget.code])
        if budget.code == 429:
            error.details = {"retryAfterSeconds": budget.retry_after}
        return error, budget.retry_after

    @property
    def stalled(self) -> bool:
        with self._lock:
            return time.monotonic() < self._stalled_until

    def wait_while_stalled(self, timeout: float) -> bool:
        """Block while stalled (at most ``timeout``); True if still stalled."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while time.monotonic() < self._stalled_until:
                remaining = min(deadline, self._stalled_until) - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            return time.monotonic() < self._stalled_until

    def state(self) -> dict[str, Any]:
        with self._lock:
            errors = self._errors
            stalled_for = self._stalled_until - time.monotonic()
        return {
            "latencySeconds": self.latency,
            "stalled": stalled_for > 0,
            "errors": None if errors is None else {"code": errors.code, "remaining": errors.remaining},
            "openWatches": len(self._store.watches()),
        }


def http_action(faults: Faults, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run ``POST /sim/faults/<action>`` (restart excepted: the server answers before going down)."""
    try:
        if action == "errors":
            faults.fail_next(
                int(params.get("count", 1)), int(params.get("code", 503)), int(params.get("retryAfter", 1))
            )
        elif action == "latency":
            faults.set_latency(float(params.get("seconds", 0)))
        elif action == "stall":
            seconds = params.get("seconds")
            faults.stall(None if seconds in (None, "") else float(seconds))
        elif action == "unstall":
            faults.unstall()
        elif action == "drop-watches":
            faults.drop_watches()
        elif action == "expire":
            faults.expire()
        elif action == "reset":
            faults.reset()
        else:
            raise ApiError(404, "NotFound", f"no fault named {action!r}")
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "BadRequest", f"bad fault parameters: {exc}") from None
    return faults.state()
