"""Alerts in the operator's own screen: a toast, the terminal bell, and (with --notify) a desktop
notification, when a rollout newly needs a human (`model.alerts`).

A busy fleet can raise dozens of alerts a second: at most MAX_TOASTS toasts and one bell every
ALERT_SECONDS, the rest summed up in one line, so the screen stays readable and the link quiet.
A process that was stopped (SIGSTOP, a suspended laptop) catches up on everything that happened
meanwhile at once: `resumed` makes that catch-up the new baseline, without a burst of alerts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from rollout_tui.model.alerts import Alert, alert
from rollout_tui.model.attention import Attention

from .fleet_view import Changes, Entry
from .safe import clean

MAX_TOASTS = 3
ALERT_SECONDS = 5.0
CATCH_UP_SECONDS = 10.0  # after a resume: the watches deliver what happened while stopped


def desktop_notification(title: str, body: str) -> str:
    """OSC 777 (urxvt, foot, WezTerm, VTE) then OSC 9 (iTerm2, Windows Terminal, kitty).

    Title and body must already be sanitised (safe.clean): a BEL or ESC in them would end the
    sequence early and let cluster data write to the terminal.
    """
    title = title.replace(";", ",")
    body = body.replace(";", ",")
    return f"\x1b]777;notify;{title};{body}\x07\x1b]9;{title}: {body}\x07"


class Alerter:
    def __init__(
        self,
        notify: Callable[..., None],
        bell: Callable[[], None],
        write_escape: Callable[[str], None] | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._notify, self._bell, self._write_escape, self._clock = notify, bell, write_escape, clock
        self._seen: dict[str, Attention] = {}
        self._raised: list[tuple[Entry, Alert]] = []
        self._next_at = 0.0
        self._quiet_until = 0.0

    def baseline(self, entries: Iterable[Entry]) -> None:
        """The state found at start: never alerted on."""
        for entry in entries:
            self._seen[entry.key] = entry.attention

    def resumed(self, entries: Iterable[Entry]) -> None:
        """The process ran again after being stopped: what it learns in the next
        CATCH_UP_SECONDS is history, not news (the screen shows it; no toast, no bell)."""
        self._raised.clear()
        self.baseline(entries)
        self._quiet_until = self._clock() + CATCH_UP_SECONDS

    def observe(self, changes: Changes, entries: Mapping[str, Entry]) -> None:
        catching_up = self._clock() < self._quiet_until
        for key in changes.changed:
            entry = entries.get(key)
            if entry is None:
                continue
            found = alert(self._seen.get(key), entry.attention)
            self._seen[key] = entry.attention
            if found is not None and not catching_up:
                self._raised.append((entry, found))
        for key in changes.removed:
            self._seen.pop(key, None)

    def flush(self, force: bool = False) -> None:
        if not self._raised or (not force and self._clock() < self._next_at):
            return
        raised, self._raised = self._raised, []
        self._next_at = self._clock() + ALERT_SECONDS
        for entry, found in raised[:MAX_TOASTS]:
            target = clean(entry.state.target, 120)
            self._notify(
                f"{target} {clean(' and '.join(found.texts), 200)}",
                title=clean(entry.context, 40),
                severity="error" if found.severe else "warning",
                markup=False,
                timeout=10,
            )
        if len(raised) > MAX_TOASTS:
            more = len(raised) - MAX_TOASTS
            self._notify(
                f"and {more} more rollouts need you (! shows only what needs you)", markup=False, timeout=10
            )
        self._bell()
        if self._write_escape is not None:
            entry, found = raised[0]
            more_text = f" (+{len(raised) - 1} more)" if len(raised) > 1 else ""
            body = clean(f"{entry.state.target} {' and '.join(found.texts)}{more_text}", 200)
            self._write_escape(desktop_notification("rollout-tui", body))
