"""Durations as Kubernetes and Argo Rollouts print and parse them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.fields import parse_time

UNKNOWN_AGE = "<unknown>"
_NS = 1_000_000_000
_GO_DURATION = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": _NS,
    "m": 60 * _NS,
    "h": 3600 * _NS,
}
_MAX_NS = 2**63 - 1


def human_duration(delta: timedelta | float) -> str:
    """k8s.io/apimachinery duration.HumanDuration: ~2-3 significant figures, as `kubectl get`."""
    ns = _to_ns(delta)
    seconds = abs(ns) // _NS * (1 if ns >= 0 else -1)  # Go: int(d.Seconds()) truncates toward 0
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = ns // (60 * _NS)
    if minutes < 10:
        secs = (ns // _NS) % 60
        return f"{minutes}m" if secs == 0 else f"{minutes}m{secs}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = ns // (3600 * _NS)
    if hours < 8:
        mins = minutes % 60
        return f"{hours}h" if mins == 0 else f"{hours}h{mins}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rem = hours % 24
        return f"{hours // 24}d" if rem == 0 else f"{hours // 24}d{rem}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if days == 0 else f"{hours // 24 // 365}y{days}d"
    return f"{hours // 24 // 365}y"


def countdown(seconds: float) -> str:
    """Time left with second precision, rounded up (`4m05s`, `59s`, `1h02m`): "0s" only when it
    is really over. Ages use `human_duration`; countdowns must tick."""
    s = max(int(seconds + 0.999), 0)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def age_at(created: datetime | None, now: datetime) -> str:
    """Age of an object created at `created` (UNKNOWN_AGE when that is not known), as `kubectl get`."""
    if created is None:
        return UNKNOWN_AGE
    return human_duration(now - created)


def age(timestamp: Any, clock: Clock) -> str:
    """Age of an object from its creationTimestamp; UNKNOWN_AGE when missing or unparsable."""
    return age_at(parse_time(timestamp), clock.now())


def parse_duration(value: Any) -> timedelta | None:
    """A pause/interval duration: an integer (seconds) or a Go duration string ("1h30m", "10s").

    Argo Rollouts' DurationString accepts a bare number as seconds too. None when unparsable.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return timedelta(seconds=value) if abs(value) < 10**12 else None
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]+", text):
        return timedelta(seconds=int(text))
    sign = 1
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if text == "0":
        return timedelta(0)
    pos, total = 0, 0.0
    for match in _GO_DURATION.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_NS[match.group(2)]
        pos = match.end()
    if pos != len(text) or pos == 0 or total > _MAX_NS:
        return None
    return timedelta(microseconds=sign * total / 1000)


def _to_ns(delta: timedelta | float) -> int:
    if isinstance(delta, timedelta):
        ns = (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000
    else:
        ns = int(delta * _NS)
    # Go's Time.Sub saturates at the int64 bounds.
    return max(-_MAX_NS - 1, min(_MAX_NS, ns))
